import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { exec, tryExec } from './exec';

const tempDirs: string[] = [];

/** A new folder under the system's temp folder, removed by removeTempDirs. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

/** Removes every folder tempDir made (call it in afterAll). */
export function removeTempDirs(): void {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** A marker no file, image or log holds by chance, so finding it proves where it went. */
export function uniqueMarker(label: string): string {
  return `${label}-${randomBytes(8).toString('hex')}`;
}

export async function waitFor(condition: () => Promise<boolean>, timeoutMs = 60_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`${what} not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What a user would see changed in a workspace: git's view plus the content of every file outside node_modules, .nx, dist and .git. */
export interface WorkspaceSnapshot {
  status: string;
  files: Map<string, string>;
}

const unhashed = new Set(['node_modules', '.nx', 'dist', '.git']);

export async function snapshot(root: string): Promise<WorkspaceSnapshot> {
  const files = new Map<string, string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (unhashed.has(entry.name)) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else files.set(relative(root, path), createHash('sha256').update(readFileSync(path)).digest('hex'));
    }
  };
  walk(root);
  const git = existsSync(join(root, '.git')) ? (await exec('git', ['status', '--porcelain'], { cwd: root })).stdout : '';
  return { status: git, files };
}

/** Paths added, removed or changed between two snapshots, and git status when it differs. */
export function changes(before: WorkspaceSnapshot, after: WorkspaceSnapshot): string[] {
  const changed: string[] = [];
  for (const [path, hash] of after.files) {
    if (!before.files.has(path)) changed.push(`added ${path}`);
    else if (before.files.get(path) !== hash) changed.push(`changed ${path}`);
  }
  for (const path of before.files.keys()) if (!after.files.has(path)) changed.push(`removed ${path}`);
  if (before.status !== after.status) changed.push(`git status went from ${JSON.stringify(before.status)} to ${JSON.stringify(after.status)}`);
  return changed;
}

/** The one output line that holds `value` and matches `fix`, or undefined: the message a user reads must name both on one line. */
export function lineNaming(output: string, value: string, fix: RegExp): string | undefined {
  return output.split('\n').find((line) => line.includes(value) && fix.test(line));
}

/** A folder with a `docker` that runs `intercept` (shell lines) first and otherwise is the real docker. */
function dockerWrapper(prefix: string, intercept: string): string {
  const dir = tempDir(prefix);
  const realDocker = (process.env.PATH ?? '').split(':').map((d) => join(d, 'docker')).find((path) => existsSync(path));
  writeFileSync(join(dir, 'docker'), `#!/bin/sh\n${intercept}\nexec ${realDocker} "$@"\n`);
  chmodSync(join(dir, 'docker'), 0o755);
  return dir;
}

/** A folder whose `docker` answers `buildx` as a CLI without the buildx plugin does, and passes everything else to the real docker. */
export function dockerWithoutBuildx(): string {
  return dockerWrapper('rel-no-buildx-', `if [ "$1" = buildx ]; then echo "docker: 'buildx' is not a docker command." >&2; exit 1; fi`);
}

/** A folder with a `docker` that reports an engine of this version and otherwise is the real one: an old engine, as executors see it. */
export function dockerReportingEngine(version: string): string {
  return dockerWrapper('rel-old-engine-', `if [ "$1" = version ] && [ "$3" = '{{.Server.Version}}' ]; then echo '${version}'; exit 0; fi`);
}

/** A PATH holding every command this one does except docker: a machine without Docker installed. */
export function pathWithoutDocker(): string {
  const dir = tempDir('rel-no-docker-');
  const linked = new Set(['docker']);
  for (const folder of (process.env.PATH ?? '').split(':')) {
    if (!existsSync(folder)) continue;
    for (const command of readdirSync(folder)) {
      if (linked.has(command)) continue;
      linked.add(command);
      symlinkSync(join(folder, command), join(dir, command));
    }
  }
  return dir;
}

/** Where each marker occurs in an image: in a layer's files (`<layer>:<path>`), its config, or its `docker history`. */
export async function findInImage(image: string, markers: string[]): Promise<Record<string, string[]>> {
  const dir = mkdtempSync(join(tmpdir(), 'rel-image-'));
  try {
    await exec('docker', ['save', '--output', join(dir, 'image.tar'), image]);
    const saved = join(dir, 'saved');
    await exec('mkdir', [saved]);
    await exec('tar', ['-xf', join(dir, 'image.tar'), '-C', saved]);
    const found: Record<string, string[]> = Object.fromEntries(markers.map((m) => [m, []]));
    const search = (content: Buffer, where: string) => {
      for (const marker of markers) if (content.includes(marker)) found[marker].push(where);
    };
    const manifest = JSON.parse(readFileSync(join(saved, 'manifest.json'), 'utf-8')) as { Config: string; Layers: string[] }[];
    search(readFileSync(join(saved, manifest[0].Config)), 'config');
    for (const layer of manifest[0].Layers) {
      const extracted = join(dir, 'layers', layer.replace(/\W/g, '_'));
      await exec('mkdir', ['-p', extracted]);
      await exec('tar', ['-xf', join(saved, layer), '-C', extracted]);
      for (const file of filesUnder(extracted)) search(readFileSync(file), `${layer}:/${relative(extracted, file)}`);
    }
    const history = await exec('docker', ['history', '--no-trunc', '--format', '{{.CreatedBy}}', image]);
    search(Buffer.from(history.stdout), 'docker history');
    return found;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Every regular file under dir (symlinks are not followed: they point into the image, not this machine). */
export function filesUnder(dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...filesUnder(path));
    else if (entry.isFile()) files.push(path);
  }
  return files;
}

/** Every path (files and links) in every layer of an image, as the image's filesystem would list them. */
export async function imagePaths(image: string): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'rel-image-'));
  try {
    await exec('docker', ['save', '--output', join(dir, 'image.tar'), image]);
    await exec('tar', ['-xf', join(dir, 'image.tar'), '-C', dir]);
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf-8')) as { Layers: string[] }[];
    const paths: string[] = [];
    for (const layer of manifest[0].Layers) {
      const { stdout } = await exec('tar', ['-tf', join(dir, layer)]);
      paths.push(...stdout.split('\n').filter(Boolean).map((p) => `/${p.replace(/^\.?\//, '')}`));
    }
    return paths;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Command lines of running processes that contain `fragment` (other than the pgrep itself). */
export async function processesMatching(fragment: string): Promise<string[]> {
  const { stdout } = await tryExec('pgrep', ['-af', fragment]);
  return stdout.split('\n').filter((line) => line.trim() !== '' && !line.includes('pgrep'));
}
