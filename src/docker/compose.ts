import { runProcess } from '../utils/run-process';
import { lastLine } from './output';

/** What `docker compose` is told (compose's options, normalized). */
export interface ComposeOptions {
  file: string;
  projectName: string;
  command: 'up' | 'down';
  build?: boolean;
  wait?: boolean;
  waitTimeout?: number;
  detach?: boolean;
  volumes?: boolean;
}

/** Why the compose file cannot be used (`docker compose config`), or undefined when it can. */
export async function composeFileProblem(options: ComposeOptions, cwd: string): Promise<string | undefined> {
  const { code, stderr } = await runProcess('docker', configArgs(options), { stdio: 'pipe', cwd });
  return code === 0 ? undefined : lastLine(stderr) || `docker compose config exited with code ${code}`;
}

/** Builds the stack's images, its output streaming; resolves with the exit code. */
export async function composeBuild(options: ComposeOptions, cwd: string): Promise<number> {
  return (await runProcess('docker', composeBuildArgs(options), { cwd })).code;
}

/** Runs `up` or `down`; onStart gets the pid, so a caller can stop an `up` that takes too long. */
export async function composeUpOrDown(options: ComposeOptions, cwd: string, onStart?: (pid: number) => void): Promise<number> {
  return (await runProcess('docker', composeArgs(options), { cwd, onStart })).code;
}

/** The stack's services that are not running and healthy, described for a message; undefined when compose cannot list them. */
export async function composeServicesNotHealthy(options: ComposeOptions, cwd: string): Promise<string[] | undefined> {
  const ps = await runProcess('docker', psArgs(options), { stdio: 'pipe', cwd });
  return ps.code === 0 ? unhealthyServices(ps.stdout) : undefined;
}

/** Prints each service's last log lines. */
export async function showComposeLogs(options: ComposeOptions, cwd: string): Promise<void> {
  await runProcess('docker', logsArgs(options), { cwd });
}

/** Takes the stack down quietly, keeping its volumes (after a failed up). */
export async function composeDownQuietly(options: ComposeOptions, cwd: string): Promise<void> {
  await runProcess('docker', composeArgs({ ...options, command: 'down', volumes: false }), { stdio: 'pipe', cwd });
}

/** The volumes of the compose project, by name. */
export async function composeVolumes(options: ComposeOptions): Promise<string[]> {
  return (await runProcess('docker', volumesArgs(options), { stdio: 'pipe' })).stdout.split('\n').filter(Boolean);
}

export async function removeVolumes(volumes: string[]): Promise<void> {
  if (volumes.length) await runProcess('docker', ['volume', 'rm', ...volumes], { stdio: 'pipe' });
}

/**
 * `up` or `down`. With build (the default) the executor runs composeBuildArgs first and up
 * gets --no-build, so the wait timeout it enforces on up never counts a cold build.
 */
export function composeArgs(options: ComposeOptions): string[] {
  const args = ['compose', '--file', options.file, '--project-name', options.projectName, options.command];
  if (options.command === 'down') {
    if (options.volumes) args.push('--volumes');
    return args;
  }
  if (options.build ?? true) args.push('--no-build');
  if (options.wait ?? true) {
    args.push('--wait', '--wait-timeout', String(options.waitTimeout ?? 120));
  } else if (options.detach ?? true) {
    args.push('--detach');
  }
  return args;
}

export function composeBuildArgs(options: ComposeOptions): string[] {
  return ['compose', '--file', options.file, '--project-name', options.projectName, 'build'];
}

export function psArgs(options: ComposeOptions): string[] {
  return ['compose', '--file', options.file, '--project-name', options.projectName, 'ps', '--all', '--format', 'json'];
}

/** The project's volumes by name, one a line: those `up` creates carry its project label. */
export function volumesArgs(options: ComposeOptions): string[] {
  return ['volume', 'ls', '--filter', `label=com.docker.compose.project=${options.projectName}`, '--format', '{{.Name}}'];
}

/** Parses and checks the compose file without touching the engine's containers. */
export function configArgs(options: ComposeOptions): string[] {
  return ['compose', '--file', options.file, '--project-name', options.projectName, 'config', '--quiet'];
}

/** The last lines each service logged, shown when `up` fails. */
export function logsArgs(options: ComposeOptions): string[] {
  return ['compose', '--file', options.file, '--project-name', options.projectName, 'logs', '--no-color', '--tail', '20'];
}

interface ComposeService {
  Service: string;
  State: string;
  Health?: string;
  ExitCode?: number;
}

/** `docker compose ps --format json` prints an array (older) or one object per line (newer). */
export function unhealthyServices(psOutput: string): string[] {
  const trimmed = psOutput.trim();
  if (!trimmed) return [];
  const services: ComposeService[] = trimmed.startsWith('[')
    ? JSON.parse(trimmed)
    : trimmed.split('\n').map((line) => JSON.parse(line));
  return services
    .filter((s) => s.State !== 'running' || (s.Health !== undefined && s.Health !== '' && s.Health !== 'healthy'))
    .map((s) => `${s.Service} (${s.State}${s.Health ? `, ${s.Health}` : ''}${s.State === 'exited' ? `, exit ${s.ExitCode}` : ''})`);
}
