import { Tree, joinPathFragments } from '@nx/devkit';

/**
 * A generated service's image builds from the workspace root, so it can include the
 * workspace's Go libraries. Two blocks list the modules it builds from and are kept
 * equal to its Go dependencies by the docker-context sync generator:
 * - in `Dockerfile`: their go.mod files, copied before `go mod download`, and the go.work
 *   that ties them together;
 * - in `Dockerfile.dockerignore`: the module folders let back into the context.
 */
const beginMarker = '# nx-go-docker:modules begin';
const endMarker = '# nx-go-docker:modules end';

export function dockerfileModuleLines(modules: string[]): string[] {
  return [
    ...modules.map((root) => `COPY ${root}/go.mod ${root}/go.su[m] ${root}/`),
    `RUN go work init ${modules.map((root) => `/src/${root}`).join(' ')}`,
  ];
}

export function ignoreFileModuleLines(modules: string[]): string[] {
  return modules.map((root) => `!${root}`);
}

export function hasManagedBlock(content: string): boolean {
  return content.includes(beginMarker) && content.includes(endMarker);
}

function replaceManagedBlock(content: string, lines: string[]): string {
  const afterBegin = content.indexOf('\n', content.indexOf(beginMarker)) + 1;
  return `${content.slice(0, afterBegin)}${lines.map((line) => `${line}\n`).join('')}${content.slice(content.indexOf(endMarker))}`;
}

/**
 * Writes the module blocks of `<projectRoot>/Dockerfile` and its ignore file for the given
 * modules (the project first, then its Go dependencies). Returns the files it changed.
 */
export function syncDockerContext(tree: Tree, projectRoot: string, modules: string[]): string[] {
  const changed: string[] = [];
  const files: [string, string[]][] = [
    [joinPathFragments(projectRoot, 'Dockerfile'), dockerfileModuleLines(modules)],
    [joinPathFragments(projectRoot, 'Dockerfile.dockerignore'), ignoreFileModuleLines(modules)],
  ];
  for (const [file, lines] of files) {
    const content = tree.read(file, 'utf-8');
    if (content === null || !hasManagedBlock(content)) continue;
    const updated = replaceManagedBlock(content, lines);
    if (updated !== content) {
      tree.write(file, updated);
      changed.push(file);
    }
  }
  return changed;
}
