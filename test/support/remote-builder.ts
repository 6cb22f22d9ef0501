import { join } from 'node:path';
import { exec, tryExec } from './exec';
import { repoRoot } from './workspace';

/**
 * The buildx builder scripts/setup/buildkitd.sh creates: the remote driver on a standalone
 * buildkitd (its own root, OCI worker, host network), the way teams share one BuildKit.
 */
export const remoteBuilder = 'nx-go-docker-remote';
export const remoteBuilderEndpoint = 'tcp://127.0.0.1:1234';

/** Runs scripts/setup/buildkitd.sh, which starts buildkitd and creates the builder only when missing; returns its output. */
export async function ensureRemoteBuilder(): Promise<string> {
  const { stdout } = await exec('bash', [join(repoRoot, 'scripts', 'setup', 'buildkitd.sh')]);
  return stdout.trim();
}

/**
 * Copies a local image into a registry under `reference`: a remote builder cannot see dockerd's
 * images, so its base images must come from a registry.
 */
export async function pushLocalImage(image: string, reference: string): Promise<string> {
  await exec('docker', ['tag', image, reference]);
  await exec('docker', ['push', '--quiet', reference]);
  await tryExec('docker', ['image', 'rm', reference]);
  return reference;
}

/** Waits until a container's health check reports healthy; returns how long that took, in seconds. */
export async function untilHealthy(container: string, timeoutMs = 20_000): Promise<number> {
  const start = performance.now();
  for (;;) {
    const { stdout } = await exec('docker', ['inspect', '--format', '{{.State.Health.Status}}', container]);
    if (stdout.trim() === 'healthy') return Math.round((performance.now() - start) / 100) / 10;
    if (performance.now() - start > timeoutMs) {
      const logs = await tryExec('docker', ['logs', container]);
      throw new Error(`${container} not healthy within ${timeoutMs} ms (${stdout.trim()}):\n${logs.stdout}${logs.stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The layer digests of one platform's manifest of an image in a registry. */
export async function layerDigests(reference: string, platform: string): Promise<string[]> {
  interface Manifest { manifests?: { digest: string; platform?: { os: string; architecture: string } }[]; layers?: { digest: string }[] }
  const raw = async (ref: string) => JSON.parse((await exec('docker', ['buildx', 'imagetools', 'inspect', '--raw', ref])).stdout) as Manifest;
  const top = await raw(reference);
  const entry = top.manifests?.find((m) => `${m.platform?.os}/${m.platform?.architecture}` === platform);
  const manifest = entry ? await raw(`${reference.replace(/[:@][^/]*$/, '')}@${entry.digest}`) : top;
  return (manifest.layers ?? []).map((layer) => layer.digest);
}
