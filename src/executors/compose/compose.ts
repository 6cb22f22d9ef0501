import { ExecutorContext, logger } from '@nx/devkit';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { dockerProblem } from '../../utils/docker';
import { ExecutorResult, fail, projectRootOf, resolvePath } from '../../utils/executor-context';
import { runProcess } from '../../utils/run-process';
import {
  composeArgs,
  composeBuildArgs,
  composeProjectName,
  configArgs,
  lastLine,
  logsArgs,
  optionsProblem,
  psArgs,
  unhealthyServices,
  upDeadline,
  volumesArgs,
} from './lib/compose-args';
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
  const config = await runProcess('docker', configArgs(normalized), { stdio: 'pipe', cwd: context.root });
  if (config.code !== 0) {
    return fail(
      `Compose file ${normalized.file} cannot be used: ${lastLine(config.stderr) || `docker compose config exited with code ${config.code}`}. Fix it or pass --file=<path to compose.yaml>.`,
    );
  }

  if (normalized.command === 'up' && (normalized.build ?? true)) {
    const built = await runProcess('docker', composeBuildArgs(normalized), { cwd: context.root });
    if (built.code !== 0) return fail(`docker compose build failed with exit code ${built.code}; the failing step is shown above.`);
  }

  const volumes = async () => (await runProcess('docker', volumesArgs(normalized), { stdio: 'pipe' })).stdout.split('\n').filter(Boolean);
  const volumesBefore = normalized.command === 'up' ? await volumes() : [];
  const deadline = upDeadline(normalized);
  let timer: NodeJS.Timeout | undefined;
  let timedOut = false;
  const { code } = await runProcess('docker', composeArgs(normalized), {
    cwd: context.root,
    onStart: (pid) => {
      if (deadline === undefined) return;
      timer = setTimeout(() => {
        timedOut = true;
        process.kill(pid, 'SIGTERM');
      }, deadline * 1000);
    },
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
  const ps = await runProcess('docker', psArgs(normalized), { stdio: 'pipe', cwd: context.root });
  const unhealthy = ps.code === 0 ? unhealthyServices(ps.stdout) : [];
  const which = unhealthy.length ? `: not healthy: ${unhealthy.join(', ')}` : '';
  if (ps.code === 0 && ps.stdout.trim() !== '') await runProcess('docker', logsArgs(normalized), { cwd: context.root });
  await runProcess('docker', composeArgs({ ...normalized, command: 'down', volumes: false }), { stdio: 'pipe', cwd: context.root });
  const created = (await volumes()).filter((volume) => !volumesBefore.includes(volume));
  if (created.length) await runProcess('docker', ['volume', 'rm', ...created], { stdio: 'pipe' });
  const what = timedOut ? `Compose project ${normalized.projectName} was not healthy after ${deadline}s` : `docker compose up failed with exit code ${code}`;
  return fail(
    `${what}${which}. The last log lines are above; what this run created was removed (existing volumes are kept). Fix the service or raise --waitTimeout, then retry.`,
  );
}
