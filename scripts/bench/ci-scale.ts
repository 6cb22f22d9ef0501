/**
 * CI at scale, side by side in one run: a workspace of 20 generated services and 5 libraries
 * (each library imported by 5 services), a one-line change to one library, and the wall time
 * of `nx affected -t <image target> --parallel=4` for the 5 services it affects:
 *   (a) on the warm machine that built the commit before (the median of CI_SCALE_WARM_RUNS runs, 3 by default),
 *   (b) on a fresh runner: a new clone, an empty builder (`docker buildx prune -af`), no images,
 *       no Nx cache, empty Go caches,
 *   (c) on a fresh runner with the caches of the run before restored (the CI cache folders
 *       under .cache/ and Nx's cache folder, as a CI cache or Nx's remote cache hands them over),
 * for this plugin's default (goBuild "docker", with layerCache "local" and goCacheDir), its other
 * variant (goBuild "nx"), the seed guides' `COPY . .` pattern (with the same layer cache) and
 * @nx/docker's inferred docker:build.
 *
 *   npx tsx scripts/bench/ci-scale.ts          (alone: writes its section of docs/benchmarks.md)
 *   CI_SCALE_VARIANTS=ours-nx,seed npx tsx scripts/bench/ci-scale.ts   (only these variants; prints, writes nothing)
 */
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exec, tryExec } from '../../test/support/exec';
import { Workspace, createWorkspace, packPlugin, repoRoot, scratchRoot } from '../../test/support/workspace';
import { npmInstall } from './lib/compat';
import { load, nxVersionIn } from './lib/machine';
import { num, spread, summarize, tail, timeIt } from './lib/measure';

export const ciServices = 20;
export const ciLibraries = 5;
/** How often (a) runs; its median is the figure. */
const warmRuns = Number(process.env.CI_SCALE_WARM_RUNS ?? 3);
const serviceName = (i: number) => `svc-${String(i).padStart(2, '0')}`;
const libraryName = (k: number) => `lib-${k}`;
/** The Go package go-library names lib-0: lib0. */
const packageOf = (k: number) => `lib${k}`;

/** The libraries service i imports: its block of four, and for every fourth service the library before. */
export function librariesOf(i: number): number[] {
  const own = Math.floor(i / 4);
  const extra = [...Array(ciLibraries).keys()].filter((k) => (4 * k + 4) % ciServices === i);
  return [...new Set([own, ...extra])].sort();
}

export interface CiVariantResult {
  key: string;
  label: string;
  target: string;
  /** Seconds of the run before the change (a CI run on the parent commit, whose caches (c) restores). */
  previous?: number;
  /** (a)'s runs, each after a further one-line change; its figure is their median. */
  warmRuns: number[];
  fresh?: number;
  restored?: number;
  /** The projects whose image target ran in (c). */
  affected: string[];
  errors: string[];
}

export interface CiScaleResults {
  services: number;
  libraries: number;
  changedLibrary: string;
  nxVersion: string;
  nxDockerVersion?: string;
  variants: CiVariantResult[];
  load: { start: number; end: number };
  notes: string[];
}

interface Variant {
  key: string;
  label: string;
  target: string;
  /** Changes the variant's copy of the workspace before its first commit. */
  configure: (ws: Workspace) => Promise<void>;
}

const seedDockerfile = `# The seed guides' pattern (seeds 000 and 004) in a monorepo: the whole workspace is the
# context, COPY . . and go build in the service's folder. No cache mounts.
FROM golang:1.26-alpine AS build
ARG SERVICE
WORKDIR /app
COPY go.work ./
COPY . .
WORKDIR /app/\${SERVICE}
RUN CGO_ENABLED=0 GOOS=linux go build -ldflags="-s -w" -o /server .

FROM scratch
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/
COPY --from=build /server /server
ENTRYPOINT ["/server"]
`;

function pluginEntry(ws: Workspace, options: Record<string, unknown>): void {
  const nxJson = JSON.parse(ws.read('nx.json'));
  nxJson.plugins = (nxJson.plugins ?? []).map((entry: string | { plugin: string }) =>
    (typeof entry === 'string' ? entry : entry.plugin) === 'nx-go-docker' ? { plugin: 'nx-go-docker', options } : entry,
  );
  ws.write('nx.json', `${JSON.stringify(nxJson, null, 2)}\n`);
}

const variants: Variant[] = [
  {
    key: 'ours-docker',
    label: 'this plugin, goBuild "docker" (default) + layerCache "local" + goCacheDir',
    target: 'docker-build',
    configure: async (ws) => pluginEntry(ws, { layerCache: 'local', layerCacheDir: '.cache/buildkit', goCacheDir: '.cache/go-docker' }),
  },
  {
    key: 'ours-nx',
    label: 'this plugin, goBuild "nx" (binary from docker-binary, cached by Nx)',
    target: 'docker-build',
    configure: async (ws) => pluginEntry(ws, { goBuild: 'nx', platforms: ['linux/amd64'] }),
  },
  {
    key: 'seed',
    label: "the seed guides' COPY . . pattern, through docker-build, + layerCache \"local\"",
    target: 'docker-build',
    configure: async (ws) => {
      pluginEntry(ws, { layerCache: 'local', layerCacheDir: '.cache/buildkit' });
      ws.write('seed.Dockerfile', seedDockerfile);
      ws.write('seed.Dockerfile.dockerignore', 'node_modules\n.nx\n.git\n.cache\ndist\n');
      for (let i = 0; i < ciServices; i++) {
        const root = `apps/${serviceName(i)}`;
        const project = JSON.parse(ws.read(`${root}/project.json`));
        project.targets = { 'docker-build': { options: { file: 'seed.Dockerfile', context: '.', buildArgs: { SERVICE: root } } } };
        ws.write(`${root}/project.json`, `${JSON.stringify(project, null, 2)}\n`);
      }
    },
  },
  {
    key: 'nx-docker',
    label: "@nx/docker's inferred docker:build (context and BuildKit set as the main bench does)",
    target: 'docker:build',
    configure: async (ws) => {
      const nxJson = JSON.parse(ws.read('nx.json'));
      nxJson.plugins = [
        ...(nxJson.plugins ?? []),
        { plugin: '@nx/docker', options: { buildTarget: { name: 'docker:build', cwd: '.', args: ['--file {projectRoot}/Dockerfile'], env: { DOCKER_BUILDKIT: '1' } } } },
      ];
      ws.write('nx.json', `${JSON.stringify(nxJson, null, 2)}\n`);
    },
  },
];

/**
 * Measures every variant; `nodeModulesFrom` is a workspace with nx, the packed plugin and
 * (for the @nx/docker variant) @nx/docker installed.
 */
export async function measureCiScale(nodeModulesFrom: string, scratch: string, log: (line: string) => void): Promise<CiScaleResults> {
  const loadStart = load();
  rmSync(scratch, { recursive: true, force: true });
  const base = await writeBaseRepository(join(scratch, 'base'), nodeModulesFrom, log);
  const hasNxDocker = existsSync(join(nodeModulesFrom, 'node_modules', '@nx', 'docker', 'package.json'));
  const results: CiScaleResults = {
    services: ciServices,
    libraries: ciLibraries,
    changedLibrary: libraryName(0),
    nxVersion: nxVersionIn(nodeModulesFrom),
    nxDockerVersion: hasNxDocker ? (JSON.parse(readFileSync(join(nodeModulesFrom, 'node_modules', '@nx', 'docker', 'package.json'), 'utf-8')) as { version: string }).version : undefined,
    variants: [],
    load: { start: loadStart, end: loadStart },
    notes: [],
  };
  const only = process.env.CI_SCALE_VARIANTS?.split(',');
  for (const variant of variants) {
    if (only && !only.includes(variant.key)) continue;
    if (variant.key === 'nx-docker' && !hasNxDocker) {
      results.notes.push(`@nx/docker is not installed in ${nodeModulesFrom}: its variant was not measured.`);
      continue;
    }
    log(`${variant.key}: ${variant.label}`);
    results.variants.push(await measureVariant(variant, base, scratch, nodeModulesFrom, log));
  }
  results.load.end = load();
  await removeServiceImages();
  return results;
}

async function measureVariant(variant: Variant, base: string, scratch: string, nodeModulesFrom: string, log: (line: string) => void): Promise<CiVariantResult> {
  const result: CiVariantResult = { key: variant.key, label: variant.label, target: variant.target, warmRuns: [], affected: [], errors: [] };
  // The variant's repository: the base workspace with the variant's configuration, then the change.
  const origin = join(scratch, variant.key, 'origin');
  await exec('git', ['clone', '-q', base, origin]);
  const repo = linkNodeModules(new Workspace(origin), nodeModulesFrom);
  await exec('git', ['config', 'user.email', 'bench@example.com'], { cwd: origin });
  await exec('git', ['config', 'user.name', 'bench'], { cwd: origin });
  await variant.configure(repo);
  await repo.commit(`${variant.key}: configured`);
  const parent = (await repo.run('git', ['rev-parse', 'HEAD'])).stdout.trim();
  await changeOneLine(repo, 'A one-line change.');

  const affected = ['affected', '-t', variant.target, '--parallel=4', `--base=${parent}`, '--head=HEAD', '--output-style=static'];
  const changedServices = [...Array(ciServices).keys()].filter((i) => librariesOf(i).includes(0)).map(serviceName);
  const previousRun = ['run-many', '-t', variant.target, '--parallel=4', `--projects=${changedServices.join(',')}`, '--output-style=static'];
  const timed = async (runner: Workspace, label: string): Promise<number | undefined> => {
    let failure = '';
    let output = '';
    const seconds = await timeIt(async () => {
      const run = await runner.tryRun(join(runner.root, 'node_modules', '.bin', 'nx'), affected, { env: goCaches(runner) });
      output = run.stdout + run.stderr;
      if (run.code !== 0) failure = tail(output, 4);
    });
    if (failure) {
      result.errors.push(`${label}: ${failure}`);
      log(`  ${label}: failed: ${failure}`);
      return undefined;
    }
    writeFileSync(join(scratch, variant.key, `${label.slice(0, 3).replace(/\W/g, '')}.log`), output);
    // Nx quotes a target name with a colon: nx run svc-00:"docker:build".
    result.affected = [...output.matchAll(new RegExp(`nx run ([\\w-]+):"?${variant.target}"?`, 'g'))]
      .map((match) => match[1])
      .filter((name, i, all) => all.indexOf(name) === i);
    const replayed = (output.match(/\[(local cache|remote cache|existing outputs match the cache, left as is)\]/g) ?? []).length;
    log(`  ${label}: ${num(seconds)} s (${result.affected.length} images: ${result.affected.join(' ')}; ${replayed} tasks from the Nx cache)`);
    return seconds;
  };

  // The previous CI run, on the parent commit, on a machine that then stays warm: its caches are what (c) restores.
  await freshBuilder();
  const warm = await runnerAt(origin, join(scratch, variant.key, 'warm'), nodeModulesFrom, parent);
  let previousFailure = '';
  const previous = await timeIt(async () => {
    const run = await warm.tryRun(join(warm.root, 'node_modules', '.bin', 'nx'), previousRun, { env: goCaches(warm) });
    if (run.code !== 0) previousFailure = tail(run.stdout + run.stderr, 4);
  });
  if (previousFailure) result.errors.push(`the run before: ${previousFailure}`);
  result.previous = previous;
  log(`  the run before (parent commit, every image the change will affect built): ${num(previous)} s`);
  const saved = join(scratch, variant.key, 'saved');
  saveCaches(warm.root, saved);

  await warm.run('git', ['checkout', '-q', 'main']);
  await warm.run('git', ['pull', '-q', '--ff-only']);
  // (a) is a few seconds on a shared machine, so one run is mostly noise: it is repeated,
  // each time after a further one-line change (the same 5 services affected, nothing from
  // the Nx cache), and its median counts.
  for (let run = 1; run <= warmRuns; run++) {
    if (run > 1) await changeOneLine(warm, `Change ${run} on the warm machine.`);
    const seconds = await timed(warm, `(a) warm machine, run ${run} of ${warmRuns}`);
    if (seconds !== undefined) result.warmRuns.push(seconds);
  }

  await freshBuilder();
  const fresh = await runnerAt(origin, join(scratch, variant.key, 'fresh'), nodeModulesFrom);
  result.fresh = await timed(fresh, '(b) fresh runner, no caches');

  await freshBuilder();
  const restored = await runnerAt(origin, join(scratch, variant.key, 'restored'), nodeModulesFrom);
  restoreCaches(saved, restored.root);
  result.restored = await timed(restored, '(c) fresh runner, caches restored');
  return result;
}

/** Commits a one-line change to lib-0 (a comment above Greeting), which affects the 5 services importing it. */
async function changeOneLine(ws: Workspace, comment: string): Promise<void> {
  const libFile = `libs/${libraryName(0)}/${packageOf(0)}.go`;
  ws.write(libFile, ws.read(libFile).replace('// Greeting returns', `// ${comment}\n// Greeting returns`));
  await ws.commit(`one line in lib-0: ${comment}`);
}

/**
 * A runner's own caches, in its checkout: the host's Go caches (folders a CI cache keeps) and
 * Nx's cache (Nx 23 and later otherwise share one per repository across clones, ~/.nx/…).
 */
const goCaches = (runner: Workspace): NodeJS.ProcessEnv => ({
  GOCACHE: join(runner.root, '.cache', 'go-build'),
  GOMODCACHE: join(runner.root, '.cache', 'go-mod'),
  GOFLAGS: '-modcacherw',
  NX_CACHE_DIRECTORY: join(runner.root, '.nx', 'cache'),
});

/** What CI caches between runs: the .cache folders (Go, BuildKit) and Nx's cache. */
function saveCaches(from: string, to: string): void {
  rmSync(to, { recursive: true, force: true });
  mkdirSync(to, { recursive: true });
  for (const folder of ['.cache', '.nx']) if (existsSync(join(from, folder))) cpSync(join(from, folder), join(to, folder), { recursive: true });
}

function restoreCaches(from: string, to: string): void {
  for (const folder of ['.cache', '.nx']) if (existsSync(join(from, folder))) cpSync(join(from, folder), join(to, folder), { recursive: true });
}

/** A new runner: a clone of the repository (at `commit`, else main), no .nx, no .cache. */
async function runnerAt(origin: string, folder: string, nodeModulesFrom: string, commit?: string): Promise<Workspace> {
  rmSync(folder, { recursive: true, force: true });
  await exec('git', ['clone', '-q', origin, folder]);
  if (commit) await exec('git', ['checkout', '-q', commit], { cwd: folder });
  return linkNodeModules(new Workspace(folder), nodeModulesFrom);
}

function linkNodeModules(ws: Workspace, from: string): Workspace {
  if (!existsSync(join(ws.root, 'node_modules'))) symlinkSync(join(from, 'node_modules'), join(ws.root, 'node_modules'));
  return ws;
}

/** A builder as on a fresh runner: BuildKit's cache (cache mounts included) gone, no image of the services. */
async function freshBuilder(): Promise<void> {
  await removeServiceImages();
  await exec('docker', ['buildx', 'prune', '-af']);
}

async function removeServiceImages(): Promise<void> {
  const { stdout } = await tryExec('docker', ['images', '--format', '{{.Repository}}:{{.Tag}}']);
  const images = stdout.split('\n').filter((ref) => /^svc-\d\d:/.test(ref));
  if (images.length) await tryExec('docker', ['image', 'rm', '--force', ...images]);
}

/** 20 generated services and 5 generated libraries, each library imported by 5 services, committed. */
async function writeBaseRepository(root: string, nodeModulesFrom: string, log: (line: string) => void): Promise<string> {
  mkdirSync(root, { recursive: true });
  const ws = new Workspace(root);
  ws.write('package.json', `${JSON.stringify({ name: 'ci-bench', private: true }, null, 2)}\n`);
  ws.write('nx.json', `${JSON.stringify({ analytics: false, plugins: ['nx-go-docker'] }, null, 2)}\n`);
  ws.write('.gitignore', 'node_modules\ndist\n.nx\n.cache\n');
  linkNodeModules(ws, nodeModulesFrom);
  await ws.run('git', ['init', '-q', '-b', 'main']);
  await ws.run('git', ['config', 'user.email', 'bench@example.com']);
  await ws.run('git', ['config', 'user.name', 'bench']);
  log(`generating ${ciLibraries} libraries and ${ciServices} services`);
  for (let k = 0; k < ciLibraries; k++) await ws.nx('g', 'nx-go-docker:go-library', libraryName(k));
  for (let i = 0; i < ciServices; i++) await ws.nx('g', 'nx-go-docker:go-service', serviceName(i), '--no-postgres');
  const moduleOf = (k: number) => /^module (\S+)/m.exec(ws.read(`libs/${libraryName(k)}/go.mod`))![1];
  for (let i = 0; i < ciServices; i++) {
    const libs = librariesOf(i);
    const pkg = packageOf;
    ws.write(
      `apps/${serviceName(i)}/libs.go`,
      `package main\n\nimport (\n${libs.map((k) => `\t${pkg(k)} "${moduleOf(k)}"\n`).join('')})\n\n// libraryNames makes the service import its workspace libraries.\nvar libraryNames = []any{${libs.map((k) => `${pkg(k)}.Greeting`).join(', ')}}\n`,
    );
  }
  await ws.nx('sync');
  await ws.commit('20 services, 5 libraries');
  return root;
}

/** The markdown section of docs/benchmarks.md. */
export function ciScaleSection(results: CiScaleResults): string[] {
  const byKey = Object.fromEntries(results.variants.map((variant) => [variant.key, variant]));
  const seed = byKey.seed;
  const rows = results.variants.map((variant) =>
    `| ${variant.label} | \`${variant.target}\` | ${spread(summarize(variant.warmRuns), ' s')} | ${num(variant.fresh)} s | ${num(variant.restored)} s | ${seed?.restored && variant.restored ? `${num(variant.restored / seed.restored)}×` : 'n/a'} |`,
  );
  const ours = byKey['ours-docker'];
  const oursNx = byKey['ours-nx'];
  const warmMedian = (variant: CiVariantResult | undefined) => (variant ? summarize(variant.warmRuns)?.median : undefined);
  const best = [ours, oursNx].filter((variant) => variant?.restored !== undefined).sort((a, b) => a!.restored! - b!.restored!)[0];
  const goal = (value: number | undefined, limit: number, what: string) =>
    value === undefined ? `${what}: not measured` : `${what}: ${num(value)} ${value <= limit ? '(met)' : '(missed)'}`;
  return [
    '## CI at scale: `nx affected` on warm and fresh runners',
    '',
    `A workspace of ${results.services} generated services (\`--no-postgres\`) and ${results.libraries} generated libraries, each library imported by 5 services; one line changed in \`${results.changedLibrary}\`, which affects ${ours?.affected.length ?? 5} services (${(ours?.affected ?? []).join(', ')}). Each figure is the wall time of one \`nx affected -t <target> --parallel=4\` (Nx ${results.nxVersion}${results.nxDockerVersion ? `, @nx/docker ${results.nxDockerVersion}` : ''}), all in this run: (a) on the machine that built the parent commit just before, the median (min–max) of ${warmRuns} runs, each after a further one-line change to the same library; (b) on a fresh runner: a new clone, \`docker buildx prune -af\` (cache mounts included), the services' images removed, no Nx cache, empty Go caches; (c) the same fresh runner with the parent commit's run's caches restored, (b) and (c) one run each: the \`.cache/\` folders a CI cache keeps (BuildKit's local layer cache, the in-Docker Go caches of \`goCacheDir\`, the host's \`GOCACHE\`) and \`.nx/cache\` (what Nx's remote cache would hand over). Base images stay in the engine (a runner would pull them).`,
    '',
    '| variant | target | (a) warm | (b) fresh, no caches | (c) fresh, caches restored | (c) ÷ seed (c) |',
    '|---|---|---|---|---|---|',
    ...rows,
    '',
    `Goals, for the variant the README recommends for CI (the plugin's faster one in (c)${best ? `: ${best.key === 'ours-nx' ? 'goBuild "nx"' : 'goBuild "docker" with its caches'}` : ''}): ${goal(best?.restored !== undefined && seed?.restored ? best.restored / seed.restored : undefined, 0.15, "(c) ÷ the seed pattern's (c) ≤ 0.15×")}; ${goal(warmMedian(best), 5, '(a) for the 5 affected services ≤ 5 s')}.${best && best !== ours && warmMedian(ours) !== undefined ? ` The default (goBuild "docker"), with its CI caches, takes ${num(warmMedian(ours))} s in (a).` : ''}`,
    '',
    ...results.variants.flatMap((variant) => (variant.errors.length ? [`- ${variant.key}: ${variant.errors.join('; ')}`] : [])),
    ...results.notes.map((note) => `- ${note}`),
    `Load average ${results.load.start.toFixed(2)} at the start of this section, ${results.load.end.toFixed(2)} at its end.`,
    '',
  ];
}

const begin = '<!-- ci-scale: begin (scripts/bench/ci-scale.ts) -->';
const end = '<!-- ci-scale: end -->';

/** Puts the section into docs/benchmarks.md between its markers (appended the first time). */
export function writeCiScaleSection(results: CiScaleResults, file = join(repoRoot, 'docs', 'benchmarks.md')): void {
  const text = existsSync(file) ? readFileSync(file, 'utf-8') : '';
  const section = [begin, ...ciScaleSection(results), end].join('\n');
  const start = text.indexOf(begin);
  const stop = text.indexOf(end);
  writeFileSync(file, start >= 0 && stop > start ? text.slice(0, start) + section + text.slice(stop + end.length) : `${text.trimEnd()}\n\n${section}\n`);
}

/** The section as report.ts keeps it when it rewrites the page: the text between the markers, or nothing. */
export function existingCiScaleSection(file = join(repoRoot, 'docs', 'benchmarks.md')): string | undefined {
  if (!existsSync(file)) return undefined;
  const text = readFileSync(file, 'utf-8');
  const start = text.indexOf(begin);
  const stop = text.indexOf(end);
  return start >= 0 && stop > start ? text.slice(start, stop + end.length) : undefined;
}

if (require.main === module) {
  const nxMajor = process.env.NX_VERSION ?? '22';
  const scratch = join(scratchRoot, 'bench-ci');
  const log = (line: string) => console.log(`    ${line}`);
  (async () => {
    rmSync(scratch, { recursive: true, force: true });
    const tarball = await packPlugin(scratch);
    const ws = await createWorkspace(join(scratch, `nx-${nxMajor}`), nxMajor, tarball);
    const nxDocker = await npmInstall(ws.root, `@nx/docker@${nxMajor}`);
    if (!nxDocker.ok) log(`npm i -D @nx/docker@${nxMajor}: ${nxDocker.error}`);
    const results = await measureCiScale(ws.root, join(scratch, 'runs'), log);
    writeFileSync(join(scratch, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
    if (!process.env.CI_SCALE_VARIANTS) writeCiScaleSection(results);
    console.log(ciScaleSection(results).join('\n'));
  })().catch((error: Error) => {
    console.error(`ci-scale benchmark failed: ${error.message}`);
    process.exitCode = 1;
  });
}
