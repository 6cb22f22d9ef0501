import { secondsSince } from './support/exec';
import { binaryArchitecture, exists, fileBytes, filesystemBytes, freePort, indexPlatforms, inspect, listByLabel, removeContainers, removeImages, standIns } from './support/docker';
import { dockerReportingEngine, dockerWithoutBuildx, pathWithoutDocker, removeTempDirs, waitFor } from './support/reliability';
import { sharedWorkspace } from './support/shared-workspace';
import { Workspace } from './support/workspace';

interface ImageConfig {
  Architecture: string;
  Config: { User: string; Healthcheck?: { Test: string[] }; Labels: Record<string, string>; Entrypoint: string[] };
}

describe('docker targets on a real engine', () => {
  let ws: Workspace;
  let commit: string;
  const containers: string[] = [];
  const images = ['shop', 'shop-distroless', 'shop-alpine'].flatMap((s) => [`${s}:latest`]);

  const build = async (project: string, ...args: string[]) => {
    const start = performance.now();
    const result = await ws.nx('run', `${project}:docker-build`, ...args);
    return { output: result.stdout + result.stderr, seconds: secondsSince(start) };
  };
  const runDetached = async (project: string, hostPort: number, ...args: string[]) => {
    const name = `${project}-e2e-${hostPort}`;
    containers.push(name);
    await ws.nx('run', `${project}:docker-run`, '--exclude-task-dependencies', '--detach', '--rm=false', `--name=${name}`, `--hostPort=${hostPort}`, ...args);
    return name;
  };

  beforeAll(async () => {
    ws = await sharedWorkspace();
    const goMinor = /go(1\.\d+)/.exec((await ws.run('go', ['env', 'GOVERSION'])).stdout)![1];
    console.log(`base images that are local stand-ins (no registry here): ${(await standIns([`golang:${goMinor}-alpine`, 'postgres:17-alpine', 'gcr.io/distroless/static-debian12:nonroot', 'alpine:3.21'])).join(', ') || 'none'}`);
    await ws.nx('g', 'go-service', 'shop', '--port=8282');
    await ws.nx('g', 'go-service', 'shop-distroless', '--runtime=distroless', '--no-postgres');
    await ws.nx('g', 'go-service', 'shop-alpine', '--runtime=alpine', '--no-postgres');
    await ws.commit('add shop services');
    commit = (await ws.run('git', ['rev-parse', 'HEAD'])).stdout.trim();
    await removeImages(...images);
  });

  afterAll(async () => {
    await removeContainers(...containers);
    removeTempDirs();
  });

  describe('the default (scratch) image', () => {
    let image: ImageConfig;

    beforeAll(async () => {
      const cold = await build('shop');
      console.log(`first docker-build of shop: ${cold.seconds} s (cold only on a fresh engine: BuildKit keeps the Go build cache)`);
      image = await inspect<ImageConfig>('image', 'shop:latest');
    });

    it('is tagged latest and with the short commit', async () => {
      expect(await exists('image', `shop:${commit.slice(0, 7)}`)).toBe(true);
    });

    it('runs as a numeric non-root user, checks its own health and carries OCI labels with the commit', () => {
      expect(image.Config.User).toBe('65532:65532');
      expect(image.Config.Entrypoint).toEqual(['/app']);
      expect(image.Config.Healthcheck?.Test).toEqual(['CMD', '/app', 'healthcheck']);
      expect(image.Config.Labels['org.opencontainers.image.revision']).toBe(commit);
      expect(image.Config.Labels['org.opencontainers.image.title']).toBe('shop');
      expect(image.Config.Labels['org.opencontainers.image.created']).toMatch(/^\d{4}-\d\d-\d\dT/);
    });

    it('adds at most 0.3 MB beyond its stripped binary (with pgx)', async () => {
      const bytes = await filesystemBytes('shop:latest');
      const binary = await fileBytes('shop:latest', '/app');
      console.log(`shop:latest holds ${(bytes / 1e6).toFixed(2)} MB of files, ${(binary / 1e6).toFixed(2)} MB of them the binary`);
      expect(bytes - binary).toBeLessThan(0.3e6);
    });

    it('has no shell', async () => {
      const result = await ws.tryRun('docker', ['run', '--rm', '--entrypoint', '/bin/sh', 'shop:latest', '-c', 'true']);
      expect(result.code).not.toBe(0);
    });

    it('becomes healthy, answers /healthz, and stops gracefully with exit code 0', async () => {
      const port = await freePort();
      const name = await runDetached('shop', port);
      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(health.status).toBe(200);
      const info = (await (await fetch(`http://127.0.0.1:${port}/`)).json()) as Record<string, string>;
      expect(info).toMatchObject({ service: 'shop', commit });

      const start = performance.now();
      await ws.run('docker', ['stop', name]);
      const stopSeconds = secondsSince(start);
      console.log(`docker stop to exit: ${stopSeconds} s`);
      expect(await inspect<number>('container', name, '{{json .State.ExitCode}}')).toBe(0);
      expect(stopSeconds).toBeLessThan(9);
      expect((await ws.run('docker', ['logs', name])).stdout).toContain('"msg":"server stopped"');
    });

    it('rebuilds after a one-line change reusing the module layer and the build cache', async () => {
      const mainGo = ws.read('apps/shop/main.go');
      ws.write('apps/shop/main.go', mainGo.replace('package main', 'package main\n\n// a one-line change'));
      try {
        const rebuild = await build('shop');
        console.log(`rebuild after a one-line change: ${rebuild.seconds} s`);
        const step = (command: string) => new RegExp(`#(\\d+) \\[build \\d/\\d\\] RUN [^\\n]*${command}`).exec(rebuild.output)?.[1];
        const download = step('go mod download');
        const compile = step('go build');
        expect(rebuild.output).toContain(`#${download} CACHED`);
        expect(compile).toBeDefined();
        expect(rebuild.output).not.toContain(`#${compile} CACHED`);
        const unchanged = await build('shop');
        console.log(`docker-build with nothing changed: ${unchanged.seconds} s`);
      } finally {
        ws.write('apps/shop/main.go', mainGo);
      }
    });
  });

  it('--platforms linux/amd64,linux/arm64 builds both in one run into one local index, each binary for its architecture', async () => {
    const multi = await build('shop', '--platforms=linux/amd64,linux/arm64', '--tags=shop:multi');
    console.log(`docker-build for linux/amd64 and linux/arm64: ${multi.seconds} s`);
    try {
      expect(await indexPlatforms('shop:multi')).toEqual(['linux/amd64', 'linux/arm64']);
      expect(await binaryArchitecture('shop:multi', '/app', 'linux/amd64')).toBe('amd64');
      expect(await binaryArchitecture('shop:multi', '/app', 'linux/arm64')).toBe('arm64');
    } finally {
      await removeImages('shop:multi');
    }
  });

  it("Go's own settings passed as build args reach the Go commands of the build stage", async () => {
    const result = await ws.tryNx('run', 'shop:docker-build', '--buildArgs.GOFLAGS=-mod=nonsense', '--tags=shop:goflags');
    expect(result.code).not.toBe(0);
    expect(result.stdout + result.stderr).toMatch(/-mod may only be set to readonly/);
    expect(await exists('image', 'shop:goflags')).toBe(false);
  });

  it.each(['shop-distroless', 'shop-alpine'])('the %s runtime builds and runs healthy as non-root', async (project) => {
    await build(project);
    const image = await inspect<ImageConfig>('image', `${project}:latest`);
    console.log(`${project}:latest holds ${((await filesystemBytes(`${project}:latest`)) / 1e6).toFixed(2)} MB of files`);
    expect(image.Config.User).toBe('65532:65532');
    const port = await freePort();
    const name = await runDetached(project, port, '--port=8080');
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    await ws.run('docker', ['stop', name]);
    expect(await inspect<number>('container', name, '{{json .State.ExitCode}}')).toBe(0);
  });

  it('compose-up returns once Postgres and the app are healthy; compose-down leaves nothing behind', async () => {
    const port = await freePort();
    const label = 'com.docker.compose.project=shop';
    try {
      await ws.run(`${ws.root}/node_modules/.bin/nx`, ['run', 'shop:compose-up'], { env: { PORT: String(port) } });
      const states = await ws.run('docker', ['ps', '--filter', `label=${label}`, '--format', '{{.Label "com.docker.compose.service"}}={{.Status}}']);
      expect(states.stdout).toMatch(/^app=.*\(healthy\)$/m);
      expect(states.stdout).toMatch(/^db=.*\(healthy\)$/m);
      expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
      const info = (await (await fetch(`http://127.0.0.1:${port}/`)).json()) as Record<string, string>;
      expect(info.database).toBe('configured');

      // The example resource round-trips a row through the migrated database.
      const created = await fetch(`http://127.0.0.1:${port}/items`, { method: 'POST', body: JSON.stringify({ name: 'apple' }) });
      expect(created.status).toBe(201);
      const item = (await created.json()) as { id: number; name: string };
      expect(await (await fetch(`http://127.0.0.1:${port}${created.headers.get('location')}`)).json()).toMatchObject({ id: item.id, name: 'apple' });
      expect((await fetch(`http://127.0.0.1:${port}/items`, { method: 'POST', body: JSON.stringify({ name: 'apple' }) })).status).toBe(409);
      const logs = (await ws.run('docker', ['compose', '-f', 'apps/shop/compose.yaml', '-p', 'shop', 'logs', 'app'])).stdout;
      expect(logs).toContain('"msg":"migrated"');

      // The service's integration tests, against the compose database; none may skip.
      const db = (await ws.run('docker', ['compose', '-f', 'apps/shop/compose.yaml', '-p', 'shop', 'port', 'db', '5432'])).stdout.trim();
      const tests = await ws.run('go', ['test', '-race', '-count=1', '-v', '-run', 'Postgres|Migrat', './...'], {
        cwd: `${ws.root}/apps/shop`,
        env: { GOWORK: 'off', CGO_ENABLED: '1', TEST_DATABASE_URL: `postgres://app:app@${db}/app?sslmode=disable` },
      });
      expect(tests.stdout).not.toContain('--- SKIP');
      expect(tests.stdout).toContain('--- PASS: TestPostgresStore ');
      expect(tests.stdout).toContain('--- PASS: TestMigrateConcurrentlyAppliesEachFileOnce ');
      expect(tests.stdout).toContain('--- PASS: TestFailedMigrationLeavesTheSchemaAsItWas ');
    } finally {
      await ws.nx('run', 'shop:compose-down', '--volumes');
    }
    expect(await listByLabel('container', label)).toEqual([]);
    expect(await listByLabel('network', label)).toEqual([]);
    expect(await listByLabel('volume', label)).toEqual([]);
  });

  describe('Ctrl-C on a foreground docker-run', () => {
    /**
     * Runs the service in the foreground through nx, waits until it answers, then presses Ctrl-C;
     * returns when nx has exited, with the time it started (for docker events --since).
     */
    const runAndInterrupt = async (name: string, ...args: string[]) => {
      const port = await freePort();
      await removeContainers(name); // one an interrupted earlier run left on this engine
      await build('shop-alpine');
      const since = String(Math.floor(Date.now() / 1000));
      const run = ws.startNx('run', 'shop-alpine:docker-run', '--exclude-task-dependencies', `--name=${name}`, `--hostPort=${port}`, '--port=8080', ...args);
      const exitedEarly = run.done.then((r) => {
        throw new Error(`nx exited before the service answered:\n${r.stdout}\n${r.stderr}`);
      });
      const healthy = waitFor(async () => (await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined))?.status === 200);
      await Promise.race([healthy, exitedEarly]);
      process.kill(-(await run.pid), 'SIGINT');
      await run.done;
      return since;
    };
    /**
     * The signals the engine sent the container since then: it has stopped, so all of them. The
     * window ends in the next second, which `docker events` waits for: it counts in whole seconds.
     */
    const signalsSent = async (name: string, since: string) => {
      const until = String(Math.floor(Date.now() / 1000) + 1);
      const filters = ['--filter', `container=${name}`, '--filter', 'event=kill'];
      const events = await ws.run('docker', ['events', '--since', since, '--until', until, ...filters, '--format', '{{.Actor.Attributes.signal}}']);
      return events.stdout.trim().split('\n');
    };

    it('stops the container gracefully: exit code 0 and the shutdown log line', async () => {
      const name = `shop-alpine-ctrl-c-kept`;
      containers.push(name);
      const since = await runAndInterrupt(name, '--rm=false');
      await waitFor(async () => !(await inspect<boolean>('container', name, '{{json .State.Running}}')), 15_000);
      expect(await signalsSent(name, since)).toEqual(['15']); // one SIGTERM: a second one would skip the graceful shutdown
      expect(await inspect<number>('container', name, '{{json .State.ExitCode}}')).toBe(0);
      expect((await ws.run('docker', ['logs', name])).stdout).toContain('"msg":"server stopped"');
    });

    it('leaves no container behind', async () => {
      const name = `shop-alpine-ctrl-c-removed`;
      const since = await runAndInterrupt(name);
      await waitFor(async () => !(await exists('container', name)), 15_000);
      expect(await signalsSent(name, since)).toEqual(['15']);
      // Nor a process: the docker CLI and the executor end too, on every Nx major.
      await waitFor(async () => (await ws.tryRun('pgrep', ['-f', '--', `--name ${name} `])).code === 1, 15_000);
    });
  });

  it('falls back to docker build with BuildKit, and says so, when buildx is missing', async () => {
    const output = await ws.run(`${ws.root}/node_modules/.bin/nx`, ['run', 'shop-alpine:docker-build', '--tags=shop-alpine:no-buildx'], {
      env: { PATH: `${dockerWithoutBuildx()}:${process.env.PATH}` },
    });
    expect(output.stdout + output.stderr).toContain('docker buildx is not installed; building with `docker build` and BuildKit instead.');
    expect(await exists('image', 'shop-alpine:no-buildx')).toBe(true);
    await removeImages('shop-alpine:no-buildx');
  });

  describe('errors: one line saying what to do, non-zero exit, nothing left behind', () => {
    const failing = async (args: string[], env: NodeJS.ProcessEnv = {}) => {
      const result = await ws.tryRun(`${ws.root}/node_modules/.bin/nx`, args, { env });
      expect(result.code).not.toBe(0);
      return result.stdout + result.stderr;
    };

    it('a tag with spaces', async () => {
      const output = await failing(['run', 'shop-alpine:docker-build', '--tags=bad tag:1']);
      expect(output).toContain("Invalid image tag 'bad tag:1'");
    });

    it('a build arg with shell metacharacters reaches docker literally', async () => {
      const version = `1.0; $(touch /tmp/pwned) "quoted" \`id\``;
      const note = `it's; $(id) "really" literal`;
      await build('shop-alpine', `--buildArgs.VERSION=${version}`, `--labels.note=${note}`, '--tags=shop-alpine:literal');
      const labels = await inspect<Record<string, string>>('image', 'shop-alpine:literal', '{{json .Config.Labels}}');
      expect(labels['org.opencontainers.image.version']).toBe(version);
      expect(labels.note).toBe(note);
      const printed = await ws.run('docker', ['run', '--rm', 'shop-alpine:literal', 'version']);
      expect(printed.stdout).toContain(version);
      await removeImages('shop-alpine:literal');
    });

    it('the Docker CLI is not on PATH', async () => {
      const output = await failing(['run', 'shop-alpine:docker-build'], { PATH: pathWithoutDocker() });
      expect(output).toContain("Docker CLI ('docker') was not found on PATH");
    });

    it.each([
      ['docker-build', ['run', 'shop-alpine:docker-build', '--tags=shop-alpine:old-engine']],
      ['docker-run', ['run', 'shop-alpine:docker-run', '--exclude-task-dependencies', '--detach']],
      ['compose-up', ['run', 'shop:compose-up']],
    ])('an engine older than 26.1: %s refuses in one line naming the version it needs', async (_target, args) => {
      const output = await failing(args, { PATH: `${dockerReportingEngine('20.10.24+dfsg1')}:${process.env.PATH}` });
      expect(output).toContain(
        'Docker Engine 20.10.24+dfsg1 is older than 26.1, the oldest nx-go-docker supports (the generated Dockerfile uses HEALTHCHECK --start-interval). Upgrade Docker Engine (https://docs.docker.com/engine/install/) and retry.',
      );
      expect(await exists('image', 'shop-alpine:old-engine')).toBe(false);
    });

    it('the daemon is not reachable', async () => {
      const output = await failing(['run', 'shop-alpine:docker-build'], { DOCKER_HOST: 'unix:///tmp/nx-go-docker-no-daemon.sock' });
      expect(output).toContain('Docker daemon is not reachable at unix:///tmp/nx-go-docker-no-daemon.sock');
    });

    it('the build fails: the failing step stays visible and no image is made', async () => {
      await ws.nx('g', 'go-service', 'broken', '--no-postgres');
      ws.write('apps/broken/main.go', `${ws.read('apps/broken/main.go')}\nvar _ = undefinedThing\n`);
      try {
        const output = await failing(['run', 'broken:docker-build']);
        expect(output).toContain('undefined: undefinedThing');
        expect(output).toContain('the failing step is shown above');
        expect(await exists('image', 'broken:latest')).toBe(false);
      } finally {
        // Generating 'broken' also registered it in go.work: put the workspace back as committed.
        await ws.run('git', ['clean', '-fdq', 'apps/broken']);
        await ws.run('git', ['checkout', '--', '.']);
        expect(await ws.status()).toBe('');
      }
    });

    it('docker-run without the image', async () => {
      const output = await failing(['run', 'shop-alpine:docker-run', '--exclude-task-dependencies', '--image=shop-alpine:missing']);
      expect(output).toContain('Image shop-alpine:missing was not found. Build it first: nx run shop-alpine:docker-run'.replace('docker-run', 'docker-build'));
    });

    it('docker-run on a port that is taken', async () => {
      const port = await freePort();
      const { createServer } = await import('node:net');
      const blocker = createServer().listen(port, '127.0.0.1');
      try {
        const output = await failing(['run', 'shop-alpine:docker-run', '--exclude-task-dependencies', `--hostPort=${port}`, '--name=port-taken']);
        expect(output).toContain(`Port ${port} on 127.0.0.1 is already in use`);
        expect(await exists('container', 'port-taken')).toBe(false);
      } finally {
        blocker.close();
      }
    });

    it('a service that never becomes healthy is reported with its last health check and removed', async () => {
      const output = await failing([
        'run', 'shop-alpine:docker-run', '--exclude-task-dependencies', '--detach', '--name=never-healthy',
        `--hostPort=${await freePort()}`, '--healthTimeout=12', '--args=--health-cmd=false', '--args=--health-interval=1s',
      ]);
      expect(output).toContain('container never-healthy was not healthy after 12s; last health check (exit 1)');
      expect(await exists('container', 'never-healthy')).toBe(false);
    });
  });
});
