import { ExecutorContext } from '@nx/devkit';
import { join } from 'node:path';
import { ExecutorResult, fail, projectRootOf, resolvePath, resolvePaths } from '../../utils/executor-context';
import { gitRevision } from '../../utils/git';
import { buildAndPushOnce } from './lib/push-image';
import { normalizePushOptions } from './lib/push-options';
import type { DockerPushExecutorSchema } from './schema';

/** Pushes the image of the checked-out commit, tagged with the short commit and any tags given. */
export default async function dockerPushExecutor(options: DockerPushExecutorSchema, context: ExecutorContext): Promise<ExecutorResult> {
  const git = await gitRevision(context.root);
  if (!git) return fail(`docker-push tags images with the commit, but ${context.root} is not a git repository with a commit. Commit first.`);
  const normalized = normalizePushOptions(withPaths(options, context), context.projectName as string, git);
  if ('problem' in normalized) return fail(normalized.problem);
  return buildAndPushOnce(normalized, context.root, options.dryRun);
}

/** The Dockerfile, context and metadata file as absolute paths, defaulting to the project's own. */
export function withPaths<T extends DockerPushExecutorSchema>(options: T, context: ExecutorContext): T & { file: string; context: string; metadataFile: string } {
  const projectRoot = projectRootOf(context);
  return {
    ...options,
    file: resolvePath(options.file ?? join(projectRoot, 'Dockerfile'), context),
    context: resolvePath(options.context ?? projectRoot, context),
    metadataFile: resolvePath(options.metadataFile ?? join('dist', 'docker', `${context.projectName}.json`), context),
    buildContexts: options.buildContexts && resolvePaths(options.buildContexts, context),
    goCacheDir: options.goCacheDir && resolvePath(options.goCacheDir, context),
  };
}
