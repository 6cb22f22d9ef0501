import { ProjectGraph, Tree, joinPathFragments } from '@nx/devkit';
import { normalizeUsePath, parseGoWork, rewriteGoWorkUses } from '../../utils/go-work';
import { currentProjectGraph } from '../../utils/project-graph';
import type { SyncGeneratorResult } from '../sync-docker-context/sync-docker-context';

/**
 * A global sync generator (registered by init): go.work may only use folders that hold a
 * module, and must use every workspace module that a module it uses depends on, or Go
 * refuses to build. `nx sync` fixes both; `nx sync:check` fails in CI while either holds.
 * Workspaces without a go.work are left alone.
 */
export async function syncGoWorkGenerator(tree: Tree): Promise<SyncGeneratorResult> {
  const content = tree.read('go.work', 'utf-8');
  if (content === null) return;
  let used: string[];
  try {
    used = parseGoWork(content, 'go.work').use.map((use) => normalizeUsePath(use.path));
  } catch (error) {
    return { outOfSyncMessage: `${(error as Error).message} Fix go.work by hand; nx sync cannot.` };
  }
  const isModule = (root: string) => tree.exists(joinPathFragments(root, 'go.mod'));
  const missing = used.filter((root) => !isModule(root));
  const needed = neededModules(await currentProjectGraph(), used.filter(isModule), isModule).filter((root) => !used.includes(root));
  if (missing.length === 0 && needed.length === 0) return;

  tree.write('go.work', rewriteGoWorkUses(content, { add: needed.map((root) => `./${root}`), remove: missing }));
  const reasons = [
    ...missing.map((root) => `'use ./${root}' names a folder without a go.mod`),
    ...needed.map((root) => `./${root} is a module that a used module depends on, but go.work does not use it`),
  ];
  return { outOfSyncMessage: `go.work is out of date: ${reasons.join('; ')}. Run 'nx sync' to update it.` };
}

/** Roots of the workspace modules that the modules at `roots` depend on, directly or not, in the graph. */
function neededModules(graph: ProjectGraph, roots: string[], isModule: (root: string) => boolean): string[] {
  const byRoot = new Map(Object.values(graph.nodes).map((node) => [normalizeUsePath(node.data.root || '.'), node.name]));
  const seen = new Set<string>();
  const queue = roots.flatMap((root) => byRoot.get(root) ?? []);
  const found = new Set<string>();
  while (queue.length) {
    const name = queue.shift() as string;
    if (seen.has(name)) continue;
    seen.add(name);
    for (const { target } of graph.dependencies[name] ?? []) {
      const root = graph.nodes[target] && normalizeUsePath(graph.nodes[target].data.root || '.');
      if (root === undefined) continue;
      if (isModule(root)) found.add(root);
      queue.push(target);
    }
  }
  return [...found].sort();
}

export default syncGoWorkGenerator;
