import { createHash, randomUUID } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { runProcess } from '../utils/run-process';
import { lastLine } from './output';
import { inScratchContext } from './scratch-context';

/**
 * The Go caches of an in-Docker build kept in a folder of the workspace that a CI cache
 * saves and restores (`goCacheDir`): BuildKit exports layers, never cache mounts, so a fresh
 * runner's builder starts with empty Go caches. Before a build the folder's files are copied
 * into the builder's cache mounts (`cp -u`: a file a mount holds already stays as it is);
 * after it, only the files the build added come back. Both caches name files by content, so
 * concurrent builds that merge into one folder cannot corrupt it. The mounts are the generated
 * Dockerfile's: same targets, so the same cache IDs.
 */
const caches = [
  { mount: '/go/pkg/mod', folder: 'mod' },
  { mount: '/root/.cache/go-build', folder: 'build' },
];

const cacheMounts = caches.map(({ mount }) => `--mount=type=cache,target=${mount}`).join(' ');

/** Copies the folder's files into the cache mounts, leaving a file a mount holds already (`cp -u`; busybox's `cp -n` copies nothing). */
const loadDockerfile = `ARG GO_IMAGE
FROM --platform=$BUILDPLATFORM \${GO_IMAGE}
ARG CACHE_KEY
RUN --mount=type=bind,from=gocache,target=/saved ${cacheMounts} \\
    echo "$CACHE_KEY" >/dev/null && \\
${caches.map(({ mount, folder }) => `    if [ -d /saved/${folder} ]; then cp -Rpu /saved/${folder}/. ${mount}/; fi`).join(' && \\\n')}
`;

/**
 * The files in the cache mounts that the folder lacks, laid out as the folder is: all of a
 * mount in one copy when the folder has none of it (a cold start), else each missing file
 * (after a warm build, a few). The folder itself is not sent to the builder, only the list of
 * the files it holds (lists/<folder>, as `find .` names them); `uniq -u` of that list twice
 * and the mount's once leaves the names only the mount has.
 */
const saveDockerfile = `ARG GO_IMAGE
FROM --platform=$BUILDPLATFORM \${GO_IMAGE} AS collect
ARG CACHE_KEY
RUN --mount=type=bind,source=lists,target=/lists ${cacheMounts} \\
    echo "$CACHE_KEY" >/dev/null && mkdir -p /new && \\
${caches
  .map(
    ({ mount, folder }) =>
      `    if [ ! -f /lists/${folder} ]; then mkdir -p /new/${folder} && cp -Rp ${mount}/. /new/${folder}/; else \\
      (cd ${mount} && find . -type f) > /tmp/held && \\
      cat /lists/${folder} /lists/${folder} /tmp/held | sort | uniq -u | (cd ${mount} && while read -r f; do mkdir -p "/new/${folder}/\${f%/*}" && cp -p "$f" "/new/${folder}/$f"; done); fi`,
  )
  .join(' && \\\n')}
FROM scratch
COPY --from=collect /new/ /
`;

export interface GoCacheBuild {
  /** The folder the CI cache keeps, absolute. */
  folder: string;
  /** An image with a shell and the Go caches' layout: the project's GO_IMAGE. */
  goImage: string;
  builder?: string;
}

/** Loads the folder into the builder's Go caches; a one-line problem when that build fails. */
export async function loadGoCache(build: GoCacheBuild): Promise<string | undefined> {
  mkdirSync(build.folder, { recursive: true });
  return inScratchContext(loadDockerfile, async (work) => {
    // Keyed by what the folder holds: concurrent builds of one CI run load it once (BuildKit
    // runs one step for identical ones), and a builder that loaded it before skips it.
    const args = helperBuildArgs(build, folderManifest(build.folder));
    const { code, stderr } = await runProcess('docker', [...args, '--build-context', `gocache=${build.folder}`, '--output', 'type=cacheonly', work], { stdio: 'pipe' });
    return code === 0 ? undefined : `Loading the Go caches from ${build.folder} into the builder failed (${lastLine(stderr)}).`;
  });
}

/** Adds the files the builder's Go caches hold and the folder lacks; returns how many, or a problem. */
export async function saveGoCache(build: GoCacheBuild): Promise<{ added: number } | { problem: string }> {
  return inScratchContext(saveDockerfile, async (work) => {
    writeFolderLists(build.folder, join(work, 'lists'));
    const collected = join(work, 'new');
    const { code, stderr } = await runProcess('docker', [...helperBuildArgs(build, randomUUID()), '--output', `type=local,dest=${collected}`, work], { stdio: 'pipe' });
    if (code !== 0) return { problem: `Saving the builder's Go caches to ${build.folder} failed (${lastLine(stderr)}).` };
    return { added: mergeInto(collected, build.folder) };
  });
}

/**
 * The Go caches around a build: for one with a cache folder (absolute) that compiles Go in
 * Docker, from `goImage` (see goImageOf), not from prebuilt binaries.
 */
export function goCacheOf(
  folder: string | undefined,
  goImage: string | undefined,
  build: { buildArgs: Record<string, string>; builder?: string },
): GoCacheBuild | undefined {
  if (!folder || !goImage || build.buildArgs.ROOTFS === 'prebuilt') return undefined;
  return { folder, goImage, builder: build.builder };
}

/**
 * Runs a build between loading the Go caches and saving what it added (nothing around it
 * without a cache folder). Resolves with the build's exit code, or a one-line problem.
 */
export async function buildWithGoCache(
  goCache: GoCacheBuild | undefined,
  build: () => Promise<number>,
  log: (message: string) => void,
): Promise<{ code: number } | { problem: string }> {
  if (!goCache) return { code: await build() };
  log(`Loading the Go caches from ${goCache.folder} into the builder`);
  const problem = await loadGoCache(goCache);
  if (problem) return { problem };
  const code = await build();
  if (code !== 0) return { code };
  const saved = await saveGoCache(goCache);
  if ('problem' in saved) return saved;
  log(`Saved ${saved.added} new Go cache files to ${goCache.folder}`);
  return { code };
}

/** Lists, per cache, the files the folder holds (`./<path>`, one per line), for the save step; none for a cache the folder lacks. */
function writeFolderLists(folder: string, lists: string): void {
  mkdirSync(lists, { recursive: true });
  for (const cache of caches) {
    const held = join(folder, cache.folder);
    if (existsSync(held)) writeFileSync(join(lists, cache.folder), filesUnder(held).map((file) => `./${file}\n`).join(''));
  }
}

function helperBuildArgs(build: GoCacheBuild, key: string): string[] {
  const args = ['buildx', 'build', '--quiet', '--build-arg', `GO_IMAGE=${build.goImage}`, '--build-arg', `CACHE_KEY=${key}`];
  if (build.builder) args.push('--builder', build.builder);
  return args;
}

/** A hash of the folder's file names and sizes: what a load of it copies. */
function folderManifest(folder: string): string {
  const hash = createHash('sha256');
  for (const file of filesUnder(folder)) hash.update(`${file}\0${statSync(join(folder, file)).size}\n`);
  return hash.digest('hex');
}

/** Moves each collected file into the folder unless it is there (a concurrent build saved it); returns how many moved. */
function mergeInto(collected: string, folder: string): number {
  let added = 0;
  for (const file of existsSync(collected) ? filesUnder(collected) : []) {
    const target = join(folder, file);
    if (existsSync(target)) continue;
    mkdirSync(dirname(target), { recursive: true });
    try {
      renameSync(join(collected, file), target);
    } catch {
      cpSync(join(collected, file), target);
    }
    added++;
  }
  return added;
}

/** The files below a folder, as sorted paths relative to it. */
function filesUnder(folder: string): string[] {
  return (readdirSync(folder, { recursive: true }) as string[]).filter((path) => statSync(join(folder, path)).isFile()).sort();
}
