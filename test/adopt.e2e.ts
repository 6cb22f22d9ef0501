import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exists, freePort, removeContainers, removeImages } from './support/docker';
import { adoptedWorkspace } from './support/shared-workspace';
import { Workspace } from './support/workspace';

/**
 * Repositories nobody here wrote, registered as they are (no project.json files): the
 * structures seen in etcd and the OpenTelemetry repositories, and a single-module service
 * repository with cmd/* and internal/*.
 */
interface GraphJson {
  graph: { nodes: Record<string, { data: { root: string } }>; dependencies: Record<string, { target: string }[]> };
}

const goMod = (module: string) => `module ${module}\n\ngo 1.26\n`;
const goFile = (pkg: string, ...imports: string[]) =>
  `package ${pkg}\n${imports.length ? `\nimport (\n${imports.map((path) => `\t_ "${path}"\n`).join('')})\n` : ''}`;

function helpers(ws: () => Workspace) {
  const nx = (...args: string[]) => ws().run(join(ws().root, 'node_modules', '.bin', 'nx'), args);
  const projects = async () => (JSON.parse((await nx('show', 'projects', '--json')).stdout) as string[]).sort();
  const affected = async (...files: string[]) =>
    (JSON.parse((await nx('show', 'projects', '--affected', `--files=${files.join(',')}`, '--json')).stdout) as string[]).sort();
  const graph = async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'nx-adopt-graph-')), 'graph.json');
    const result = await nx('graph', `--file=${file}`);
    const { nodes, dependencies } = (JSON.parse(readFileSync(file, 'utf-8')) as GraphJson).graph;
    const edges = Object.entries(dependencies)
      .flatMap(([source, targets]) => targets.filter((d) => nodes[d.target]).map((d) => `${source} -> ${d.target}`))
      .sort();
    const roots = Object.fromEntries(Object.entries(nodes).map(([name, node]) => [node.data.root, name]));
    return { output: result.stdout + result.stderr, edges, roots };
  };
  return { nx, projects, affected, graph };
}

describe('a multi-module repository as it is (etcd and OpenTelemetry layouts)', () => {
  let ws: Workspace;
  const { nx, projects, affected, graph } = helpers(() => ws);

  beforeAll(async () => {
    ws = await adoptedWorkspace('adopt-multi', 'adopt-multi', {
      'go.mod': goMod('example.com/adopt/v3'),
      'doc.go': goFile('adopt', 'example.com/adopt/pkg/v3/flags'),
      'pkg/go.mod': goMod('example.com/adopt/pkg/v3'),
      'pkg/flags/flags.go': goFile('flags'),
      // pkg and client/pkg import each other: fine for Go (no package cycle), no warning.
      'pkg/uses_client.go': goFile('pkg', 'example.com/adopt/client/pkg/v3'),
      'client/pkg/go.mod': goMod('example.com/adopt/client/pkg/v3'),
      'client/pkg/pkg.go': goFile('pkg', 'example.com/adopt/pkg/v3/flags'),
      'client/v3/go.mod': goMod('example.com/adopt/client/v3'),
      'client/v3/client.go': goFile('client', 'example.com/adopt/client/pkg/v3'),
      'server/pkg/go.mod': goMod('example.com/adopt/server/pkg'),
      'server/pkg/pkg.go': goFile('pkg', 'example.com/adopt/pdata/testdata'),
      'detectors/aws/ec2/v2/go.mod': goMod('example.com/adopt/detectors/aws/ec2/v2'),
      'detectors/aws/ec2/v2/ec2.go': goFile('ec2'),
      'exporters/prometheus/example/go.mod': goMod('example.com/adopt/exporters/prometheus/example'),
      'exporters/prometheus/example/main.go': goFile('main'),
      'bridges/prometheus/example/go.mod': goMod('example.com/adopt/bridges/prometheus/example'),
      'bridges/prometheus/example/main.go': goFile('main'),
      // A real module under testdata/ that another module imports (the collector's pdata/testdata).
      'pdata/testdata/go.mod': goMod('example.com/adopt/pdata/testdata'),
      'pdata/testdata/fixtures.go': goFile('testdata'),
    });
  });

  it('nx show projects names every module uniquely: folder tails, never v2 or v3, the root after package.json', async () => {
    expect(await projects()).toEqual(
      ['adopt-multi', 'bridges-prometheus-example', 'client', 'client-pkg', 'ec2', 'exporters-prometheus-example', 'pkg', 'server-pkg', 'testdata'].sort(),
    );
  });

  it('nx graph has the Go import edges, a module under testdata included, and no false cycle warning', async () => {
    const { output, edges } = await graph();
    expect(edges).toEqual(['adopt-multi -> pkg', 'client -> client-pkg', 'client-pkg -> pkg', 'pkg -> client-pkg', 'server-pkg -> testdata']);
    expect(output).not.toMatch(/cycle/i);
  });

  it('a package becoming a module of its own while the graph is warm: the warm graph equals a cold one', async () => {
    await graph();
    ws.write('pkg/flags/go.mod', goMod('example.com/adopt/pkg/v3/flags'));
    await ws.commit('pkg/flags becomes a module');
    const warm = await graph();
    expect(warm.roots['pkg/flags']).toBe('flags');
    expect(warm.edges).toEqual(expect.arrayContaining(['adopt-multi -> flags', 'client-pkg -> flags']));
    const warmAffected = await affected('pkg/flags/flags.go');
    await nx('reset');
    const cold = await graph();
    expect(warm.edges).toEqual(cold.edges);
    expect(warmAffected).toEqual(await affected('pkg/flags/flags.go'));
    expect(warmAffected).toEqual(['adopt-multi', 'client', 'client-pkg', 'flags', 'pkg']);
  });
});

describe('a single-module repository with cmd/* and internal/*', () => {
  let ws: Workspace;
  const { nx, projects, affected, graph } = helpers(() => ws);
  const image = 'api:latest';
  const container = `adopt-api-${process.pid}`;

  beforeAll(async () => {
    ws = await adoptedWorkspace('adopt-single', 'shop-repo', {
      'go.mod': goMod('github.com/acme/shop'),
      'cmd/worker/main.go': `${goFile('main', 'github.com/acme/shop/internal/queue')}\nfunc main() {}\n`,
      'internal/db/db.go': goFile('db'),
      'internal/queue/queue.go': goFile('queue'),
      'internal/queue/retry/retry.go': goFile('retry'),
      'README.md': '# shop\n',
    });
    // A new service inside the existing module: a package of it, no go.mod of its own.
    await nx('g', 'nx-go-docker:go-service', 'api', '--directory=cmd/api', '--no-postgres');
    ws.write('cmd/api/store.go', goFile('main', 'github.com/acme/shop/internal/db'));
    await ws.commit('add the api service');
  });

  afterAll(async () => {
    await removeContainers(container);
    await removeImages(image);
  });

  it('makes each command and internal package a project, the module keeping the rest', async () => {
    expect(ws.exists('cmd/api/go.mod')).toBe(false);
    expect(await projects()).toEqual(['api', 'db', 'queue', 'shop-repo', 'worker']);
    expect((await graph()).edges).toEqual(['api -> db', 'worker -> queue']);
  });

  it('nx affected follows package imports: a change in internal/db affects exactly the commands that import it', async () => {
    expect(await affected('internal/db/db.go')).toEqual(['api', 'db']);
    expect(await affected('internal/queue/retry/retry.go')).toEqual(['queue', 'worker']);
    expect(await affected('README.md')).toEqual(['shop-repo']);
    // The module's requirements reach every package.
    expect(await affected('go.mod')).toEqual(['api', 'db', 'queue', 'shop-repo', 'worker']);
  });

  it('docker-build builds the cmd/api image from the module, and it runs healthy', async () => {
    await nx('run', 'api:docker-build');
    expect(await exists('image', image)).toBe(true);
    const port = await freePort();
    await nx('run', 'api:docker-run', '--exclude-task-dependencies', '--detach', '--rm=false', `--name=${container}`, `--hostPort=${port}`);
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    await ws.run('docker', ['stop', container]);
  });
});
