import { Tree, readNxJson, updateNxJson } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import Ajv from 'ajv';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { runProcess } from '../../utils/run-process';
import { goServiceGenerator } from '../go-service/go-service';
import { ciWorkflowGenerator } from './ci-workflow';
import type { CiWorkflowGeneratorSchema } from './schema';

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, string | boolean | number>;
}
interface Workflow {
  name: string;
  on: { pull_request: null; push: { branches: string[] } };
  concurrency: { group: string; 'cancel-in-progress': string };
  jobs: Record<string, { 'runs-on': string; permissions: Record<string, string>; env: Record<string, string>; steps: Step[] }>;
}

/** SchemaStore's schema for GitHub workflow files (test/fixtures/README.md says where it is from). */
const workflowSchema = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'test', 'fixtures', 'github-workflow.schema.json'), 'utf-8'));
const validateWorkflow = new Ajv({ strict: false, allErrors: true }).compile(workflowSchema);
const schemaErrors = (workflow: unknown) => (validateWorkflow(workflow) ? [] : (validateWorkflow.errors ?? []).map((e) => `${e.instancePath} ${e.message}`));

describe('ci-workflow generator', () => {
  let tree: Tree;
  const generate = (options: CiWorkflowGeneratorSchema = {}) => ciWorkflowGenerator(tree, options);
  const read = (path: string) => tree.read(path, 'utf-8') ?? '';
  const workflow = (path = '.github/workflows/ci.yml') => parse(read(path)) as Workflow;
  const job = (path?: string) => workflow(path).jobs.affected;
  const step = (predicate: (s: Step) => boolean, path?: string) => job(path).steps.find(predicate);
  const runs = (path?: string) => job(path).steps.filter((s) => s.run !== undefined).map((s) => s.run);
  const setPluginOptions = (options: Record<string, unknown>) => {
    const nxJson = readNxJson(tree)!;
    nxJson.plugins = (nxJson.plugins ?? []).map((entry) =>
      typeof entry !== 'string' && entry.plugin === 'nx-go-docker' ? { ...entry, options: { ...entry.options as object, ...options } } : entry,
    );
    updateNxJson(tree, nxJson);
  };

  beforeEach(async () => {
    tree = createTreeWithEmptyWorkspace();
    await goServiceGenerator(tree, { name: 'orders', goVersion: '1.26', postgres: false });
  });

  describe('GitHub Actions', () => {
    it('writes .github/workflows/ci.yml that runs on pull requests and on pushes to main, one run per pull request', async () => {
      await generate();
      const written = workflow();
      expect(written.name).toBe('ci');
      expect(written.on).toEqual({ pull_request: null, push: { branches: ['main'] } });
      expect(written.concurrency).toEqual({
        group: '${{ github.workflow }}-${{ github.event.pull_request.number || github.ref }}',
        'cancel-in-progress': "${{ github.event_name == 'pull_request' }}",
      });
      expect(Object.keys(written.jobs)).toEqual(['affected']);
    });

    it('checks out the whole history, sets up Node.js, Go from go.work and both Go caches, installs, then runs nx affected', async () => {
      await generate();
      expect(job().steps.map((s) => s.uses ?? s.run)).toEqual([
        'actions/checkout@v4',
        'actions/setup-node@v4',
        'actions/setup-go@v5',
        'actions/cache@v4',
        'npm ci',
        'nrwl/nx-set-shas@v4',
        'npx nx affected -t vet test build',
        'docker/setup-docker-action@v4',
        'docker/setup-buildx-action@v3',
        'npx nx affected -t docker-build --parallel=4',
        'echo "REGISTRY=${REGISTRY,,}" >> "$GITHUB_ENV"',
        'docker/login-action@v3',
        'npx nx affected -t docker-push --parallel=4 --registry="$REGISTRY"',
      ]);
      expect(step((s) => s.uses === 'actions/checkout@v4')?.with).toEqual({ 'fetch-depth': 0 });
      expect(step((s) => s.uses === 'actions/setup-node@v4')?.with).toEqual({ 'node-version': 'lts/*', cache: 'npm' });
      expect(step((s) => s.uses === 'actions/setup-go@v5')?.with).toEqual({ 'go-version-file': 'go.work', cache: false });
      expect(step((s) => s.uses === 'actions/cache@v4')?.with).toEqual({
        path: '.cache/go-build\n.cache/go-mod\n',
        key: "go-${{ runner.os }}-${{ hashFiles('**/go.sum') }}",
        'restore-keys': 'go-${{ runner.os }}-',
      });
      expect(step((s) => s.uses === 'nrwl/nx-set-shas@v4')?.with).toEqual({ 'main-branch-name': 'main' });
      expect(job().env).toMatchObject({
        GOCACHE: '${{ github.workspace }}/.cache/go-build',
        GOMODCACHE: '${{ github.workspace }}/.cache/go-mod',
        NX_SELF_HOSTED_REMOTE_CACHE_SERVER: '${{ vars.NX_SELF_HOSTED_REMOTE_CACHE_SERVER }}',
        NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN: '${{ secrets.NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN }}',
      });
      expect(read('.github/workflows/ci.yml')).toMatch(/# Nx's task cache, shared by every run and machine when you set this repository\n/);
    });

    it('builds images on pull requests; on pushes sets up the containerd image store, logs in to ghcr.io with GITHUB_TOKEN and pushes', async () => {
      await generate();
      expect(step((s) => s.run?.includes('-t docker-build') ?? false)?.if).toBe("github.event_name == 'pull_request'");
      const pushOnly = job().steps.filter((s) => s.if === "github.event_name == 'push'").map((s) => s.uses ?? s.run);
      expect(pushOnly).toEqual([
        'docker/setup-docker-action@v4',
        'echo "REGISTRY=${REGISTRY,,}" >> "$GITHUB_ENV"',
        'docker/login-action@v3',
        'npx nx affected -t docker-push --parallel=4 --registry="$REGISTRY"',
      ]);
      expect(step((s) => s.uses === 'docker/setup-docker-action@v4')?.with).toEqual({
        'daemon-config': '{"features": {"containerd-snapshotter": true}}',
        'set-host': true,
      });
      expect(step((s) => s.uses === 'docker/setup-buildx-action@v3')?.with).toEqual({ driver: 'docker' });
      expect(step((s) => s.uses === 'docker/login-action@v3')?.with).toEqual({
        registry: 'ghcr.io',
        username: '${{ github.actor }}',
        password: '${{ secrets.GITHUB_TOKEN }}',
      });
      expect(job().env.REGISTRY).toBe('ghcr.io/${{ github.repository_owner }}');
      expect(job().permissions).toEqual({ actions: 'read', contents: 'read', packages: 'write' });
    });

    it('lower-cases the owner in the registry before pushing (a GitHub owner may have capitals, an image name may not)', async () => {
      await generate();
      const line = step((s) => s.name === 'Lower-case the registry')?.run as string;
      const dir = mkdtempSync(join(tmpdir(), 'ci-workflow-'));
      try {
        const githubEnv = join(dir, 'github-env');
        const { code } = await runProcess('bash', ['-e', '-c', line], { stdio: 'pipe', env: { ...process.env, REGISTRY: 'ghcr.io/Acme-Corp', GITHUB_ENV: githubEnv } });
        expect(code).toBe(0);
        expect(readFileSync(githubEnv, 'utf-8')).toBe('REGISTRY=ghcr.io/acme-corp\n');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it.each<[string, CiWorkflowGeneratorSchema, Record<string, unknown>]>([
      ['the defaults', {}, {}],
      ['another registry, name and branch', { registry: 'registry.acme.dev/team', name: 'images', mainBranch: 'trunk' }, {}],
      ['the registry of nx.json and renamed targets', {}, { registry: 'ghcr.io/acme', testTargetName: 'go-test' }],
    ])('the workflow with %s validates against the GitHub workflow schema', async (_, options, pluginOptions) => {
      setPluginOptions(pluginOptions);
      await generate(options);
      const written = tree.listChanges().find((change) => change.path.startsWith('.github/workflows/'))?.path as string;
      expect(schemaErrors(parse(read(written)))).toEqual([]);
    });

    it('the schema check fails on a broken workflow: a job without runs-on, a misspelt event, a step with both uses and run', async () => {
      await generate();
      const noRunner = workflow();
      delete (noRunner.jobs.affected as Partial<Workflow['jobs'][string]>)['runs-on'];
      expect(schemaErrors(noRunner).length).toBeGreaterThan(0);

      const misspelt = { ...workflow(), on: { pull_requests: null } };
      expect(schemaErrors(misspelt)).toContainEqual(expect.stringMatching(/^\/on /));

      const both = workflow();
      both.jobs.affected.steps[0] = { uses: 'actions/checkout@v4', run: 'git fetch' };
      expect(schemaErrors(both)).toContainEqual(expect.stringMatching(/^\/jobs\/affected\/steps\/0 /));
    });

    it('another registry: its host, credentials from a repository variable and secret, no packages permission, no lower-casing', async () => {
      await generate({ registry: 'registry.acme.dev/team/' });
      expect(job().env.REGISTRY).toBe('registry.acme.dev/team');
      expect(step((s) => s.uses === 'docker/login-action@v3')).toEqual({
        name: 'Log in to registry.acme.dev',
        if: "github.event_name == 'push'",
        uses: 'docker/login-action@v3',
        with: { registry: 'registry.acme.dev', username: '${{ vars.REGISTRY_USERNAME }}', password: '${{ secrets.REGISTRY_PASSWORD }}' },
      });
      expect(job().permissions).toEqual({ actions: 'read', contents: 'read' });
      expect(step((s) => s.name === 'Lower-case the registry')).toBeUndefined();

      await generate({ registry: 'acme', overwrite: true });
      expect(step((s) => s.uses === 'docker/login-action@v3')?.with?.registry).toBe('docker.io');
      await generate({ registry: 'ghcr.io/acme', overwrite: true });
      expect(step((s) => s.uses === 'docker/login-action@v3')?.with?.password).toBe('${{ secrets.GITHUB_TOKEN }}');
    });

    it("the registry of nx.json: docker-push gets no --registry (a project's own applies) and login goes to its host", async () => {
      setPluginOptions({ registry: 'ghcr.io/acme' });
      await generate();
      expect(job().env.REGISTRY).toBeUndefined();
      expect(runs().at(-1)).toBe('npx nx affected -t docker-push --parallel=4');
      expect(step((s) => s.uses === 'docker/login-action@v3')?.with?.registry).toBe('ghcr.io');

      await generate({ registry: 'ghcr.io/acme', overwrite: true });
      expect(runs().at(-1)).toBe('npx nx affected -t docker-push --parallel=4');
      await generate({ registry: 'ghcr.io/other', overwrite: true });
      expect(runs().at(-1)).toBe('npx nx affected -t docker-push --parallel=4 --registry="$REGISTRY"');
      expect(job().env.REGISTRY).toBe('ghcr.io/other');
    });

    it("keeps the image build caches the plugin options name (goCacheDir, layerCache \"local\") in a cache of their own, per commit", async () => {
      await generate();
      expect(job().steps.filter((s) => s.uses === 'actions/cache@v4')).toHaveLength(1);
      setPluginOptions({ goCacheDir: './.cache/go-docker/', layerCache: 'local' });
      await generate({ overwrite: true });
      const images = step((s) => s.uses === 'actions/cache@v4' && String(s.with?.key).startsWith('images-'));
      expect(String(images?.with?.path).trim().split('\n')).toEqual(['.cache/go-docker', '.cache/buildkit']);
      expect(images?.with?.key).toBe('images-${{ runner.os }}-${{ github.sha }}');
      expect(images?.with?.['restore-keys']).toBe('images-${{ runner.os }}-');
      expect(schemaErrors(workflow())).toEqual([]);
    });

    it('runs the targets under the names nx.json gives them', async () => {
      setPluginOptions({ vetTargetName: 'go-vet', testTargetName: 'go-test', buildTargetName: 'go-build', dockerBuildTargetName: 'image', dockerPushTargetName: 'publish' });
      await generate();
      expect(runs().filter((run) => run?.startsWith('npx nx'))).toEqual([
        'npx nx affected -t go-vet go-test go-build',
        'npx nx affected -t image --parallel=4',
        'npx nx affected -t publish --parallel=4 --registry="$REGISTRY"',
      ]);
    });

    it('--name and --mainBranch name the file, the workflow, the pushing branch and the base of nx-set-shas', async () => {
      await generate({ name: 'images', mainBranch: 'release/v2' });
      const written = workflow('.github/workflows/images.yml');
      expect(written.name).toBe('images');
      expect(written.on.push).toEqual({ branches: ['release/v2'] });
      expect(step((s) => s.uses === 'nrwl/nx-set-shas@v4', '.github/workflows/images.yml')?.with).toEqual({ 'main-branch-name': 'release/v2' });
      expect(tree.exists('.github/workflows/ci.yml')).toBe(false);
    });

    it("the main branch defaults to nx.json's defaultBase", async () => {
      updateNxJson(tree, { ...readNxJson(tree), defaultBase: 'develop' });
      await generate();
      expect(workflow().on.push.branches).toEqual(['develop']);
    });

    it('reads the Go version from the shallowest go.mod without a go.work, and Node.js from .nvmrc or .node-version when there is one', async () => {
      tree.delete('go.work');
      tree.write('services/deep/api/go.mod', 'module example.com/api\n\ngo 1.25\n');
      tree.write('.nvmrc', '22\n');
      await generate();
      expect(step((s) => s.uses === 'actions/setup-go@v5')?.with?.['go-version-file']).toBe('apps/orders/go.mod');
      expect(step((s) => s.uses === 'actions/setup-node@v4')?.with).toEqual({ 'node-version-file': '.nvmrc', cache: 'npm' });

      tree.delete('.nvmrc');
      tree.write('.node-version', '22.11.0\n');
      await generate({ overwrite: true });
      expect(step((s) => s.uses === 'actions/setup-node@v4')?.with).toEqual({ 'node-version-file': '.node-version', cache: 'npm' });
    });

    it('adds the Go caches folder to .gitignore once, keeping what is there', async () => {
      tree.write('.gitignore', 'node_modules\ndist');
      await generate();
      expect(read('.gitignore')).toBe("node_modules\ndist\n\n# Go's build and module caches in CI (GOCACHE, GOMODCACHE)\n/.cache/\n");
      await generate({ overwrite: true });
      await generate({ provider: 'gitlab' });
      expect(read('.gitignore').match(/\.cache/g)).toHaveLength(1);

      tree.write('.gitignore', '.cache/\n');
      await generate({ overwrite: true });
      expect(read('.gitignore')).toBe('.cache/\n');
    });

    it('--overwrite replaces the workflow, and a ci.yaml of the same name with ci.yml', async () => {
      tree.write('.github/workflows/ci.yaml', 'name: old\n');
      await generate({ overwrite: true });
      expect(tree.exists('.github/workflows/ci.yaml')).toBe(false);
      expect(workflow().name).toBe('ci');
    });
  });

  describe('GitLab CI', () => {
    interface Pipeline {
      workflow: { rules: { if: string; auto_cancel?: { on_new_commit: string } }[] };
      variables: Record<string, string | number>;
      affected: { interruptible: boolean; cache: { key: string; fallback_keys: string[]; paths: string[] }; script: string[] };
    }
    const pipeline = () => parse(read('.gitlab-ci.yml')) as Pipeline;

    it('writes .gitlab-ci.yml: merge requests (superseded ones cancelled) and pushes to main, one job with both Go caches', async () => {
      await generate({ provider: 'gitlab' });
      expect(tree.exists('.github/workflows/ci.yml')).toBe(false);
      const written = pipeline();
      expect(written.workflow.rules).toEqual([
        { if: '$CI_PIPELINE_SOURCE == "merge_request_event"', auto_cancel: { on_new_commit: 'interruptible' } },
        { if: '$CI_PIPELINE_SOURCE == "push" && $CI_COMMIT_BRANCH == "main"' },
      ]);
      expect(written.variables).toEqual({
        GIT_DEPTH: 0,
        GOCACHE: '$CI_PROJECT_DIR/.cache/go-build',
        GOMODCACHE: '$CI_PROJECT_DIR/.cache/go-mod',
        REGISTRY: '$CI_REGISTRY_IMAGE',
      });
      expect(written.affected.interruptible).toBe(true);
      expect(written.affected.cache).toEqual({ key: 'go-$CI_COMMIT_REF_SLUG', fallback_keys: ['go-$CI_DEFAULT_BRANCH'], paths: ['.cache/go-build', '.cache/go-mod'] });
      expect(read('.gitlab-ci.yml')).toContain('# NX_SELF_HOSTED_REMOTE_CACHE_SERVER and NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN (masked)');
    });

    it('sets NX_BASE and NX_HEAD as nx-set-shas would, runs nx affected, builds images on merge requests and pushes them from main', async () => {
      await generate({ provider: 'gitlab' });
      const [install, head, base, firstPush, affected, images] = pipeline().affected.script;
      expect([install, head, base, firstPush, affected]).toEqual([
        'npm ci',
        'export NX_HEAD="$CI_COMMIT_SHA"',
        'export NX_BASE="${CI_MERGE_REQUEST_DIFF_BASE_SHA:-$CI_COMMIT_BEFORE_SHA}"',
        'if [ "$NX_BASE" = 0000000000000000000000000000000000000000 ]; then export NX_BASE=HEAD~1; fi',
        'npx nx affected -t vet test build',
      ]);
      expect(images.split('\n').map((line) => line.trim())).toEqual([
        'if [ "$CI_PIPELINE_SOURCE" = merge_request_event ]; then',
        'npx nx affected -t docker-build --parallel=4',
        'else',
        'echo "$CI_REGISTRY_PASSWORD" | docker login --username "$CI_REGISTRY_USER" --password-stdin "$CI_REGISTRY"',
        'npx nx affected -t docker-push --parallel=4 --registry="$REGISTRY"',
        'fi',
        '',
      ]);
    });

    it('another registry logs in with REGISTRY_USERNAME and REGISTRY_PASSWORD; the registry of nx.json is not passed', async () => {
      await generate({ provider: 'gitlab', registry: 'registry.acme.dev/team', mainBranch: 'trunk' });
      expect(pipeline().variables.REGISTRY).toBe('registry.acme.dev/team');
      expect(pipeline().workflow.rules[1].if).toBe('$CI_PIPELINE_SOURCE == "push" && $CI_COMMIT_BRANCH == "trunk"');
      expect(pipeline().affected.script.at(-1)).toContain(
        'echo "$REGISTRY_PASSWORD" | docker login --username "$REGISTRY_USERNAME" --password-stdin registry.acme.dev\n',
      );

      setPluginOptions({ registry: 'registry.acme.dev/team' });
      await generate({ provider: 'gitlab', overwrite: true });
      expect(pipeline().variables.REGISTRY).toBeUndefined();
      expect(pipeline().affected.script.at(-1)).toContain('npx nx affected -t docker-push --parallel=4\n');
    });
  });

  describe('bad input: one line naming the problem and the fix, nothing written', () => {
    const expectRejected = async (options: CiWorkflowGeneratorSchema, message: string) => {
      const before = tree.listChanges().map((change) => `${change.type} ${change.path} ${change.content?.toString()}`);
      const error = await generate(options).then(() => undefined, (e: Error) => e);
      expect(error?.message).toContain(message);
      expect(error?.message).not.toContain('\n');
      expect(tree.listChanges().map((change) => `${change.type} ${change.path} ${change.content?.toString()}`)).toEqual(before);
    };

    it.each<[CiWorkflowGeneratorSchema, string]>([
      [{ provider: 'jenkins' as never }, "Unknown provider 'jenkins': use github or gitlab"],
      [{ name: 'ci.yml' }, "Invalid workflow name 'ci.yml'"],
      [{ name: '../ci' }, "Invalid workflow name '../ci'"],
      [{ provider: 'gitlab', name: 'build' }, 'GitLab reads its pipeline from .gitlab-ci.yml only: drop --name=build.'],
      [{ mainBranch: 'my branch' }, "Invalid mainBranch 'my branch': use a git branch name"],
      [{ mainBranch: 'a..b' }, "Invalid mainBranch 'a..b'"],
      [{ registry: 'GHCR.io/Acme' }, "Invalid registry 'GHCR.io/Acme': use host[:port]/namespace in lower case, e.g. ghcr.io/acme."],
      [{ registry: 'ghcr.io/acme:latest' }, "Invalid registry 'ghcr.io/acme:latest'"],
      [{ registry: 'ghcr.io/${{ github.repository_owner }}' }, "Invalid registry 'ghcr.io/${{ github.repository_owner }}'"],
    ])('%j', async (bad, message) => {
      await expectRejected(bad, message);
    });

    it('an existing workflow file, without --overwrite', async () => {
      tree.write('.github/workflows/ci.yml', 'name: mine\n');
      await expectRejected({}, '.github/workflows/ci.yml already exists: pass --overwrite to replace it, or pick another --name.');
      tree.write('.github/workflows/ci.yaml', 'name: mine\n');
      tree.delete('.github/workflows/ci.yml');
      await expectRejected({}, '.github/workflows/ci.yaml already exists');
      tree.write('.gitlab-ci.yml', 'stages: [test]\n');
      await expectRejected({ provider: 'gitlab' }, '.gitlab-ci.yml already exists: pass --overwrite to replace it.');
      expect(read('.gitlab-ci.yml')).toBe('stages: [test]\n');
    });

    it('a workspace without go.work or go.mod, or with a registry in nx.json that is not one', async () => {
      tree.delete('go.work');
      tree.delete('apps/orders/go.mod');
      await expectRejected({}, 'No go.work or go.mod in the workspace: the workflow\'s setup-go reads the Go version from one. Generate a service first');
      tree.write('go.work', 'go 1.26\n');
      setPluginOptions({ registry: 'Not A Registry' });
      await expectRejected({}, "Invalid registry 'Not A Registry' in the nx-go-docker plugin options in nx.json: use host[:port]/namespace");
    });
  });
});
