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

export function composeArgs(options: NormalizedComposeOptions): string[] {
  const args = ['compose', '--file', options.file, '--project-name', options.projectName, options.command];
  if (options.command === 'down') {
    if (options.volumes) args.push('--volumes');
    return args;
  }
  if (options.build ?? true) args.push('--build');
  if (options.wait ?? true) {
    args.push('--wait', '--wait-timeout', String(options.waitTimeout ?? 120));
  } else if (options.detach ?? true) {
    args.push('--detach');
  }
  return args;
}

export function psArgs(options: NormalizedComposeOptions): string[] {
  return ['compose', '--file', options.file, '--project-name', options.projectName, 'ps', '--all', '--format', 'json'];
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
