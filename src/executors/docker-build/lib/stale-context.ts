import { ExecutorContext } from '@nx/devkit';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { imageModules, managedFiles, withBlock } from '../../../utils/docker-context';

/**
 * The managed files (Dockerfile, Dockerfile.dockerignore) whose module block no longer
 * matches the project's Go dependencies in the graph: building from them would miss a
 * library the code imports, or send one it no longer needs. Not every Nx major runs sync
 * generators before a task, so the executor checks too.
 */
export function staleContextFiles(context: ExecutorContext, projectRoot: string): string[] {
  const graph = context.projectGraph;
  const project = context.projectName;
  if (!graph || !project) return [];
  const isGoModule = (root: string) => existsSync(join(context.root, root, 'go.mod'));
  const modules = imageModules(graph, project, isGoModule);
  if (!modules) return [];
  return managedFiles(projectRoot, modules)
    .filter(([file, lines]) => {
      const path = join(context.root, file);
      if (!existsSync(path)) return false;
      const content = readFileSync(path, 'utf-8');
      return withBlock(content, lines) !== content;
    })
    .map(([file]) => file);
}
