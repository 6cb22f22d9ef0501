import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runProcess } from '../utils/run-process';
import { imageExists } from './images';
import { registryDigest } from './registry';
import { lastLine } from './output';

/** What `docker buildx build` is told, one field to one flag (docker-build's options, normalized). */
export interface BuildxOptions {
  file: string;
  context: string;
  tags: string[];
  buildArgs: Record<string, string>;
  labels: Record<string, string>;
  platforms?: string[];
  target?: string;
  /** Named build contexts (`--build-context name=path`), e.g. the prebuilt binaries. */
  buildContexts?: Record<string, string>;
  cacheFrom?: string[];
  cacheTo?: string[];
  secrets?: string[];
  pull?: boolean;
  noCache?: boolean;
  builder?: string;
  load: boolean;
  push?: boolean;
  /** `--provenance`'s value (`false` included); empty for a builder without attestations. */
  provenance: string;
  metadataFile?: string;
}

/** Runs a build whose output streams to the terminal; resolves with docker's exit code. */
export async function runBuild(args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  return (await runProcess('docker', args, { cwd, env })).code;
}


/** `docker buildx build` writing a multi-platform OCI archive with timestamps clamped to SOURCE_DATE_EPOCH: the same digest on every machine. */
export function ociArchiveBuildArgs(options: {
  file: string;
  context: string;
  platforms: string[];
  buildArgs: Record<string, string>;
  labels?: Record<string, string>;
  buildContexts?: Record<string, string>;
  cacheFrom?: string[];
  cacheTo?: string[];
  builder?: string;
  noCache: boolean;
  /** The image name recorded in the archive (what `docker load` tags). */
  name: string;
  destination: string;
  /** SLSA provenance (mode=max) as an attestation in the archive's index. */
  provenance: boolean;
  /** An SBOM generator image (see sbomGeneratorImage), for an SBOM attestation. */
  sbomGenerator?: string;
}): string[] {
  const args = ['buildx', 'build', '--file', options.file, '--platform', options.platforms.join(',')];
  for (const [key, value] of Object.entries(options.buildArgs)) args.push('--build-arg', `${key}=${value}`);
  for (const [key, value] of Object.entries(options.labels ?? {})) args.push('--label', `${key}=${value}`);
  for (const [name, path] of Object.entries(options.buildContexts ?? {})) args.push('--build-context', `${name}=${path}`);
  for (const source of options.cacheFrom ?? []) args.push('--cache-from', source);
  for (const destination of options.cacheTo ?? []) args.push('--cache-to', destination);
  if (options.builder) args.push('--builder', options.builder);
  if (options.noCache) args.push('--no-cache');
  // Attestations go into the index, never into the platform images: see oci-archive.ts.
  args.push(`--provenance=${options.provenance ? 'mode=max' : 'false'}`);
  if (options.sbomGenerator) args.push(`--sbom=generator=${options.sbomGenerator}`);
  args.push('--output', `type=oci,dest=${options.destination},name=${options.name},rewrite-timestamp=true`);
  args.push(options.context);
  return args;
}

/** The plugin's own BuildKit SBOM generator (files/sbom-generator): Go build information to SPDX. */
const sbomGeneratorFolder = join(__dirname, '..', '..', 'files', 'sbom-generator');

/**
 * The SBOM generator image, built from `goImage` (the project's own Go builder, so nothing new
 * is pulled) the first time it is needed. Named by a hash of its sources: a new plugin version
 * builds its own. The engine's default builder takes it from the local image store; another
 * builder (a remote BuildKit) cannot see that store, so it is built on that builder and pushed
 * beside the project's images (`registry`, e.g. ghcr.io/acme). A one-line problem when it
 * cannot be built.
 */
export async function sbomGeneratorImage(goImage: string, where: { builder?: string; registry?: string } = {}): Promise<{ image: string } | { problem: string }> {
  const sources = ['Dockerfile', 'go.mod', 'main.go'].map((file) => readFileSync(join(sbomGeneratorFolder, file)));
  const hash = createHash('sha256').update(goImage).update(Buffer.concat(sources)).digest('hex').slice(0, 12);
  const remote = where.builder !== undefined && where.registry !== undefined;
  const image = remote ? `${where.registry}/nx-go-docker-sbom-generator:${hash}` : `nx-go-docker/sbom-generator:${hash}`;
  if (remote ? (await registryDigest(image)).found : await imageExists(image)) return { image };
  const output = remote ? ['--builder', where.builder!, '--push'] : ['--load'];
  const { code, stderr } = await runProcess('docker', ['buildx', 'build', ...output, '--tag', image, '--build-arg', `GO_IMAGE=${goImage}`, sbomGeneratorFolder], {
    stdio: 'pipe',
  });
  if (code === 0) return { image };
  return { problem: `Building the SBOM generator image from ${goImage} failed (${lastLine(stderr)}). Make ${goImage} available, or pass --sbom=false.` };
}

/**
 * Where `load` without `push` sends the image: the engine's image store. The engine's own
 * builder hands it over uncompressed (a 7 MB layer builds 0.2 s faster than at gzip level 1;
 * the store keeps files uncompressed anyway); another builder sends it over the network, at
 * gzip's fastest level.
 */
export function localImageOutput(builder: string | undefined): string {
  return builder ? 'type=docker,compression=gzip,compression-level=1' : 'type=docker,compression=uncompressed';
}

/** `docker buildx build` flags, one option to one flag, as the buildx docs name them. */
export function buildxArgs(options: BuildxOptions): string[] {
  const args = ['buildx', 'build', '--file', options.file];
  for (const tag of options.tags) args.push('--tag', tag);
  for (const [key, value] of Object.entries(options.buildArgs)) args.push('--build-arg', `${key}=${value}`);
  for (const [key, value] of Object.entries(options.labels)) args.push('--label', `${key}=${value}`);
  if (options.platforms?.length) args.push('--platform', options.platforms.join(','));
  if (options.target) args.push('--target', options.target);
  for (const [name, path] of Object.entries(options.buildContexts ?? {})) args.push('--build-context', `${name}=${path}`);
  for (const source of options.cacheFrom ?? []) args.push('--cache-from', source);
  for (const destination of options.cacheTo ?? []) args.push('--cache-to', destination);
  for (const secret of options.secrets ?? []) args.push('--secret', secret);
  if (options.pull) args.push('--pull');
  if (options.noCache) args.push('--no-cache');
  if (options.builder) args.push('--builder', options.builder);
  // `--load` is `--output type=docker`. An image only loaded is not compressed for the trip
  // (see localImageOutput); pushed images keep the default level (docker-push compresses its
  // own, reproducible layers).
  if (options.load) args.push(...(options.push ? ['--load'] : ['--output', localImageOutput(options.builder)]));
  if (options.push) args.push('--push');
  if (options.provenance) args.push(`--provenance=${options.provenance}`);
  if (options.metadataFile) args.push('--metadata-file', options.metadataFile);
  args.push(options.context);
  return args;
}

/** The classic `docker build` (with DOCKER_BUILDKIT=1) for engines without the buildx plugin. */
export function classicBuildArgs(options: BuildxOptions): string[] {
  const args = buildxArgs({ ...options, load: false, provenance: '' }).slice(2);
  return ['build', ...args];
}
