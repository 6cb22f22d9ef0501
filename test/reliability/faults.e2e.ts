import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { exists, freePort, inspect, listByLabel, removeContainers, removeImages } from '../support/docker';
import {
  changes,
  dockerWithoutBuildx,
  lineNaming,
  pathWithoutDocker,
  processesMatching,
  removeTempDirs,
  snapshot,
  uniqueMarker,
  waitFor,
} from '../support/reliability';
import { sharedWorkspace } from '../support/shared-workspace';
import { Workspace } from '../support/workspace';

/** How Nx 21 to 24 mark a task replayed from the local cache. */
const fromCache = /\[(local cache|existing outputs match the cache, left as is)\]/;

describe('faults: a clear message, a non-zero exit, nothing left behind', () => {
  let ws: Workspace;
  const containers: string[] = [];
  const nx = (args: string[], env: NodeJS.ProcessEnv = {}) => ws.tryRun(join(ws.root, 'node_modules', '.bin', 'nx'), args, { env });
  const output = (result: { stdout: string; stderr: string }) => result.stdout + result.stderr;
  /** The suite's images, containers and volumes (all named rel-...), as docker lists them. */
  const dockerObjects = async () => ({
    images: (await ws.run('docker', ['image', 'ls', '--filter', 'reference=rel-*', '--format', '{{.Repository}}:{{.Tag}} {{.ID}}'])).stdout,
    containers: (await ws.run('docker', ['ps', '--all', '--filter', 'name=^/rel-', '--format', '{{.Names}} {{.ID}}'])).stdout,
    volumes: (await ws.run('docker', ['volume', 'ls', '--filter', 'name=^rel-', '--format', '{{.Name}}'])).stdout,
  });

  beforeAll(async () => {
    ws = await sharedWorkspace();
    await ws.nx('g', 'go-service', 'rel-fault', '--no-postgres');
    await ws.nx('g', 'go-service', 'rel-slowdb');
    await ws.commit('add rel-fault and rel-slowdb');
  });

  afterAll(async () => {
    removeTempDirs();
    await removeContainers(...containers);
    await nx(['run', 'rel-slowdb:compose-down', '--volumes']);
    for (const repository of ['rel-fault', 'rel-slowdb']) {
      const { stdout } = await ws.run('docker', ['image', 'ls', '--format', '{{.Repository}}:{{.Tag}}', repository]);
      await removeImages(...stdout.split('\n').filter(Boolean));
    }
  });

  describe.each([
    ['the Docker CLI is not installed', () => ({ PATH: pathWithoutDocker() }), "Docker CLI ('docker') was not found on PATH", /Install Docker \(https:\/\/docs\.docker\.com\/engine\/install\/\) and retry\./],
    ['the daemon is down', () => ({ DOCKER_HOST: 'unix:///tmp/rel-no-daemon.sock' }), 'Docker daemon is not reachable at unix:///tmp/rel-no-daemon.sock', /Start Docker .* or fix DOCKER_HOST, then retry\./],
  ])('%s', (_, env, message, fix) => {
    it.each([
      [['run', 'rel-fault:docker-build']],
      [['run', 'rel-fault:docker-run', '--exclude-task-dependencies']],
      [['run', 'rel-slowdb:compose-up']],
    ])('nx %j', async (args) => {
      const before = await snapshot(ws.root);
      const imagesBefore = await dockerObjects();
      const result = await nx(args, env());
      expect(result.code).not.toBe(0);
      expect(lineNaming(output(result), message, fix)).toBeDefined();
      expect(changes(before, await snapshot(ws.root))).toEqual([]);
      expect(await dockerObjects()).toEqual(imagesBefore);
    });
  });

  it('buildx is missing and an option needs it: one line naming the option and how to install buildx', async () => {
    const before = await dockerObjects();
    const result = await nx(['run', 'rel-fault:docker-build', '--platforms=linux/amd64,linux/arm64'], { PATH: `${dockerWithoutBuildx()}:${process.env.PATH}` });
    expect(result.code).not.toBe(0);
    expect(lineNaming(output(result), 'platforms (more than one)', /Install the buildx plugin \(.*\) and retry\./)).toBeDefined();
    expect(await dockerObjects()).toEqual(before);
  });

  it('a build that fails half-way: the failing step stays visible and the previous image is kept', async () => {
    await ws.nx('run', 'rel-fault:docker-build');
    const previous = await inspect<string>('image', 'rel-fault:latest', '{{json .Id}}');
    ws.write('apps/rel-fault/broken.go', 'package main\n\nvar _ = relUndefined\n');
    try {
      const result = await nx(['run', 'rel-fault:docker-build']);
      const text = output(result);
      expect(result.code).not.toBe(0);
      // Half-way: the module step ran, then the compile failed; the compiler's error is shown.
      expect(text.indexOf('go mod download')).toBeGreaterThan(-1);
      expect(text.indexOf('undefined: relUndefined')).toBeGreaterThan(text.indexOf('go mod download'));
      expect(lineNaming(text, 'docker buildx build failed with exit code 1', /the failing step is shown above\./)).toBeDefined();
      expect(await inspect<string>('image', 'rel-fault:latest', '{{json .Id}}')).toBe(previous);
    } finally {
      await ws.run('rm', ['apps/rel-fault/broken.go']);
    }
  });

  it('docker-run on a port a running container already publishes: one line, no second container, the first one untouched', async () => {
    const port = await freePort();
    const first = 'rel-fault-first';
    containers.push(first, 'rel-fault-second');
    await ws.nx('run', 'rel-fault:docker-run', '--exclude-task-dependencies', '--detach', `--name=${first}`, `--hostPort=${port}`);
    const result = await nx(['run', 'rel-fault:docker-run', '--exclude-task-dependencies', '--detach', '--name=rel-fault-second', `--hostPort=${port}`]);
    expect(result.code).not.toBe(0);
    expect(lineNaming(output(result), `Port ${port} on 127.0.0.1 is already in use`, /pass --hostPort=<free port>/)).toBeDefined();
    expect(await exists('container', 'rel-fault-second')).toBe(false);
    expect(await inspect<string>('container', first, '{{json .State.Health.Status}}')).toBe('healthy');
    expect(await inspect<unknown>('container', first, '{{json .HostConfig.PortBindings}}')).toEqual({ '8080/tcp': [{ HostIp: '127.0.0.1', HostPort: String(port) }] });
    await removeContainers(first);
  });

  it('a port taken by another program on 0.0.0.0 is also refused before docker runs', async () => {
    const port = await freePort();
    const blocker = createServer().listen(port, '0.0.0.0');
    try {
      const result = await nx(['run', 'rel-fault:docker-run', '--exclude-task-dependencies', '--detach', '--name=rel-fault-any', `--hostPort=${port}`]);
      expect(result.code).not.toBe(0);
      expect(lineNaming(output(result), `Port ${port} on 127.0.0.1 is already in use`, /pass --hostPort=<free port>/)).toBeDefined();
      expect(await exists('container', 'rel-fault-any')).toBe(false);
    } finally {
      blocker.close();
    }
  });

  it('Ctrl-C during docker-build, while Go compiles: nx exits non-zero and no build process is left', async () => {
    // A source file big enough to keep the compiler busy for seconds, named so that only this
    // build's processes match it (other builds may run on the same engine).
    const marker = uniqueMarker('zz_relslow').replace(/-/g, '_');
    const tag = `rel-fault:${marker.replace(/_/g, '-')}`;
    writeFileSync(join(ws.root, 'apps/rel-fault', `${marker}.go`), bigGoFile(marker));
    try {
      const build = ws.startNx('run', 'rel-fault:docker-build', `--tags=${tag}`);
      const exitedEarly = build.done.then((r) => {
        throw new Error(`docker-build ended before the compile step was seen:\n${r.stdout}\n${r.stderr}`);
      });
      exitedEarly.catch(() => undefined);
      await Promise.race([waitFor(async () => (await processesMatching(`${marker}.go`)).length > 0, 180_000, 'go compiling the big file'), exitedEarly]);
      console.log(`compiling during docker-build:\n${(await processesMatching(tag)).join('\n')}`);

      process.kill(-(await build.pid), 'SIGINT');
      const result = await build.done;
      console.log(`nx exit code after Ctrl-C during docker-build: ${result.code}`);
      expect(result.code).not.toBe(0);
      // Neither nx, docker buildx build (its command line holds the tag) nor the compiler in
      // BuildKit's container (its command line holds the file name) is left running.
      const left = async () => [...(await processesMatching(tag)), ...(await processesMatching(marker))];
      await waitFor(async () => (await left()).length === 0, 15_000, 'no build process left');
      expect(await exists('image', tag)).toBe(false);
    } finally {
      await ws.run('rm', ['-f', `apps/rel-fault/${marker}.go`]);
    }
  });

  describe('Postgres that is slow to become healthy', () => {
    const file = 'apps/rel-slowdb/compose.slow-db.yaml';
    const label = 'com.docker.compose.project=rel-slowdb';
    const up = async (...args: string[]) =>
      ws.tryRun(join(ws.root, 'node_modules', '.bin', 'nx'), ['run', 'rel-slowdb:compose-up', `--file=${file}`, ...args], {
        env: { PORT: String(await freePort()) },
      });

    beforeAll(() => {
      // The generated compose.yaml with a database health check that passes only from its
      // 40th run on (about 10 s at its 250 ms start interval), whatever the machine's speed.
      const compose = ws.read('apps/rel-slowdb/compose.yaml');
      const check = 'test: ["CMD-SHELL", "';
      expect(compose.split(check)).toHaveLength(2);
      const counted = `${check}n=$$(cat /tmp/checks 2>/dev/null || echo 0); echo $$((n+1)) > /tmp/checks; [ $$n -ge 39 ] && `;
      ws.write(file, compose.replace(check, () => counted));
    });

    it('compose-up with a tiny waitTimeout names the unhealthy service and removes what it created', async () => {
      const result = await up('--waitTimeout=3');
      expect(result.code).not.toBe(0);
      expect(lineNaming(output(result), 'db (running, starting)', /not healthy after 3s: .*raise --waitTimeout/)).toBeDefined();
      expect(await listByLabel('container', label)).toEqual([]);
      expect(await listByLabel('network', label)).toEqual([]);
      expect(await listByLabel('volume', label)).toEqual([]);
    });

    it('compose-up waits for it', async () => {
      const result = await up();
      expect({ code: result.code, output: result.code === 0 ? '' : output(result) }).toEqual({ code: 0, output: '' });
      const states = await ws.run('docker', ['ps', '--filter', `label=${label}`, '--format', '{{.Label "com.docker.compose.service"}}={{.Status}}']);
      expect(states.stdout).toMatch(/^app=.*\(healthy\)$/m);
      expect(states.stdout).toMatch(/^db=.*\(healthy\)$/m);
      const checks = await ws.run('docker', ['exec', 'rel-slowdb-db-1', 'cat', '/tmp/checks']);
      expect(Number(checks.stdout.trim())).toBeGreaterThanOrEqual(40);
    });

    it('a failed compose-up keeps the database volume that existed before it; compose-down --volumes then leaves nothing', async () => {
      await ws.nx('run', 'rel-slowdb:compose-down');
      expect(await listByLabel('volume', label)).toEqual(['rel-slowdb_db-data']);
      const result = await up('--waitTimeout=3');
      expect(result.code).not.toBe(0);
      expect(lineNaming(output(result), 'db (running, starting)', /existing volumes are kept/)).toBeDefined();
      expect(await listByLabel('container', label)).toEqual([]);
      expect(await listByLabel('volume', label)).toEqual(['rel-slowdb_db-data']);

      await ws.nx('run', 'rel-slowdb:compose-down', '--volumes');
      expect(await listByLabel('container', label)).toEqual([]);
      expect(await listByLabel('network', label)).toEqual([]);
      expect(await listByLabel('volume', label)).toEqual([]);
    });
  });

  it('an image deleted after an Nx cache hit is built again', async () => {
    await ws.nx('run', 'rel-fault:docker-build');
    const again = await ws.nx('run', 'rel-fault:docker-build');
    console.log(`second docker-build with nothing changed: ${fromCache.test(again.stdout) ? 'replayed from the Nx cache' : 'ran (not cached by Nx)'}`);
    const id = await inspect<string>('image', 'rel-fault:latest', '{{json .Id}}');
    await ws.run('docker', ['image', 'rm', '--force', id]);
    expect(await exists('image', 'rel-fault:latest')).toBe(false);

    const third = await ws.nx('run', 'rel-fault:docker-build');
    expect(third.stdout).not.toMatch(fromCache);
    expect(await exists('image', 'rel-fault:latest')).toBe(true);
  });
});

/** Go source that takes the compiler several seconds: thousands of small functions with loops. */
function bigGoFile(marker: string): string {
  const functions = Array.from(
    { length: 20_000 },
    (_, i) => `func ${marker}${i}(x int) int {\n\tfor i := 0; i < ${i}; i++ {\n\t\tx = x*31 + i ^ (x >> 3)\n\t}\n\treturn x\n}\n`,
  );
  return `package main\n\n${functions.join('\n')}`;
}
