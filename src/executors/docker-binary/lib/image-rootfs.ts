import { copyFileSync, existsSync, mkdirSync, readdirSync, statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';

/** Where Linux distributions and macOS keep the system's CA bundle, most common first. */
const caBundles = ['/etc/ssl/certs/ca-certificates.crt', '/etc/pki/tls/certs/ca-bundle.crt', '/etc/ssl/cert.pem'];

/** The folder of one platform's root filesystem: `linux/arm64` -> `<output>/linux_arm64`. */
export function platformFolder(output: string, platform: string): string {
  return join(output, platform.split('/').join('_'));
}

/** The go build argv the generated Dockerfile runs, for the same binary from the host. */
export function goBuildArgs(binary: string, revision: Record<string, string>): string[] {
  const stamps = `-X 'main.version=${revision.VERSION}' -X 'main.commit=${revision.GIT_COMMIT}' -X 'main.buildDate=${revision.BUILD_DATE}'`;
  // -buildvcs=false: the Dockerfile's build sees no .git, so neither records VCS information.
  return ['build', '-trimpath', '-buildvcs=false', '-tags', 'timetzdata', '-ldflags', `-s -w ${stamps}`, '-o', binary, '.'];
}

/** The Go environment of a static cross-compile for one platform (`linux/arm/v7` sets GOARM). */
export function goPlatformEnv(platform: string): Record<string, string> {
  const [os, arch, variant] = platform.split('/');
  return { CGO_ENABLED: '0', GOOS: os, GOARCH: arch, ...(arch === 'arm' && variant ? { GOARM: variant.replace(/^v/, '') } : {}) };
}

/**
 * Adds the host's CA bundle beside the binary (outbound HTTPS from a scratch image) and sets
 * every file's time to the commit's, as the Dockerfile's build stage does: the same sources
 * give the same image. Returns a problem when the host has no CA bundle.
 */
export function completeRootfs(folder: string, sourceDateEpoch: number): string | undefined {
  const bundle = caBundles.find((file) => existsSync(file));
  if (bundle === undefined) return `No CA bundle on this machine (looked for ${caBundles.join(', ')}): install the ca-certificates package and retry.`;
  mkdirSync(join(folder, 'etc', 'ssl', 'certs'), { recursive: true });
  copyFileSync(bundle, join(folder, 'etc', 'ssl', 'certs', 'ca-certificates.crt'));
  touchTree(folder, sourceDateEpoch);
  return undefined;
}

function touchTree(path: string, time: number): void {
  if (statSync(path).isDirectory()) for (const entry of readdirSync(path)) touchTree(join(path, entry), time);
  utimesSync(path, time, time);
}
