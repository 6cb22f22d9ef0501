import type { ComposeOptions } from '../../../docker';
import type { ComposeExecutorSchema } from '../schema';

export interface NormalizedComposeOptions extends ComposeExecutorSchema, ComposeOptions {
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
 * Seconds `up` may take before the executor stops it, or undefined when it does not wait.
 * Compose's --wait-timeout starts only once every container has started, so without this
 * a dependency that is slow to become healthy (depends_on: service_healthy) is waited for
 * as long as its own health check allows, whatever waitTimeout says.
 */
export function upDeadline(options: NormalizedComposeOptions): number | undefined {
  return options.command === 'up' && (options.wait ?? true) ? (options.waitTimeout ?? 120) : undefined;
}
