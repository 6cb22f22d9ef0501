/**
 * `npm run bench`: the plugin's Dockerfiles against the seed guides' pattern and a
 * `docker init`-style Dockerfile on the same generated service, plus Nx-level and
 * project-graph timings, measured side by side in one run on this machine. Writes
 * docs/benchmarks.md and docs/benchmarks.svg; never fails on a number, only when it
 * cannot measure at all.
 *
 * Settings (environment): BENCH_REPS (3) runs per figure, BENCH_RUNTIME_REPS (BENCH_REPS)
 * runs per container figure, BENCH_WRK_SECONDS (10), NX_VERSION (24) the bench workspace's
 * Nx major, BENCH_SERVICES (300) and BENCH_LIBRARIES (20) for the graph workspace.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exec, secondsSince, tryExec } from '../../test/support/exec';
import { Workspace, createWorkspace, packPlugin, repoRoot, scratchRoot } from '../../test/support/workspace';
import { GraphResult, GraphSetup, emptyPlugin, emptyPluginLabel, installEmptyPlugin, measureGraph } from './graph';
import { writeGraphWorkspace } from './graph-workspace';
import { GeneratedService, buildImage, describeService, imageFacts, oneLineChange, prepareDockerfile, variantsFor } from './images';
import { findCompatibility, npmInstall } from './lib/compat';
import { load, nxVersionIn, readMachine } from './lib/machine';
import { registerNxDocker, targetsOf, timeDetachedRuns, timeGenerate, timeNxFloor, timeUnchangedRuns } from './nx-level';
import { writeReport } from './report';
import type { BenchResults, VariantResult } from './results';
import { measurePostgresService } from './postgres';
import { measurePublish } from './publish';
import { measureRuntime } from './runtime';

const reps = Number(process.env.BENCH_REPS ?? 3);
const runtimeReps = Number(process.env.BENCH_RUNTIME_REPS ?? reps);
const wrkSeconds = Number(process.env.BENCH_WRK_SECONDS ?? 10);
const nxMajor = process.env.NX_VERSION ?? '24';
const graphServices = Number(process.env.BENCH_SERVICES ?? 300);
const graphLibraries = Number(process.env.BENCH_LIBRARIES ?? 20);

const benchRoot = join(scratchRoot, 'bench');
const runId = `bench-${Date.now().toString(36)}`;
const begin = performance.now();
const step = (message: string) => console.log(`\n==> [${secondsSince(begin)} s] ${message}`);
const info = (message: string) => console.log(`    ${message}`);

/** Images this run made, by ID, so cleanup removes exactly them (rebuilds leave untagged ones). */
const builtImages = new Set<string>();
async function remember(image: string) {
  const { code, stdout } = await tryExec('docker', ['image', 'inspect', '--format', '{{.Id}}', image]);
  if (code === 0) builtImages.add(stdout.trim());
}

async function main() {
  rmSync(benchRoot, { recursive: true, force: true });
  mkdirSync(benchRoot, { recursive: true });
  const notes: string[] = [];
  step('Machine and tools');
  const machine = await readMachine();
  const loadStart = load();
  info(`${machine.cpus} CPUs, ${machine.memoryGiB} GiB, engine ${machine.engine}, ${machine.go}; load ${loadStart.toFixed(2)}`);

  step(`Nx ${nxMajor} workspace with the packed plugin (${benchRoot})`);
  const tarball = await packPlugin(benchRoot);
  const ws = await createWorkspace(join(benchRoot, `nx-${nxMajor}`), nxMajor, tarball);
  const nxVersion = nxVersionIn(ws.root);
  info(`nx ${nxVersion}`);

  step(`npm i -D @nx/docker@${nxMajor} in the bench workspace`);
  const nxDockerInBench = await npmInstall(ws.root, `@nx/docker@${nxMajor}`);
  info(nxDockerInBench.ok ? 'installed' : `cannot: ${nxDockerInBench.error}`);

  step('nx g go-service: the benchmark service, once per runtime');
  await ws.nx('g', 'go-service', 'bench-svc', '--no-postgres');
  await ws.nx('g', 'go-service', 'bench-svc-distroless', '--runtime=distroless', '--no-postgres');
  await ws.nx('g', 'go-service', 'bench-svc-alpine', '--runtime=alpine', '--no-postgres');
  await ws.nx('g', 'go-service', 'bench-pg');
  await ws.commit('benchmark services');
  const services = {
    scratch: await describeService(ws, 'bench-svc'),
    distroless: await describeService(ws, 'bench-svc-distroless'),
    alpine: await describeService(ws, 'bench-svc-alpine'),
  };
  info(`docker-build: --file ${services.scratch.dockerfile} ${services.scratch.context}`);

  step(`Nx level: nx g go-service x${reps}, nx show projects x${reps}, nx run bench-svc:docker-build once then x${reps} unchanged`);
  const generate = await timeGenerate(ws, reps);
  const floor = await timeNxFloor(ws, reps);
  const dockerBuild = await timeUnchangedRuns(ws, 'bench-svc', 'docker-build', reps);
  await remember('bench-svc:latest');
  info(`generate ${generate.seconds.map((s) => s.toFixed(2)).join(' ')} s; unchanged docker-build ${dockerBuild.again.map((s) => s.toFixed(2)).join(' ')} s (replayed: ${dockerBuild.replayed.join(' ')})`);
  if (dockerBuild.error) notes.push(`nx run bench-svc:docker-build: ${dockerBuild.error}`);
  // The same with the Nx daemon, as Nx runs outside CI by default; the daemon is stopped afterwards.
  const daemon = { NX_DAEMON: 'true' };
  const dockerBuildDaemon = await timeUnchangedRuns(ws, 'bench-svc', 'docker-build', reps, daemon);
  await ws.tryRun(join(ws.root, 'node_modules', '.bin', 'nx'), ['daemon', '--stop'], { env: daemon });
  info(`with the daemon: ${dockerBuildDaemon.again.map((s) => s.toFixed(2)).join(' ')} s (replayed: ${dockerBuildDaemon.replayed.join(' ')})`);
  const dockerBuildInputs = services.scratch.dockerBuildInputs;
  const dockerRunDetach = await timeDetachedRuns(ws, 'bench-svc', 18480, reps);
  info(`nx run bench-svc:docker-run --detach (returns once healthy): ${dockerRunDetach.map((s) => s.toFixed(2)).join(' ')} s`);

  const comparison = await compareWithNxDocker(ws, nxDockerInBench, tarball);

  step(`Project graph: ${graphServices} services + ${graphLibraries} libraries, cold and warm, x${reps}`);
  const graph = await graphTimings(ws, comparison.workspace, services.scratch, comparison.nxGoInstalled);

  step(`Images: 5 Dockerfiles x${reps}: cold (--no-cache, cache mounts with ids of their own), one-line change, nothing changed`);
  const variants = variantsFor(services, ws.root, join(repoRoot, 'scripts', 'bench', 'dockerfiles'));
  const results: VariantResult[] = variants.map((variant) => ({
    key: variant.key, label: variant.label, short: variant.short, image: variant.image,
    mounts: 0, cold: [], oneLine: [], unchanged: [], runtime: [], errors: [],
  }));
  for (let rep = 0; rep < reps; rep++) {
    for (let k = 0; k < variants.length; k++) {
      const index = (k + rep) % variants.length;
      const variant = variants[index];
      const result = results[index];
      const dir = join(benchRoot, 'dockerfiles', `${variant.key}-${rep + 1}`);
      const { file, mounts } = prepareDockerfile(variant, dir, `${runId}-${variant.key}-${rep + 1}-`);
      result.mounts = mounts;
      const cold = await buildImage(file, variant.context, variant.image, true);
      await remember(variant.image);
      if (rep === reps - 1) {
        // Size and binary of the image built from the generated source, before the one-line change.
        result.facts = await imageFacts(variant.image, benchRoot).catch(() => undefined);
        const facts = result.facts;
        info(`${variant.image}: ${facts ? `${(facts.bytes / 1e6).toFixed(2)} MB, binary ${facts.binaryPath} ${(facts.binaryBytes / 1e6).toFixed(2)} MB, user ${facts.user}` : 'no image'}`);
      }
      const undo = oneLineChange(variant.mainGo, `${runId}-${variant.key}-${rep + 1}`);
      let oneLine, unchanged;
      try {
        oneLine = await buildImage(file, variant.context, variant.image, false);
        await remember(variant.image);
        unchanged = await buildImage(file, variant.context, variant.image, false);
        await remember(variant.image);
      } finally {
        undo();
      }
      result.cold.push(cold.seconds);
      result.oneLine.push(oneLine.seconds);
      result.unchanged.push(unchanged.seconds);
      result.errors.push(...[cold.error, oneLine.error, unchanged.error].filter((e): e is string => Boolean(e)));
      info(`${variant.key} #${rep + 1}: cold ${cold.seconds.toFixed(2)} s, one-line ${oneLine.seconds.toFixed(2)} s, unchanged ${unchanged.seconds.toFixed(2)} s`);
    }
  }
  step(`Containers x${runtimeReps}: to healthy, wrk -t2 -c32 -d${wrkSeconds}s on /healthz, memory, docker stop idle and under load`);
  for (let rep = 0; rep < runtimeReps; rep++) {
    for (let k = 0; k < variants.length; k++) {
      const index = (k + rep) % variants.length;
      const variant = variants[index];
      const facts = results[index].facts;
      if (!facts) continue;
      const run = await measureRuntime(variant.image, variant.service.port, facts.healthcheck, wrkSeconds);
      results[index].runtime.push(run);
      info(`${variant.key} #${rep + 1}: 200 after ${run.toFirst200.toFixed(2)} s, healthy ${run.toHealthy.toFixed(2)} s, ${run.requestsPerSecond.toFixed(0)} req/s, p99 ${run.p99Ms.toFixed(2)} ms, stop ${run.stopIdle.toFixed(2)}/${run.stopLoaded.toFixed(2)} s`);
    }
  }

  step('Publishing, side by side: docker-push and ko on one service, one platform and two, to the local registry');
  const publish = await measurePublish(ws, services.scratch, join(benchRoot, 'publish'), runId, info);
  notes.push(...publish.errors);

  step(`The service with PostgreSQL (bench-pg): cold and one-line builds x${reps}, then GET /items/{id} under wrk against compose`);
  const postgres = await measurePostgresService(ws, await describeService(ws, 'bench-pg'), join(benchRoot, 'postgres'), runId, reps, wrkSeconds, info);
  notes.push(...postgres.errors);

  const bench: BenchResults = {
    machine,
    settings: { reps, runtimeReps, wrkSeconds, runId, nxMajor },
    load: { start: loadStart, end: load() },
    durationSeconds: secondsSince(begin),
    nx: { version: nxVersion, generate, floor, dockerBuild, dockerBuildDaemon, dockerRunDetach, dockerBuildInputs },
    comparison: comparison.results,
    graph,
    shutdownWaits: shutdownWaits(readFileSync(join(ws.root, services.scratch.root, 'server.go'), 'utf-8')),
    variants: results,
    publish,
    postgres,
    notes,
  };
  writeFileSync(join(benchRoot, 'results.json'), `${JSON.stringify(bench, null, 2)}\n`);
  step('Writing docs/benchmarks.md and docs/benchmarks.svg');
  writeReport(bench, join(repoRoot, 'docs'));
  info(`results: ${join(benchRoot, 'results.json')}; re-render with npx tsx scripts/bench/report.ts ${join(benchRoot, 'results.json')}`);
}

/**
 * @nx/docker's inferred docker:build beside the plugin's docker-build on one generated
 * service, in the bench workspace when @nx/docker installs there, else in a workspace at
 * the newest Nx major this plugin, @nx/docker and @nx-go/nx-go all support.
 */
async function compareWithNxDocker(bench: Workspace, inBench: { ok: boolean; error: string }, tarball: string) {
  step('Nx level, side by side: @nx/docker docker:build and this plugin\'s docker-build on one service');
  const ourRange = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf-8')) as { peerDependencies: Record<string, string> }).peerDependencies.nx;
  const compat = await findCompatibility(ourRange, [21, 22, 23, 24]);
  for (const reason of compat.reasons) info(reason);
  const results: BenchResults['comparison'] = { compat, nxDockerInBench: inBench, notes: [] };
  let workspace: Workspace | undefined;
  let nxGoInstalled = false;
  if (compat.commonMajor !== undefined && String(compat.commonMajor) === nxMajor && inBench.ok) {
    workspace = bench;
  } else if (compat.commonMajor !== undefined) {
    info(`creating an Nx ${compat.commonMajor} workspace for @nx/docker and @nx-go/nx-go`);
    workspace = await createWorkspace(join(benchRoot, `nx-${compat.commonMajor}`), String(compat.commonMajor), tarball);
    const installed = await npmInstall(workspace.root, `@nx/docker@${compat.commonMajor}`);
    if (!installed.ok) {
      results.notes.push(`npm i -D @nx/docker@${compat.commonMajor} failed: ${installed.error}`);
      workspace = undefined;
    }
  } else {
    results.notes.push('No Nx major is supported by this plugin, @nx/docker and @nx-go/nx-go together.');
  }
  if (!workspace) return { results, workspace, nxGoInstalled };

  const nxGo = await npmInstall(workspace.root, `@nx-go/nx-go@${compat.nxGoVersion}`);
  nxGoInstalled = nxGo.ok;
  if (!nxGo.ok) results.notes.push(`npm i -D @nx-go/nx-go@${compat.nxGoVersion} failed: ${nxGo.error}`);
  results.nxVersion = nxVersionIn(workspace.root);
  results.nxDockerVersion = (JSON.parse(readFileSync(join(workspace.root, 'node_modules', '@nx', 'docker', 'package.json'), 'utf-8')) as { version: string }).version;
  results.nxGoVersion = nxGo.ok ? compat.nxGoVersion : undefined;

  // The folder names @nx/docker's image (bench-nxdocker); the project name ours (bench-nxd).
  await workspace.nx('g', 'nx-go-docker:go-service', 'bench-nxd', '--directory=bench-nxdocker', '--no-postgres');
  const registerError = await registerNxDocker(workspace);
  if (registerError) results.notes.push(`nx g @nx/docker:init failed: ${registerError}`);
  await workspace.commit('bench-nxd with @nx/docker');
  const targets = await targetsOf(workspace, 'bench-nxd');
  info(`bench-nxd targets: ${targets.join(', ')}`);
  if (!targets.includes('docker:build')) {
    results.notes.push(`@nx/docker inferred no docker:build target for bench-nxdocker/Dockerfile (targets: ${targets.join(', ')}).`);
    return { results, workspace, nxGoInstalled };
  }
  results.ours = await timeUnchangedRuns(workspace, 'bench-nxd', 'docker-build', reps);
  await remember('bench-nxd:latest');
  let nxDocker = await timeUnchangedRuns(workspace, 'bench-nxd', 'docker:build', reps);
  if (nxDocker.error) {
    // As inferred it runs `docker build .` in the project folder with the docker client on PATH.
    // Set by hand what the plugin's Dockerfile needs: BuildKit, and the workspace root as context when it builds from there.
    results.nxDockerDefaultError = nxDocker.error;
    results.nxDockerClassicBuilder = nxDocker.classicBuilder;
    const fromRoot = (await describeService(workspace, 'bench-nxd')).context === workspace.root;
    const buildTarget = {
      name: 'docker:build',
      ...(fromRoot ? { cwd: '.', args: ['--file {projectRoot}/Dockerfile'] } : {}),
      env: { DOCKER_BUILDKIT: '1' },
    };
    const nxJsonPath = join(workspace.root, 'nx.json');
    const nxJson = JSON.parse(readFileSync(nxJsonPath, 'utf-8')) as { plugins: ({ plugin: string; options?: object } | string)[] };
    nxJson.plugins = nxJson.plugins.map((entry) =>
      typeof entry !== 'string' && entry.plugin === '@nx/docker' ? { ...entry, options: { ...entry.options, buildTarget } } : entry,
    );
    writeFileSync(nxJsonPath, `${JSON.stringify(nxJson, null, 2)}\n`);
    await workspace.commit('@nx/docker: BuildKit and the workspace root as context');
    results.nxDockerConfigured = `"buildTarget": ${JSON.stringify(buildTarget)}`;
    info(`@nx/docker as inferred failed (${nxDocker.error}); again with ${results.nxDockerConfigured}`);
    nxDocker = await timeUnchangedRuns(workspace, 'bench-nxd', 'docker:build', reps);
  }
  results.nxDocker = nxDocker;
  await remember('bench-nxdocker');
  info(`ours ${results.ours.again.map((s) => s.toFixed(2)).join(' ')} s; @nx/docker ${nxDocker.again.map((s) => s.toFixed(2)).join(' ')} s`);
  return { results, workspace, nxGoInstalled };
}

async function graphTimings(bench: Workspace, other: Workspace | undefined, template: GeneratedService, nxGoInstalled: boolean) {
  const root = join(benchRoot, 'graph', 'workspace');
  const ignore = `${template.dockerfile}.dockerignore`;
  const { edges } = writeGraphWorkspace(root, {
    services: graphServices,
    libraries: graphLibraries,
    modulePrefix: 'example.com/graph-bench',
    template: {
      name: template.name,
      root: template.root,
      dockerfile: readFileSync(template.dockerfile, 'utf-8'),
      ignore: bench.exists(`${template.root}/Dockerfile.dockerignore`) ? readFileSync(ignore, 'utf-8') : undefined,
    },
  });
  await exec('git', ['init', '-q', '-b', 'main'], { cwd: root });
  const benchNx = nxVersionIn(bench.root);
  const setups: GraphSetup[] = [
    { label: `this plugin, Nx ${benchNx}`, nodeModulesFrom: bench.root, plugins: ['nx-go-docker'] },
    { label: `Nx alone (project.json files only, no plugin), Nx ${benchNx}`, nodeModulesFrom: bench.root, plugins: [] },
    { label: `${emptyPluginLabel}, Nx ${benchNx}`, nodeModulesFrom: bench.root, plugins: [emptyPlugin] },
  ];
  installEmptyPlugin(bench.root);
  if (other && other !== bench) {
    setups.push(
      { label: `this plugin, Nx ${nxVersionIn(other.root)}`, nodeModulesFrom: other.root, plugins: ['nx-go-docker'] },
      { label: `Nx alone (project.json files only, no plugin), Nx ${nxVersionIn(other.root)}`, nodeModulesFrom: other.root, plugins: [] },
    );
  }
  if (other && nxGoInstalled) {
    setups.push({ label: `@nx-go/nx-go, Nx ${nxVersionIn(other.root)}`, nodeModulesFrom: other.root, plugins: ['@nx-go/nx-go'] });
  }
  const results: GraphResult[] = [];
  for (const setup of setups) {
    const result = await measureGraph(root, setup, reps);
    results.push(result);
    info(`${setup.label}: cold ${result.cold.map((s) => s.toFixed(2)).join(' ')} s, warm ${result.warm.map((s) => s.toFixed(2)).join(' ')} s; ${result.projects} projects, ${result.edges} edges${result.error ? `; ${result.error}` : ''}`);
  }
  return { services: graphServices, libraries: graphLibraries, edges, results };
}

const variantImages = ['bench-ours-scratch', 'bench-ours-distroless', 'bench-ours-alpine', 'bench-seed', 'bench-docker-init'];

/** Removes this run's containers, its tags, then the image IDs it built (untagged ones included), and nothing else. */
/** Constants in the service's server.go that make its shutdown wait, e.g. `drainTime = 500 * time.Millisecond`. */
function shutdownWaits(mainGo: string): string[] {
  return [...mainGo.matchAll(/^\s*(?:const\s+)?(\w*(?:drain|shutdown|grace)\w*)\s*=\s*([^\n/]*time\.\w+)/gim)].map(([, name, value]) => `${name} = ${value.trim()}`);
}

async function cleanup() {
  await tryExec('docker', ['rm', '--force', ...variantImages.map((image) => `${image}-run`), ...variantImages.map((image) => `${image}-copy`)]);
  for (const repository of [...variantImages, 'bench-svc', 'bench-nxd', 'bench-nxdocker']) {
    const { stdout } = await tryExec('docker', ['images', repository, '--format', '{{.Repository}}:{{.Tag}}']);
    for (const ref of stdout.split('\n').filter(Boolean)) await tryExec('docker', ['image', 'rm', ref]);
  }
  for (const id of builtImages) await tryExec('docker', ['image', 'rm', id]);
}

main()
  .catch((error: Error) => {
    console.error(`\nbenchmark failed: ${error.message}`);
    process.exitCode = 1;
  })
  .finally(async () => {
    step('Removing the bench- containers and images');
    await cleanup();
  });
