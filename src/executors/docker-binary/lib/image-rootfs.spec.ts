import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { completeRootfs, goBuildArgs, goPlatformEnv, platformFolder } from './image-rootfs';

describe('docker-binary root filesystems', () => {
  it("compiles with the generated Dockerfile's flags, the revision stamped into the binary", () => {
    expect(goBuildArgs('/out/app', { VERSION: 'v1.2.0', GIT_COMMIT: 'abc', BUILD_DATE: '2026-12-01T00:00:00Z' })).toEqual([
      'build',
      '-trimpath',
      '-buildvcs=false',
      '-tags',
      'timetzdata',
      '-ldflags',
      "-s -w -X 'main.version=v1.2.0' -X 'main.commit=abc' -X 'main.buildDate=2026-12-01T00:00:00Z'",
      '-o',
      '/out/app',
      '.',
    ]);
  });

  it('cross-compiles statically for each platform, in a folder named as the Dockerfile looks it up', () => {
    expect(goPlatformEnv('linux/arm64')).toEqual({ CGO_ENABLED: '0', GOOS: 'linux', GOARCH: 'arm64' });
    expect(goPlatformEnv('linux/arm/v7')).toEqual({ CGO_ENABLED: '0', GOOS: 'linux', GOARCH: 'arm', GOARM: '7' });
    expect(platformFolder('/dist/docker-binary', 'linux/amd64')).toBe('/dist/docker-binary/linux_amd64');
  });

  it("adds the host's CA bundle and sets every file's time to the commit's", () => {
    const folder = mkdtempSync(join(tmpdir(), 'nx-go-docker-rootfs-'));
    try {
      mkdirSync(folder, { recursive: true });
      writeFileSync(join(folder, 'app'), 'binary');
      expect(completeRootfs(folder, 1700000000)).toBeUndefined();
      expect(readFileSync(join(folder, 'etc/ssl/certs/ca-certificates.crt'), 'utf-8')).toContain('BEGIN CERTIFICATE');
      for (const file of ['app', 'etc', 'etc/ssl/certs/ca-certificates.crt']) expect(statSync(join(folder, file)).mtimeMs).toBe(1700000000 * 1000);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
