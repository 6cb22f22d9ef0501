/**
 * The generated service with PostgreSQL (pgx, migrations, /items): its image builds cold and
 * after a one-line change (cache mounts isolated per run, as for the other Dockerfiles), its
 * size against its binary, and GET /items/{id} under wrk against the compose Postgres.
 */
import { join } from 'node:path';
import { freePort } from '../../test/support/docker';
import { exec, tryExec } from '../../test/support/exec';
import type { Workspace } from '../../test/support/workspace';
import { GeneratedService, ImageFacts, buildImage, imageFacts, oneLineChange, prepareDockerfile } from './images';
import { parseWrk } from './runtime';

export interface PostgresResults {
  cold: number[];
  oneLine: number[];
  facts?: ImageFacts;
  /** GET /items/{id} under wrk -t2 -c32 against the compose stack. */
  requestsPerSecond?: number;
  p99Ms?: number;
  wrkSeconds: number;
  errors: string[];
}

export async function measurePostgresService(
  ws: Workspace,
  service: GeneratedService,
  scratch: string,
  runId: string,
  reps: number,
  wrkSeconds: number,
  log: (line: string) => void,
): Promise<PostgresResults> {
  const results: PostgresResults = { cold: [], oneLine: [], wrkSeconds, errors: [] };
  const image = 'bench-ours-postgres';
  const mainGo = join(ws.root, service.root, 'main.go');
  for (let rep = 0; rep < reps; rep++) {
    const { file } = prepareDockerfile(service, join(scratch, `postgres-${rep + 1}`), `${runId}-postgres-${rep + 1}-`);
    const cold = await buildImage(file, service.context, image, true);
    if (rep === reps - 1) results.facts = await imageFacts(image, scratch).catch(() => undefined);
    const undo = oneLineChange(mainGo, `${runId}-postgres-${rep + 1}`);
    try {
      const oneLine = await buildImage(file, service.context, image, false);
      results.cold.push(cold.seconds);
      results.oneLine.push(oneLine.seconds);
      results.errors.push(...[cold.error, oneLine.error].filter((e): e is string => Boolean(e)));
      log(`postgres #${rep + 1}: cold ${cold.seconds.toFixed(2)} s, one-line ${oneLine.seconds.toFixed(2)} s`);
    } finally {
      undo();
    }
  }

  const port = await freePort();
  const nx = join(ws.root, 'node_modules', '.bin', 'nx');
  const up = await ws.tryRun(nx, ['run', `${service.name}:compose-up`], { env: { PORT: String(port) } });
  try {
    if (up.code !== 0) {
      results.errors.push(`compose-up of ${service.name} failed: ${(up.stdout + up.stderr).trim().split('\n').slice(-2).join(' ')}`);
      return results;
    }
    const created = await fetch(`http://127.0.0.1:${port}/items`, { method: 'POST', body: JSON.stringify({ name: `bench-${runId}` }) });
    const location = created.headers.get('location') ?? '/items/1';
    const wrk = await tryExec('wrk', ['-t2', '-c32', `-d${wrkSeconds}s`, '--latency', `http://127.0.0.1:${port}${location}`]);
    const parsed = parseWrk(wrk.stdout);
    results.requestsPerSecond = parsed.requestsPerSecond;
    results.p99Ms = parsed.p99Ms;
    results.errors.push(...parsed.problems.map((problem) => `wrk on ${location}: ${problem.trim()}`));
    log(`GET ${location} against compose Postgres: ${parsed.requestsPerSecond.toFixed(0)} req/s, p99 ${parsed.p99Ms.toFixed(2)} ms`);
  } finally {
    await ws.tryRun(nx, ['run', `${service.name}:compose-down`, '--volumes']);
    await exec('docker', ['image', 'rm', '--force', image]).catch(() => undefined);
  }
  return results;
}
