import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { filesystemBytes } from '../../test/support/docker';
import { exec, tryExec } from '../../test/support/exec';
import type { Workspace } from '../../test/support/workspace';
import { tail, timeIt } from './lib/measure';

/** A generated service as the plugin's inferred targets describe it (read from `nx show project`). */
export interface GeneratedService {
  name: string;
  root: string;
  /** Absolute paths of the Dockerfile and build context docker-build uses. */
  dockerfile: string;
  context: string;
  port: number;
  /** docker-build's inputs as Nx sees them, for the page's explanations. */
  dockerBuildInputs: unknown[];
}

interface ProjectJson {
  root: string;
  targets: Record<string, { inputs?: unknown[]; options?: { file?: string; context?: string; port?: number } }>;
}

export async function describeService(ws: Workspace, name: string): Promise<GeneratedService> {
  const project = JSON.parse((await ws.nx('show', 'project', name, '--json')).stdout) as ProjectJson;
  const options = project.targets['docker-build']?.options ?? {};
  const path = (value: string) => resolve(ws.root, value.replace('{workspaceRoot}', '.').replace('{projectRoot}', project.root));
  return {
    name,
    root: project.root,
    dockerfile: path(options.file ?? '{projectRoot}/Dockerfile'),
    context: path(options.context ?? '{projectRoot}'),
    port: project.targets['docker-run']?.options?.port ?? 8080,
    dockerBuildInputs: project.targets['docker-build']?.inputs ?? [],
  };
}

/** One Dockerfile under test, built from one generated service's source. */
export interface Variant {
  key: string;
  label: string;
  /** Short name for the chart. */
  short: string;
  image: string;
  service: GeneratedService;
  /** The Dockerfile as it is on disk right now (the generated one is re-read for every build). */
  dockerfile: string;
  context: string;
  mainGo: string;
}

export function variantsFor(
  services: { scratch: GeneratedService; distroless: GeneratedService; alpine: GeneratedService },
  workspaceRoot: string,
  dockerfilesDir: string,
): Variant[] {
  const ours = (runtime: keyof typeof services, label: string): Variant => ({
    key: `ours-${runtime}`,
    label,
    short: `plugin, ${runtime}`,
    image: `bench-ours-${runtime}`,
    service: services[runtime],
    dockerfile: services[runtime].dockerfile,
    context: services[runtime].context,
    mainGo: join(workspaceRoot, services[runtime].root, 'main.go'),
  });
  const other = (key: string, label: string, short: string): Variant => ({
    key,
    label,
    short,
    image: `bench-${key}`,
    service: services.scratch,
    dockerfile: join(dockerfilesDir, `${key}.Dockerfile`),
    context: join(workspaceRoot, services.scratch.root),
    mainGo: join(workspaceRoot, services.scratch.root, 'main.go'),
  });
  return [
    ours('scratch', 'this plugin, `scratch` (default)'),
    ours('distroless', 'this plugin, `distroless`'),
    ours('alpine', 'this plugin, `alpine`'),
    other('seed', "seed guides' pattern (`COPY . .`, scratch)", 'seed pattern'),
    other('docker-init', '`docker init`-style (alpine)', 'docker init'),
  ];
}

/**
 * The Dockerfile with every cache mount given an id of its own (`id=<prefix><target>`), so a
 * build with these ids starts from empty Go module and build caches without touching the
 * caches other builds on this engine use.
 */
export function isolateCacheMounts(dockerfile: string, prefix: string): { text: string; mounts: number } {
  let mounts = 0;
  const text = dockerfile.replace(/--mount=type=cache((?:,[^\s,\\]+)*)/g, (_match, options: string) => {
    mounts++;
    const kept = options.split(',').filter((option) => option && !option.startsWith('id='));
    const target = kept.find((option) => option.startsWith('target='))?.slice('target='.length) ?? 'cache';
    const id = `${prefix}${target.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '')}`;
    return `--mount=type=cache,id=${id},${kept.join(',')}`;
  });
  return { text, mounts };
}

/**
 * Writes this run's copy of the variant's Dockerfile into `dir`, with isolated cache mounts,
 * and the Dockerfile-specific ignore file beside it when the original has one (BuildKit reads
 * `<Dockerfile>.dockerignore` before the context's `.dockerignore`).
 */
export function prepareDockerfile(variant: Pick<Variant, 'dockerfile'>, dir: string, cachePrefix: string): { file: string; mounts: number } {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'Dockerfile');
  const { text, mounts } = isolateCacheMounts(readFileSync(variant.dockerfile, 'utf-8'), cachePrefix);
  writeFileSync(file, text);
  const ignore = `${variant.dockerfile}.dockerignore`;
  if (existsSync(ignore)) copyFileSync(ignore, `${file}.dockerignore`);
  return { file, mounts };
}

export interface BuildResult {
  seconds: number;
  error?: string;
}

export async function buildImage(file: string, context: string, image: string, noCache: boolean): Promise<BuildResult> {
  const args = ['buildx', 'build', '--load', '--progress=plain', '--file', file, '--tag', image, ...(noCache ? ['--no-cache'] : []), context];
  let failure = '';
  const seconds = await timeIt(async () => {
    const { code, stderr } = await tryExec('docker', args);
    if (code !== 0) failure = tail(stderr);
  });
  return failure ? { seconds: NaN, error: failure } : { seconds };
}

/** Appends one line of Go code to main.go (unique, so no layer cache can already hold it); returns the undo. */
export function oneLineChange(mainGo: string, marker: string): () => void {
  const original = readFileSync(mainGo, 'utf-8');
  writeFileSync(mainGo, `${original}var _ = "${marker}" // benchmark: a one-line change\n`);
  return () => writeFileSync(mainGo, original);
}

export interface ImageFacts {
  bytes: number;
  binaryPath: string;
  binaryBytes: number;
  user: string;
  healthcheck: boolean;
}

interface ImageConfig {
  User?: string;
  Entrypoint?: string[] | null;
  Cmd?: string[] | null;
  Healthcheck?: { Test?: string[] } | null;
}

/** The bytes of the image's files (a `docker export`, the same on either image store), and the size of the binary it runs (copied out). */
export async function imageFacts(image: string, scratchDir: string): Promise<ImageFacts> {
  const { stdout } = await exec('docker', ['image', 'inspect', '--format', '{{json .Config}}', image]);
  const bytes = await filesystemBytes(image);
  const config = JSON.parse(stdout) as ImageConfig;
  const binaryPath = config.Entrypoint?.[0] ?? config.Cmd?.[0] ?? '';
  const container = `${image}-copy`;
  const copy = join(scratchDir, `${image}.bin`);
  let binaryBytes = NaN;
  await tryExec('docker', ['rm', '--force', container]);
  if ((await tryExec('docker', ['create', '--name', container, image])).code === 0) {
    if ((await tryExec('docker', ['cp', `${container}:${binaryPath}`, copy])).code === 0) {
      binaryBytes = statSync(copy).size;
      rmSync(copy, { force: true });
    }
    await tryExec('docker', ['rm', '--force', container]);
  }
  return {
    bytes,
    binaryPath,
    binaryBytes,
    user: config.User || 'root',
    healthcheck: Boolean(config.Healthcheck?.Test?.length && config.Healthcheck.Test[0] !== 'NONE'),
  };
}
