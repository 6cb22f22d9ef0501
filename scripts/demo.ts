/**
 * The demo: a throwaway Nx workspace, `nx g go-service`, `nx run <svc>:docker-build`, run it,
 * wait until healthy, GET /healthz, stop it gracefully, and print what was measured.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exec, secondsSince } from '../test/support/exec';
import { filesystemBytes } from '../test/support/docker';
import { Workspace, createWorkspace, packPlugin } from '../test/support/workspace';

const nxVersion = process.env.NX_VERSION ?? '24';
const service = 'hello';
const hostPort = Number(process.env.DEMO_PORT ?? 18080);

const step = (message: string) => console.log(`\n==> ${message}`);

async function timed<T>(label: string, work: () => Promise<T>): Promise<[T, number]> {
  step(label);
  const start = performance.now();
  const result = await work();
  const seconds = secondsSince(start);
  console.log(`    ${seconds} s`);
  return [result, seconds];
}

async function main() {
  const root = mkdtempSync(join(tmpdir(), 'nx-go-docker-demo-'));
  const [ws] = await timed(`Creating a throwaway Nx ${nxVersion} workspace with the packed plugin in ${root}`, async () =>
    createWorkspace(root, nxVersion, await packPlugin(root)),
  );
  const [, generateSeconds] = await timed(`nx g go-service ${service} --no-postgres`, async () => {
    await ws.nx('g', 'go-service', service, '--no-postgres');
    await ws.commit(`add ${service}`);
  });
  console.log(`    ${ws.list(`apps/${service}`).join('  ')}`);

  const cacheState = (await buildCacheBytes()) > 0 ? 'warm: an earlier build filled the Go build cache' : 'cold: compiles the standard library';
  const [, firstBuild] = await timed(`nx run ${service}:docker-build (first build; ${cacheState})`, () =>
    ws.nx('run', `${service}:docker-build`),
  );
  const imageBytes = await filesystemBytes(`${service}:latest`);
  const user = (await ws.run('docker', ['image', 'inspect', '--format', '{{.Config.User}}', `${service}:latest`])).stdout.trim();
  console.log(`    image ${service}:latest: ${(imageBytes / 1e6).toFixed(2)} MB of files, user ${user}`);

  const mainGo = ws.read(`apps/${service}/main.go`);
  ws.write(`apps/${service}/main.go`, `${mainGo}\n// demo: a one-line change\n`);
  const [, rebuild] = await timed('One-line change to main.go, nx run docker-build again (cache mounts reuse the build cache)', () =>
    ws.nx('run', `${service}:docker-build`),
  );

  const container = `${service}-demo-${process.pid}`;
  try {
    const [, toHealthy] = await timed(`nx run ${service}:docker-run --detach (returns once the HEALTHCHECK passes)`, () =>
      ws.nx('run', `${service}:docker-run`, '--detach', '--rm=false', `--name=${container}`, `--hostPort=${hostPort}`),
    );
    step(`GET http://127.0.0.1:${hostPort}/healthz`);
    const response = await fetch(`http://127.0.0.1:${hostPort}/healthz`);
    console.log(`    ${response.status} ${(await response.text()).trim()}`);
    if (response.status !== 200) throw new Error(`/healthz answered ${response.status}`);

    const [, stopSeconds] = await timed('docker stop (SIGTERM: drain in-flight requests, then exit)', () =>
      exec('docker', ['stop', container]),
    );
    const exitCode = (await exec('docker', ['inspect', '--format', '{{.State.ExitCode}}', container])).stdout.trim();
    const lastLog = (await exec('docker', ['logs', '--tail', '1', container])).stdout.trim();
    console.log(`    exit code ${exitCode}; last log line: ${lastLog}`);
    if (exitCode !== '0') throw new Error(`the container exited with ${exitCode}, not 0`);

    const [, engineToHealthy] = await timed('docker run --detach, polling docker inspect until healthy (the engine alone)', () =>
      secondsToHealthy(`${service}:latest`, `${container}-direct`),
    );

    report(ws, {
      'nx g go-service': `${generateSeconds} s`,
      'image size': `${(imageBytes / 1e6).toFixed(2)} MB (user ${user})`,
      'first docker-build': `${firstBuild} s (${cacheState.split(':')[0]} cache)`,
      'rebuild after a one-line change': `${rebuild} s`,
      'docker-run --detach to healthy (through nx)': `${toHealthy} s`,
      'docker run to healthy (the engine alone)': `${engineToHealthy} s`,
      'docker stop to exit': `${stopSeconds} s (exit code ${exitCode})`,
    });
  } finally {
    await exec('docker', ['rm', '--force', container, `${container}-direct`]).catch(() => undefined);
  }
}

/** Starts the image and polls its health every 10 ms: what the HEALTHCHECK's start interval gives. */
async function secondsToHealthy(image: string, container: string): Promise<number> {
  const start = performance.now();
  await exec('docker', ['run', '--detach', '--name', container, image]);
  for (;;) {
    const { stdout } = await exec('docker', ['inspect', '--format', '{{.State.Health.Status}}', container]);
    if (stdout.trim() === 'healthy') return secondsSince(start);
    if (secondsSince(start) > 60) throw new Error(`${container} was not healthy within 60 s`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Bytes held by BuildKit cache mounts (the Go module and build caches): 0 on a fresh engine. */
async function buildCacheBytes(): Promise<number> {
  const { stdout } = await exec('docker', ['buildx', 'du', '--filter', 'type=exec.cachemount']);
  const units: Record<string, number> = { B: 1, kB: 1e3, KB: 1e3, MB: 1e6, GB: 1e9 };
  return [...stdout.matchAll(/\s([\d.]+)(B|kB|KB|MB|GB)\s/g)].reduce((sum, [, n, unit]) => sum + Number(n) * units[unit], 0);
}

function report(ws: Workspace, figures: Record<string, string>) {
  step(`What the demo measured (workspace kept at ${ws.root})`);
  const width = Math.max(...Object.keys(figures).map((k) => k.length));
  for (const [label, value] of Object.entries(figures)) console.log(`    ${label.padEnd(width)}  ${value}`);
}

main().catch((error: Error) => {
  console.error(`\ndemo failed: ${error.message}`);
  process.exit(1);
});
