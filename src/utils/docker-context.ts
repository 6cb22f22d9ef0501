import { ProjectGraph, Tree, joinPathFragments } from '@nx/devkit';

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
      joinPathFragments(projectRoot, 'Dockerfile'),
      [
        ...modules.map((root) => `COPY ${root}/go.mod ${root}/go.su[m] ${root}/`),
        `RUN go work init ${modules.map((root) => `/src/${root}`).join(' ')}`,
      ],
    ],
    [joinPathFragments(projectRoot, 'Dockerfile.dockerignore'), modules.map((root) => `!${root}`)],
  ];
}

/** The content with its block replaced by these lines; unchanged when it has no block. */
export function withBlock(content: string, lines: string[]): string {
  if (!hasManagedBlock(content)) return content;
  const afterBegin = content.indexOf('\n', content.indexOf(beginMarker)) + 1;
  return `${content.slice(0, afterBegin)}${lines.map((line) => `${line}\n`).join('')}${content.slice(content.indexOf(endMarker))}`;
}

/** The project's root, then the roots of the workspace Go modules it depends on, transitively, sorted. */
export function imageModules(graph: ProjectGraph, project: string, isGoModule: (root: string) => boolean): string[] {
  const seen = new Set<string>([project]);
  const queue = [project];
  const roots: string[] = [];
  while (queue.length) {
    for (const { target } of graph.dependencies[queue.shift() as string] ?? []) {
      const node = graph.nodes[target];
      if (seen.has(target) || !node || !isGoModule(node.data.root)) continue;
      seen.add(target);
      queue.push(target);
      roots.push(node.data.root);
    }
  }
  return [graph.nodes[project].data.root, ...roots.sort()];
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
