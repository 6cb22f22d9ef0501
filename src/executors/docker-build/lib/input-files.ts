import { existsSync, statSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { NormalizedDockerBuildOptions, parseSecret } from './build-args';

/**
 * A one-line problem when a file the build reads is missing, found before Docker starts
 * rather than as a BuildKit error halfway through the build; undefined when all are there.
 * Secret sources are relative to the workspace root, where docker runs.
 */
export function missingInputProblem(options: NormalizedDockerBuildOptions, workspaceRoot: string): string | undefined {
  if (!existsSync(options.file)) {
    return `Dockerfile ${options.file} was not found. Create it or pass --file=<path to Dockerfile>.`;
  }
  if (!existsSync(options.context) || !statSync(options.context).isDirectory()) {
    return `Build context ${options.context} is not a folder. Create it or pass --context=<folder>.`;
  }
  for (const secret of options.secrets ?? []) {
    const { id, src } = parseSecret(secret) ?? {};
    if (src === undefined) continue;
    const path = isAbsolute(src) ? src : join(workspaceRoot, src);
    if (!existsSync(path)) {
      return `Secret file ${path} (secret ${id}) was not found. Create it or fix src= in the secrets option.`;
    }
  }
  return undefined;
}
