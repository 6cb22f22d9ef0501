import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunResult, runProcess } from '../../src/utils/run-process';
import { freePort } from './docker';
import { exec } from './exec';

/** Where scripts/setup/verdaccio.sh installs Verdaccio. */
const verdaccio = '/opt/nx-go-docker/verdaccio/node_modules/.bin/verdaccio';

export interface NpmRegistry {
  url: string;
  /** `.npmrc` lines that point npm at this registry with a token of its user. */
  npmrc: string;
  stop(): Promise<void>;
}

/**
 * A real npm registry on loopback (Verdaccio): packages named in `local` are served only
 * from what is published to it; everything else is proxied from the registry npm uses here.
 */
export async function startNpmRegistry(local: string[]): Promise<NpmRegistry> {
  const dir = mkdtempSync(join(tmpdir(), 'nx-go-docker-verdaccio-'));
  const port = await freePort();
  const uplink = (await exec('npm', ['config', 'get', 'registry'])).stdout.trim();
  const packages = local.map((name) => `  '${name}':\n    access: $all\n    publish: $authenticated\n`).join('');
  writeFileSync(
    join(dir, 'config.yaml'),
    [
      `storage: ${join(dir, 'storage')}`,
      'auth:',
      '  htpasswd:',
      `    file: ${join(dir, 'htpasswd')}`,
      'uplinks:',
      '  upstream:',
      `    url: ${uplink}`,
      '    timeout: 60s',
      'packages:',
      packages.trimEnd(),
      "  '**':",
      '    access: $all',
      '    proxy: upstream',
      `listen: 127.0.0.1:${port}`,
      'log: { type: stdout, format: pretty, level: error }',
      '',
    ].join('\n'),
  );
  let pid = 0;
  const running: Promise<RunResult> = runProcess(verdaccio, ['--config', join(dir, 'config.yaml')], { stdio: 'pipe', onStart: (p) => (pid = p) });
  const url = `http://127.0.0.1:${port}/`;
  await until(async () => (await fetch(`${url}-/ping`)).ok, `Verdaccio did not answer on ${url} (run scripts/setup/verdaccio.sh)`);
  // A user of its own, whose token npm publishes and installs with.
  const user = await fetch(`${url}-/user/org.couchdb.user:nx-go-docker`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'nx-go-docker', password: 'nx-go-docker-tests' }),
  });
  const { token } = (await user.json()) as { token: string };
  return {
    url,
    npmrc: `registry=${url}\n//127.0.0.1:${port}/:_authToken=${token}\n`,
    async stop() {
      if (pid) process.kill(pid, 'SIGTERM');
      await running;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function until(check: () => Promise<boolean>, failure: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(failure);
}
