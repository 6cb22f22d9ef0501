import { logger } from '../../../utils/logger';
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  RegistryLookup,
  containerdImageStoreProblem,
  buildWithGoCache,
  dockerProblem,
  goCacheOf,
  goImageOf,
  goToolchainLabel,
  goToolchainOf,
  loadImage,
  ociArchiveBuildArgs,
  pushImage,
  registryDigest,
  sbomGeneratorImage,
  tagImage,
  runBuild,
  separateAttestations,
} from '../../../docker';
import { ExecutorResult, fail } from '../../../utils/executor-context';
import type { NormalizedDockerPushOptions } from './push-options';

/** What a deploy step reads: the image, its tags, the digest they name, its platforms. */
export interface PushMetadata {
  image: string;
  tags: string[];
  digest: string;
  platforms: string[];
  /** False when the registry already had this digest under these tags. */
  pushed: boolean;
  /** Where its provenance and SBOM are: an index of the same platform images plus BuildKit's attestation manifests. */
  attestations?: string;
}

/**
 * Builds the image for every platform into a reproducible OCI archive, uploads it once under
 * the first tag the registry lacks and then the same manifest under the others, pushes its
 * attestations beside it, and records it in the metadata file. The registry is asked first,
 * so bad credentials fail before a build.
 */
export async function buildAndPushOnce(options: NormalizedDockerPushOptions, workspaceRoot: string, dryRun = false): Promise<ExecutorResult> {
  const dockerIssue = await dockerProblem();
  if (dockerIssue) return fail(dockerIssue);
  const firstTag = await registryDigest(`${options.repository}:${options.tags[0]}`);
  if ('problem' in firstTag) return fail(firstTag.problem === 'unauthorized' ? unauthorized(options) : unreachable(options, firstTag.detail));
  if (dryRun) {
    logger.info(`Dry run: would build ${options.repository} for ${options.platforms.join(', ')} and push it as ${options.tags.join(', ')}. Nothing was built or pushed.`);
    return { success: true };
  }
  const storeProblem = await containerdImageStoreProblem('docker-push (it loads a multi-platform image)');
  if (storeProblem) return fail(storeProblem);

  const goImage = goImageOf(readFileSync(options.file, 'utf-8'), options.buildArgs);
  const sbom = options.sbom ? await sbomGeneratorImage(goImage ?? 'golang:1.26-alpine', { builder: options.builder, registry: registryOf(options.repository) }) : undefined;
  if (sbom && 'problem' in sbom) return fail(sbom.problem);

  const work = mkdtempSync(join(tmpdir(), 'nx-go-docker-push-'));
  try {
    const built = join(work, 'built.oci.tar');
    const first = `${options.repository}:${options.tags[0]}`;
    logger.info(`Building ${options.repository} for ${options.platforms.join(', ')} (reproducible: timestamps from the commit)`);
    const toolchain = await goToolchainOf({ goImage, binaries: options.buildContexts?.binaries, builder: options.builder });
    const labels: Record<string, string> = toolchain ? { [goToolchainLabel]: toolchain } : {};
    const args = ociArchiveBuildArgs({ ...options, labels, name: first, destination: built, sbomGenerator: sbom?.image });
    const goCache = goCacheOf(options.goCacheDir, goImage, options);
    const result = await buildWithGoCache(goCache, () => runBuild(args, workspaceRoot), (message) => logger.info(message));
    if ('problem' in result) return fail(`${result.problem} Nothing was pushed.`);
    if (result.code !== 0) return fail(`docker buildx build failed with exit code ${result.code}; the failing step is shown above. Nothing was pushed.`);
    const { image, attestations } = await separateAttestations(built, work, first, (digest) => attestationsReference(options, digest));
    const digest = image.digest;

    const missing = await tagsWithout(options, digest, firstTag);
    if (missing.length === 0) {
      logger.info(`${options.repository}@${digest} is already in the registry as ${options.tags.join(', ')}: nothing to push.`);
    } else {
      const problem = await push(options, image.archive, missing);
      if (problem) return fail(problem);
    }
    const attestationsTag = attestations ? await pushAttestations(options, digest, attestations.archive) : undefined;
    if (attestationsTag && 'problem' in attestationsTag) return fail(attestationsTag.problem);
    writeMetadata(options.metadataFile, {
      image: options.repository,
      tags: options.tags,
      digest,
      platforms: options.platforms,
      pushed: missing.length > 0,
      ...(attestationsTag ? { attestations: attestationsTag.reference } : {}),
    });
    logger.info(`${options.repository}@${digest} (${options.tags.join(', ')}); recorded in ${options.metadataFile}`);
    return { success: true };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * Pushes the attested index (the image's platform manifests, already in the registry, plus
 * provenance and SBOM) under `sha256-<image digest>.attestations`, the way cosign and the OCI
 * referrers fallback name what belongs to a digest. Kept when the registry has it: the image is
 * the same, so its first provenance still describes it.
 */
async function pushAttestations(options: NormalizedDockerPushOptions, digest: string, archive: string): Promise<{ reference: string } | { problem: string }> {
  const reference = attestationsReference(options, digest);
  const existing = await registryDigest(reference);
  if (existing.found) return { reference };
  const loaded = await loadImage(archive);
  if (loaded.code !== 0) return { problem: `docker load of the attestations failed: ${loaded.detail}. The image itself is pushed.` };
  logger.info(`Pushing ${reference} (provenance${options.sbom ? ' and SBOM' : ''})`);
  const result = await pushImage(reference);
  if (result.code !== 0) return { problem: `docker push of ${reference} failed: ${result.detail}. The image itself is pushed.` };
  return { reference };
}

function attestationsReference(options: NormalizedDockerPushOptions, digest: string): string {
  return `${options.repository}:${digest.replace(':', '-')}.attestations`;
}

/** The registry and namespace of a repository: where the SBOM generator for a remote builder goes. */
function registryOf(repository: string): string {
  return repository.split('/').slice(0, -1).join('/') || repository;
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

/**
 * Uploads the image under the first missing tag, then under the others: each push after the
 * first finds every blob in the registry and sends only the manifest, byte for byte the same
 * (`imagetools create` would wrap a one-platform manifest in a new index, another digest).
 * Returns a problem, or undefined.
 */
async function push(options: NormalizedDockerPushOptions, archive: string, tags: string[]): Promise<string | undefined> {
  const loaded = await loadImage(archive);
  if (loaded.code !== 0) return `docker load of the built image failed: ${loaded.detail}. Nothing was pushed.`;
  const pushedTags: string[] = [];
  for (const tag of tags) {
    const reference = `${options.repository}:${tag}`;
    if (tag !== options.tags[0]) {
      const tagged = await tagImage(`${options.repository}:${options.tags[0]}`, reference);
      if (tagged.code !== 0) return `docker tag of the built image failed: ${tagged.detail}. ${pushedSoFar(pushedTags)}`;
    }
    logger.info(`Pushing ${reference}`);
    const result = await pushImage(reference);
    if (result.code !== 0) {
      if (result.problem === 'unauthorized') return unauthorized(options);
      if (result.problem === 'unreachable') return unreachable(options, result.detail);
      return `docker push of ${reference} failed: ${result.detail}. ${pushedSoFar(pushedTags)}`;
    }
    pushedTags.push(tag);
  }
  return undefined;
}

function pushedSoFar(tags: string[]): string {
  return tags.length ? `The image is in the registry as ${tags.join(', ')} only.` : 'Nothing was pushed.';
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
