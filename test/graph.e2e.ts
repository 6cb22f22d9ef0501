import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exists, freePort, removeContainers } from './support/docker';
import { secondsSince } from './support/exec';
import { sharedWorkspace } from './support/shared-workspace';
import { Workspace } from './support/workspace';

/**
 * Two services that import one library: the Go dependency graph, `affected` and tests across
 * modules. Go runs in workspace mode here (go.work), which refuses GOFLAGS=-mod=mod.
 */
const goEnv = { GOFLAGS: '' };

/** How Nx 21 to 24 mark a task replayed from the local cache. */
const fromCache = /\[(local cache|existing outputs match the cache, left as is)\]/;

interface GraphJson {
  graph: { dependencies: Record<string, { target: string; type: string }[]> };
}

describe('Go dependency graph: two services and a library they share', () => {
  let ws: Workspace;
  let libModule: string;
  const nx = (...args: string[]) => ws.run(join(ws.root, 'node_modules', '.bin', 'nx'), args, { env: goEnv });
  const go = (cwd: string, ...args: string[]) => ws.run('go', args, { cwd: join(ws.root, cwd), env: goEnv });
  const affected = async () =>
    (JSON.parse((await nx('show', 'projects', '--affected', '--base=HEAD~1', '--head=HEAD', '--json')).stdout) as string[]).sort();
  const graph = async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'nx-graph-')), 'graph.json');
    const result = await nx('graph', `--file=${file}`);
    return { result, dependencies: (JSON.parse(readFileSync(file, 'utf-8')) as GraphJson).graph.dependencies };
  };

  beforeAll(async () => {
    ws = await sharedWorkspace();
  });

  it('go-library --dry-run lists every file, go.work included, and writes nothing', async () => {
    const before = await ws.status();
    const { stdout } = await nx('g', 'nx-go-docker:go-library', 'gw-dry', '--dry-run');
    for (const file of ['go.mod', 'gwdry.go', 'gwdry_test.go', 'README.md', 'project.json']) {
      expect(stdout).toContain(`CREATE libs/gw-dry/${file}`);
    }
    expect(stdout).toMatch(/(CREATE|UPDATE) go\.work/);
    expect(ws.exists('libs/gw-dry')).toBe(false);
    expect(await ws.status()).toBe(before);
  });

  it('generates a library and two services, all registered in go.work', async () => {
    await nx('g', 'nx-go-docker:go-library', 'gw-greet');
    await nx('g', 'nx-go-docker:go-service', 'gw-api', '--no-postgres');
    await nx('g', 'nx-go-docker:go-service', 'gw-worker', '--no-postgres', '--port=8282');
    const uses = ws.read('go.work').split('\n').filter((line) => line.startsWith('\t./'));
    expect(uses).toEqual([...uses].sort());
    expect(uses).toEqual(expect.arrayContaining(['\t./apps/gw-api', '\t./apps/gw-worker', '\t./libs/gw-greet']));
    libModule = /^module (\S+)$/m.exec(ws.read('libs/gw-greet/go.mod'))?.[1] ?? '';
    expect(libModule).toBe('example.com/acme-go/libs/gw-greet');
  });

  it('the library is gofmt-clean, vet-clean and passes its tests', async () => {
    expect((await ws.run('gofmt', ['-l', '.'], { cwd: join(ws.root, 'libs/gw-greet') })).stdout).toBe('');
    await go('libs/gw-greet', 'vet', './...');
    expect((await go('libs/gw-greet', 'test', './...')).stdout).toMatch(/^ok\s+example\.com\/acme-go\/libs\/gw-greet/m);
  });

  it('services that import the library build with go.work and, through their go.mod replace, without it', async () => {
    for (const service of ['gw-api', 'gw-worker']) {
      useLibrary(service);
      await go(`apps/${service}`, 'vet', './...');
      expect((await go(`apps/${service}`, 'test', './...')).stdout).toMatch(/^ok\s/m);
      await ws.run('go', ['build', '-o', '/dev/null', '.'], { cwd: join(ws.root, 'apps', service), env: { ...goEnv, GOWORK: 'off' } });
    }
    await ws.commit('gw-api and gw-worker use gw-greet');
  });

  it('nx graph has an edge from each service to the library, and none back', async () => {
    const { dependencies } = await graph();
    for (const service of ['gw-api', 'gw-worker']) {
      expect(dependencies[service]).toContainEqual(expect.objectContaining({ target: 'gw-greet', type: 'implicit' }));
    }
    expect(dependencies['gw-greet']).toEqual([]);
  });

  it('nx run-many -t test passes for both services, the greeting coming from the library', async () => {
    const { stdout } = await nx('run-many', '-t', 'test', '-p', 'gw-api', 'gw-worker', '--output-style=static');
    expect(stdout).toMatch(/ok\s+example\.com\/acme-go\/apps\/gw-api/);
    expect(stdout).toMatch(/ok\s+example\.com\/acme-go\/apps\/gw-worker/);
  });

  it('nx sync:check reports the services whose Docker build context lacks the library; nx sync adds it', async () => {
    const check = await ws.tryRun(join(ws.root, 'node_modules', '.bin', 'nx'), ['sync:check'], { env: goEnv });
    expect(check.code).not.toBe(0);
    expect(check.stdout + check.stderr).toContain('apps/gw-api/Dockerfile');
    expect(check.stdout + check.stderr).toContain('apps/gw-worker/Dockerfile.dockerignore');

    const stale = await ws.tryRun(join(ws.root, 'node_modules', '.bin', 'nx'), ['run', 'gw-api:docker-build'], { env: goEnv });
    expect(stale.code).not.toBe(0);
    expect(stale.stdout + stale.stderr).toContain("Run 'nx sync' to update it.");

    await nx('sync');
    for (const service of ['gw-api', 'gw-worker']) {
      expect(ws.read(`apps/${service}/Dockerfile`)).toContain(`RUN go work init /src/apps/${service} /src/libs/gw-greet\n`);
      expect(ws.read(`apps/${service}/Dockerfile.dockerignore`)).toContain(`!apps/${service}\n!libs/gw-greet\n`);
    }
    await nx('sync:check');
    await ws.commit('nx sync: gw-greet in the services\' build contexts');
  });

  it('both images build with the library inside and answer with its greeting', async () => {
    await nx('run-many', '-t', 'docker-build', '-p', 'gw-api', 'gw-worker');
    for (const service of ['gw-api', 'gw-worker']) {
      const port = await freePort();
      const name = `${service}-graph-e2e`;
      await removeContainers(name);
      try {
        await nx('run', `${service}:docker-run`, '--exclude-task-dependencies', '--detach', `--name=${name}`, `--hostPort=${port}`);
        const response = await fetch(`http://127.0.0.1:${port}/greet?name=Nx`, { signal: AbortSignal.timeout(10_000) });
        expect(await response.text()).toBe('Hello, Nx!\n');
      } finally {
        await removeContainers(name);
      }
    }
  });

  it('docker-build replays from the Nx cache while its image exists, and rebuilds once it is deleted', async () => {
    await nx('run', 'gw-api:docker-build');
    const start = performance.now();
    const cached = await nx('run', 'gw-api:docker-build');
    console.log(`unchanged docker-build through Nx: ${secondsSince(start)} s`);
    expect(cached.stdout).toMatch(fromCache);

    await ws.run('docker', ['image', 'rm', '--force', 'gw-api:latest']);
    const rebuilt = await nx('run', 'gw-api:docker-build');
    expect(rebuilt.stdout).not.toMatch(fromCache);
    expect(await exists('image', 'gw-api:latest')).toBe(true);
  });

  it('a change to the library affects exactly it and both services, and reruns their tests', async () => {
    ws.write(
      'libs/gw-greet/farewell.go',
      'package gwgreet\n\n// Farewell says goodbye to name.\nfunc Farewell(name string) string {\n\treturn "Goodbye, " + name + "!"\n}\n',
    );
    await ws.commit('gw-greet: Farewell');
    expect(await affected()).toEqual(['gw-api', 'gw-greet', 'gw-worker']);
    const { stdout } = await nx('run-many', '-t', 'test', '-p', 'gw-api', 'gw-worker', '--output-style=static');
    expect(stdout).not.toMatch(fromCache);
    expect(stdout).toMatch(/ok\s+example\.com\/acme-go\/apps\/gw-api/);
  });

  it('a change to one service affects only it', async () => {
    ws.write('apps/gw-worker/greet.go', ws.read('apps/gw-worker/greet.go').replace('for ?name=.', 'for ?name= (worker).'));
    await ws.commit('gw-worker: comment');
    expect(await affected()).toEqual(['gw-worker']);
  });

  it('a go.work use line naming a missing folder: the graph still builds, nx sync:check fails naming it, nx sync removes it', async () => {
    const goWork = ws.read('go.work');
    ws.write('go.work', goWork.replace('use (\n', 'use (\n\t./libs/gw-gone\n'));
    try {
      const { dependencies } = await graph();
      expect(dependencies['gw-api']).toContainEqual(expect.objectContaining({ target: 'gw-greet' }));
      const check = await ws.tryRun(join(ws.root, 'node_modules', '.bin', 'nx'), ['sync:check'], { env: goEnv });
      expect(check.code).not.toBe(0);
      expect(check.stdout + check.stderr).toContain("'use ./libs/gw-gone' names a folder without a go.mod");
      await nx('sync');
      expect(ws.read('go.work')).toBe(goWork);
    } finally {
      ws.write('go.work', goWork);
    }
  });

  /** A /greet route answering with the library's Greeting, a test for it, and go.mod lines for builds without go.work. */
  function useLibrary(service: string): void {
    const root = `apps/${service}`;
    ws.write(
      `${root}/greet.go`,
      [
        'package main',
        '',
        'import (',
        '\t"io"',
        '\t"net/http"',
        '',
        `\tgwgreet "${libModule}"`,
        ')',
        '',
        '// handleGreet answers with the shared library\'s greeting for ?name=.',
        'func handleGreet(w http.ResponseWriter, r *http.Request) {',
        '\tio.WriteString(w, gwgreet.Greeting(r.URL.Query().Get("name"))+"\\n")',
        '}',
        '',
      ].join('\n'),
    );
    ws.write(
      `${root}/greet_test.go`,
      [
        'package main',
        '',
        'import (',
        '\t"net/http/httptest"',
        '\t"testing"',
        ')',
        '',
        'func TestGreetUsesTheLibrary(t *testing.T) {',
        '\trec := httptest.NewRecorder()',
        '\thandleGreet(rec, httptest.NewRequest("GET", "/greet?name=Nx", nil))',
        '\tif got, want := rec.Body.String(), "Hello, Nx!\\n"; got != want {',
        '\t\tt.Errorf("GET /greet?name=Nx = %q, want %q", got, want)',
        '\t}',
        '}',
        '',
      ].join('\n'),
    );
    const server = ws.read(`${root}/server.go`);
    const route = '\tmux.HandleFunc("GET /healthz", s.handleHealthz)\n';
    expect(server).toContain(route);
    ws.write(`${root}/server.go`, server.replace(route, `\tmux.HandleFunc("GET /greet", handleGreet)\n${route}`));
    ws.write(
      `${root}/go.mod`,
      `${ws.read(`${root}/go.mod`)}\nrequire ${libModule} v0.0.0\n\nreplace ${libModule} => ../../libs/gw-greet\n`,
    );
  }
});
