import { createHash } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exec, tryExec } from './exec';

export async function inspect<T = unknown>(kind: 'image' | 'container', name: string, format = '{{json .}}'): Promise<T> {
  const { stdout } = await exec('docker', [kind, 'inspect', '--format', format, name]);
  return JSON.parse(stdout) as T;
}

export async function exists(kind: 'image' | 'container' | 'network' | 'volume', name: string): Promise<boolean> {
  return (await tryExec('docker', [kind, 'inspect', name])).code === 0;
}

/** Names of containers, networks or volumes carrying a label (e.g. a compose project's). */
export async function listByLabel(kind: 'container' | 'network' | 'volume', label: string): Promise<string[]> {
  const args = kind === 'container' ? ['ps', '--all'] : [kind, 'ls'];
  const format = kind === 'container' ? '{{.Names}}' : '{{.Name}}';
  const { stdout } = await exec('docker', [...args, '--filter', `label=${label}`, '--format', format]);
  return stdout.split('\n').filter(Boolean);
}

/** A port nothing listens on right now, from the kernel. */
export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export async function removeContainers(...names: string[]): Promise<void> {
  for (const name of names) await tryExec('docker', ['rm', '--force', '--volumes', name]);
}

export async function removeImages(...names: string[]): Promise<void> {
  for (const name of names) await tryExec('docker', ['image', 'rm', '--force', name]);
}

/** Which base images are local stand-ins built by scripts/setup/images.sh (no registry here). */
export async function standIns(images: string[]): Promise<string[]> {
  const found: string[] = [];
  for (const image of images) {
    const { stdout } = await tryExec('docker', ['image', 'inspect', '--format', '{{index .Config.Labels "nx-go-docker.stand-in"}}', image]);
    if (stdout.trim() === 'true') found.push(image);
  }
  return found;
}

/** Runs work on a created (never started) container of the image for one platform, then removes it. */
async function withCreatedContainer<T>(image: string, platform: string | undefined, work: (id: string, dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'nx-go-docker-image-'));
  const { stdout } = await exec('docker', ['create', ...(platform ? ['--platform', platform] : []), image]);
  const id = stdout.trim();
  try {
    return await work(id, dir);
  } finally {
    await tryExec('docker', ['rm', '--force', id]);
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The bytes of the files in an image's filesystem (a `docker export` of a created container):
 * the same measure on the classic and the containerd image store, where `docker image inspect`'s
 * Size is the compressed content instead.
 */
export function filesystemBytes(image: string, platform?: string): Promise<number> {
  return withCreatedContainer(image, platform, async (id, dir) => {
    const archive = join(dir, 'fs.tar');
    await exec('docker', ['export', '--output', archive, id]);
    const tar = readFileSync(archive);
    let bytes = 0;
    for (let offset = 0; offset + 512 <= tar.length; ) {
      const header = tar.subarray(offset, offset + 512);
      if (header.every((byte) => byte === 0)) break;
      const size = parseInt(header.subarray(124, 136).toString().replace(/\0.*$/, '').trim() || '0', 8);
      const type = String.fromCharCode(header[156]);
      if (type === '0' || type === '\0') bytes += size;
      offset += 512 + Math.ceil(size / 512) * 512;
    }
    return bytes;
  });
}

/** The size in bytes of one file in the image. */
export function fileBytes(image: string, path: string, platform?: string): Promise<number> {
  return withCreatedContainer(image, platform, async (id, dir) => {
    const copy = join(dir, 'file');
    await exec('docker', ['cp', `${id}:${path}`, copy]);
    return statSync(copy).size;
  });
}

/** The SHA-256 of one file in the image: two images hold the same binary when these match. */
export function fileSha256(image: string, path: string, platform?: string): Promise<string> {
  return withCreatedContainer(image, platform, async (id, dir) => {
    const copy = join(dir, 'file');
    await exec('docker', ['cp', `${id}:${path}`, copy]);
    return createHash('sha256').update(readFileSync(copy)).digest('hex');
  });
}

/** The CPU architecture a binary in the image is compiled for, from its ELF header (amd64, arm64, ...). */
export function binaryArchitecture(image: string, path: string, platform?: string): Promise<string> {
  return withCreatedContainer(image, platform, async (id, dir) => {
    const copy = join(dir, 'binary');
    await exec('docker', ['cp', `${id}:${path}`, copy]);
    const header = Buffer.alloc(20);
    const fd = openSync(copy, 'r');
    readSync(fd, header, 0, 20, 0);
    closeSync(fd);
    if (header.subarray(0, 4).toString('latin1') !== '\x7fELF') return 'not an ELF binary';
    const machines: Record<number, string> = { 0x3e: 'amd64', 0xb7: 'arm64', 0x28: 'arm', 0x03: '386', 0xf3: 'riscv64', 0x15: 'ppc64le' };
    const machine = header.readUInt16LE(18);
    return machines[machine] ?? `ELF machine 0x${machine.toString(16)}`;
  });
}

/** The platforms of the manifests in a local image's index, read from `docker save` (an OCI layout). */
export async function indexPlatforms(image: string): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'nx-go-docker-save-'));
  try {
    await exec('docker', ['save', '--output', join(dir, 'image.tar'), image]);
    await exec('tar', ['-xf', join(dir, 'image.tar'), '-C', dir]);
    const blob = (digest: string) => JSON.parse(readFileSync(join(dir, 'blobs', ...digest.split(':')), 'utf-8'));
    interface Descriptor { digest: string; mediaType: string; platform?: { os: string; architecture: string }; annotations?: Record<string, string> }
    const top = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf-8')) as { manifests: Descriptor[] };
    const index = blob(top.manifests[0].digest) as { manifests: Descriptor[] };
    return index.manifests
      .filter((m) => m.annotations?.['vnd.docker.reference.type'] !== 'attestation-manifest' && m.platform?.os !== 'unknown')
      .map((m) => `${m.platform!.os}/${m.platform!.architecture}`)
      .sort();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
