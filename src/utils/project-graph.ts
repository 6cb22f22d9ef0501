import { ProjectGraph, createProjectGraphAsync, readCachedProjectGraph } from '@nx/devkit';

/** When this process started (for the CLI, the Nx command; for the daemon, the daemon). */
const processStart = Date.now() - Math.round(process.uptime() * 1000);

/**
 * The project graph for a sync generator. Nx computes and caches the graph before it runs
 * sync generators (`nx sync`, `nx sync:check`, and every task with `syncGenerators`), so a
 * cached graph computed since this process started is the current one. Without the daemon,
 * as in CI, `createProjectGraphAsync` would compute it again from scratch (every plugin
 * worker started anew: 0.7 s per generator here). It is the fallback when there is no such
 * cache (run on its own, or with NX_CACHE_PROJECT_GRAPH=false).
 */
export async function currentProjectGraph(): Promise<ProjectGraph> {
  if (process.env.NX_CACHE_PROJECT_GRAPH !== 'false') {
    try {
      return readCachedProjectGraph(processStart);
    } catch {
      // No graph cached since this process started.
    }
  }
  return createProjectGraphAsync();
}
