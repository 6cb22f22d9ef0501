import type { ComposeExecutorSchema } from '../schema';

export interface NormalizedComposeOptions extends ComposeExecutorSchema {
  file: string;
  projectName: string;
}

/** Compose project names: lower case letters, digits, '-' and '_', starting with a letter or digit. */
export function composeProjectName(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9_-]/g, '-');
}

export function optionsProblem(options: NormalizedComposeOptions): string | undefined {
  if (options.command !== 'up' && options.command !== 'down') {
    return `Unknown compose command '${options.command}': use up or down.`;
  }
  if (!/^[a-z0-9][a-z0-9_-]*$/.test(options.projectName)) {
    return `Invalid compose projectName '${options.projectName}': use lower case letters, digits, '-' and '_', starting with a letter or digit.`;
  }
  if (options.waitTimeout !== undefined && !(options.waitTimeout > 0)) {
    return `Invalid waitTimeout '${options.waitTimeout}': give a positive number of seconds.`;
  }
  return undefined;
}

/**
 * `up` or `down`. With build (the default) the executor runs composeBuildArgs first and up
 * gets --no-build, so the wait timeout it enforces on up never counts a cold build.
 */
export function composeArgs(options: NormalizedComposeOptions): string[] {
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

export function composeBuildArgs(options: NormalizedComposeOptions): string[] {
  return ['compose', '--file', options.file, '--project-name', options.projectName, 'build'];
}

/**
 * Seconds `up` may take before the executor stops it, or undefined when it does not wait.
 * Compose's --wait-timeout starts only once every container has started, so without this
 * a dependency that is slow to become healthy (depends_on: service_healthy) is waited for
 * as long as its own health check allows, whatever waitTimeout says.
 */
export function upDeadline(options: NormalizedComposeOptions): number | undefined {
  return options.command === 'up' && (options.wait ?? true) ? (options.waitTimeout ?? 120) : undefined;
}

export function psArgs(options: NormalizedComposeOptions): string[] {
  return ['compose', '--file', options.file, '--project-name', options.projectName, 'ps', '--all', '--format', 'json'];
}

/** The project's volumes by name, one a line: those `up` creates carry its project label. */
export function volumesArgs(options: NormalizedComposeOptions): string[] {
  return ['volume', 'ls', '--filter', `label=com.docker.compose.project=${options.projectName}`, '--format', '{{.Name}}'];
}

/** Parses and checks the compose file without touching the engine's containers. */
export function configArgs(options: NormalizedComposeOptions): string[] {
  return ['compose', '--file', options.file, '--project-name', options.projectName, 'config', '--quiet'];
}

/** The last lines each service logged, shown when `up` fails. */
export function logsArgs(options: NormalizedComposeOptions): string[] {
  return ['compose', '--file', options.file, '--project-name', options.projectName, 'logs', '--no-color', '--tail', '20'];
}

/** The last non-empty line of a process's output: where docker compose states its error. */
export function lastLine(output: string): string {
  return output.trim().split('\n').at(-1)?.trim() ?? '';
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
