import { ExecutorContext, logger } from '@nx/devkit';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { dockerProblem } from '../../utils/docker';
import { ExecutorResult, fail, projectRootOf, resolvePath } from '../../utils/executor-context';
import { runProcess } from '../../utils/run-process';
import { composeArgs, composeProjectName, optionsProblem, psArgs, unhealthyServices } from './lib/compose-args';
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

  const args = composeArgs(normalized);
  const { code } = await runProcess('docker', args, { cwd: context.root });
  if (code === 0) {
    if (normalized.command === 'up') logger.info(`Compose project ${normalized.projectName} is up and healthy.`);
    return { success: true };
  }
  if (normalized.command === 'down') return fail(`docker compose down failed with exit code ${code} (see above).`);

  const ps = await runProcess('docker', psArgs(normalized), { stdio: 'pipe', cwd: context.root });
  const unhealthy = ps.code === 0 ? unhealthyServices(ps.stdout) : [];
  const which = unhealthy.length ? `: not healthy: ${unhealthy.join(', ')}` : '';
  return fail(
    `docker compose up failed with exit code ${code}${which}. Inspect with 'docker compose -p ${normalized.projectName} logs', stop with 'nx run ${context.projectName}:compose-down'.`,
  );
}
