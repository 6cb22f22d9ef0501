import { GitRevision, revisionBuildArgs } from '../../../utils/git';
import { BuildxOptions, isValidImageReference } from '../../../docker';
import { asStrings } from '../../../utils/executor-context';
import type { DockerBuildExecutorSchema } from '../schema';

/** Options with every default filled and every path absolute. */
export interface NormalizedDockerBuildOptions extends DockerBuildExecutorSchema, BuildxOptions {
  file: string;
  context: string;
  tags: string[];
  buildArgs: Record<string, string>;
  labels: Record<string, string>;
  load: boolean;
  /** `--provenance`'s value (`false` included); empty for a builder without attestations. */
  provenance: string;
}

/** Default tags and the build args the generated Dockerfile stamps into the binary and the OCI labels. */
export function withDefaults(
  options: DockerBuildExecutorSchema & { file: string; context: string },
  projectName: string,
  git: GitRevision | undefined,
): NormalizedDockerBuildOptions {
  const tags = options.tags?.length
    ? options.tags
    : [`${projectName}:latest`, ...(git ? [`${projectName}:${git.shortCommit}`] : [])];
  const revisionArgs = git ? revisionBuildArgs(git) : {};
  return {
    ...options,
    tags,
    buildArgs: { ...revisionArgs, ...asStrings(options.buildArgs) },
    labels: asStrings(options.labels),
    load: options.load ?? !options.push,
    // An attestation records when it was built, so a loaded image with one gets a new ID on
    // every build and nothing downstream (Nx's cache, compose) can tell it did not change.
    provenance: String(options.provenance ?? (options.push ? 'mode=max' : false)),
  };
}

/** A one-line problem with the options and its fix, or undefined when they are valid. */
export function optionsProblem(options: NormalizedDockerBuildOptions): string | undefined {
  const badTag = options.tags.find((tag) => !isValidImageReference(tag));
  if (badTag !== undefined) {
    return `Invalid image tag '${badTag}': use [registry/]name[:tag] in lower case without spaces, e.g. orders-api:1.2.0.`;
  }
  const badArg = Object.keys(options.buildArgs).find((key) => !/^[A-Za-z_][A-Za-z0-9_]*$/.test(key));
  if (badArg !== undefined) {
    return `Invalid build arg name '${badArg}': use letters, digits and '_', starting with a letter or '_'.`;
  }
  const badLabel = Object.keys(options.labels).find((key) => key.trim() === '' || /\s/.test(key));
  if (badLabel !== undefined) {
    return `Invalid label name '${badLabel}': label keys cannot be empty or contain spaces (e.g. org.opencontainers.image.vendor).`;
  }
  const badSecret = options.secrets?.find((secret) => parseSecret(secret) === undefined);
  if (badSecret !== undefined) {
    return `Invalid secret '${badSecret}': use id=<id>,src=<file> or id=<id>,env=<VARIABLE> (e.g. id=netrc,src=/home/me/.netrc); Nx splits command-line arrays at commas, so set secrets with a src or env in project.json.`;
  }
  const badPlatform = options.platforms?.find((platform) => !/^[a-z0-9]+\/[a-z0-9_]+(\/[a-z0-9]+)?$/.test(platform));
  if (badPlatform !== undefined) {
    return `Invalid platform '${badPlatform}': use os/arch[/variant], e.g. linux/amd64 or linux/arm64.`;
  }
  return undefined;
}

export interface BuildSecret {
  id: string;
  src?: string;
  env?: string;
}

/** A --secret value as buildx reads it (`id=netrc,src=/home/me/.netrc`), or undefined when it has no id or an unknown key. */
export function parseSecret(secret: string): BuildSecret | undefined {
  const fields = new Map<string, string>();
  for (const part of secret.split(',')) {
    const [key, ...value] = part.split('=');
    if (!['id', 'src', 'source', 'env', 'type'].includes(key) || value.length === 0 || value.join('=') === '') return undefined;
    fields.set(key, value.join('='));
  }
  const id = fields.get('id');
  if (id === undefined) return undefined;
  return { id, src: fields.get('src') ?? fields.get('source'), env: fields.get('env') };
}

/** Options only buildx understands; without buildx they cannot be honoured by `docker build`. */
export function buildxOnlyOptions(options: NormalizedDockerBuildOptions): string[] {
  const used: string[] = [];
  if ((options.platforms?.length ?? 0) > 1) used.push('platforms (more than one)');
  if (options.cacheTo?.length) used.push('cacheTo');
  if (Object.keys(options.buildContexts ?? {}).length) used.push('buildContexts');
  if (options.goCacheDir) used.push('goCacheDir');
  if (options.builder) used.push('builder');
  if (options.push) used.push('push');
  if (options.metadataFile) used.push('metadataFile');
  return used;
}
