import { createServer, Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runProcess } from '../utils/run-process';
import { signalContainer } from './containers';
import { engineSocket } from './engine-api';

jest.mock('../utils/run-process');
const run = jest.mocked(runProcess);
const printed = (code: number, stdout = '') => ({ code, stdout, stderr: '' });

describe('signalContainer', () => {
  let folder: string;
  let engine: Server;
  let requests: string[];
  let status: number;

  beforeEach(async () => {
    folder = mkdtempSync(join(tmpdir(), 'nx-go-docker-engine-'));
    requests = [];
    status = 204;
    engine = createServer((req, res) => {
      requests.push(`${req.method} ${req.url}`);
      res.writeHead(status).end();
    });
    await new Promise<void>((resolve) => engine.listen(join(folder, 'docker.sock'), resolve));
  });

  afterEach(async () => {
    run.mockReset();
    await new Promise((resolve) => engine.close(resolve));
    rmSync(folder, { recursive: true, force: true });
  });

  it("asks the engine's socket once, from this process, and runs no docker kill", async () => {
    await signalContainer('orders', 'SIGTERM', join(folder, 'docker.sock'));
    expect(requests).toEqual(['POST /containers/orders/kill?signal=SIGTERM']);
    expect(run).not.toHaveBeenCalled();
  });

  it('does not repeat a request the engine answered with an error (no such container)', async () => {
    status = 404;
    await signalContainer('gone', 'SIGTERM', join(folder, 'docker.sock'));
    expect(requests).toHaveLength(1);
    expect(run).not.toHaveBeenCalled();
  });

  it('sends one docker kill, which later signals do not end, when the socket cannot be reached', async () => {
    run.mockResolvedValue(printed(0));
    await signalContainer('orders', 'SIGTERM', join(folder, 'no-such.sock'));
    expect(run.mock.calls).toEqual([['docker', ['kill', '--signal', 'SIGTERM', 'orders'], { stdio: 'pipe', forwardSignals: false }]]);
  });

  it('sends one docker kill when the engine is not on a unix socket', async () => {
    run.mockResolvedValue(printed(143));
    await signalContainer('orders', 'SIGTERM', undefined);
    expect(run).toHaveBeenCalledTimes(1);
    expect(requests).toEqual([]);
  });
});

describe('engineSocket', () => {
  afterEach(() => run.mockReset());

  it("is the path of the current context's unix socket", async () => {
    run.mockResolvedValue(printed(0, 'unix:///run/user/1000/docker.sock\n'));
    await expect(engineSocket()).resolves.toBe('/run/user/1000/docker.sock');
  });

  it.each([printed(0, 'tcp://10.0.0.5:2376\n'), printed(0, 'ssh://ci@builder\n'), printed(1)])(
    'is undefined for an engine reached another way, or a CLI that cannot say (%p)',
    async (answer) => {
      run.mockResolvedValue(answer);
      await expect(engineSocket()).resolves.toBeUndefined();
    },
  );
});
