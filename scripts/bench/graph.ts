import { cpSync, existsSync, lstatSync, readFileSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tryExec } from '../../test/support/exec';
import { testEnv } from '../../test/support/workspace';
import { nxVersionIn } from './lib/machine';
import { tail, timeIt } from './lib/measure';

/** One way of computing the graph: which installed Nx (a workspace's node_modules) and which plugins. */
export interface GraphSetup {
  label: string;
  /** A workspace whose node_modules holds nx and the plugins. */
  nodeModulesFrom: string;
  plugins: string[];
}

export interface GraphResult {
  label: string;
  nxVersion: string;
  cold: number[];
  warm: number[];
  projects: number;
  edges: number;
  error?: string;
}

interface GraphJson {
  graph: { nodes: Record<string, unknown>; dependencies: Record<string, { target: string }[]> };
}

/**
 * `nx graph --file` on the generated workspace with the daemon off: cold after deleting
 * `.nx` (workspace data and cache), then warm. The workspace borrows node_modules from an
 * installed workspace through a symlink, so every setup sees the same files.
 */
export async function measureGraph(root: string, setup: GraphSetup, reps: number): Promise<GraphResult> {
  const modules = join(root, 'node_modules');
  if (existsSync(modules) || isSymlink(modules)) unlinkSync(modules);
  symlinkSync(join(setup.nodeModulesFrom, 'node_modules'), modules, 'dir');
  writeFileSync(
    join(root, 'nx.json'),
    `${JSON.stringify({ $schema: './node_modules/nx/schemas/nx-schema.json', analytics: false, plugins: setup.plugins }, null, 2)}\n`,
  );
  const output = join(root, '..', 'graph.json');
  const result: GraphResult = { label: setup.label, nxVersion: nxVersionIn(setup.nodeModulesFrom), cold: [], warm: [], projects: 0, edges: 0 };
  // Go in workspace mode (go.work) refuses GOFLAGS=-mod=mod; nx-go runs `go list` in it.
  const env = { ...process.env, ...testEnv, GOFLAGS: '' };
  const graph = async () => {
    let failure: string | undefined;
    const seconds = await timeIt(async () => {
      const run = await tryExec(join(modules, '.bin', 'nx'), ['graph', `--file=${output}`], { cwd: root, env });
      if (run.code !== 0) failure = tail(run.stderr || run.stdout);
    });
    if (failure) result.error ??= failure;
    return failure ? NaN : seconds;
  };
  for (let i = 0; i < reps; i++) {
    rmSync(join(root, '.nx'), { recursive: true, force: true });
    result.cold.push(await graph());
  }
  for (let i = 0; i < reps; i++) result.warm.push(await graph());
  if (existsSync(output)) {
    const { graph: data } = JSON.parse(readFileSync(output, 'utf-8')) as GraphJson;
    result.projects = Object.keys(data.nodes).length;
    result.edges = Object.values(data.dependencies)
      .flat()
      .filter((dependency) => dependency.target in data.nodes).length;
    rmSync(output);
  }
  return result;
}

/** The plugin that infers nothing (scripts/bench/empty-plugin), the floor under any plugin. */
export const emptyPlugin = 'bench-empty-plugin';
export const emptyPluginLabel = 'a plugin that infers nothing (the floor: one more plugin worker)';

/** Installs the empty plugin into a workspace's node_modules, where the graph setups find it. */
export function installEmptyPlugin(workspaceRoot: string): void {
  cpSync(join(__dirname, 'empty-plugin'), join(workspaceRoot, 'node_modules', emptyPlugin), { recursive: true });
}

function isSymlink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}
