import type { ExecutorContext } from '@nx/devkit';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  buildWithGoCache,
  buildxArgs,
  classicBuildArgs,
  containerdImageStoreProblem,
  dockerProblem,
  goCacheOf,
  goImageOf,
  goToolchainLabel,
  goToolchainOf,
  hasBuildx,
  runBuild,
} from '../../docker';
import { ExecutorResult, fail, projectRootOf, resolvePath, resolvePaths } from '../../utils/executor-context';
import { gitRevision } from '../../utils/git';
import { logger } from '../../utils/logger';
import { staleContextFiles } from './lib/stale-context';
import { buildxOnlyOptions, NormalizedDockerBuildOptions, optionsProblem, withDefaults } from './lib/build-args';
import { missingInputProblem } from './lib/input-files';
import type { DockerBuildExecutorSchema } from './schema';

export default async function dockerBuildExecutor(
  options: DockerBuildExecutorSchema,
  context: ExecutorContext,
): Promise<ExecutorResult> {
  const projectRoot = projectRootOf(context);
  const normalized = withDefaults(
    {
      ...options,
      file: resolvePath(options.file ?? join(projectRoot, 'Dockerfile'), context),
      context: resolvePath(options.context ?? projectRoot, context),
      metadataFile: options.metadataFile && resolvePath(options.metadataFile, context),
      buildContexts: options.buildContexts && resolvePaths(options.buildContexts, context),
    },
    context.projectName as string,
    await gitRevision(context.root),
  );
  const problem = optionsProblem(normalized) ?? missingInputProblem(normalized, context.root) ?? (await dockerProblem());
  if (problem) return fail(problem);
  const stale = staleContextFiles(context, projectRoot);
  if (stale.length) {
    return fail(
      `The Docker build context of ${context.projectName} is stale: ${stale.join(' and ')} do not list exactly the Go modules it imports. Run 'nx sync' to update it.`,
    );
  }

  const multiPlatform = normalized.load && (normalized.platforms?.length ?? 0) > 1;
  const storeProblem = multiPlatform
    ? await containerdImageStoreProblem(`Loading a multi-platform image (${normalized.platforms!.join(', ')})`, 'pass --push to send it to a registry instead')
    : undefined;
  if (storeProblem) return fail(storeProblem);

  const goImage = goImageOf(readFileSync(normalized.file, 'utf-8'), normalized.buildArgs);
  await labelGoToolchain(normalized, goImage);
  logger.info(`Building ${normalized.tags.join(', ')} from ${normalized.file}`);
  const goCache = goCacheOf(normalized.goCacheDir && resolvePath(normalized.goCacheDir, context), goImage, normalized);
  const args = buildxArgs(normalized);
  let result = await buildWithGoCache(goCache, () => runBuild(args, context.root), (message) => logger.info(message));
  // Whether buildx is installed is asked only when a build fails: 0.1 s less on every build.
  if (('problem' in result || result.code !== 0) && !(await hasBuildx())) result = await classicBuild(normalized, context.root);
  if ('problem' in result) return fail(result.problem);
  if (result.code !== 0) return fail(`docker buildx build failed with exit code ${result.code}; the failing step is shown above.`);
  logger.info(`Built ${normalized.tags.join(', ')}`);
  return { success: true };
}

/** The build with the classic `docker build` and BuildKit, for a Docker CLI without the buildx plugin; a failure is a problem. */
async function classicBuild(options: NormalizedDockerBuildOptions, cwd: string): Promise<{ code: number } | { problem: string }> {
  const unsupported = buildxOnlyOptions(options);
  if (unsupported.length) {
    return {
      problem: `docker buildx is not installed and ${unsupported.join(', ')} need it. Install the buildx plugin (https://github.com/docker/buildx#installing) and retry.`,
    };
  }
  logger.warn('docker buildx is not installed; building with `docker build` and BuildKit instead.');
  const code = await runBuild(classicBuildArgs(options), cwd, { ...process.env, DOCKER_BUILDKIT: '1' });
  return code === 0 ? { code } : { problem: `docker build failed with exit code ${code}; the failing step is shown above.` };
}

/** Records the Go toolchain in the image's labels (unless the options set that label themselves). */
async function labelGoToolchain(options: NormalizedDockerBuildOptions, goImage: string | undefined): Promise<void> {
  if (options.labels[goToolchainLabel] !== undefined) return;
  const version = await goToolchainOf({ goImage, binaries: options.buildContexts?.binaries, builder: options.builder });
  if (version) options.labels[goToolchainLabel] = version;
}

