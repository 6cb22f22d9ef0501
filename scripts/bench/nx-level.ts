import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Workspace } from '../../test/support/workspace';
import { tail, timeIt } from './lib/measure';

/** How Nx 21 to 24 mark a task replayed from its cache. */
const fromCache = /\[(local cache|remote cache|existing outputs match the cache, left as is)\]/;

/**
 * `nx g go-service` with default options, timed `reps` times on fresh names; the generated
 * folders are removed and the files the generator touches outside them restored afterwards.
 */
export async function timeGenerate(ws: Workspace, reps: number): Promise<{ seconds: number[]; error?: string }> {
  const touched = ['go.work', 'nx.json', 'package.json'];
  const saved = new Map(touched.filter((file) => ws.exists(file)).map((file) => [file, ws.read(file)]));
  const seconds: number[] = [];
  let error: string | undefined;
  try {
    for (let i = 1; i <= reps; i++) {
      const name = `bench-gen-${i}`;
      let failure = '';
      const elapsed = await timeIt(async () => {
        const result = await ws.tryNx('g', 'go-service', name);
        if (result.code !== 0) failure = tail(result.stderr || result.stdout);
      });
      seconds.push(failure ? NaN : elapsed);
      if (failure) error = failure;
    }
  } finally {
    for (let i = 1; i <= reps; i++) rmSync(join(ws.root, 'apps', `bench-gen-${i}`), { recursive: true, force: true });
    for (const file of touched) {
      const content = saved.get(file);
      if (content !== undefined) writeFileSync(join(ws.root, file), content);
      else if (existsSync(join(ws.root, file))) rmSync(join(ws.root, file));
    }
  }
  return { seconds, error };
}

export interface TargetTimes {
  first: number;
  /** Runs after the first, with nothing changed. */
  again: number[];
  /** Whether Nx replayed each of those runs from its cache. */
  replayed: boolean[];
  error?: string;
  /** A failed run's output shows Docker's classic builder (`docker build` without BuildKit). */
  classicBuilder?: boolean;
}

const classicBuilderOutput = /Sending build context to Docker daemon|^Step \d+\/\d+ :/m;

/** The lines of a failed command's output that say what failed, without Nx's own summary. */
export function failureLines(output: string): string {
  const lines = output
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => /error|failed|invalid|not found|denied/i.test(line))
    .filter((line) => !/^(-|NX\s|Failed tasks|Warning: command|Hint:)/.test(line) && !/Running target .* failed/.test(line));
  return lines.length ? lines.slice(0, 2).join(' / ').slice(0, 400) : tail(output, 4);
}

/** `nx run project:target` once, then `reps` more times with unchanged inputs; `env` on top of the test environment (e.g. NX_DAEMON=true). */
export async function timeUnchangedRuns(
  ws: Workspace,
  project: string,
  target: string,
  reps: number,
  env: NodeJS.ProcessEnv = {},
): Promise<TargetTimes> {
  const nx = join(ws.root, 'node_modules', '.bin', 'nx');
  const once = async () => {
    let output = '';
    let failure: string | undefined;
    const seconds = await timeIt(async () => {
      const result = await ws.tryRun(nx, ['run', `${project}:${target}`, '--output-style=static'], { env });
      output = result.stdout + result.stderr;
      if (result.code !== 0) failure = failureLines(output);
    });
    return { seconds: failure ? NaN : seconds, replayed: fromCache.test(output), failure, classic: Boolean(failure) && classicBuilderOutput.test(output) };
  };
  const first = await once();
  const times: TargetTimes = { first: first.seconds, again: [], replayed: [], error: first.failure, classicBuilder: first.classic };
  if (first.failure) return times;
  for (let i = 0; i < reps; i++) {
    const run = await once();
    times.again.push(run.seconds);
    times.replayed.push(run.replayed);
    times.error ??= run.failure;
  }
  return times;
}

/** `nx show projects`, timed: Nx's start-up and project graph for this workspace, the floor under any `nx run`. */
export async function timeNxFloor(ws: Workspace, reps: number): Promise<number[]> {
  const seconds: number[] = [];
  for (let i = 0; i < reps; i++) seconds.push(await timeIt(() => ws.nx('show', 'projects')));
  return seconds;
}

/** The target names a project has, as Nx sees them. */
export async function targetsOf(ws: Workspace, project: string): Promise<string[]> {
  const result = await ws.tryNx('show', 'project', project, '--json');
  if (result.code !== 0) return [];
  return Object.keys((JSON.parse(result.stdout) as { targets?: Record<string, unknown> }).targets ?? {});
}

/** Registers @nx/docker in nx.json the way its init generator does (`nx add @nx/docker`). */
export async function registerNxDocker(ws: Workspace): Promise<string | undefined> {
  const result = await ws.tryNx('g', '@nx/docker:init', '--skipPackageJson');
  return result.code === 0 ? undefined : tail(result.stderr || result.stdout);
}

/** `nx run project:docker-run --detach` (returns once the container is healthy), timed `reps` times; each container is removed after. */
export async function timeDetachedRuns(ws: Workspace, project: string, hostPort: number, reps: number): Promise<number[]> {
  const seconds: number[] = [];
  for (let i = 1; i <= reps; i++) {
    const name = `${project}-detached-${i}`;
    await ws.tryRun('docker', ['rm', '--force', name]);
    seconds.push(
      await timeIt(() => ws.nx('run', `${project}:docker-run`, '--exclude-task-dependencies', '--detach', '--rm=false', `--name=${name}`, `--hostPort=${hostPort}`)),
    );
    await ws.tryRun('docker', ['rm', '--force', name]);
  }
  return seconds;
}
