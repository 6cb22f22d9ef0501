import type { ExecutorContext } from '@nx/devkit';
import { existsSync } from 'node:fs';
import { ExecutorResult, fail } from '../../utils/executor-context';
import { gitRevision, tagsAtHead } from '../../utils/git';
import { logger } from '../../utils/logger';
import { withPaths } from '../docker-push/docker-push';
import { buildAndPushOnce } from '../docker-push/lib/push-image';
import { normalizePushOptions } from '../docker-push/lib/push-options';
import { isSemver, releaseImageTags, releaseTagPatterns, versionFromTags } from './lib/release-version';
import type { ReleasePublishExecutorSchema } from './schema';

/** `nx release publish` for a Go service: its image, tagged with the release version. */
export default async function releasePublishExecutor(options: ReleasePublishExecutorSchema, context: ExecutorContext): Promise<ExecutorResult> {
  const project = context.projectName as string;
  const { nxReleaseVersionData, releaseTags, releaseVersion, firstRelease: _firstRelease, ...pushOptions } = options;
  const paths = withPaths({ ...pushOptions, metadataFile: pushOptions.metadataFile ?? `dist/docker/${project}.release.json` }, context);
  if (!existsSync(paths.file)) {
    logger.info(`${project} has no Dockerfile (${paths.file}): no image to publish. A Go module is published by its release tag.`);
    return { success: true };
  }
  const git = await gitRevision(context.root);
  if (!git) return fail(`Publishing ${project} needs a git repository with a commit at ${context.root}. Commit first.`);

  let version = releaseVersion;
  if (version === undefined && nxReleaseVersionData !== undefined) {
    version = nxReleaseVersionData[project]?.newVersion ?? undefined;
    if (version === undefined) {
      logger.info(`${project} was not versioned in this release (nothing changed it): nothing to publish.`);
      return { success: true };
    }
  }
  if (version === undefined) {
    const patterns = releaseTagPatterns(context.nxJsonConfiguration as { release?: Record<string, unknown> });
    version = versionFromTags(await tagsAtHead(context.root), patterns, project);
    if (version === undefined) {
      logger.info(`No release tag of ${project} points at this commit (looked for ${patterns.map((p) => p.replace('{projectName}', project)).join(', ')}): nothing to publish. Run 'nx release' first.`);
      return { success: true };
    }
  }
  if (!isSemver(version)) return fail(`Invalid release version '${version}': use a semantic version such as 1.4.2 or 2.0.0-rc.1.`);

  const { tags, dropped } = releaseImageTags(version, releaseTags?.length ? releaseTags : ['{version}'], project, git);
  if (dropped.length) logger.info(`${version} is a prerelease: not tagging it ${dropped.join(', ')}.`);
  const normalized = normalizePushOptions(paths, project, git, { version, tags });
  if ('problem' in normalized) return fail(normalized.problem);
  logger.info(`Publishing ${project} ${version} as ${normalized.repository}:${normalized.tags.join(', :')}`);
  return buildAndPushOnce(normalized, context.root, options.dryRun);
}
