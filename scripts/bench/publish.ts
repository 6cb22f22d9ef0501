/**
 * Publishing, side by side: this plugin's docker-push and ko build the same generated service
 * and push it to the same local registry, one platform and two, after a one-line change and
 * with nothing changed, then each rebuilt twice without its caches to see whether the digest repeats.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exec, tryExec } from '../../test/support/exec';
import type { Workspace } from '../../test/support/workspace';
import { oneLineChange } from './images';
import { timeIt } from './lib/measure';

/** ko's release the bench installs (`go install github.com/google/ko@<version>`), as served by the Go module proxy here. */
export const koVersion = 'v0.19.1';
const registry = '127.0.0.1:5000';

export interface PublishTimes {
  /** Seconds for the first push (the layer cache warm from earlier builds, the registry empty). */
  first: number;
  /** Seconds to push again after a one-line change in main.go. */
  oneLine: number;
  /** Seconds to run it again with nothing changed. */
  unchanged: number;
  /** Two rebuilds that reuse no layer (ours: --noCache; ko: an empty GOCACHE each) gave one digest. */
  reproducible: boolean;
  /** Seconds of those rebuilds. */
  cold: number[];
  /** Bytes of the amd64 image's layers in the registry. */
  bytes: number;
}

export interface PublishResults {
  platforms: Record<'single' | 'multi', { ours?: PublishTimes; ko?: PublishTimes }>;
  koVersion: string;
  koInstallSeconds?: number;
  errors: string[];
}

export async function measurePublish(ws: Workspace, service: { name: string; root: string }, scratch: string, runId: string, log: (line: string) => void): Promise<PublishResults> {
  const results: PublishResults = { platforms: { single: {}, multi: {} }, koVersion, errors: [] };
  const bin = join(scratch, 'bin');
  const koInstall = await timeIt(() => exec('go', ['install', `github.com/google/ko@${koVersion}`], { env: { GOBIN: bin } })).catch((error: Error) => {
    results.errors.push(`go install github.com/google/ko@${koVersion} failed: ${error.message.split('\n')[0]}`);
    return undefined;
  });
  results.koInstallSeconds = koInstall;
  const base = koInstall === undefined ? undefined : await koBaseImage(scratch, `${registry}/${runId}/ko-base:static`).catch((error: Error) => {
    results.errors.push(`the ko base image: ${error.message.split('\n')[0]}`);
    return undefined;
  });
  const mainGo = join(ws.root, service.root, 'main.go');

  for (const [key, platforms] of [['single', ['linux/amd64']], ['multi', ['linux/amd64', 'linux/arm64']]] as const) {
    const namespace = `${registry}/${runId}-${key}`;
    const ours = async () => {
      const run = () => ws.nx('run', `${service.name}:docker-push`, `--registry=${namespace}`, `--platforms=${platforms.join(',')}`, '--skip-nx-cache');
      const digest = async () => (JSON.parse(ws.read(`dist/docker/${service.name}.json`)) as { digest: string }).digest;
      return publishTimes({
        push: run,
        digest,
        // --noCache rebuilds every layer; Go's build cache (a cache mount) is kept, as on a runner
        // that keeps its builder. `buildx prune` cannot stand in for a fresh builder here: the
        // SBOM scan's leases keep the cache until dockerd restarts.
        cold: async () => {
          await ws.nx('run', `${service.name}:docker-push`, `--registry=${namespace}`, `--platforms=${platforms.join(',')}`, '--skip-nx-cache', '--noCache');
        },
        change: (marker) => oneLineChange(mainGo, marker),
        commit: (message) => ws.commit(message),
        bytes: () => layerBytes(`${namespace}/${service.name}`, (JSON.parse(ws.read(`dist/docker/${service.name}.json`)) as { tags: string[] }).tags[0]),
        marker: `${runId}-ours-${key}`,
      });
    };
    const ko = async () => {
      let goCache = join(scratch, `gocache-${key}`);
      const env = () => ({
        KO_DOCKER_REPO: `${namespace}/ko-${service.name}`,
        KO_DEFAULTBASEIMAGE: base!,
        GOCACHE: goCache,
        GOWORK: 'off',
        GOFLAGS: '-buildvcs=false',
      });
      let last = '';
      const run = async () => {
        const result = await exec(join(bin, 'ko'), ['build', '--bare', '--sbom=none', `--platform=${platforms.join(',')}`, '.'], { cwd: join(ws.root, service.root), env: env() });
        last = result.stdout.trim().split('\n').at(-1) ?? '';
      };
      return publishTimes({
        push: run,
        digest: async () => last.slice(last.indexOf('@') + 1),
        cold: async () => {
          goCache = mkdtempSync(join(scratch, `gocache-${key}-cold-`));
          await run();
        },
        change: (marker) => oneLineChange(mainGo, marker),
        commit: async () => undefined,
        bytes: () => layerBytes(`${namespace}/ko-${service.name}`, last.slice(last.indexOf('@') + 1)),
        marker: `${runId}-ko-${key}`,
      });
    };
    for (const [tool, measure] of [['ours', ours], ['ko', ko]] as const) {
      if (tool === 'ko' && base === undefined) continue;
      try {
        const times = await measure();
        results.platforms[key][tool] = times;
        log(`${tool}, ${platforms.join(' + ')}: first ${times.first.toFixed(2)} s, one-line ${times.oneLine.toFixed(2)} s, unchanged ${times.unchanged.toFixed(2)} s, cold ${times.cold.map((s) => s.toFixed(2)).join(' / ')} s, reproducible ${times.reproducible}, ${(times.bytes / 1e6).toFixed(2)} MB`);
      } catch (error) {
        results.errors.push(`${tool}, ${platforms.join(' + ')}: ${(error as Error).message.split('\n').slice(0, 3).join(' ')}`);
      }
    }
  }
  return results;
}

interface Steps {
  push: () => Promise<unknown>;
  digest: () => Promise<string>;
  cold: () => Promise<void>;
  change: (marker: string) => () => void;
  commit: (message: string) => Promise<void>;
  bytes: () => Promise<number>;
  marker: string;
}

async function publishTimes(steps: Steps): Promise<PublishTimes> {
  const first = await timeIt(steps.push);
  const undo = steps.change(steps.marker);
  let oneLine: number;
  try {
    await steps.commit(`bench: ${steps.marker}`);
    oneLine = await timeIt(steps.push);
  } finally {
    undo();
  }
  await steps.commit(`bench: undo ${steps.marker}`);
  await steps.push();
  const unchanged = await timeIt(steps.push);
  const bytes = await steps.bytes();
  const digests: string[] = [];
  const cold: number[] = [];
  for (let i = 0; i < 2; i++) {
    cold.push(await timeIt(steps.cold));
    digests.push(await steps.digest());
  }
  return { first, oneLine, unchanged, cold, reproducible: digests[0] === digests[1], bytes };
}

/**
 * ko needs a base image in a registry, for every platform it builds: the distroless stand-in's
 * files (CA certificates, tzdata, the nonroot user) in a two-platform image, pushed once.
 */
async function koBaseImage(scratch: string, reference: string): Promise<string> {
  const dir = join(scratch, 'ko-base');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'Dockerfile'), 'FROM --platform=linux/amd64 gcr.io/distroless/static-debian12:nonroot AS files\nFROM scratch\nCOPY --from=files / /\nUSER 65532:65532\n');
  await exec('docker', ['buildx', 'build', '--platform', 'linux/amd64,linux/arm64', '--tag', reference, '--output', 'type=image,push=true', dir]);
  return reference;
}

/** The layers' bytes of the amd64 image under a tag or digest, read from the registry. */
async function layerBytes(repository: string, reference: string): Promise<number> {
  const separator = reference.startsWith('sha256:') ? '@' : ':';
  const { code, stdout } = await tryExec('docker', ['buildx', 'imagetools', 'inspect', '--raw', `${repository}${separator}${reference}`]);
  if (code !== 0) return NaN;
  const index = JSON.parse(stdout) as { manifests?: { digest: string; platform?: { architecture: string } }[]; layers?: { size: number }[] };
  const manifest = index.manifests
    ? (JSON.parse((await exec('docker', ['buildx', 'imagetools', 'inspect', '--raw', `${repository}@${index.manifests.find((m) => m.platform?.architecture === 'amd64')!.digest}`])).stdout) as { layers: { size: number }[] })
    : (index as { layers: { size: number }[] });
  return manifest.layers.reduce((sum, layer) => sum + layer.size, 0);
}
