import { GitRevision, revisionBuildArgs } from '../../../utils/git';
import { isValidImageReference } from '../../../docker';
import { asStrings } from '../../../utils/executor-context';
import { fillTemplate } from '../../../utils/fill-template';
import { imagePlatforms } from '../../../utils/image-platforms';
import type { DockerPushExecutorSchema } from '../schema';

export interface NormalizedDockerPushOptions {
  /** `registry/namespace/name`, without a tag. */
  repository: string;
  /** The registry's host: what `docker login` takes. */
  registryHost: string;
  /** The short commit first, then the others, each a tag (no repository). */
  tags: string[];
  platforms: string[];
  file: string;
  context: string;
  buildArgs: Record<string, string>;
  builder?: string;
  buildContexts?: Record<string, string>;
  cacheFrom?: string[];
  cacheTo?: string[];
  /** Absolute. */
  goCacheDir?: string;
  noCache: boolean;
  /** SLSA provenance (mode=max) pushed beside the image. */
  provenance: boolean;
  /** An SPDX SBOM of the Go modules in the binary, pushed beside the image. */
  sbom: boolean;
  metadataFile: string;
}

/** Every default filled and every template expanded; a one-line problem and its fix when an option is invalid. */
export function normalizePushOptions(
  options: DockerPushExecutorSchema & { file: string; context: string; metadataFile: string },
  projectName: string,
  git: GitRevision,
  release?: { version: string; tags: string[] },
): NormalizedDockerPushOptions | { problem: string } {
  if (!options.registry) {
    return {
      problem: `docker-push needs a registry: set "registry" (e.g. "ghcr.io/acme") in the nx-go-docker plugin options in nx.json, or pass --registry.`,
    };
  }
  const registry = options.registry.replace(/\/+$/, '');
  const expand = (template: string) => fillTemplate(template, { registry, projectName, shortSha: git.shortCommit, sha: git.commit });
  const repository = expand(options.repository ?? '{registry}/{projectName}');
  if (!isValidImageReference(repository) || repository.includes('@') || /:[^/]*$/.test(repository.split('/').slice(1).join('/'))) {
    return { problem: `Invalid image repository '${repository}': use host[:port]/path in lower case, e.g. ghcr.io/acme/${projectName}.` };
  }
  // A release is tagged with its version (and the tags derived from it) instead of the commit.
  const tags = [...new Set(release ? release.tags : [git.shortCommit, ...(options.tags ?? []).map(expand)])];
  const badTag = tags.find((tag) => !/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(tag));
  if (badTag !== undefined) {
    return { problem: `Invalid tag '${badTag}': a tag is up to 128 letters, digits, '_', '.' and '-', not starting with '.' or '-'.` };
  }
  const chosen = imagePlatforms(options.platforms);
  if ('problem' in chosen) return chosen;
  const { platforms } = chosen;
  const firstPart = repository.split('/')[0];
  const registryHost = /[.:]/.test(firstPart) || firstPart === 'localhost' ? firstPart : 'docker.io';
  return {
    repository,
    registryHost,
    tags,
    platforms,
    file: options.file,
    context: options.context,
    buildArgs: { ...revisionBuildArgs(git), ...(release ? { VERSION: release.version } : {}), ...asStrings(options.buildArgs) },
    builder: options.builder,
    buildContexts: options.buildContexts,
    cacheFrom: options.cacheFrom,
    cacheTo: options.cacheTo,
    goCacheDir: options.goCacheDir,
    noCache: options.noCache ?? false,
    provenance: options.provenance ?? true,
    sbom: options.sbom ?? true,
    metadataFile: options.metadataFile,
  };
}
