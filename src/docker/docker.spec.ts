import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { engineVersionProblem, minimumEngineVersion, ociArchiveBuildArgs, pushImage, registryProblem } from '.';

describe('engineVersionProblem', () => {
  it.each(['26.1.5+dfsg1', '26.1.0', '27.0.3', '28.2.2', '29.1.0'])('accepts Docker Engine %s', (version) => {
    expect(engineVersionProblem(version)).toBeUndefined();
  });

  it.each(['20.10.24+dfsg1', '24.0.7', '25.0.5', '26.0.2'])('refuses Docker Engine %s in one line naming the minimum', (version) => {
    expect(engineVersionProblem(version)).toBe(
      `Docker Engine ${version} is older than ${minimumEngineVersion}, the oldest nx-go-docker supports (the generated Dockerfile uses HEALTHCHECK --start-interval). Upgrade Docker Engine (https://docs.docker.com/engine/install/) and retry.`,
    );
  });

  it('lets an engine whose version it cannot read go on (a development build, say)', () => {
    expect(engineVersionProblem('dev')).toBeUndefined();
  });
});

describe('ociArchiveBuildArgs', () => {
  const options = {
    file: '/ws/apps/orders/Dockerfile',
    context: '/ws',
    platforms: ['linux/amd64', 'linux/arm64'],
    buildArgs: { SOURCE_DATE_EPOCH: '1795593600', NOTE: 'a b; $(id)' },
    noCache: true,
    name: 'ghcr.io/acme/orders:bbbbbbb',
    destination: '/tmp/x/image.oci.tar',
  };

  it('builds every platform into one OCI archive with provenance and an SBOM from the given generator', () => {
    expect(ociArchiveBuildArgs({ ...options, noCache: false, provenance: true, sbomGenerator: 'nx-go-docker/sbom-generator:abc' })).toEqual([
      'buildx', 'build', '--file', '/ws/apps/orders/Dockerfile', '--platform', 'linux/amd64,linux/arm64',
      '--build-arg', 'SOURCE_DATE_EPOCH=1795593600', '--build-arg', 'NOTE=a b; $(id)',
      '--provenance=mode=max', '--sbom=generator=nx-go-docker/sbom-generator:abc',
      '--output', 'type=oci,dest=/tmp/x/image.oci.tar,name=ghcr.io/acme/orders:bbbbbbb,rewrite-timestamp=true',
      '/ws',
    ]);
  });

  it('builds every platform into one OCI archive, timestamps rewritten, no attestation, as one argv', () => {
    expect(ociArchiveBuildArgs({ ...options, provenance: false })).toEqual([
      'buildx', 'build', '--file', '/ws/apps/orders/Dockerfile', '--platform', 'linux/amd64,linux/arm64',
      '--build-arg', 'SOURCE_DATE_EPOCH=1795593600', '--build-arg', 'NOTE=a b; $(id)',
      '--no-cache', '--provenance=false',
      '--output', 'type=oci,dest=/tmp/x/image.oci.tar,name=ghcr.io/acme/orders:bbbbbbb,rewrite-timestamp=true',
      '/ws',
    ]);
  });
});

describe('registryProblem', () => {
  const reference = '127.0.0.1:5000/run-1796155836961/pub-b:a401bcd';

  it('reads a missing tag as no problem, whatever digits the reference holds', () => {
    expect(registryProblem(`ERROR: ${reference}: not found\n`, reference)).toBeUndefined();
  });

  it('tells a refused login from an unreachable registry', () => {
    expect(registryProblem(`ERROR: failed to authorize: failed to fetch anonymous token: unexpected status: 401 Unauthorized\n`, reference)).toBe('unauthorized');
    expect(registryProblem('unauthorized: authentication required\n', reference)).toBe('unauthorized');
    expect(registryProblem('ERROR: dial tcp 127.0.0.1:1: connect: connection refused\n', reference)).toBe('unreachable');
  });
});

describe('pushImage', () => {
  const originalPath = process.env.PATH;
  let bin: string;

  /** A `docker` on PATH that fails its first `failures` pushes with `message`, then succeeds; it logs each call. */
  function fakeDocker(failures: number, message: string): void {
    bin = mkdtempSync(join(tmpdir(), 'nx-go-docker-fake-docker-'));
    const script = `#!/bin/sh
echo "$*" >> "${bin}/calls"
count=$(wc -l < "${bin}/calls")
if [ "$count" -le ${failures} ]; then echo "${message}" >&2; exit 1; fi
exit 0
`;
    writeFileSync(join(bin, 'docker'), script, { mode: 0o755 });
    process.env.PATH = `${bin}:${originalPath}`;
  }
  const calls = () => readFileSync(join(bin, 'calls'), 'utf-8').trim().split('\n');

  afterEach(() => {
    process.env.PATH = originalPath;
    rmSync(bin, { recursive: true, force: true });
  });

  it('tries once more after a registry server error, and succeeds', async () => {
    fakeDocker(1, 'unexpected status from HEAD request to http://127.0.0.1:5000/v2/a/manifests/t: 500 Internal Server Error');
    expect(await pushImage('127.0.0.1:5000/a:t')).toMatchObject({ code: 0 });
    expect(calls()).toEqual(['push --quiet 127.0.0.1:5000/a:t', 'push --quiet 127.0.0.1:5000/a:t']);
  });

  it('does not retry a refused login, and says so', async () => {
    fakeDocker(2, 'unauthorized: authentication required');
    expect(await pushImage('127.0.0.1:5001/a:t')).toMatchObject({ code: 1, problem: 'unauthorized' });
    expect(calls()).toHaveLength(1);
  });
});
