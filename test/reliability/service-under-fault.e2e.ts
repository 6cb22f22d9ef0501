import { get } from 'node:http';
import { Socket, connect, createServer } from 'node:net';
import { join } from 'node:path';
import { RunResult, runProcess } from '../../src/utils/run-process';
import { freePort } from '../support/docker';
import { tryExec } from '../support/exec';
import { removeTempDirs, sleep, tempDir, waitFor } from '../support/reliability';
import { sharedWorkspace } from '../support/shared-workspace';
import { Workspace } from '../support/workspace';

/**
 * The generated service's own binary (go build of the generated files), run on loopback:
 * no docker-proxy between the client and the server, so what the client sees is what the
 * server did.
 */
describe('the generated service under fault', () => {
  let ws: Workspace;
  let binary: string;
  const running: { pid: number; done: Promise<RunResult> }[] = [];

  /** Starts the service and resolves once it answers /healthz. */
  const start = async (env: Record<string, string>) => {
    let pid = 0;
    const done = runProcess(binary, [], { env: { PATH: process.env.PATH, ...env }, stdio: 'pipe', onStart: (p) => (pid = p) });
    const service = { pid, done };
    running.push(service);
    const exited = done.then((r) => {
      throw new Error(`the service exited with ${r.code} before it answered:\n${r.stdout}\n${r.stderr}`);
    });
    await Promise.race([waitFor(async () => (await status(Number(env.PORT), '/healthz')) === 200, 30_000, 'GET /healthz = 200'), exited]);
    return service;
  };

  beforeAll(async () => {
    ws = await sharedWorkspace();
    await ws.nx('g', 'go-service', 'rel-svc');
    await ws.commit('add rel-svc');
    binary = join(tempDir('rel-svc-'), 'rel-svc');
    // GOWORK=off: build this module alone, as its Dockerfile does, whatever go.work lists.
    await ws.run('go', ['build', '-o', binary, '.'], { cwd: join(ws.root, 'apps/rel-svc'), env: { GOWORK: 'off' } });
  });

  afterAll(async () => {
    for (const service of running) {
      try {
        process.kill(service.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    removeTempDirs();
  });

  it.each(['abc', '0', '70000', '8080; rm -rf /'])('PORT=%j: exits 1 with one line naming the value and the valid range', async (port) => {
    const result = await tryExec(binary, [], { env: { PORT: port } });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`invalid PORT ${JSON.stringify(port)}: must be a number from 1 to 65535\n`);
    expect(result.stdout).toBe('');
  });

  it('a PORT another process listens on: exits 1 and logs why', async () => {
    const port = await freePort();
    const blocker = createServer().listen(port);
    try {
      const result = await tryExec(binary, [], { env: { PORT: String(port) } });
      expect(result.code).toBe(1);
      // The last line: a service with Postgres first warns that DATABASE_URL is not set.
      const line = JSON.parse(result.stdout.trim().split('\n').at(-1)!) as Record<string, string>;
      expect(line).toMatchObject({ level: 'ERROR', msg: 'cannot listen' });
      expect(line.err).toContain('address already in use');
    } finally {
      blocker.close();
    }
  });

  describe('while serving', () => {
    let port: number;

    beforeAll(async () => {
      port = await freePort();
      await start({ PORT: String(port) });
    });

    it('cuts off a client that sends its request headers slowly, after ReadHeaderTimeout (5 s)', async () => {
      const socket = await open(port);
      socket.write('GET / HTTP/1.1\r\nHost: rel\r\nX-Slow: ');
      const start = performance.now();
      // One byte every 500 ms keeps the connection busy: only an absolute header deadline ends it.
      const trickle = setInterval(() => socket.write('a'), 500);
      const received = await closed(socket);
      clearInterval(trickle);
      const seconds = (performance.now() - start) / 1000;
      console.log(`slow headers: connection ended after ${seconds.toFixed(1)} s; the server sent ${JSON.stringify(received.split('\r\n')[0])}`);
      expect(seconds).toBeGreaterThan(4);
      expect(seconds).toBeLessThan(9);
      expect(received).not.toMatch(/^HTTP\/1\.1 2/);
    });

    it('rejects request headers over 64 KiB with 431, and serves 32 KiB of headers', async () => {
      expect(await statusLine(port, 'x'.repeat(100 * 1024))).toBe('HTTP/1.1 431 Request Header Fields Too Large');
      expect(await statusLine(port, 'x'.repeat(32 * 1024))).toBe('HTTP/1.1 200 OK');
    });
  });

  it('SIGTERM under wrk load with keep-alive: no accepted request fails, /readyz turns 503 first, exit 0 within the grace period', async () => {
    const port = await freePort();
    const service = await start({ PORT: String(port), SHUTDOWN_DELAY: '1s' });
    let wrkPid = 0;
    const wrk = runProcess(
      'wrk',
      ['-t2', '-c32', '-d10s', '--latency', '-s', join(__dirname, 'wrk-count.lua'), `http://127.0.0.1:${port}/`],
      { stdio: 'pipe', onStart: (pid) => (wrkPid = pid) },
    );
    await sleep(3000);

    const readiness = pollReadiness(port);
    await sleep(300);
    const sigterm = performance.now();
    process.kill(service.pid, 'SIGTERM');
    const exit = await service.done;
    const stopSeconds = (performance.now() - sigterm) / 1000;
    // The server is gone: stop wrk now rather than let it hammer a closed port until -d10s.
    process.kill(wrkPid, 'SIGINT');
    const load = await wrk;
    const seen = await readiness.stop();

    console.log(`${load.stdout}\nreadiness during shutdown: ${summarize(seen)}\nSIGTERM to exit: ${stopSeconds.toFixed(1)} s`);
    const counted = JSON.parse(/^wrk-count (.*)$/m.exec(load.stdout)?.[1] ?? 'null') as WrkCount;
    expect(counted).not.toBeNull();

    // Every response: / answered 200; /readyz answered 200, then 503.
    expect(Object.keys(counted.responses).sort()).toEqual(['/ 200', '/readyz 200', '/readyz 503']);
    expect(counted.errors.status).toBe(counted.responses['/readyz 503']);
    // A read error or timeout is a request that was written to an open connection and got no
    // complete response. Write and connect errors are requests never sent: refused after the
    // listener closed (see docs/reliability.md).
    expect(counted.errors.read).toBe(0);
    expect(counted.errors.timeout).toBe(0);

    // Readiness failed on fresh connections (so the listener still accepted them) before
    // connections were refused, and never recovered.
    const first503 = seen.indexOf('503');
    const firstRefused = seen.indexOf('ECONNREFUSED');
    expect(first503).toBeGreaterThan(0);
    expect(firstRefused).toBeGreaterThan(first503);
    expect(seen.slice(first503, firstRefused).every((s) => s === '503')).toBe(true);
    expect(seen.slice(firstRefused).every((s) => s === 'ECONNREFUSED')).toBe(true);

    expect(exit.code).toBe(0);
    expect(exit.stdout).toContain('"msg":"server stopped"');
    // docker stop's default and the generated compose.yaml's stop_grace_period are both 10 s.
    expect(stopSeconds).toBeLessThan(10);
  });
});

interface WrkCount {
  responses: Record<string, number>;
  errors: { connect: number; read: number; write: number; status: number; timeout: number };
}

/** The status of GET path on a fresh connection, or 0 when it fails. */
function status(port: number, path: string): Promise<number> {
  return new Promise((resolve) => {
    get({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    }).on('error', () => resolve(0));
  });
}

/** GET /readyz on a fresh connection every 50 ms; stop() returns what each answered: a status or an error code. */
function pollReadiness(port: number): { stop: () => Promise<string[]> } {
  const seen: string[] = [];
  let polling = true;
  const loop = (async () => {
    while (polling) {
      seen.push(
        await new Promise<string>((resolve) => {
          get({ host: '127.0.0.1', port, path: '/readyz', agent: false }, (res) => {
            res.resume();
            resolve(String(res.statusCode));
          }).on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
        }),
      );
      await sleep(50);
    }
  })();
  return {
    stop: async () => {
      polling = false;
      await loop;
      return seen;
    },
  };
}

/** "200 x12, 503 x20, ECONNREFUSED x8": runs of the same answer. */
function summarize(seen: string[]): string {
  const runs: [string, number][] = [];
  for (const s of seen) {
    if (runs.length && runs[runs.length - 1][0] === s) runs[runs.length - 1][1]++;
    else runs.push([s, 1]);
  }
  return runs.map(([s, n]) => `${s} x${n}`).join(', ');
}

function open(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => resolve(socket));
    socket.on('error', reject);
  });
}

/** Resolves with everything the server sent once the connection ends (writes after that are ignored). */
function closed(socket: Socket): Promise<string> {
  let received = '';
  socket.on('data', (chunk) => (received += chunk.toString()));
  socket.removeAllListeners('error');
  socket.on('error', () => undefined);
  return new Promise((resolve) => socket.on('close', () => resolve(received)));
}

/** The status line the server answers to GET / carrying one header of the given size. */
async function statusLine(port: number, headerValue: string): Promise<string> {
  const socket = await open(port);
  const response = closed(socket);
  socket.write(`GET / HTTP/1.1\r\nHost: rel\r\nX-Big: ${headerValue}\r\nConnection: close\r\n\r\n`);
  return (await response).split('\r\n')[0];
}
