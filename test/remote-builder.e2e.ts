import { exec, secondsSince } from './support/exec';
import { binaryArchitecture, freePort, indexPlatforms, inspect, removeContainers, removeImages } from './support/docker';
import { ensureRemoteBuilder, layerDigests, pushLocalImage, remoteBuilder, remoteBuilderEndpoint, untilHealthy } from './support/remote-builder';
import { sharedWorkspace } from './support/shared-workspace';
import { Workspace } from './support/workspace';
import type { PushMetadata } from '../src/executors/docker-push/lib/push-image';

/** The open local registry of scripts/setup/registry.sh. */
const registry = '127.0.0.1:5000';

interface ImageConfig {
  Config: { User: string; Labels: Record<string, string>; Healthcheck?: { Test: string[] } };
}

/**
 * A shared BuildKit, as teams run one: a standalone buildkitd (scripts/setup/buildkitd.sh) that
 * buildx reaches with the remote driver. It sees none of dockerd's images, so the Go builder
 * image comes from a registry (GO_IMAGE), and what it builds reaches dockerd only by --load
 * (buildx streams the image to dockerd) or through a registry.
 */
describe('a remote BuildKit builder (buildx remote driver) builds, loads and pushes the generated service', () => {
  let ws: Workspace;
  let commit: string;
  let goImage: string;
  const service = 'rbuild-api';
  // This run's own namespace: nothing an earlier run pushed can make a test pass.
  const namespace = `${registry}/rbuild-${Date.now()}`;
  const containers: string[] = [];
  const images = [`${service}:latest`, `${service}:multi`];
  const remote = [`--builder=${remoteBuilder}`];

  const nx = async (...args: string[]) => {
    const start = performance.now();
    const result = await ws.nx(...args);
    return { output: result.stdout + result.stderr, seconds: secondsSince(start) };
  };
  const runHealthy = async (image: string) => {
    const port = await freePort();
    const name = `${service}-${containers.length}-${process.pid}`;
    containers.push(name);
    await removeContainers(name);
    await ws.run('docker', ['run', '--detach', '--name', name, '--publish', `127.0.0.1:${port}:8080`, image]);
    const healthy = await untilHealthy(name);
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    const info = (await (await fetch(`http://127.0.0.1:${port}/`)).json()) as Record<string, string>;
    expect(info).toMatchObject({ service, commit });
    return healthy;
  };
  const metadata = (file: string) => JSON.parse(ws.read(file)) as PushMetadata;

  beforeAll(async () => {
    console.log(await ensureRemoteBuilder());
    ws = await sharedWorkspace();
    const goMinor = /go(1\.\d+)/.exec((await ws.run('go', ['env', 'GOVERSION'])).stdout)![1];
    // The Go builder image the generated Dockerfile names, from the registry instead of dockerd.
    goImage = await pushLocalImage(`golang:${goMinor}-alpine`, `${registry}/library/golang:${goMinor}-alpine`);
    await ws.nx('g', 'nx-go-docker:go-service', service, '--no-postgres');
    await ws.commit(`add ${service}`);
    commit = (await ws.run('git', ['rev-parse', 'HEAD'])).stdout.trim();
    await removeImages(...images, `${service}:${commit.slice(0, 7)}`);
  });

  afterAll(async () => {
    await removeContainers(...containers);
    await removeImages(...images, `${service}:${commit?.slice(0, 7)}`);
    // docker-push loads what it pushes (and the attestations) into dockerd: this run's namespace only.
    const { stdout } = await exec('docker', ['image', 'ls', '--format', '{{.Repository}}:{{.Tag}}']);
    await removeImages(...stdout.split('\n').filter((reference) => reference.startsWith(`${namespace}/`)));
  });

  it('the builder is buildx\'s remote driver on the standalone buildkitd, and not the default builder', async () => {
    const { stdout } = await ws.run('docker', ['buildx', 'inspect', remoteBuilder]);
    expect(stdout).toMatch(/^Driver: +remote$/m);
    expect(stdout).toMatch(new RegExp(`^Endpoint: +${remoteBuilderEndpoint.replace(/\./g, '\\.')}$`, 'm'));
    expect(stdout).toMatch(/^Status: +running$/m);
    expect((await ws.run('docker', ['buildx', 'inspect'])).stdout).not.toContain(remoteBuilderEndpoint);
  });

  it('docker-build --builder builds on it and --load puts the image into dockerd, which runs it healthy', async () => {
    const build = await nx('run', `${service}:docker-build`, ...remote, `--buildArgs.GO_IMAGE=${goImage}`, '--skip-nx-cache');
    console.log(`docker-build on the remote builder (cold only on a fresh buildkitd root, which keeps the Go build cache): ${build.seconds} s`);
    expect(build.output).toContain(`building with "${remoteBuilder}" instance using remote driver`);
    expect(build.output).toContain(`FROM ${goImage}`);
    expect(build.output).toMatch(/importing to docker/);
    const image = await inspect<ImageConfig>('image', `${service}:latest`);
    expect(image.Config.User).toBe('65532:65532');
    expect(image.Config.Healthcheck?.Test).toEqual(['CMD', '/app', 'healthcheck']);
    expect(image.Config.Labels['org.opencontainers.image.revision']).toBe(commit);
    // The Go version probe ran on the remote builder too (from the registry's Go image).
    expect(image.Config.Labels['org.golang.version']).toBe((await ws.run('go', ['env', 'GOVERSION'])).stdout.trim());
    const healthy = await runHealthy(`${service}:latest`);
    console.log(`image built remotely, loaded, healthy ${healthy} s after docker run`);
  });

  it('rebuilds after a one-line change from the remote builder\'s cache: module layer cached, one package recompiled', async () => {
    const mainGo = ws.read(`apps/${service}/main.go`);
    ws.write(`apps/${service}/main.go`, mainGo.replace('package main', 'package main\n\n// a one-line change'));
    try {
      const rebuild = await nx('run', `${service}:docker-build`, ...remote, `--buildArgs.GO_IMAGE=${goImage}`, '--skip-nx-cache');
      console.log(`docker-build on the remote builder after a one-line change: ${rebuild.seconds} s`);
      const step = (command: string) => new RegExp(`#(\\d+) \\[build \\d/\\d\\] RUN [^\\n]*${command}`).exec(rebuild.output)?.[1];
      const download = step('go mod download');
      const compile = step('go build');
      expect(download).toBeDefined();
      expect(rebuild.output).toContain(`#${download} CACHED`);
      expect(compile).toBeDefined();
      expect(rebuild.output).not.toContain(`#${compile} CACHED`);
    } finally {
      ws.write(`apps/${service}/main.go`, mainGo);
    }
    const unchanged = await nx('run', `${service}:docker-build`, ...remote, `--buildArgs.GO_IMAGE=${goImage}`, '--skip-nx-cache');
    console.log(`docker-build on the remote builder with nothing changed: ${unchanged.seconds} s`);
  });

  it('--platforms linux/amd64,linux/arm64 --load: one multi-platform index in dockerd, each binary for its architecture (the builder has no arm64 worker: Go cross-compiles)', async () => {
    const multi = await nx('run', `${service}:docker-build`, ...remote, `--buildArgs.GO_IMAGE=${goImage}`, '--platforms=linux/amd64,linux/arm64', `--tags=${service}:multi`, '--skip-nx-cache');
    console.log(`docker-build on the remote builder for linux/amd64 and linux/arm64, loaded: ${multi.seconds} s`);
    expect(await indexPlatforms(`${service}:multi`)).toEqual(['linux/amd64', 'linux/arm64']);
    expect(await binaryArchitecture(`${service}:multi`, '/app', 'linux/amd64')).toBe('amd64');
    expect(await binaryArchitecture(`${service}:multi`, '/app', 'linux/arm64')).toBe('arm64');
  });

  it('docker-build --push: buildkitd itself pushes to the plain-HTTP registry (no [registry] config), and the pulled image runs healthy', async () => {
    const reference = `${namespace}/${service}:remote-push`;
    const push = await nx('run', `${service}:docker-build`, ...remote, `--buildArgs.GO_IMAGE=${goImage}`, '--platforms=linux/amd64,linux/arm64', '--push', `--tags=${reference}`, '--skip-nx-cache');
    console.log(`docker-build --push from the remote builder: ${push.seconds} s`);
    expect(push.output).toContain(`pushing manifest for ${reference}`);
    expect(push.output).not.toContain('importing to docker');
    await removeImages(reference);
    await ws.run('docker', ['pull', '--quiet', reference]);
    await runHealthy(reference);
    await removeImages(reference);
  });

  it('docker-push --builder: pushes a multi-platform index with its SBOM (the generator pushed beside it for the remote builder), whose pulled image runs healthy', async () => {
    const file = `dist/docker/${service}-remote.json`;
    const push = await nx('run', `${service}:docker-push`, ...remote, `--registry=${namespace}/docker-push`, `--buildArgs.GO_IMAGE=${goImage}`, `--metadataFile=${file}`, '--skip-nx-cache');
    console.log(`docker-push with the remote builder: ${push.seconds} s`);
    expect(push.output).toContain(`building with "${remoteBuilder}" instance using remote driver`);
    const { image, digest, tags, attestations } = metadata(file);
    expect(metadata(file)).toMatchObject({ image: `${namespace}/docker-push/${service}`, tags: [commit.slice(0, 7)], platforms: ['linux/amd64', 'linux/arm64'], pushed: true });
    const sbom = await ws.run('docker', ['buildx', 'imagetools', 'inspect', attestations!, '--format', '{{json .SBOM}}']);
    expect(sbom.stdout).toContain('SPDX');
    await removeImages(`${image}:${tags[0]}`);
    await ws.run('docker', ['pull', '--quiet', `${image}@${digest}`]);
    await runHealthy(`${image}@${digest}`);
    await removeImages(`${image}@${digest}`);
  });

  it('the same commit built by the remote builder and by the local engine holds byte-identical files (layer digests)', async () => {
    const remoteFile = `dist/docker/${service}-remote-amd64.json`;
    const localFile = `dist/docker/${service}-local-amd64.json`;
    const common = ['--platforms=linux/amd64', '--sbom=false', '--skip-nx-cache'];
    await nx('run', `${service}:docker-push`, ...remote, `--registry=${namespace}/remote`, `--buildArgs.GO_IMAGE=${goImage}`, `--metadataFile=${remoteFile}`, ...common);
    const local = await nx('run', `${service}:docker-push`, `--registry=${namespace}/local`, `--metadataFile=${localFile}`, ...common);
    expect(local.output).not.toContain('using remote driver');
    const [fromRemote, fromLocal] = [metadata(remoteFile), metadata(localFile)];
    const layers = async (m: PushMetadata) => layerDigests(`${m.image}@${m.digest}`, 'linux/amd64');
    expect(await layers(fromRemote)).toEqual(await layers(fromLocal));
    // The image digests differ when the two BuildKits' Dockerfile frontends write the config's history differently.
    console.log(`image digest from the remote builder ${fromRemote.digest}, from the local engine ${fromLocal.digest} (${fromRemote.digest === fromLocal.digest ? 'the same' : 'different'})`);
  });
});
