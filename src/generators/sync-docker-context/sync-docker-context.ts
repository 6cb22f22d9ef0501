import { Tree, joinPathFragments } from '@nx/devkit';
import { imageModules, syncDockerContext } from '../../utils/docker-context';
import { currentProjectGraph } from '../../utils/project-graph';

/** What Nx expects of a sync generator (the type itself is not exported by @nx/devkit 21–24). */
export type SyncGeneratorResult = void | { outOfSyncMessage?: string };

/**
 * Keeps every generated Dockerfile's build context equal to the Go modules its service
 * imports, directly or through other workspace modules. Registered on the inferred
 * docker-build targets: `nx sync` applies it, `nx sync:check` fails in CI when it is stale.
 */
export async function syncDockerContextGenerator(tree: Tree): Promise<SyncGeneratorResult> {
  const graph = await currentProjectGraph();
  const isGoModule = (root: string) => tree.exists(joinPathFragments(root, 'go.mod'));
  const stale: string[] = [];
  for (const project of Object.values(graph.nodes)) {
    const modules = imageModules(graph, project.name, isGoModule);
    if (modules) stale.push(...syncDockerContext(tree, project.data.root, modules));
  }
  if (stale.length === 0) return;
  return {
    outOfSyncMessage: `The Docker build context of ${stale.join(', ')} does not list exactly the Go modules the service imports. Run 'nx sync' to update it.`,
  };
}

export default syncDockerContextGenerator;
