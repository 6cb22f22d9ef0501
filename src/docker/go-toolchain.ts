import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runProcess } from '../utils/run-process';
import { imageId } from './images';
import { registryDigest } from './registry';
import { inScratchContext } from './scratch-context';

/** The OCI label that records the Go toolchain an image's binary was compiled with, e.g. go1.26.8. */
export const goToolchainLabel = 'org.golang.version';

/** The file docker-binary writes beside the root filesystems it compiles: the toolchain's version. */
export const toolchainFile = 'go-toolchain';

/** What a build compiles Go with: prebuilt root filesystems (a build context) or the Go builder image. */
export interface ToolchainSource {
  /** The Dockerfile's GO_IMAGE (see goImageOf); undefined for a Dockerfile this plugin did not write. */
  goImage: string | undefined;
  /** The `binaries` build context of a prebuilt build, as an absolute path. */
  binaries?: string;
  builder?: string;
}

/**
 * The Go toolchain version an image is compiled with, for its label; undefined for a
 * Dockerfile without a GO_IMAGE argument (one this plugin did not write). A prebuilt image
 * takes the version docker-binary recorded; otherwise the builder runs `go env GOVERSION` in
 * GO_IMAGE itself (0.4 s while cached), remembered per image ID or registry digest.
 */
export async function goToolchainOf(source: ToolchainSource): Promise<string | undefined> {
  if (source.binaries !== undefined) {
    const file = join(source.binaries, toolchainFile);
    return existsSync(file) ? readFileSync(file, 'utf-8').trim() : undefined;
  }
  const { goImage } = source;
  if (goImage === undefined) return undefined;
  const remembered = await rememberedFile(goImage, source.builder);
  if (remembered && existsSync(remembered)) return readFileSync(remembered, 'utf-8').trim();
  const version = await probeGoVersion(goImage, source.builder);
  if (version && remembered) writeFileSync(remembered, version);
  return version;
}

/** The Go builder image a Dockerfile of this plugin's names (`ARG GO_IMAGE=`), or the build arg that overrides it. */
export function goImageOf(dockerfile: string, buildArgs: Record<string, string>): string | undefined {
  return buildArgs.GO_IMAGE ?? /^\s*ARG\s+GO_IMAGE=(\S+)/m.exec(dockerfile)?.[1];
}

/**
 * Where the version of an image is remembered: named by its local image ID, or for an image
 * only in a registry (a remote builder pulls it there) by its registry digest. A new pull or
 * push is a new name.
 */
async function rememberedFile(goImage: string, builder: string | undefined): Promise<string | undefined> {
  const id = (await imageId(goImage)) ?? (await digestInRegistry(goImage));
  if (id === undefined) return undefined;
  const folder = join(tmpdir(), 'nx-go-docker-toolchains');
  mkdirSync(folder, { recursive: true });
  return join(folder, createHash('sha256').update(`${builder ?? ''}\n${id}`).digest('hex').slice(0, 16));
}

async function digestInRegistry(image: string): Promise<string | undefined> {
  const lookup = await registryDigest(image);
  return lookup.found ? lookup.digest : undefined;
}

const probeDockerfile = `ARG GO_IMAGE
FROM --platform=$BUILDPLATFORM \${GO_IMAGE} AS go
RUN go env GOVERSION > /GOVERSION
FROM scratch
COPY --from=go /GOVERSION /
`;

async function probeGoVersion(goImage: string, builder: string | undefined): Promise<string | undefined> {
  return inScratchContext(probeDockerfile, async (work) => {
    const args = ['buildx', 'build', '--quiet', '--build-arg', `GO_IMAGE=${goImage}`, '--output', `type=local,dest=${join(work, 'out')}`];
    if (builder) args.push('--builder', builder);
    const { code } = await runProcess('docker', [...args, work], { stdio: 'pipe' });
    const file = join(work, 'out', 'GOVERSION');
    return code === 0 && existsSync(file) ? readFileSync(file, 'utf-8').trim() : undefined;
  });
}
