import type { ExecutorContext } from '@nx/devkit';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  composeBuild,
  composeDownQuietly,
  composeFileProblem,
  composeServicesNotHealthy,
  composeUpOrDown,
  composeVolumes,
  dockerProblem,
  removeVolumes,
  showComposeLogs,
} from '../../docker';
import { ExecutorResult, fail, projectRootOf, resolvePath } from '../../utils/executor-context';
import { logger } from '../../utils/logger';
import { composeProjectName, optionsProblem, upDeadline } from './lib/compose-options';
import type { ComposeExecutorSchema } from './schema';

export default async function composeExecutor(options: ComposeExecutorSchema, context: ExecutorContext): Promise<ExecutorResult> {
  const normalized = {
    ...options,
    file: resolvePath(options.file ?? join(projectRootOf(context), 'compose.yaml'), context),
    projectName: options.projectName ?? composeProjectName(context.projectName as string),
  };
  const problem = optionsProblem(normalized) ?? (await dockerProblem());
  if (problem) return fail(problem);
  if (!existsSync(normalized.file)) {
    return fail(`Compose file ${normalized.file} was not found. Create it or pass --file=<path to compose.yaml>.`);
  }
  const fileProblem = await composeFileProblem(normalized, context.root);
  if (fileProblem) return fail(`Compose file ${normalized.file} cannot be used: ${fileProblem}. Fix it or pass --file=<path to compose.yaml>.`);

  if (normalized.command === 'up' && (normalized.build ?? true)) {
    const built = await composeBuild(normalized, context.root);
    if (built !== 0) return fail(`docker compose build failed with exit code ${built}; the failing step is shown above.`);
  }

  const volumesBefore = normalized.command === 'up' ? await composeVolumes(normalized) : [];
  const deadline = upDeadline(normalized);
  let timer: NodeJS.Timeout | undefined;
  let timedOut = false;
  const code = await composeUpOrDown(normalized, context.root, (pid) => {
    if (deadline === undefined) return;
    timer = setTimeout(() => {
      timedOut = true;
      process.kill(pid, 'SIGTERM');
    }, deadline * 1000);
  });
  clearTimeout(timer);
  if (code === 0) {
    if (normalized.command === 'up') logger.info(`Compose project ${normalized.projectName} is up and healthy.`);
    return { success: true };
  }
  if (normalized.command === 'down') return fail(`docker compose down failed with exit code ${code} (see above).`);

  // A failed up leaves nothing behind (as docker-run does with a container that never
  // becomes healthy): show why, take the stack down, and remove the volumes this run created;
  // volumes that existed before hold data and are kept. A database stopped during its first
  // initialisation would otherwise leave a half-written volume that fails every later up.
  const unhealthy = await composeServicesNotHealthy(normalized, context.root);
  const which = unhealthy?.length ? `: not healthy: ${unhealthy.join(', ')}` : '';
  if (unhealthy !== undefined) await showComposeLogs(normalized, context.root);
  await composeDownQuietly(normalized, context.root);
  await removeVolumes((await composeVolumes(normalized)).filter((volume) => !volumesBefore.includes(volume)));
  const what = timedOut ? `Compose project ${normalized.projectName} was not healthy after ${deadline}s` : `docker compose up failed with exit code ${code}`;
  return fail(
    `${what}${which}. The last log lines are above; what this run created was removed (existing volumes are kept). Fix the service or raise --waitTimeout, then retry.`,
  );
}
