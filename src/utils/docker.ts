import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CommandNotFoundError, runProcess } from './run-process';

const installHint = 'Install Docker (https://docs.docker.com/engine/install/) and retry.';

/**
 * The oldest Docker Engine this plugin supports, the one its CI runs: it has everything the
 * generated files and the executors use (HEALTHCHECK --start-interval from 25, multi-platform
 * images in the containerd image store, provenance attestations, cache export).
 */
export const minimumEngineVersion = '26.1';

/** A one-line problem when the engine's version (e.g. `20.10.24+dfsg1`) is older than the minimum. */
export function engineVersionProblem(version: string): string | undefined {
  const [major, minor] = version.split('.').map((part) => parseInt(part, 10));
  const [wantMajor, wantMinor] = minimumEngineVersion.split('.').map(Number);
  if (Number.isNaN(major) || major > wantMajor || (major === wantMajor && (minor || 0) >= wantMinor)) return undefined;
  return `Docker Engine ${version} is older than ${minimumEngineVersion}, the oldest nx-go-docker supports (the generated Dockerfile uses HEALTHCHECK --start-interval). Upgrade Docker Engine (https://docs.docker.com/engine/install/) and retry.`;
}

/** Checks the Docker CLI and the engine, returning a one-line problem and its fix, or undefined when both answer. */
export async function dockerProblem(env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  try {
    const { code, stdout } = await runProcess('docker', ['version', '--format', '{{.Server.Version}}'], { stdio: 'pipe', env });
    if (code === 0) return engineVersionProblem(stdout.trim());
    const host = env.DOCKER_HOST || 'unix:///var/run/docker.sock';
    return `Docker daemon is not reachable at ${host}. Start Docker (e.g. 'dockerd' or Docker Desktop) or fix DOCKER_HOST, then retry.`;
  } catch (error) {
    if (error instanceof CommandNotFoundError) return `Docker CLI ('docker') was not found on PATH. ${installHint}`;
    throw error;
  }
}

export async function hasBuildx(): Promise<boolean> {
  const { code } = await runProcess('docker', ['buildx', 'version'], { stdio: 'pipe' });
  return code === 0;
}

/**
 * A one-line problem when the engine does not keep images in the containerd image store, which
 * holds multi-platform images; `need` says what needs it, `instead` an alternative, if any.
 */
export async function containerdImageStoreProblem(need: string, instead = ''): Promise<string | undefined> {
  const { code, stdout } = await runProcess('docker', ['info', '--format', '{{json .DriverStatus}}'], { stdio: 'pipe' });
  if (code === 0 && stdout.includes('io.containerd.snapshotter')) return undefined;
  return `${need} needs Docker's containerd image store: set "features": {"containerd-snapshotter": true} in daemon.json and restart Docker${instead ? `, or ${instead}` : ''}.`;
}

export async function imageExists(image: string): Promise<boolean> {
  const { code } = await runProcess('docker', ['image', 'inspect', '--format', '{{.Id}}', image], { stdio: 'pipe' });
  return code === 0;
}

export async function containerExists(name: string): Promise<boolean> {
  const { code } = await runProcess('docker', ['container', 'inspect', '--format', '{{.Id}}', name], { stdio: 'pipe' });
  return code === 0;
}

/** Stops the container gracefully (SIGTERM, then SIGKILL after the grace period) and removes it; a no-op when it is gone. */
export async function stopAndRemoveContainer(name: string): Promise<void> {
  await stopContainer(name);
  await removeContainer(name);
}

/**
 * Removes the container and its anonymous volumes; a no-op when it is gone. The engine can
 * refuse while a health check runs in it (every 100 ms while it starts), so it is retried
 * until the container is gone, for up to 5 s.
 */
export async function removeContainer(name: string): Promise<void> {
  for (let attempt = 0; attempt < 20; attempt++) {
    await runProcess('docker', ['rm', '--force', '--volumes', name], { stdio: 'pipe' });
    if (!(await containerExists(name))) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Sends one signal to the container's main process and returns at once. */
export async function signalContainer(name: string, signal: NodeJS.Signals): Promise<void> {
  await runProcess('docker', ['kill', '--signal', signal, name], { stdio: 'pipe' });
}

/** Stops the container gracefully if it runs; a no-op when it is stopped or gone. */
export async function stopContainer(name: string): Promise<void> {
  if (await containerExists(name)) await runProcess('docker', ['stop', name], { stdio: 'pipe' });
}

/** An image reference Docker accepts: [host[:port]/]path[:tag][@digest], lower-case path. */
export function isValidImageReference(reference: string): boolean {
  return /^(?:[A-Za-z0-9.-]+(?::\d+)?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$/.test(
    reference,
  );
}

/** `docker buildx build` writing a multi-platform OCI archive with timestamps clamped to SOURCE_DATE_EPOCH: the same digest on every machine. */
export function ociArchiveBuildArgs(options: {
  file: string;
  context: string;
  platforms: string[];
  buildArgs: Record<string, string>;
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
  if (options.noCache) args.push('--no-cache');
  // Attestations go into the index, never into the platform images: see oci-archive.ts.
  args.push(`--provenance=${options.provenance ? 'mode=max' : 'false'}`);
  if (options.sbomGenerator) args.push(`--sbom=generator=${options.sbomGenerator}`);
  args.push('--output', `type=oci,dest=${options.destination},name=${options.name},rewrite-timestamp=true`);
  args.push(options.context);
  return args;
}

export type RegistryLookup =
  | { found: true; digest: string }
  | { found: false }
  | { found: false; problem: 'unauthorized' | 'unreachable'; detail: string };

/** What a registry holds under a reference: its digest, nothing, or why it could not tell. */
export async function registryDigest(reference: string): Promise<RegistryLookup> {
  const { code, stdout, stderr } = await runProcess('docker', ['buildx', 'imagetools', 'inspect', '--format', '{{json .Manifest}}', reference], { stdio: 'pipe' });
  if (code === 0) return { found: true, digest: (JSON.parse(stdout) as { digest: string }).digest };
  const problem = registryProblem(stderr, reference);
  return problem ? { found: false, problem, detail: lastLine(stderr) } : { found: false };
}

/** Loads an OCI archive into the local image store (the containerd store keeps a multi-platform index as it is). */
export async function loadImage(archive: string): Promise<{ code: number; detail: string }> {
  const { code, stderr } = await runProcess('docker', ['load', '--input', archive], { stdio: 'pipe' });
  return { code, detail: lastLine(stderr) };
}

/** Gives a local image another name. */
export async function tagImage(source: string, target: string): Promise<{ code: number; detail: string }> {
  const { code, stderr } = await runProcess('docker', ['tag', source, target], { stdio: 'pipe' });
  return { code, detail: lastLine(stderr) };
}

/** Pushes a local image: its blobs first, the manifest under the tag last, so the tag never names a partial upload. */
export async function pushImage(reference: string): Promise<{ code: number; problem?: 'unauthorized' | 'unreachable'; detail: string }> {
  const { code, stderr } = await runProcess('docker', ['push', '--quiet', reference]);
  return { code, problem: code === 0 ? undefined : registryProblem(stderr, reference), detail: lastLine(stderr) };
}

/**
 * Why the registry could not be used, from the docker CLI's error text. The reference is
 * taken out first: a short commit such as `a401bcd` in it must not read as an HTTP 401.
 */
export function registryProblem(stderr: string, reference: string): 'unauthorized' | 'unreachable' | undefined {
  const message = stderr.split(reference).join('<reference>');
  if (/\bunauthorized\b|authentication required|no basic auth credentials|\bdenied\b|\b401\b/i.test(message)) return 'unauthorized';
  if (/connection refused|no such host|i\/o timeout|dial tcp|server gave HTTP response to HTTPS client/i.test(message)) return 'unreachable';
  return undefined;
}

function lastLine(text: string): string {
  return text.trim().split('\n').at(-1) ?? '';
}

/** The plugin's own BuildKit SBOM generator (files/sbom-generator): Go build information to SPDX. */
const sbomGeneratorFolder = join(__dirname, '..', '..', 'files', 'sbom-generator');

/**
 * The local image of the SBOM generator, built from `goImage` (the project's own Go builder, so
 * nothing new is pulled) the first time it is needed. Named by a hash of its sources: a new
 * plugin version builds its own. A one-line problem when it cannot be built.
 */
export async function sbomGeneratorImage(goImage: string): Promise<{ image: string } | { problem: string }> {
  const sources = ['Dockerfile', 'go.mod', 'main.go'].map((file) => readFileSync(join(sbomGeneratorFolder, file)));
  const hash = createHash('sha256').update(goImage).update(Buffer.concat(sources)).digest('hex').slice(0, 12);
  const image = `nx-go-docker/sbom-generator:${hash}`;
  if (await imageExists(image)) return { image };
  const { code, stderr } = await runProcess('docker', ['buildx', 'build', '--load', '--tag', image, '--build-arg', `GO_IMAGE=${goImage}`, sbomGeneratorFolder], {
    stdio: 'pipe',
  });
  if (code === 0) return { image };
  return { problem: `Building the SBOM generator image from ${goImage} failed (${lastLine(stderr)}). Make ${goImage} available, or pass --sbom=false.` };
}
