import { join } from 'node:path';
import { fileSha256, freePort, inspect, removeContainers, removeImages } from './support/docker';
import { exec, withoutColours } from './support/exec';
import { waitFor } from './support/reliability';
import { adoptedWorkspace, nxVersion } from './support/shared-workspace';
import { Workspace } from './support/workspace';

/** The open local registry scripts/setup/registry.sh runs. */
const registry = '127.0.0.1:5000';
const goToolchainLabel = 'org.golang.version';

/** Sets the plugin's options in the workspace's nx.json. */
function pluginOptions(ws: Workspace, options: Record<string, unknown>): void {
  ws.write('nx.json', JSON.stringify({ analytics: false, plugins: [{ plugin: 'nx-go-docker', options }] }, null, 2) + '\n');
}

/** The label values of a local image. */
const labelsOf = (image: string) => inspect<Record<string, string>>('image', image, '{{json .Config.Labels}}');

/** Whether the build output shows the `go build` step answered from a cache (`#N CACHED`) instead of run. */
function goBuildStepCached(output: string): boolean {
  const step = /^#(\d+) \[build \d+\/\d+\] RUN .*go build -trimpath/m.exec(output)?.[1];
  if (step === undefined) throw new Error(`no go build step in the build output:\n${output.slice(-3000)}`);
  return new RegExp(`^#${step} CACHED$`, 'm').test(output);
}

describe('CI at scale: binaries Nx caches, layer caches that survive a fresh builder, concurrent builds', () => {
  describe('goBuild "nx": the binary compiled by Nx, the image assembled from it', () => {
    let ws: Workspace;
    const service = 'scale-nx';
    const second = 'scale-nx-two';

    beforeAll(async () => {
      ws = await adoptedWorkspace('ci-scale-nx', 'ci-scale-nx', {});
      pluginOptions(ws, { goBuild: 'nx' });
      await ws.nx('g', 'nx-go-docker:go-service', service, '--no-postgres');
      await ws.nx('g', 'nx-go-docker:go-service', second, '--no-postgres');
      await ws.commit('two services whose binaries Nx compiles');
    });
    afterAll(() => removeImages(`${service}:latest`, `${service}:in-docker`));

    it('docker-build runs docker-binary first: a static binary per platform in dist/, the image labelled with the Go that compiled it, serving', async () => {
      await ws.nx('run', `${service}:docker-build`);
      expect(ws.list(`dist/apps/${service}/docker-binary`)).toEqual(['go-toolchain', 'linux_amd64', 'linux_arm64']);
      expect(ws.list(`dist/apps/${service}/docker-binary/linux_arm64/etc/ssl/certs`)).toEqual(['ca-certificates.crt']);
      const goVersion = (await exec('go', ['env', 'GOVERSION'])).stdout.trim();
      expect((await labelsOf(`${service}:latest`))[goToolchainLabel]).toBe(goVersion);
      expect((await exec('docker', ['run', '--rm', `${service}:latest`, 'version'])).stdout).toMatch(new RegExp(`^${service} `));
      const container = `${service}-${process.pid}`;
      const port = await freePort();
      try {
        await exec('docker', ['run', '--detach', '--name', container, '--publish', `127.0.0.1:${port}:8080`, `${service}:latest`]);
        await waitFor(async () => (await inspect<string>('container', container, '{{json .State.Health.Status}}')) === 'healthy', 30_000, 'healthy');
        expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
      } finally {
        await removeContainers(container);
      }
    });

    it('holds the very binary the Dockerfile compiles in Docker: the same flags, byte for byte', async () => {
      await ws.nx('run', `${service}:docker-build`, '--buildArgs.ROOTFS=build', `--tags=${service}:in-docker`);
      expect((await labelsOf(`${service}:in-docker`))[goToolchainLabel]).toMatch(/^go1\.\d+/);
      expect(await fileSha256(`${service}:in-docker`, '/app')).toBe(await fileSha256(`${service}:latest`, '/app'));
    });

    it('replays the binary from Nx cache on the next build and assembles the image again, without the image Nx never claims it', async () => {
      await removeImages(`${service}:latest`);
      const { stdout } = await ws.nx('run', `${service}:docker-build`);
      expect(stdout).toMatch(/docker-binary.*(local cache|existing outputs match the cache)/);
      expect(stdout).not.toMatch(/nx run [^\n]*:docker-build[^\n]*(local cache|existing outputs)/);
      expect((await labelsOf(`${service}:latest`))[goToolchainLabel]).toMatch(/^go1\.\d+/);
    });

    it("compiles a run's binaries in one process (a batch, on Nx 22 and later), each task with its own output, replayed as its own", async () => {
      const projects = `--projects=${service},${second}`;
      await ws.run('git', ['commit', '-q', '--allow-empty', '-m', 'a new commit, which both binaries stamp in']);
      const { stdout } = await ws.nx('run-many', '-t', 'docker-binary', projects, '--output-style=static');
      if (Number(nxVersion) >= 22) expect(withoutColours(stdout)).toContain('Running 2 tasks with nx-go-docker:docker-binary');
      for (const name of [service, second]) {
        expect((await exec(join(ws.root, `dist/apps/${name}/docker-binary/linux_amd64/app`), ['version'])).stdout).toMatch(new RegExp(`^${name} `));
      }
      const replay = await ws.nx('run-many', '-t', 'docker-binary', projects, '--output-style=static');
      const blocks = withoutColours(replay.stdout).split('> nx run ');
      for (const [name, other] of [[service, second], [second, service]]) {
        const block = blocks.find((text) => text.startsWith(`${name}:docker-binary`)) ?? '';
        expect(block).toMatch(/local cache|existing outputs match the cache/);
        expect(block).toContain(`Compiling ${name} for linux/amd64`);
        expect(block).not.toContain(`Compiling ${other} `);
      }
    });
  });

  describe('in Docker, ten services built four at a time, then the layer cache after a fresh builder', () => {
    let ws: Workspace;
    const namespace = `${registry}/scale-${Date.now()}`;
    const services = Array.from({ length: 10 }, (_, i) => `scale-${String(i + 1).padStart(2, '0')}`);

    beforeAll(async () => {
      ws = await adoptedWorkspace('ci-scale-docker', 'ci-scale-docker', {});
      pluginOptions(ws, { registry: namespace, layerCache: 'registry' });
      for (const service of services) await ws.nx('g', 'nx-go-docker:go-service', service, '--no-postgres');
      await ws.commit('ten services');
      for (const service of services) {
        ws.write(`apps/${service}/main.go`, ws.read(`apps/${service}/main.go`).replace('package main', `// ${service}: changed\npackage main`));
      }
      await ws.commit('every service changed');
    });
    afterAll(() => removeImages(...services.flatMap((service) => [`${service}:latest`])));

    it('nx affected -t docker-build --parallel=4: every image is its own service, tagged latest and with the commit, none crossed', async () => {
      await ws.nx('affected', '-t', 'docker-build', '--parallel=4', '--base=HEAD~1', '--head=HEAD');
      const shortSha = (await ws.run('git', ['rev-parse', '--short', 'HEAD'])).stdout.trim();
      for (const service of services) {
        const latest = await inspect<string>('image', `${service}:latest`, '{{json .Id}}');
        expect(await inspect<string>('image', `${service}:${shortSha}`, '{{json .Id}}')).toBe(latest);
        expect((await labelsOf(`${service}:latest`))['org.opencontainers.image.title']).toBe(service);
        const { stdout } = await exec('docker', ['run', '--rm', `${service}:latest`, 'version']);
        expect(stdout).toMatch(new RegExp(`^${service} ${shortSha}`));
      }
      const ids = await Promise.all(services.map((service) => inspect<string>('image', `${service}:latest`, '{{json .Id}}')));
      expect(new Set(ids).size).toBe(services.length);
    });

    it('after docker buildx prune -af the registry layer cache answers the go build step', async () => {
      const service = services[0];
      await exec('docker', ['buildx', 'prune', '-af']);
      await removeImages(`${service}:latest`);
      const { stdout, stderr } = await ws.nx('run', `${service}:docker-build`, '--skip-nx-cache');
      expect(goBuildStepCached(`${stdout}\n${stderr}`)).toBe(true);
      expect((await exec('docker', ['run', '--rm', `${service}:latest`, 'version'])).stdout).toMatch(new RegExp(`^${service} `));
    });

    it('with layerCache "local" the cache goes to a CI cache folder, and answers after docker buildx prune -af', async () => {
      const service = services[1];
      pluginOptions(ws, { registry: namespace, layerCache: 'local', layerCacheDir: '.cache/buildkit' });
      await ws.nx('run', `${service}:docker-build`, '--skip-nx-cache');
      expect(ws.list(`.cache/buildkit/${service}`)).toEqual(expect.arrayContaining(['index.json', 'blobs']));
      await exec('docker', ['buildx', 'prune', '-af']);
      await removeImages(`${service}:latest`);
      const { stdout, stderr } = await ws.nx('run', `${service}:docker-build`, '--skip-nx-cache');
      expect(goBuildStepCached(`${stdout}\n${stderr}`)).toBe(true);
    });

    it('with goCacheDir the Go caches survive docker buildx prune -af: the next build compiles no standard-library package', async () => {
      const service = services[2];
      // No layer cache here, so the go build step runs; GOFLAGS=-v makes it name each package it compiles.
      pluginOptions(ws, { registry: namespace, goCacheDir: '.cache/go-docker' });
      await exec('docker', ['buildx', 'prune', '-af']);
      const compiled = (output: string) => [...output.matchAll(/^#\d+ [\d.]+ (runtime|internal\/abi|net\/http)$/gm)].map((match) => match[1]);
      const first = await ws.nx('run', `${service}:docker-build`, '--skip-nx-cache', '--buildArgs.GOFLAGS=-v');
      // The builder's caches are empty: everything compiles, and is saved.
      expect(compiled(`${first.stdout}\n${first.stderr}`)).toEqual(expect.arrayContaining(['runtime', 'net/http']));
      expect(Number(/Saved (\d+) new Go cache files/.exec(first.stdout)?.[1])).toBeGreaterThan(100);
      expect(ws.list('.cache/go-docker')).toEqual(expect.arrayContaining(['build']));

      await exec('docker', ['buildx', 'prune', '-af']);
      await removeImages(`${service}:latest`);
      const second = await ws.nx('run', `${service}:docker-build`, '--skip-nx-cache', '--buildArgs.GOFLAGS=-v');
      expect(second.stdout).toContain('Loading the Go caches from');
      expect(goBuildStepCached(`${second.stdout}\n${second.stderr}`)).toBe(false);
      expect(compiled(`${second.stdout}\n${second.stderr}`)).toEqual([]);
      expect((await exec('docker', ['run', '--rm', `${service}:latest`, 'version'])).stdout).toMatch(new RegExp(`^${service} `));
    });
  });
});
