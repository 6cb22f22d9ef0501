import { CommandNotFoundError, runProcess } from '../utils/run-process';

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
