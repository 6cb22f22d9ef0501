import Ajv from 'ajv';
import { mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { exec, tryExec } from './support/exec';
import { sharedWorkspace } from './support/shared-workspace';
import { Workspace } from './support/workspace';
import type { PushMetadata } from '../src/executors/docker-push/lib/push-image';

/** The open local registry scripts/setup/registry.sh runs. */
const openRegistry = '127.0.0.1:5000';

interface Step {
  run?: string;
  env?: Record<string, string>;
}
interface Workflow {
  env?: Record<string, string>;
  jobs: Record<string, { env?: Record<string, string>; steps: Step[] }>;
}

/**
 * A workflow env value as GitHub Actions would set it in this workspace: `${{ github.workspace }}`
 * is the checkout, `${{ vars.X }}` and `${{ secrets.X }}` are empty (as when the repository has
 * none). Any other expression throws, so a workflow this test cannot reproduce fails it.
 */
function actionsValue(value: string, workspace: string): string {
  return String(value).replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (expression, inner: string) => {
    if (inner === 'github.workspace') return workspace;
    if (/^(vars|secrets)\.[A-Z0-9_]+$/.test(inner)) return '';
    throw new Error(`The e2e test cannot evaluate ${expression}; teach actionsValue what GitHub would make of it.`);
  });
}

/**
 * A `run:` line as argv, split as bash would split it: words, double quotes, `$NAME` from env.
 * Pipes, lists, redirections, single quotes and substitutions throw rather than run differently.
 */
function commandWords(line: string, env: Record<string, string>): string[] {
  if (/[;&|<>`'\\]|\$\(|\$\{/.test(line) || /"[^"]*\s[^"]*"/.test(line)) throw new Error(`Not a simple command: ${line}`);
  return line.trim().split(/\s+/).map((word) =>
    word.replace(/"/g, '').replace(/\$([A-Za-z_][A-Za-z0-9_]*)/g, (_, name: string) => {
      if (env[name] === undefined) throw new Error(`${line} uses $${name}, which the workflow does not set.`);
      return env[name];
    }),
  );
}

describe('ci-workflow: the nx commands of the generated GitHub workflow, run in a real workspace', () => {
  let ws: Workspace;
  // A namespace of this run's own, so what earlier runs pushed cannot make a test pass.
  const namespace = `${openRegistry}/ciwf-${Date.now()}`;
  const service = 'ciwf-api';
  let shortSha: string;
  const workflow = () => parse(ws.read('.github/workflows/ci.yml')) as Workflow;

  beforeAll(async () => {
    ws = await sharedWorkspace();
    await ws.nx('g', 'nx-go-docker:go-service', service, '--no-postgres');
    await ws.nx('g', 'nx-go-docker:ci-workflow', `--registry=${namespace}`);
    await ws.commit('ciwf-api and its CI workflow');
    ws.write(`apps/${service}/main.go`, ws.read(`apps/${service}/main.go`).replace('package main', '// a change for CI\npackage main'));
    await ws.commit('ciwf-api: a change');
    shortSha = (await ws.run('git', ['rev-parse', '--short', 'HEAD'])).stdout.trim();
  });

  afterAll(async () => {
    const { stdout } = await exec('docker', ['image', 'ls', '--format', '{{.Repository}}:{{.Tag}}']);
    const ours = stdout.split('\n').filter((image) => image.startsWith(`${service}:`) || image.startsWith(`${namespace}/`));
    for (const image of ours) await tryExec('docker', ['image', 'rm', '--force', image]);
  });

  it('the workflow the packed plugin writes validates against the GitHub workflow schema', () => {
    const schema = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'github-workflow.schema.json'), 'utf-8'));
    const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);
    expect(validate(workflow()) ? [] : validate.errors).toEqual([]);
  });

  it("its npx nx steps run as they would on a pull request and then on main: vet, test, build, the image built, then pushed", async () => {
    // What actions/cache restores on a later run: the module cache, full of go.mod files.
    mkdirSync(join(ws.root, '.cache/go-mod/example.com/fake@v1.0.0'), { recursive: true });
    ws.write('.cache/go-mod/example.com/fake@v1.0.0/go.mod', 'module example.com/fake\n\ngo 1.22\n');

    const written = workflow();
    const [job] = Object.values(written.jobs);
    // What nrwl/nx-set-shas exports: the base and head commits of the change.
    const shas = {
      NX_BASE: (await ws.run('git', ['rev-parse', 'HEAD~1'])).stdout.trim(),
      NX_HEAD: (await ws.run('git', ['rev-parse', 'HEAD'])).stdout.trim(),
    };
    const commands = job.steps
      .filter((step) => step.run?.startsWith('npx nx '))
      .map((step) => {
        const declared = { ...written.env, ...job.env, ...step.env };
        const env = Object.fromEntries(Object.entries(declared).map(([key, value]) => [key, actionsValue(value, ws.root)]));
        return { words: commandWords(step.run as string, env), env: { ...env, ...shas } };
      });
    expect(commands.map(({ words }) => words.join(' '))).toEqual([
      'npx nx affected -t vet test build',
      'npx nx affected -t docker-build --parallel=4',
      `npx nx affected -t docker-push --parallel=4 --registry=${namespace}`,
    ]);

    for (const { words, env } of commands) {
      const result = await ws.run(words[0], words.slice(1), { env });
      expect(result.stdout).toContain(`${service}:`);
    }

    // GOCACHE reached go: the build cache is in the workspace, where actions/cache finds it.
    expect(readdirSync(join(ws.root, '.cache/go-build')).length).toBeGreaterThan(0);
    expect((await exec('docker', ['image', 'inspect', '--format', '{{.Id}}', `${service}:latest`])).stdout).toMatch(/sha256:/);
    const repository = namespace.slice(openRegistry.length + 1);
    const tags = (await (await fetch(`http://${openRegistry}/v2/${repository}/${service}/tags/list`)).json()) as { tags: string[] };
    expect(tags.tags).toContain(shortSha);
    const pushed = JSON.parse(ws.read(`dist/docker/${service}.json`)) as PushMetadata;
    expect(pushed).toMatchObject({ image: `${namespace}/${service}`, tags: [shortSha], platforms: ['linux/amd64', 'linux/arm64'], pushed: true });
  });

  it('the Go caches stay out of git and out of the graph: no project from the module cache, nothing to commit', async () => {
    const projects = JSON.parse((await ws.nx('show', 'projects', '--json')).stdout) as string[];
    expect(projects).toContain(service);
    expect(projects.filter((name) => name.includes('fake'))).toEqual([]);
    expect(await ws.status()).toBe('');
  });

  it('--provider=gitlab writes .gitlab-ci.yml (its template ships in the package)', async () => {
    const { stdout } = await ws.nx('g', 'nx-go-docker:ci-workflow', '--provider=gitlab', '--dry-run');
    expect(stdout).toContain('CREATE .gitlab-ci.yml');
  });
});
