import type { ExecutorContext } from '@nx/devkit';
import { existsSync } from 'node:fs';
import {
  containerExists,
  dockerProblem,
  engineSocket,
  imageExists,
  removeContainer,
  signalContainer,
  stopAndRemoveContainer,
  stopContainer,
  runContainer,
  showLogs,
  waitHealthy,
  waitStopped,
  dockerRunArgs,
} from '../../docker';
import { ExecutorResult, fail, resolvePath } from '../../utils/executor-context';
import { logger } from '../../utils/logger';
import { isPortFree } from '../../utils/port';
import { untilInterrupted, withoutInterruption } from '../../utils/run-process';
import { optionsProblem, withDefaults } from './lib/run-args';
import type { DockerRunExecutorSchema } from './schema';

/** docker stop's default: how long a stopping container gets before SIGKILL. */
const stopGraceSeconds = 10;

export default async function dockerRunExecutor(options: DockerRunExecutorSchema, context: ExecutorContext): Promise<ExecutorResult> {
  const project = context.projectName as string;
  const normalized = withDefaults(
    { ...options, envFile: options.envFile && resolvePath(options.envFile, context) },
    project,
  );
  const problem = optionsProblem(normalized) ?? (await dockerProblem());
  if (problem) return fail(problem);
  if (normalized.envFile && !existsSync(normalized.envFile)) {
    return fail(`Env file ${normalized.envFile} was not found. Create it or fix --envFile.`);
  }
  if (!(await imageExists(normalized.image))) {
    return fail(`Image ${normalized.image} was not found. Build it first: nx run ${project}:docker-build`);
  }
  if (await containerExists(normalized.name)) {
    return fail(`A container named ${normalized.name} already exists. Remove it (docker rm -f ${normalized.name}) or pass --name.`);
  }
  if (!(await isPortFree(normalized.hostPort, normalized.host))) {
    return fail(
      `Port ${normalized.hostPort} on ${normalized.host} is already in use. Stop what listens there or pass --hostPort=<free port>.`,
    );
  }

  const args = dockerRunArgs(normalized);
  const url = `http://${normalized.host}:${normalized.hostPort}`;
  if (!normalized.detach) {
    // Found before the interruption, so that stopping the container then needs no new process.
    const socket = await engineSocket();
    logger.info(`Running ${normalized.image} as ${normalized.name} on ${url} (Ctrl-C stops it)`);
    // One SIGTERM on the first interruption, as `docker stop` sends it, however many signals
    // Nx sends the task's processes. Then wait out the service's graceful shutdown, and force
    // it only past docker's grace period.
    const { code } = await untilInterrupted(
      () => runContainer(args),
      () => signalContainer(normalized.name, 'SIGTERM', socket),
    );
    await withoutInterruption(async () => {
      if (!(await waitStopped(normalized.name, stopGraceSeconds))) await stopContainer(normalized.name);
      if (normalized.rm) await removeContainer(normalized.name);
    });
    if (code === 0) return { success: true };
    return fail(
      code > 128
        ? `Interrupted: container ${normalized.name} was stopped gracefully${normalized.rm ? ' and removed' : ''}.`
        : `Container ${normalized.name} exited with code ${code}.`,
    );
  }

  const { code, stderr } = await runContainer(args, 'pipe');
  if (code !== 0) return fail(`docker run failed: ${stderr.trim().split('\n').at(-1)}`);
  if (!normalized.waitHealthy) {
    logger.info(`Started ${normalized.name} on ${url}`);
    return { success: true };
  }
  logger.info(`Started ${normalized.name}; waiting up to ${normalized.healthTimeout}s for it to become healthy...`);
  const health = await waitHealthy(normalized.name, normalized.healthTimeout);
  if (!health.healthy) {
    await showLogs(normalized.name);
    await stopAndRemoveContainer(normalized.name);
    return fail(`${health.reason}. Its last log lines are above; the container was removed.`);
  }
  logger.info(`${normalized.name} is healthy on ${url} (stop it with: docker stop ${normalized.name})`);
  return { success: true };
}
