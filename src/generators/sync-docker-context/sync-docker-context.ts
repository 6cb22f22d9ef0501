import { ProjectGraph, Tree, createProjectGraphAsync, joinPathFragments } from '@nx/devkit';
import { syncDockerContext } from '../../utils/docker-context';

/** What Nx expects of a sync generator (the type itself is not exported by @nx/devkit 21–24). */
export type SyncGeneratorResult = void | { outOfSyncMessage?: string };

/**
 * Keeps every generated Dockerfile's build context equal to the Go modules its service
 * imports, directly or through other workspace modules. Registered on the inferred
 * docker-build targets: `nx sync` applies it, `nx sync:check` fails in CI when it is stale.
 */
export async function syncDockerContextGenerator(tree: Tree): Promise<SyncGeneratorResult> {
  const graph = await createProjectGraphAsync();
  const stale: string[] = [];
  for (const project of Object.values(graph.nodes)) {
    const root = project.data.root;
    if (!tree.exists(joinPathFragments(root, 'go.mod'))) continue;
    const changed = syncDockerContext(tree, root, [root, ...goDependencyRoots(tree, graph, project.name)]);
    stale.push(...changed);
  }
  if (stale.length === 0) return;
  return {
    outOfSyncMessage: `The Docker build context of ${stale.join(', ')} does not list exactly the Go modules the service imports. Run 'nx sync' to update it.`,
  };
}

/** Roots of the workspace Go modules a project depends on, transitively, sorted. */
function goDependencyRoots(tree: Tree, graph: ProjectGraph, project: string): string[] {
  const seen = new Set<string>([project]);
  const queue = [project];
  const roots: string[] = [];
  while (queue.length) {
    for (const { target } of graph.dependencies[queue.shift() as string] ?? []) {
      const node = graph.nodes[target];
      if (seen.has(target) || !node || !tree.exists(joinPathFragments(node.data.root, 'go.mod'))) continue;
      seen.add(target);
      queue.push(target);
      roots.push(node.data.root);
    }
  }
  return roots.sort();
}

export default syncDockerContextGenerator;
