import { connect } from 'node:net';
import { join } from 'node:path';
import { Workspace, repoRoot } from './support/workspace';
import { sharedWorkspace } from './support/shared-workspace';

/** How Nx 21 to 24 mark a task replayed from the local cache. */
const fromCache = /\[(local cache|existing outputs match the cache, left as is)\]/;

/** What nx g go-service writes with PostgreSQL (the default), by concern. */
const serviceFiles = [
  'Dockerfile', 'Dockerfile.dockerignore', 'README.md', 'compose.yaml', 'config.go', 'go.mod', 'go.sum', 'items.go', 'items_test.go',
  'main.go', 'main_test.go', 'migrate.go', 'project.json', 'server.go', 'store.go', 'store_test.go',
];

/** Whether something accepts TCP connections on 127.0.0.1:port. */
function acceptsConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.end();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}

describe('go-service in a fresh Nx workspace', () => {
  let ws: Workspace;

  beforeAll(async () => {
    ws = await sharedWorkspace();
  });

  it('init registers the plugin in nx.json exactly once', async () => {
    await ws.nx('g', 'nx-go-docker:init');
    await ws.nx('g', 'nx-go-docker:init');
    const plugins = JSON.parse(ws.read('nx.json')).plugins as { plugin: string }[];
    expect(plugins.filter((p) => p.plugin === 'nx-go-docker')).toHaveLength(1);
    await ws.commit('init nx-go-docker');
  });

  it('--dry-run lists every file and writes nothing', async () => {
    const { stdout } = await ws.nx('g', 'nx-go-docker:go-service', 'dry', '--dry-run');
    for (const file of [...serviceFiles, 'migrations/0001_create_items.sql']) {
      expect(stdout).toContain(`CREATE apps/dry/${file}`);
    }
    expect(ws.exists('apps/dry')).toBe(false);
    expect(await ws.status()).toBe('');
  });

  it('the short form `nx g go-service` resolves to this plugin', async () => {
    await ws.nx('g', 'go-service', 'orders', '--port=8181');
    expect(ws.list('apps/orders')).toEqual([...serviceFiles, 'migrations'].sort());
    await ws.commit('add orders');
  });

  it('writes Go that is gofmt-clean, vet-clean, passes its tests and builds', async () => {
    const cwd = `${ws.root}/apps/orders`;
    expect((await ws.run('gofmt', ['-l', '.'], { cwd })).stdout).toBe('');
    await ws.run('go', ['vet', './...'], { cwd });
    expect((await ws.run('go', ['test', './...'], { cwd })).stdout).toMatch(/^ok\s/m);
    await ws.run('go', ['build', '-o', '/dev/null', '.'], { cwd });
  });

  it("its PostgreSQL integration tests pass against the machine's PostgreSQL (127.0.0.1:5432), none skipped", async () => {
    const hostPostgres = 'postgres://postgres@127.0.0.1:5432/test?sslmode=disable';
    const cwd = `${ws.root}/apps/orders`;
    const withoutDatabase = await ws.run('go', ['test', '-count=1', '-v', '-run', 'TestPostgresStore$', './...'], { cwd });
    expect(withoutDatabase.stdout).toContain('set TEST_DATABASE_URL=postgres://'); // the skip says how to run them
    if (!(await acceptsConnections(5432))) {
      console.log('no PostgreSQL listens on 127.0.0.1:5432 on this machine: the integration tests ran against the compose database only (docker.e2e.ts)');
      return;
    }
    const { stdout } = await ws.run('go', ['test', '-race', '-count=1', '-v', './...'], { cwd, env: { CGO_ENABLED: '1', TEST_DATABASE_URL: hostPostgres } });
    expect(stdout).not.toContain('--- SKIP');
    expect(stdout).toContain('--- PASS: TestPostgresStore ');
  });

  it('its tests pass under the race detector, twenty times over (the shutdown paths are timing-sensitive)', async () => {
    const { stdout } = await ws.run('go', ['test', '-race', '-count=20', './...'], { cwd: `${ws.root}/apps/orders`, env: { CGO_ENABLED: '1' } });
    expect(stdout).toMatch(/^ok\s/m);
  });

  it("the package's type declarations compile in a consumer's TypeScript", async () => {
    ws.write(
      'consumer.ts',
      [
        "import { goServiceGenerator, type DockerBuildExecutorSchema, type GoServiceGeneratorSchema } from 'nx-go-docker';",
        "const service: GoServiceGeneratorSchema = { name: 'orders', port: 8080, runtime: 'distroless' };",
        "const build: DockerBuildExecutorSchema = { platforms: ['linux/arm64'], push: false };",
        // Each fails to compile only while the types are real (a type that did not resolve is `any`).
        '// @ts-expect-error: runtime is one of scratch, distroless, alpine',
        "const wrongRuntime: GoServiceGeneratorSchema = { name: 'x', runtime: 'ubuntu' };",
        '// @ts-expect-error: push is a boolean',
        "const wrongPush: DockerBuildExecutorSchema = { push: 'yes' };",
        'export const use = [goServiceGenerator, service, build, wrongRuntime, wrongPush];',
        '',
      ].join('\n'),
    );
    try {
      const tsc = join(repoRoot, 'node_modules', '.bin', 'tsc');
      await ws.run(tsc, ['--noEmit', '--strict', '--skipLibCheck', '--module', 'commonjs', '--moduleResolution', 'node', '--target', 'es2022', '--types', 'node', '--typeRoots', join(repoRoot, 'node_modules', '@types'), 'consumer.ts']);
    } finally {
      await ws.run('rm', ['consumer.ts']);
    }
  });

  it('infers build, test, vet, tidy and the docker targets', async () => {
    const project = JSON.parse((await ws.nx('show', 'project', 'orders', '--json')).stdout);
    expect(Object.keys(project.targets)).toEqual(
      expect.arrayContaining(['build', 'test', 'vet', 'tidy', 'docker-build', 'docker-run', 'compose-up', 'compose-down']),
    );
    expect(project.targets['docker-run'].options.port).toBe(8181);
    expect(project.tags).toEqual([]);
  });

  it('nx run build writes the binary to dist; test runs, then comes from the Nx cache', async () => {
    await ws.nx('run', 'orders:build');
    expect(ws.exists('dist/apps/orders/orders')).toBe(true);
    const first = await ws.nx('run', 'orders:test');
    expect(first.stdout).not.toMatch(fromCache);
    expect(first.stdout).toMatch(/ok\s+example\.com\/acme-go\/apps\/orders/);
    const second = await ws.nx('run', 'orders:test');
    expect(second.stdout).toMatch(fromCache);
  });

  it('a Go change invalidates the cached test run', async () => {
    ws.write('apps/orders/extra.go', 'package main\n\nconst extra = 1\n');
    const rerun = await ws.nx('run', 'orders:test');
    expect(rerun.stdout).not.toMatch(fromCache);
    await ws.run('rm', ['apps/orders/extra.go']);
  });

  it.each([
    [['Bad_Name'], "Invalid go-service name 'Bad_Name'"],
    [['orders'], "A project named 'orders' already exists"],
    [['ok1', '--port=70000'], "Invalid port '70000'"],
    [['ok2', '--directory=../escape'], "Invalid directory '../escape'"],
    [['ok3', '--goVersion=go1.24'], "Invalid Go version 'go1.24'"],
    [['ok4', '--module=Not A Module'], "Invalid Go module path 'Not A Module'"],
  ])('rejects %j with one line and writes nothing', async (args, message) => {
    const result = await ws.tryNx('g', 'nx-go-docker:go-service', ...args);
    expect(result.code).not.toBe(0);
    expect(result.stdout + result.stderr).toContain(message);
    expect(await ws.status()).toBe('');
  });
});
