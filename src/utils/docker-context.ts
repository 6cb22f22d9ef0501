import type { ProjectGraph, Tree } from '@nx/devkit';
import { posix } from 'node:path';
import { enclosingModuleRoot } from './go-module-root';

/**
 * A generated service's image builds from the workspace root, so it can include the
 * workspace's Go libraries. Two blocks list the modules it builds from and are kept
 * equal to its Go dependencies (`nx sync`; docker-build refuses a stale context):
 * - in `Dockerfile`: their go.mod files, copied before `go mod download`, and the go.work
 *   that ties them together;
 * - in `Dockerfile.dockerignore`: the module folders let back into the context.
 */
const beginMarker = '# nx-go-docker:modules begin';
const endMarker = '# nx-go-docker:modules end';

export function hasManagedBlock(content: string): boolean {
  return content.includes(beginMarker) && content.includes(endMarker);
}

/** Each managed file of a project's image, with the block lines it should hold for these modules. */
export function managedFiles(projectRoot: string, modules: string[]): [file: string, lines: string[]][] {
  return [
    [
      posix.join(projectRoot, 'Dockerfile'),
      [
        ...modules.map((root) => (root === '.' ? 'COPY go.mod go.su[m] ./' : `COPY ${root}/go.mod ${root}/go.su[m] ${root}/`)),
        `RUN go work init ${modules.map((root) => (root === '.' ? '/src' : `/src/${root}`)).join(' ')}`,
      ],
    ],
    // The workspace root's module is the whole folder: everything is let back in, and the
    // exclusions below the block still apply.
    [posix.join(projectRoot, 'Dockerfile.dockerignore'), modules.map((root) => (root === '.' ? '!*' : `!${root}`))],
  ];
}

/** The content with its block replaced by these lines; unchanged when it has no block. */
export function withBlock(content: string, lines: string[]): string {
  if (!hasManagedBlock(content)) return content;
  const afterBegin = content.indexOf('\n', content.indexOf(beginMarker)) + 1;
  return `${content.slice(0, afterBegin)}${lines.map((line) => `${line}\n`).join('')}${content.slice(content.indexOf(endMarker))}`;
}

/**
 * The root of the module the project builds in (its own, or for a package inside a module,
 * that module's), then the roots of the other workspace modules it depends on, directly or
 * through other Go projects, sorted. Undefined when the project is not Go.
 */
export function imageModules(graph: ProjectGraph, project: string, isGoModule: (root: string) => boolean): string[] | undefined {
  const moduleOf = (root: string) => (isGoModule(root) ? root : enclosingModuleRoot(root, isGoModule));
  const own = moduleOf(graph.nodes[project].data.root);
  if (own === undefined) return undefined;
  const seen = new Set<string>([project]);
  const queue = [project];
  const roots = new Set<string>();
  while (queue.length) {
    for (const { target } of graph.dependencies[queue.shift() as string] ?? []) {
      const node = graph.nodes[target];
      const module = node && moduleOf(node.data.root);
      if (seen.has(target) || module === undefined) continue;
      seen.add(target);
      queue.push(target);
      if (module !== own) roots.add(module);
    }
  }
  return [own, ...[...roots].sort()];
}

/** Writes the blocks of a project's Dockerfile and ignore file for these modules. Returns the files it changed. */
export function syncDockerContext(tree: Tree, projectRoot: string, modules: string[]): string[] {
  const changed: string[] = [];
  for (const [file, lines] of managedFiles(projectRoot, modules)) {
    const content = tree.read(file, 'utf-8');
    if (content === null) continue;
    const updated = withBlock(content, lines);
    if (updated !== content) {
      tree.write(file, updated);
      changed.push(file);
    }
  }
  return changed;
}
