import { Tree, readJson } from '@nx/devkit';

/**
 * A module path that is unique in the workspace and plausible outside it: the repository
 * named in the root package.json (github.com/acme/mono/apps/orders), else
 * example.com/<workspace name>/<directory>.
 */
export function defaultModulePath(tree: Tree, directory: string): string {
  const pkg = tree.exists('package.json') ? readJson(tree, 'package.json') : {};
  const repository: unknown = typeof pkg.repository === 'string' ? pkg.repository : pkg.repository?.url;
  const fromRepository = typeof repository === 'string' ? repositoryPath(repository) : undefined;
  const workspace = String(pkg.name ?? 'workspace')
    .replace(/^@/, '')
    .replace(/[^a-z0-9.-]+/gi, '-')
    .toLowerCase();
  return `${fromRepository ?? `example.com/${workspace}`}/${directory}`;
}

function repositoryPath(url: string): string | undefined {
  const match = /^(?:git\+)?(?:https?:\/\/|ssh:\/\/git@|git@)([a-z0-9.-]+)[:/]([\w.-]+\/[\w.-]+?)(?:\.git)?\/?$/i.exec(url);
  return match ? `${match[1].toLowerCase()}/${match[2]}` : undefined;
}
