import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { binaryArchitecture, filesystemBytes, freePort, removeContainers, removeImages } from './support/docker';
import { withoutColours } from './support/exec';
import { registryProxy } from './support/registry-proxy';
import { waitFor } from './support/reliability';
import { sharedWorkspace } from './support/shared-workspace';
import { Workspace } from './support/workspace';
import type { PushMetadata } from '../src/executors/docker-push/lib/push-image';

/** The local registries scripts/setup/registry.sh runs: one open, one with htpasswd auth. */
const openRegistry = '127.0.0.1:5000';
const authRegistry = '127.0.0.1:5001';

/** What docker-push and nx-release-publish record: the file a deploy step reads. */
type Metadata = PushMetadata;

describe('docker-push to a real registry: exactly the affected services, multi-arch, reproducible, pushed once', () => {
  let ws: Workspace;
  let shortSha: string;
  // A namespace of this run's own, so what earlier runs pushed cannot make a test pass.
  const namespace = `${openRegistry}/run-${Date.now()}`;
  const services = ['pub-a', 'pub-b', 'pub-c'];
  const container = `pub-b-pulled-${process.pid}`;
  const nx = (...args: string[]) => ws.run(join(ws.root, 'node_modules', '.bin', 'nx'), args);
  const tryNx = (args: string[], env: NodeJS.ProcessEnv = {}) => ws.tryRun(join(ws.root, 'node_modules', '.bin', 'nx'), args, { env });
  const tagsIn = async (repository: string): Promise<string[] | undefined> => {
    const response = await fetch(`http://${openRegistry}/v2/${repository}/tags/list`);
    return response.ok ? (((await response.json()) as { tags: string[] | null }).tags ?? []) : undefined;
  };
  const metadata = (project: string) => JSON.parse(ws.read(`dist/docker/${project}.json`)) as Metadata;

  beforeAll(async () => {
    ws = await sharedWorkspace();
    await nx('g', 'nx-go-docker:init');
    const nxJson = JSON.parse(ws.read('nx.json'));
    const entry = nxJson.plugins.find((p: { plugin?: string }) => p.plugin === 'nx-go-docker');
    entry.options = { ...entry.options, registry: namespace };
    ws.write('nx.json', JSON.stringify(nxJson, null, 2) + '\n');
    for (const service of services) await nx('g', 'nx-go-docker:go-service', service, '--no-postgres');
    await ws.commit('three services to publish');
    ws.write('apps/pub-b/main.go', ws.read('apps/pub-b/main.go').replace('package main', '// pub-b changed\npackage main'));
    await ws.commit('pub-b: a change');
    shortSha = (await ws.run('git', ['rev-parse', '--short', 'HEAD'])).stdout.trim();
  });

  afterAll(async () => {
    await removeContainers(container);
  });

  it('nx affected -t docker-push pushes exactly the changed service, tagged with the short commit, and records it', async () => {
    await nx('affected', '-t', 'docker-push', '--base=HEAD~1', '--head=HEAD');
    const repository = namespace.slice(openRegistry.length + 1);
    const attestationsTag = `${metadata('pub-b').digest.replace(':', '-')}.attestations`;
    expect((await tagsIn(`${repository}/pub-b`))?.sort()).toEqual([shortSha, attestationsTag].sort());
    expect(await tagsIn(`${repository}/pub-a`)).toBeUndefined();
    expect(await tagsIn(`${repository}/pub-c`)).toBeUndefined();
    expect(metadata('pub-b')).toMatchObject({ image: `${namespace}/pub-b`, tags: [shortSha], platforms: ['linux/amd64', 'linux/arm64'], pushed: true });
    expect(metadata('pub-b').digest).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('the pushed index holds one manifest per platform, each binary for its architecture, and the pulled image runs healthy', async () => {
    const { image, digest } = metadata('pub-b');
    const index = JSON.parse((await ws.run('docker', ['buildx', 'imagetools', 'inspect', '--raw', `${image}@${digest}`])).stdout) as {
      manifests: { platform: { os: string; architecture: string } }[];
    };
    expect(index.manifests.map((m) => `${m.platform.os}/${m.platform.architecture}`).sort()).toEqual(['linux/amd64', 'linux/arm64']);
    await removeImages(`${image}:${shortSha}`);
    for (const architecture of ['amd64', 'arm64']) {
      await ws.run('docker', ['pull', '--quiet', '--platform', `linux/${architecture}`, `${image}@${digest}`]);
      expect(await binaryArchitecture(`${image}@${digest}`, '/app', `linux/${architecture}`)).toBe(architecture);
    }
    const port = await freePort();
    await ws.run('docker', ['run', '--detach', '--name', container, '--publish', `127.0.0.1:${port}:8080`, `${image}@${digest}`]);
    for (let i = 0; i < 100 && (await ws.run('docker', ['inspect', '--format', '{{.State.Health.Status}}', container])).stdout.trim() !== 'healthy'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    // The standard-library service (--no-postgres) on scratch: the demo's image.
    const bytes = await filesystemBytes(`${image}@${digest}`, 'linux/amd64');
    console.log(`${image}@${digest} (linux/amd64) holds ${(bytes / 1e6).toFixed(2)} MB of files`);
    expect(bytes).toBeLessThan(7.5e6);
  });

  it('pushes SLSA provenance and an SBOM of the Go modules in the binary beside the image, for each platform', async () => {
    const { image, digest, attestations } = metadata('pub-b');
    expect(attestations).toBe(`${image}:${digest.replace(':', '-')}.attestations`);
    const read = async (format: string) => JSON.parse((await ws.run('docker', ['buildx', 'imagetools', 'inspect', '--format', format, attestations!])).stdout);
    const provenance = (await read('{{json .Provenance}}')) as Record<string, { SLSA: { buildType: string; invocation: { parameters: { args?: Record<string, string> } } } }>;
    expect(Object.keys(provenance).sort()).toEqual(['linux/amd64', 'linux/arm64']);
    expect(provenance['linux/amd64'].SLSA.invocation.parameters.args?.['build-arg:GIT_COMMIT']).toMatch(/^[0-9a-f]{40}$/);
    const sbom = (await read('{{json .SBOM}}')) as Record<string, { SPDX: { packages: { name: string; versionInfo?: string; sourceInfo?: string }[] } }>;
    const goVersion = (await ws.run('go', ['env', 'GOVERSION'])).stdout.trim();
    for (const platform of ['linux/amd64', 'linux/arm64']) {
      const packages = sbom[platform].SPDX.packages;
      expect(packages).toContainEqual(expect.objectContaining({ name: expect.stringMatching(/\/apps\/pub-b$/), sourceInfo: 'Go binary /app' }));
      expect(packages).toContainEqual(expect.objectContaining({ name: 'stdlib', versionInfo: goVersion }));
    }
    // The attested index holds the very platform images the tag names.
    const platformsOf = async (reference: string) =>
      ((JSON.parse((await ws.run('docker', ['buildx', 'imagetools', 'inspect', '--raw', reference])).stdout) as { manifests: { digest: string; platform: { os: string } }[] }).manifests)
        .filter((m) => m.platform.os !== 'unknown')
        .map((m) => m.digest);
    expect(await platformsOf(attestations!)).toEqual(await platformsOf(`${image}@${digest}`));
  });

  it('a rerun on a machine without the image pushes nothing, and a build without cache gives the same digest', async () => {
    const { image, digest } = metadata('pub-b');
    await removeImages(`${image}:${shortSha}`, `${image}@${digest}`);
    const rerun = await nx('run', 'pub-b:docker-push', '--skip-nx-cache');
    expect(rerun.stdout).toContain(`${image}@${digest} is already in the registry as ${shortSha}: nothing to push.`);
    expect(metadata('pub-b')).toMatchObject({ digest, pushed: false });
    const uncached = await nx('run', 'pub-b:docker-push', '--skip-nx-cache', '--noCache');
    expect(uncached.stdout).toContain(`${image}@${digest} is already in the registry`);
  });

  it('more tags point at the same digest without another upload', async () => {
    await nx('run', 'pub-b:docker-push', '--skip-nx-cache', '--tags=main', '--tags={projectName}-{shortSha}');
    const repository = namespace.slice(openRegistry.length + 1);
    const attestationsTag = `${metadata('pub-b').digest.replace(':', '-')}.attestations`;
    expect((await tagsIn(`${repository}/pub-b`))?.sort()).toEqual([shortSha, 'main', `pub-b-${shortSha}`, attestationsTag].sort());
    expect(metadata('pub-b')).toMatchObject({ tags: [shortSha, 'main', `pub-b-${shortSha}`], pushed: true });
  });

  it('an unauthorized push fails in one line naming the registry and docker login, before building, and records nothing', async () => {
    const result = await tryNx(['run', 'pub-c:docker-push', `--registry=${authRegistry}/e2e`, '--skip-nx-cache']);
    expect(result.code).not.toBe(0);
    expect(result.stdout + result.stderr).toContain(
      `The registry ${authRegistry} refused ${authRegistry}/e2e/pub-c: not logged in or not allowed. Run 'docker login ${authRegistry}' and retry.`,
    );
    expect(result.stdout + result.stderr).not.toContain('Building');
    expect(ws.exists('dist/docker/pub-c.json')).toBe(false);
  });

  it('an unreachable registry fails in one line naming it, before building', async () => {
    const result = await tryNx(['run', 'pub-c:docker-push', '--registry=127.0.0.1:1/nowhere', '--skip-nx-cache']);
    expect(result.code).not.toBe(0);
    expect(result.stdout + result.stderr).toMatch(/The registry 127\.0\.0\.1:1 is not reachable \(.+\)\. Check the registry address and the network, then retry\./);
    expect(result.stdout + result.stderr).not.toContain('Building');
  });

  it('a registry that rejects a tag: one line naming it, non-zero, no metadata, the tag pushed before it intact', async () => {
    const proxy = await registryProxy(openRegistry, { rejectTag: 'release' });
    try {
      const registry = `${proxy.address}/reject-${Date.now()}`;
      const result = await tryNx(['run', 'pub-c:docker-push', `--registry=${registry}`, '--tags=release', '--platforms=linux/amd64', '--metadataFile=dist/faults/reject.json', '--skip-nx-cache']);
      expect(result.code).not.toBe(0);
      // Without colours: Nx 21 with CI=true keeps the logger's ANSI codes around the line.
      const text = withoutColours(result.stdout + result.stderr);
      const line = text.split('\n').find((l) => l.includes(`docker push of ${registry}/pub-c:release failed`));
      expect(line).toMatch(/failed: .+\. The image is in the registry as [0-9a-f]{7,} only\.$/);
      expect(ws.exists('dist/faults/reject.json')).toBe(false);
      const tags = await tagsIn(`${registry.slice(proxy.address.length + 1)}/pub-c`);
      expect(tags).toEqual([shortSha]);
    } finally {
      await proxy.close();
    }
  });

  it('Ctrl-C mid-push: nx exits non-zero, no metadata, no tag names a partial upload, and a rerun pushes it', async () => {
    const proxy = await registryProxy(openRegistry, { holdBlobUploads: true });
    try {
      const registry = `${proxy.address}/ctrl-c-${Date.now()}`;
      const args = ['run', 'pub-c:docker-push', `--registry=${registry}`, '--metadataFile=dist/faults/ctrl-c.json', '--skip-nx-cache'];
      const push = ws.startNx(...args);
      const endedEarly = push.done.then((r) => {
        throw new Error(`docker-push ended before uploading:\n${r.stdout}\n${r.stderr}`);
      });
      endedEarly.catch(() => undefined);
      await Promise.race([proxy.blobUploadSeen, endedEarly]);
      process.kill(-(await push.pid), 'SIGINT');
      const result = await push.done;
      expect(result.code).not.toBe(0);
      expect(ws.exists('dist/faults/ctrl-c.json')).toBe(false);
      const repository = `${registry.slice(proxy.address.length + 1)}/pub-c`;
      expect((await tagsIn(repository)) ?? []).toEqual([]);

      proxy.release();
      await waitFor(async () => (await ws.tryRun('pgrep', ['-f', `${registry}/pub-c`])).code !== 0, 15_000, 'no docker push left');
      await nx(...args);
      expect(JSON.parse(ws.read('dist/faults/ctrl-c.json'))).toMatchObject({ tags: [shortSha], pushed: true });
      expect(await tagsIn(repository)).toContain(shortSha);
    } finally {
      await proxy.close();
    }
  });

  it("pushes with the user's docker login credentials", async () => {
    const config = mkdtempSync(join(tmpdir(), 'nx-go-docker-login-'));
    try {
      const env = { DOCKER_CONFIG: config };
      await ws.run('docker', ['login', authRegistry, '--username', 'nx', '--password', 'nx-go-docker'], { env });
      const result = await tryNx(['run', 'pub-c:docker-push', `--registry=${authRegistry}/e2e-${Date.now()}`, '--skip-nx-cache', '--platforms=linux/amd64'], env);
      expect({ code: result.code, output: result.code === 0 ? '' : result.stdout + result.stderr }).toEqual({ code: 0, output: '' });
      expect(metadata('pub-c')).toMatchObject({ platforms: ['linux/amd64'], pushed: true });
    } finally {
      rmSync(config, { recursive: true, force: true });
    }
  });
});
