import { createServer } from 'node:net';
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
