import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RunResult } from '../../src/utils/run-process';
import { changes, lineNaming, removeTempDirs, snapshot, tempDir } from '../support/reliability';
import { sharedWorkspace } from '../support/shared-workspace';
import { Workspace } from '../support/workspace';

/**
 * A catalogue of bad inputs, each run through the real nx CLI in a real workspace. Every case
 * must exit non-zero, print one line holding the bad value and the fix, and leave the
 * workspace as it was (git status and the content of every file outside node_modules, .nx,
 * dist and .git). Messages starting with "Property '...' does not match the schema" or
 * "... is not found in schema" come from Nx's own option validation, before the plugin runs.
 */
interface BadInput {
  args: string[];
  /** The bad value, as the message line must show it. */
  value: string;
  /** The fix, on the same line. */
  fix: RegExp;
  /** A further line the user needs, for Nx's own multi-line errors. */
  also?: RegExp;
  setup?: (ws: Workspace) => void;
  teardown?: (ws: Workspace) => void;
}

const pwned = 'rel-pwned'; // a shell running any of these values would create this file in the workspace

const catalogue: Record<string, BadInput[]> = {
  'go-service generator': [
    { args: ['g', 'go-service', 'Rel_Cat'], value: "'Rel_Cat'", fix: /use lower case letters, digits and single dashes/ },
    { args: ['g', 'go-service', `rel$(touch ${pwned})`], value: `'rel$(touch ${pwned})'`, fix: /use lower case letters, digits and single dashes/ },
    { args: ['g', 'go-service', 'main'], value: "'main'", fix: /reserved by Go or the operating system\. Pick another/ },
    { args: ['g', 'go-service', 'rel-cat'], value: "'rel-cat' already exists", fix: /Pick another name or remove the existing project/ },
    { args: ['g', 'go-service', 'rel-cat-b', '--port=70000'], value: "'70000'", fix: /use a whole number from 1 to 65535/ },
    { args: ['g', 'go-service', 'rel-cat-b', '--port=8080.5'], value: "'8080.5'", fix: /use a whole number from 1 to 65535/ },
    { args: ['g', 'go-service', 'rel-cat-b', '--port=http'], value: "'http'", fix: /should be a 'number'/ },
    { args: ['g', 'go-service', 'rel-cat-b', '--directory=../escape'], value: "'../escape'", fix: /pass a folder inside the workspace/ },
    { args: ['g', 'go-service', 'rel-cat-b', '--directory=/etc/rel'], value: "'/etc/rel'", fix: /pass a path relative to the workspace root/ },
    { args: ['g', 'go-service', 'rel-cat-b', '--directory=apps/my svc'], value: "'my svc'", fix: /rename folder .* to use only letters, digits/ },
    { args: ['g', 'go-service', 'rel-cat-b', '--directory=apps/rel-cat'], value: "'apps/rel-cat' already exists", fix: /Pick another --directory or remove it first/ },
    { args: ['g', 'go-service', 'rel-cat-b', `--module=github.com/acme/x;touch ${pwned}`], value: `'github.com/acme/x;touch ${pwned}'`, fix: /use slash-separated elements/ },
    { args: ['g', 'go-service', 'rel-cat-b', '--module=GitHub.com/acme/x'], value: "'GitHub.com/acme/x'", fix: /lower-case domain-like element/ },
    { args: ['g', 'go-service', 'rel-cat-b', '--goVersion=go1.24'], value: "'go1.24'", fix: /use a release like 1\.24 or 1\.24\.4/ },
    { args: ['g', 'go-service', 'rel-cat-b', '--goVersion=1.24rc1'], value: "'1.24rc1'", fix: /use a release like 1\.24 or 1\.24\.4/ },
    {
      args: ['g', 'go-service', 'rel-cat-b', '--goVersion=1.21'],
      value: 'Go 1.21 is too old',
      fix: /Use --goVersion=1\.22 or newer/,
    },
    { args: ['g', 'go-service', 'rel-cat-b', '--runtime=ubuntu'], value: "'ubuntu'", fix: /should be one of scratch,distroless,alpine/ },
    { args: ['g', 'go-service', 'rel-cat-b', '--postgres=maybe'], value: "'maybe'", fix: /should be a 'boolean'/ },
    { args: ['g', 'go-service', 'rel-cat-b', '--tags=scope:a b'], value: "'scope:a b'", fix: /remove the spaces and separate tags with commas/ },
    { args: ['g', 'go-service', 'rel-cat-b', '--prot=8080'], value: "'prot'", fix: /is not found in schema/ },
  ],
  'go-library generator': [
    { args: ['g', 'go-library', 'Rel_Lib'], value: "'Rel_Lib'", fix: /use lower case letters, digits and single dashes/ },
    { args: ['g', 'go-library', 'rel-lib-b', '--module=not a module'], value: "'not a module'", fix: /use slash-separated elements/ },
  ],
  'docker-build executor': [
    { args: ['run', 'rel-cat:docker-build', '--tags=rel-cat:$(id)'], value: "'rel-cat:$(id)'", fix: /use \[registry\/\]name\[:tag\] in lower case/ },
    { args: ['run', 'rel-cat:docker-build', `--tags=rel-cat;touch ${pwned}`], value: `'rel-cat;touch ${pwned}'`, fix: /use \[registry\/\]name\[:tag\] in lower case/ },
    { args: ['run', 'rel-cat:docker-build', '--tags=Rel-Cat:latest'], value: "'Rel-Cat:latest'", fix: /use \[registry\/\]name\[:tag\] in lower case/ },
    { args: ['run', 'rel-cat:docker-build', '--buildArgs.A;B=x'], value: "'A;B'", fix: /use letters, digits and '_', starting with a letter or '_'/ },
    { args: ['run', 'rel-cat:docker-build', '--labels.my label=x'], value: "'my label'", fix: /label keys cannot be empty or contain spaces/ },
    { args: ['run', 'rel-cat:docker-build', '--platforms=linux/amd64;id'], value: "'linux/amd64;id'", fix: /use os\/arch\[\/variant\]/ },
    { args: ['run', 'rel-cat:docker-build', '--noCache=maybe'], value: "'maybe'", fix: /should be a 'boolean'/ },
    { args: ['run', 'rel-cat:docker-build', '--tags=12'], value: "'12'", fix: /should be a 'array'/ },
    { args: ['run', 'rel-cat:docker-build', '--noCahce'], value: "'noCahce'", fix: /is not found in schema/ },
    { args: ['run', 'rel-cat:docker-build', '--file=apps/rel-cat/Nope.Dockerfile'], value: 'apps/rel-cat/Nope.Dockerfile was not found', fix: /Create it or pass --file=/ },
    { args: ['run', 'rel-cat:docker-build', '--context=apps/nowhere'], value: 'apps/nowhere is not a folder', fix: /Create it or pass --context=/ },
    { args: ['run', 'rel-cat:docker-build', '--secrets=id=rel,src=/run/rel-token'], value: "'src=/run/rel-token'", fix: /set secrets with a src or env in project\.json/ },
    {
      args: ['run', 'rel-cat:docker-build'],
      setup: (ws) => setTargetOptions(ws, 'docker-build', { secrets: ['id=rel,src=secrets/missing-token'] }),
      teardown: (ws) => setTargetOptions(ws, 'docker-build', undefined),
      value: 'secrets/missing-token (secret rel) was not found',
      fix: /Create it or fix src= in the secrets option/,
    },
  ],
  'docker-run executor': [
    { args: ['run', 'rel-cat:docker-run', '--exclude-task-dependencies', '--hostPort=70000'], value: "'70000'", fix: /use a whole number from 1 to 65535/ },
    { args: ['run', 'rel-cat:docker-run', '--exclude-task-dependencies', '--port=http'], value: "'http'", fix: /should be a 'number'/ },
    { args: ['run', 'rel-cat:docker-run', '--exclude-task-dependencies', '--name=rel cat;id'], value: "'rel cat;id'", fix: /use letters, digits, '_', '\.' and '-'/ },
    { args: ['run', 'rel-cat:docker-run', '--exclude-task-dependencies', '--image=Rel-Cat:latest'], value: "'Rel-Cat:latest'", fix: /use \[registry\/\]name\[:tag\] in lower case/ },
    { args: ['run', 'rel-cat:docker-run', '--exclude-task-dependencies', '--healthTimeout=0'], value: "'0'", fix: /give a positive number of seconds/ },
    { args: ['run', 'rel-cat:docker-run', '--exclude-task-dependencies', '--envFile=apps/rel-cat/missing.env'], value: 'apps/rel-cat/missing.env was not found', fix: /Create it or fix --envFile/ },
  ],
  'compose executor': [
    { args: ['run', 'rel-cat:compose-up', '--waitTimeout=0'], value: "'0'", fix: /give a positive number of seconds/ },
    { args: ['run', 'rel-cat:compose-up', '--waitTimeout=soon'], value: "'soon'", fix: /should be a 'number'/ },
    { args: ['run', 'rel-cat:compose-up', '--projectName=Rel Cat'], value: "'Rel Cat'", fix: /use lower case letters, digits, '-' and '_'/ },
    { args: ['run', 'rel-cat:compose-up', '--file=apps/rel-cat/missing.yaml'], value: 'apps/rel-cat/missing.yaml was not found', fix: /Create it or pass --file=/ },
    {
      args: ['run', 'rel-cat:compose-up', '--file=apps/rel-cat/broken.yaml'],
      setup: (ws) => ws.write('apps/rel-cat/broken.yaml', 'services:\n  app:\n    image: [rel-cat\n'),
      teardown: (ws) => rmSync(join(ws.root, 'apps/rel-cat/broken.yaml')),
      value: 'apps/rel-cat/broken.yaml cannot be used: yaml: line',
      fix: /did not find expected ',' or '\]'\. Fix it or pass --file=/,
    },
    {
      args: ['run', 'rel-cat:compose-up', '--file=apps/rel-cat/compose.d'],
      setup: (ws) => mkdirSync(join(ws.root, 'apps/rel-cat/compose.d')),
      teardown: (ws) => rmSync(join(ws.root, 'apps/rel-cat/compose.d'), { recursive: true }),
      value: 'apps/rel-cat/compose.d: is a directory',
      fix: /Fix it or pass --file=/,
    },
    { args: ['run', 'rel-cat:compose-up', '--command=restart'], value: "'restart'", fix: /should be one of up,down/ },
  ],
  'projects and workspaces': [
    { args: ['run', 'rel-cat-lib:docker-build'], value: 'Cannot find target "docker-build" for project "rel-cat-lib"', fix: /Cannot find target/, also: /Available targets:/ },
    { args: ['run', 'rel-cat-lib:compose-up'], value: 'Cannot find target "compose-up" for project "rel-cat-lib"', fix: /Cannot find target/, also: /Available targets:/ },
    {
      args: ['run', 'rel-modonly:docker-build'],
      setup: (ws) => {
        mkdirSync(join(ws.root, 'libs/rel-modonly'), { recursive: true });
        ws.write('libs/rel-modonly/go.mod', 'module example.com/relmodonly\n\ngo 1.24\n');
      },
      teardown: (ws) => rmSync(join(ws.root, 'libs/rel-modonly'), { recursive: true }),
      value: 'Cannot find target "docker-build" for project "rel-modonly"',
      fix: /Cannot find target/,
      also: /Available targets:/,
    },
  ],
};

describe('bad inputs: one line naming the value and the fix, a non-zero exit, the workspace unchanged', () => {
  let ws: Workspace;
  const results = new Map<string, RunResult>();

  beforeAll(async () => {
    ws = await sharedWorkspace();
    await ws.nx('g', 'go-service', 'rel-cat');
    await ws.nx('g', 'go-library', 'rel-cat-lib');
    await ws.commit('add rel-cat and rel-cat-lib');
  });

  afterAll(removeTempDirs);

  describe.each(Object.entries(catalogue))('%s', (_, cases) => {
    for (const bad of cases) {
      const title = `nx ${bad.args.join(' ')}`;

      it(`${title}: exits non-zero and changes nothing`, async () => {
        bad.setup?.(ws);
        try {
          const before = await snapshot(ws.root);
          const result = await ws.tryNx(...bad.args);
          results.set(title, result);
          expect(result.code).not.toBe(0);
          expect(changes(before, await snapshot(ws.root))).toEqual([]);
        } finally {
          await bad.teardown?.(ws);
        }
      });

      it(`${title}: one line names ${bad.value} and the fix`, () => {
        const result = results.get(title);
        expect(result).toBeDefined();
        const output = `${result?.stdout}\n${result?.stderr}`;
        expect(lineNaming(output, bad.value, bad.fix)).toBeDefined();
        if (bad.also) expect(output).toMatch(bad.also);
      });
    }
  });

  it('a project without a Dockerfile or compose.yaml has no docker targets at all (its nx-release-publish notes it has no image)', async () => {
    const project = JSON.parse((await ws.nx('show', 'project', 'rel-cat-lib', '--json')).stdout) as { targets: Record<string, { options?: unknown }> };
    expect(Object.keys(project.targets).sort()).toEqual(['build', 'nx-release-publish', 'test', 'tidy', 'vet']);
    expect(project.targets['nx-release-publish'].options ?? {}).toEqual({});
  });

  it('a folder without nx.json: nx says it is not a workspace and how to make one, and writes nothing', async () => {
    const folder = tempDir('rel-no-nx-json-');
    writeFileSync(join(folder, 'package.json'), '{ "name": "not-nx" }\n');
    const before = await snapshot(folder);
    const result = await ws.tryRun(join(ws.root, 'node_modules', '.bin', 'nx'), ['g', 'nx-go-docker:go-service', 'rel-cat'], { cwd: folder });
    const output = result.stdout + result.stderr;
    expect(result.code).not.toBe(0);
    expect(lineNaming(output, 'The current directory', /isn't part of an Nx workspace/)).toBeDefined();
    expect(output).toMatch(/npx nx@latest init/);
    expect(changes(before, await snapshot(folder))).toEqual([]);
  });

  // Valid values that look like numbers: Nx's argument parser turns them into numbers, which the
  // schemas accept and the plugin turns back into text.
  it('--goVersion=1.24 and --buildArgs.VERSION=1 are accepted from the command line', async () => {
    const generate = await ws.tryNx('g', 'go-service', 'rel-cat-c', '--goVersion=1.24', '--dry-run');
    expect(generate.code).toBe(0);
    const build = await ws.tryNx('run', 'rel-cat:docker-build', '--buildArgs.VERSION=1', '--file=apps/rel-cat/Nope.Dockerfile');
    expect(build.stdout + build.stderr).toContain('Nope.Dockerfile was not found');
  });
});

/** Sets a target's options in rel-cat's project.json (the way users configure secrets); undefined puts the file back as generated. */
const generatedProjectJson = new Map<string, string>();
function setTargetOptions(ws: Workspace, target: string, options: Record<string, unknown> | undefined): void {
  const path = 'apps/rel-cat/project.json';
  if (!generatedProjectJson.has(path)) generatedProjectJson.set(path, ws.read(path));
  const generated = generatedProjectJson.get(path) as string;
  if (options === undefined) return ws.write(path, generated);
  const project = JSON.parse(generated);
  project.targets = { ...project.targets, [target]: { options } };
  ws.write(path, `${JSON.stringify(project, null, 2)}\n`);
}
