import { exec, tryExec } from '../../test/support/exec';
import { freePort, removeContainers } from '../../test/support/docker';
import { sleep, tail, timeIt } from './lib/measure';

/** What one run of a container measured; NaN where a step produced no number. */
export interface RuntimeRun {
  toFirst200: number;
  toHealthy: number;
  memoryIdleMiB: number;
  memoryLoadMiB: number;
  requestsPerSecond: number;
  p99Ms: number;
  stopIdle: number;
  stopLoaded: number;
  exitCodes: string[];
  notes: string[];
}

const wrkArgs = (port: number, seconds: number) => ['-t2', '-c32', `-d${seconds}s`, '--latency', `http://127.0.0.1:${port}/healthz`];

/** Starts the image with its port on 127.0.0.1; resolves when /healthz first answers 200 and, with a HEALTHCHECK, when Docker reports healthy. */
async function start(image: string, name: string, containerPort: number, healthcheck: boolean) {
  await removeContainers(name);
  const hostPort = await freePort();
  const begin = performance.now();
  const deadline = begin + 30_000;
  const run = exec('docker', ['run', '--detach', '--name', name, '--publish', `127.0.0.1:${hostPort}:${containerPort}`, image]);
  const first200 = (async () => {
    // Only once docker run has returned: before the container's network is up, a connection
    // to the published port can hang for a second instead of failing at once.
    await run;
    while (performance.now() < deadline) {
      try {
        const response = await fetch(`http://127.0.0.1:${hostPort}/healthz`, { signal: AbortSignal.timeout(1000) });
        await response.arrayBuffer();
        if (response.status === 200) return (performance.now() - begin) / 1000;
      } catch {
        // not listening yet
      }
      await sleep(20);
    }
    return NaN;
  })();
  const healthy = (async () => {
    if (!healthcheck) return NaN;
    await run;
    while (performance.now() < deadline) {
      const { stdout } = await tryExec('docker', ['inspect', '--format', '{{.State.Health.Status}}', name]);
      if (stdout.trim() === 'healthy') return (performance.now() - begin) / 1000;
      await sleep(25);
    }
    return NaN;
  })();
  await run;
  return { hostPort, toFirst200: await first200, toHealthy: await healthy };
}

/** Memory use as `docker stats` reports it (cgroup usage without page cache), in MiB. */
async function memoryMiB(name: string): Promise<number> {
  const { stdout } = await tryExec('docker', ['stats', '--no-stream', '--format', '{{.MemUsage}}', name]);
  const match = /^([\d.]+)\s*([KMG]i?B|B)/.exec(stdout.trim());
  if (!match) return NaN;
  const scale: Record<string, number> = { B: 1 / 2 ** 20, KiB: 1 / 1024, MiB: 1, GiB: 1024, kB: 1e3 / 2 ** 20, MB: 1e6 / 2 ** 20, GB: 1e9 / 2 ** 20 };
  return Number(match[1]) * (scale[match[2]] ?? NaN);
}

export function parseWrk(output: string): { requestsPerSecond: number; p99Ms: number; problems: string[] } {
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(output);
  const p99 = /^\s*99%\s+([\d.]+)(us|ms|s)\s*$/m.exec(output);
  const unit: Record<string, number> = { us: 0.001, ms: 1, s: 1000 };
  const problems = [/Socket errors:.*$/m.exec(output)?.[0], /Non-2xx or 3xx responses:.*$/m.exec(output)?.[0]].filter(
    (line): line is string => Boolean(line),
  );
  return {
    requestsPerSecond: rps ? Number(rps[1]) : NaN,
    p99Ms: p99 ? Number(p99[1]) * unit[p99[2]] : NaN,
    problems,
  };
}

async function stop(name: string): Promise<{ seconds: number; exitCode: string }> {
  const seconds = await timeIt(() => exec('docker', ['stop', name]));
  const { stdout } = await tryExec('docker', ['inspect', '--format', '{{.State.ExitCode}}', name]);
  return { seconds, exitCode: stdout.trim() };
}

/**
 * One image, two containers: the first is timed to /healthz and healthy, measured idle and
 * under wrk (-t2 -c32, loopback), then stopped idle; the second is stopped while wrk loads it.
 */
export async function measureRuntime(image: string, containerPort: number, healthcheck: boolean, wrkSeconds: number): Promise<RuntimeRun> {
  const name = `${image}-run`;
  const notes: string[] = [];
  const result: RuntimeRun = {
    toFirst200: NaN, toHealthy: NaN, memoryIdleMiB: NaN, memoryLoadMiB: NaN, requestsPerSecond: NaN,
    p99Ms: NaN, stopIdle: NaN, stopLoaded: NaN, exitCodes: [], notes,
  };
  try {
    const first = await start(image, name, containerPort, healthcheck);
    Object.assign(result, { toFirst200: first.toFirst200, toHealthy: first.toHealthy });
    if (!Number.isFinite(first.toFirst200)) notes.push(`${image}: /healthz never answered 200 within 30 s`);
    result.memoryIdleMiB = await memoryMiB(name);
    const wrk = tryExec('wrk', wrkArgs(first.hostPort, wrkSeconds));
    await sleep((wrkSeconds * 1000) / 2);
    result.memoryLoadMiB = await memoryMiB(name);
    const load = await wrk;
    if (load.code !== 0) notes.push(`${image}: wrk exited ${load.code}: ${tail(load.stderr || load.stdout)}`);
    const parsed = parseWrk(load.stdout);
    Object.assign(result, { requestsPerSecond: parsed.requestsPerSecond, p99Ms: parsed.p99Ms });
    notes.push(...parsed.problems.map((problem) => `${image}: wrk ${problem.trim()}`));
    const idle = await stop(name);
    result.stopIdle = idle.seconds;
    result.exitCodes.push(idle.exitCode);
    await removeContainers(name);

    const second = await start(image, name, containerPort, false);
    const background = tryExec('wrk', wrkArgs(second.hostPort, 4));
    await sleep(2000);
    const loaded = await stop(name);
    result.stopLoaded = loaded.seconds;
    result.exitCodes.push(loaded.exitCode);
    await background;
  } catch (error) {
    notes.push(`${image}: ${tail((error as Error).message)}`);
  } finally {
    await removeContainers(name);
  }
  return result;
}
