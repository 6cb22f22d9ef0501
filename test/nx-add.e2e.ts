import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { NpmRegistry, startNpmRegistry } from './support/npm-registry';
import { e2eRoot, nxVersion } from './support/shared-workspace';
import { Workspace, packPlugin } from './support/workspace';

/** `nx add nx-go-docker` as a user runs it: the package comes from a registry (a local Verdaccio here). */
describe('nx add nx-go-docker from an npm registry', () => {
  let registry: NpmRegistry;
  let ws: Workspace;

  beforeAll(async () => {
    registry = await startNpmRegistry(['nx-go-docker']);
    const tarball = await packPlugin(join(e2eRoot, 'nx-add-pack'));
    const root = join(e2eRoot, 'nx-add');
    rmSync(root, { recursive: true, force: true });
    mkdirSync(root, { recursive: true });
    ws = new Workspace(root);
    // package.json first: npm reads the .npmrc beside the nearest package.json.
    ws.write('package.json', JSON.stringify({ name: 'acme-add', private: true }, null, 2) + '\n');
    ws.write('.npmrc', registry.npmrc);
    await ws.run('npm', ['publish', '--registry', registry.url, tarball]);
    ws.write('nx.json', JSON.stringify({ analytics: false }, null, 2) + '\n');
    ws.write('.gitignore', 'node_modules\n.nx\n');
    await ws.run('git', ['init', '-q', '-b', 'main']);
    await ws.run('npm', ['install', '--save-dev', '--no-audit', '--no-fund', '--loglevel=error', `nx@${nxVersion}`, `@nx/devkit@${nxVersion}`]);
    await ws.commit('empty nx workspace');
  });

  afterAll(async () => {
    await registry?.stop();
  });

  it('installs the published package and runs its init generator', async () => {
    const { stdout } = await ws.nx('add', 'nx-go-docker');
    expect(stdout).toMatch(/nx-go-docker/);
    const pkg = JSON.parse(ws.read('package.json')) as { devDependencies?: Record<string, string> };
    expect(pkg.devDependencies?.['nx-go-docker']).toBeDefined();
    const nxJson = JSON.parse(ws.read('nx.json')) as { plugins?: ({ plugin: string } | string)[]; sync?: { globalGenerators?: string[] } };
    expect(nxJson.plugins?.map((p) => (typeof p === 'string' ? p : p.plugin))).toEqual(['nx-go-docker']);
    expect(nxJson.sync?.globalGenerators).toEqual(['nx-go-docker:sync-go-work']);
    // The installed plugin works: a service is generated and its targets inferred.
    await ws.nx('g', 'nx-go-docker:go-service', 'added', '--no-postgres');
    const project = JSON.parse((await ws.nx('show', 'project', 'added', '--json')).stdout) as { targets: Record<string, unknown> };
    expect(Object.keys(project.targets)).toEqual(expect.arrayContaining(['build', 'serve', 'test', 'docker-build']));
  });
});
