import { RunResult, runProcess } from '../utils/run-process';
import { EngineUnreachableError, postToEngine } from './engine-api';

/** What `docker run` is told, one field to one flag (docker-run's options, normalized). */
export interface RunOptions {
  image: string;
  name: string;
  host: string;
  hostPort: number;
  port: number;
  rm: boolean;
  detach: boolean;
  env: Record<string, string>;
  envFile?: string;
  args?: string[];
  command?: string[];
}

/** Runs `docker run`: in the foreground its output streams to the terminal; `stdio: 'pipe'` keeps it (for --detach's error). */
export function runContainer(args: string[], stdio: 'inherit' | 'pipe' = 'inherit'): Promise<RunResult> {
  return runProcess('docker', args, { stdio });
}

/** Prints the container's last log lines, for a container that failed. */
export async function showLogs(name: string, lines = 20): Promise<void> {
  await runProcess('docker', ['logs', '--tail', String(lines), name]);
}

export async function containerExists(name: string): Promise<boolean> {
  const { code } = await runProcess('docker', ['container', 'inspect', '--format', '{{.Id}}', name], { stdio: 'pipe' });
  return code === 0;
}

/** Stops the container gracefully (SIGTERM, then SIGKILL after the grace period) and removes it; a no-op when it is gone. */
export async function stopAndRemoveContainer(name: string): Promise<void> {
  await stopContainer(name);
  await removeContainer(name);
}

/**
 * Removes the container and its anonymous volumes; a no-op when it is gone. The engine can
 * refuse while a health check runs in it (every 100 ms while it starts), so it is retried
 * until the container is gone, for up to 5 s.
 */
export async function removeContainer(name: string): Promise<void> {
  for (let attempt = 0; attempt < 20; attempt++) {
    await runProcess('docker', ['rm', '--force', '--volumes', name], { stdio: 'pipe' });
    if (!(await containerExists(name))) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/**
 * Sends one signal to the container's main process, once: a second SIGTERM makes a service skip
 * its graceful shutdown. With the engine on a unix socket the request goes from this process,
 * because a `docker kill` child can be ended by the very interruption it serves (Nx stops an
 * interrupted task's whole process tree) after the engine took it, so whether it arrived is
 * unknown; elsewhere (tcp, ssh) it is one `docker kill`, and the interruption's later signals
 * are not passed on to it.
 */
export async function signalContainer(name: string, signal: NodeJS.Signals, socket: string | undefined): Promise<void> {
  if (socket) {
    try {
      await postToEngine(socket, `/containers/${encodeURIComponent(name)}/kill?signal=${signal}`);
      return;
    } catch (error) {
      if (!(error instanceof EngineUnreachableError)) return;
    }
  }
  await runProcess('docker', ['kill', '--signal', signal, name], { stdio: 'pipe', forwardSignals: false });
}

/** Stops the container gracefully if it runs; a no-op when it is stopped or gone. */
export async function stopContainer(name: string): Promise<void> {
  if (await containerExists(name)) await runProcess('docker', ['stop', name], { stdio: 'pipe' });
}

/** `docker run` flags, one option to one flag, as the docker run docs name them. */
export function dockerRunArgs(options: RunOptions): string[] {
  const args = ['run', '--name', options.name, '--publish', `${options.host}:${options.hostPort}:${options.port}`];
  if (options.rm) args.push('--rm');
  // In the foreground the executor stops the container itself (one SIGTERM, docker stop's
  // grace period): Nx signals every process of a task it interrupts, and a proxied second
  // signal would make the service skip its graceful shutdown.
  args.push(options.detach ? '--detach' : '--sig-proxy=false');
  for (const [key, value] of Object.entries(options.env)) args.push('--env', `${key}=${value}`);
  if (options.envFile) args.push('--env-file', options.envFile);
  args.push(...(options.args ?? []), options.image, ...(options.command ?? []));
  return args;
}

interface ContainerState {
  Status: string;
  Running: boolean;
  ExitCode: number;
  Health?: { Status: string; Log?: { ExitCode: number; Output: string }[] };
}

export type HealthOutcome = { healthy: true } | { healthy: false; reason: string };

/** Polls the container's state until its HEALTHCHECK passes (or, without one, it is running). */
export async function waitHealthy(container: string, timeoutSeconds: number): Promise<HealthOutcome> {
  const deadline = Date.now() + timeoutSeconds * 1000;
  let state: ContainerState | undefined;
  while (Date.now() < deadline) {
    state = await inspectState(container);
    if (!state) return { healthy: false, reason: `container ${container} disappeared (did it exit with --rm?)` };
    if (!state.Running) return { healthy: false, reason: `container ${container} exited with code ${state.ExitCode}` };
    if (!state.Health || state.Health.Status === 'healthy') return { healthy: true };
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const lastLog = state?.Health?.Log?.at(-1);
  const lastCheck = lastLog ? `; last health check (exit ${lastLog.ExitCode}): ${lastLog.Output.trim().replace(/\s+/g, ' ')}` : '';
  return { healthy: false, reason: `container ${container} was not healthy after ${timeoutSeconds}s${lastCheck}` };
}

/** Polls until the container no longer runs (or is gone); false if it still runs after timeoutSeconds. */
export async function waitStopped(container: string, timeoutSeconds: number): Promise<boolean> {
  const deadline = Date.now() + timeoutSeconds * 1000;
  while (Date.now() < deadline) {
    if (!(await inspectState(container))?.Running) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

async function inspectState(container: string): Promise<ContainerState | undefined> {
  const { code, stdout } = await runProcess('docker', ['inspect', '--format', '{{json .State}}', container], { stdio: 'pipe' });
  return code === 0 ? (JSON.parse(stdout) as ContainerState) : undefined;
}
