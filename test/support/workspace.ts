import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { RunResult, runProcess } from '../../src/utils/run-process';
import { ExecOptions, exec, tryExec } from './exec';

export const repoRoot = resolve(__dirname, '..', '..');
export const scratchRoot = join(repoRoot, '.tmp');

/** Environment for every nx, go and docker command the tests run: no daemon, no cloud, no prompts, no toolchain downloads (generated modules are stdlib-only, so no module proxy is needed). */
export const testEnv: NodeJS.ProcessEnv = {
  NX_DAEMON: 'false',
  NX_NO_CLOUD: 'true',
  NX_INTERACTIVE: 'false',
  NX_TUI: 'false',
  CI: 'true',
  NO_COLOR: '1',
  GOTOOLCHAIN: 'local',
};

/** `npm pack` of the built plugin, as a user would install it. */
export async function packPlugin(destination: string): Promise<string> {
  mkdirSync(destination, { recursive: true });
  const { stdout } = await exec('npm', ['pack', '--pack-destination', destination, '--json'], { cwd: repoRoot });
  const [{ filename }] = JSON.parse(stdout) as { filename: string }[];
  return join(destination, filename);
}

export class Workspace {
  constructor(readonly root: string) {}

  run(command: string, args: string[], options: ExecOptions = {}) {
    return exec(command, args, { cwd: this.root, ...options, env: { ...testEnv, ...options.env } });
  }

  tryRun(command: string, args: string[], options: ExecOptions = {}) {
    return tryExec(command, args, { cwd: this.root, ...options, env: { ...testEnv, ...options.env } });
  }

  nx(...args: string[]) {
    return this.run(join(this.root, 'node_modules', '.bin', 'nx'), args);
  }

  tryNx(...args: string[]) {
    return this.tryRun(join(this.root, 'node_modules', '.bin', 'nx'), args);
  }

  /** Starts nx streaming in its own process group, as a terminal runs it, so a test can press Ctrl-C (`kill(-pid, 'SIGINT')`). */
  startNx(...args: string[]): { pid: Promise<number>; done: Promise<RunResult> } {
    let started: (pid: number) => void = () => undefined;
    const pid = new Promise<number>((resolve) => (started = resolve));
    const done = runProcess(join(this.root, 'node_modules', '.bin', 'nx'), args, {
      cwd: this.root,
      env: { ...process.env, ...testEnv },
      onStart: started,
    });
    return { pid, done };
  }

  read(path: string): string {
    return readFileSync(join(this.root, path), 'utf-8');
  }

  write(path: string, content: string): void {
    writeFileSync(join(this.root, path), content);
  }

  exists(path: string): boolean {
    return existsSync(join(this.root, path));
  }

  list(path: string): string[] {
    return readdirSync(join(this.root, path)).sort();
  }

  async commit(message: string): Promise<void> {
    await this.run('git', ['add', '-A']);
    await this.run('git', ['commit', '-q', '--allow-empty', '-m', message]);
  }

  /** `git status --porcelain`: empty when nothing changed since the last commit. */
  async status(): Promise<string> {
    return (await this.run('git', ['status', '--porcelain'])).stdout.trim();
  }
}

/**
 * A fresh Nx workspace made the way NX-NOTES describes (create-nx-workspace lags the
 * newest nx): package.json, nx.json, git with one commit, nx + devkit + the packed plugin.
 */
export async function createWorkspace(root: string, nxVersion: string, pluginTarball: string): Promise<Workspace> {
  mkdirSync(root, { recursive: true });
  const workspace = new Workspace(root);
  workspace.write(
    'package.json',
    JSON.stringify({ name: 'acme-go', private: true, version: '0.0.0' }, null, 2) + '\n',
  );
  workspace.write(
    'nx.json',
    JSON.stringify({ $schema: './node_modules/nx/schemas/nx-schema.json', analytics: false }, null, 2) + '\n',
  );
  workspace.write('.gitignore', 'node_modules\ndist\n.nx\n');
  await workspace.run('git', ['init', '-q', '-b', 'main']);
  await workspace.run('npm', [
    'install', '--save-dev', '--no-audit', '--no-fund', '--loglevel=error',
    `nx@${nxVersion}`, `@nx/devkit@${nxVersion}`, pluginTarball,
  ]);
  await workspace.commit('empty nx workspace');
  return workspace;
}
