import { ExecutorContext, logger } from '@nx/devkit';
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  RegistryLookup,
  containerdImageStoreProblem,
  dockerProblem,
  loadImage,
  ociArchiveBuildArgs,
  ociArchiveDigest,
  pushImage,
  registryDigest,
  tagImage,
  tagInRegistry,
} from '../../utils/docker';
import { ExecutorResult, fail, projectRootOf, resolvePath } from '../../utils/executor-context';
import { gitRevision } from '../../utils/git';
import { runProcess } from '../../utils/run-process';
import { NormalizedDockerPushOptions, normalizePushOptions } from './lib/push-options';
import type { DockerPushExecutorSchema } from './schema';

/** What a deploy step reads: the image, its tags, the digest they name, its platforms. */
export interface PushMetadata {
  image: string;
  tags: string[];
  digest: string;
  platforms: string[];
  /** False when the registry already had this digest under these tags. */
  pushed: boolean;
}

export default async function dockerPushExecutor(options: DockerPushExecutorSchema, context: ExecutorContext): Promise<ExecutorResult> {
  const project = context.projectName as string;
  const projectRoot = projectRootOf(context);
  const git = await gitRevision(context.root);
  if (!git) return fail(`docker-push tags images with the commit, but ${context.root} is not a git repository with a commit. Commit first.`);
  const normalized = normalizePushOptions(
    {
      ...options,
      file: resolvePath(options.file ?? join(projectRoot, 'Dockerfile'), context),
      context: resolvePath(options.context ?? projectRoot, context),
      metadataFile: resolvePath(options.metadataFile ?? join('dist', 'docker', `${project}.json`), context),
    },
    project,
    git,
  );
  if ('problem' in normalized) return fail(normalized.problem);
  const dockerIssue = await dockerProblem();
  if (dockerIssue) return fail(dockerIssue);
  // Before anything is built: the registry answers and lets these credentials in.
  const firstTag = await registryDigest(`${normalized.repository}:${normalized.tags[0]}`);
  if ('problem' in firstTag) return fail(firstTag.problem === 'unauthorized' ? unauthorized(normalized) : unreachable(normalized, firstTag.detail));
  const storeProblem = await containerdImageStoreProblem('docker-push (it loads a multi-platform image)');
  if (storeProblem) return fail(storeProblem);

  const work = mkdtempSync(join(tmpdir(), 'nx-go-docker-push-'));
  try {
    const archive = join(work, 'image.oci.tar');
    const first = `${normalized.repository}:${normalized.tags[0]}`;
    logger.info(`Building ${normalized.repository} for ${normalized.platforms.join(', ')} (reproducible: timestamps from the commit)`);
    const args = ociArchiveBuildArgs({ ...normalized, name: first, destination: archive });
    const built = await runProcess('docker', args, { cwd: context.root });
    if (built.code !== 0) return fail(`docker buildx build failed with exit code ${built.code}; the failing step is shown above. Nothing was pushed.`);
    const digest = await ociArchiveDigest(archive);

    const missing = await tagsWithout(normalized, digest, firstTag);
    if (missing.length === 0) {
      logger.info(`${normalized.repository}@${digest} is already in the registry as ${normalized.tags.join(', ')}: nothing to push.`);
    } else {
      const pushed = await push(normalized, archive, digest, missing);
      if (pushed) return fail(pushed);
    }
    writeMetadata(normalized.metadataFile, {
      image: normalized.repository,
      tags: normalized.tags,
      digest,
      platforms: normalized.platforms,
      pushed: missing.length > 0,
    });
    logger.info(`${normalized.repository}@${digest} (${normalized.tags.join(', ')}); recorded in ${normalized.metadataFile}`);
    return { success: true };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** The tags that do not yet name this digest in the registry; what the first one names was looked up already. */
async function tagsWithout(options: NormalizedDockerPushOptions, digest: string, firstTag: RegistryLookup): Promise<string[]> {
  const missing: string[] = [];
  for (const tag of options.tags) {
    const lookup = tag === options.tags[0] ? firstTag : await registryDigest(`${options.repository}:${tag}`);
    if (!lookup.found || lookup.digest !== digest) missing.push(tag);
  }
  return missing;
}

/** Uploads the image once, under the first missing tag, then points the other tags at its digest. Returns a problem, or undefined. */
async function push(options: NormalizedDockerPushOptions, archive: string, digest: string, tags: string[]): Promise<string | undefined> {
  const loaded = await loadImage(archive);
  if (loaded.code !== 0) return `docker load of the built image failed: ${loaded.detail}. Nothing was pushed.`;
  if (tags[0] !== options.tags[0]) {
    const tagged = await tagImage(`${options.repository}:${options.tags[0]}`, `${options.repository}:${tags[0]}`);
    if (tagged.code !== 0) return `docker tag of the built image failed: ${tagged.detail}. Nothing was pushed.`;
  }
  logger.info(`Pushing ${options.repository}:${tags[0]}`);
  const result = await pushImage(`${options.repository}:${tags[0]}`);
  if (result.code !== 0) {
    if (result.problem === 'unauthorized') return unauthorized(options);
    if (result.problem === 'unreachable') return unreachable(options, result.detail);
    return `docker push of ${options.repository}:${tags[0]} failed: ${result.detail}. No other tag was pushed.`;
  }
  for (const tag of tags.slice(1)) {
    const tagged = await tagInRegistry(`${options.repository}@${digest}`, `${options.repository}:${tag}`);
    if (tagged.code !== 0) return `Tagging ${options.repository}@${digest} as ${tag} failed: ${tagged.detail}. The image is in the registry as ${tags[0]}.`;
  }
  return undefined;
}

function unauthorized(options: NormalizedDockerPushOptions): string {
  return `The registry ${options.registryHost} refused ${options.repository}: not logged in or not allowed. Run 'docker login ${options.registryHost}' and retry.`;
}

function unreachable(options: NormalizedDockerPushOptions, detail: string): string {
  return `The registry ${options.registryHost} is not reachable (${detail}). Check the registry address and the network, then retry.`;
}

/** Written whole or not at all: a deploy step never reads half a file. */
function writeMetadata(file: string, metadata: PushMetadata): void {
  mkdirSync(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(metadata, null, 2)}\n`);
  renameSync(temporary, file);
}
