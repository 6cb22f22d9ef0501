import type { ExecutorContext } from '@nx/devkit';
import { isAbsolute, join } from 'node:path';
import { logger } from './logger';

export interface ExecutorResult {
  success: boolean;
}

/** An expected failure: one line that names the problem and the fix, no stack trace. */
export function fail(message: string): ExecutorResult {
  logger.error(message);
  return { success: false };
}

export function projectRootOf(context: ExecutorContext): string {
  const project = context.projectName ? context.projectsConfigurations?.projects[context.projectName] : undefined;
  if (!project) {
    throw new Error(`Cannot find project '${context.projectName}' in the workspace. Run 'nx show projects' to list them.`);
  }
  return project.root;
}

/** Replaces `{workspaceRoot}` and `{projectRoot}` (Nx resolves them too, but not on every major), then makes the path absolute. */
export function resolvePath(path: string, context: ExecutorContext): string {
  const resolved = resolveTokens(path, context);
  return isAbsolute(resolved) ? resolved : join(context.root, resolved);
}

/** resolvePath for every value of a name-to-path map. */
export function resolvePaths(paths: Record<string, string>, context: ExecutorContext): Record<string, string> {
  return Object.fromEntries(Object.entries(paths).map(([name, path]) => [name, resolvePath(path, context)]));
}

export function resolveTokens(value: string, context: ExecutorContext): string {
  return value.replace(/\{workspaceRoot\}\/?/g, `${context.root}/`).replace(/\{projectRoot\}/g, projectRootOf(context));
}

/** Option maps whose values Nx's argument parser may have turned into numbers or booleans, as Docker wants them: strings. */
export function asStrings(values: Record<string, string | number | boolean> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(values ?? {}).map(([key, value]) => [key, String(value)]));
}

