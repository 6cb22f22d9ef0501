import { Tree } from '@nx/devkit';
import { posix } from 'node:path';
import type { goCacheFolders } from './normalize-options';

/**
 * Adds the folder of the workflow's Go caches to .gitignore, unless a line already ignores it:
 * Nx finds projects by the go.mod files git does not ignore, and the module cache is full of them.
 */
export function ignoreGoCaches(tree: Tree, folders: typeof goCacheFolders): void {
  const folder = posix.dirname(folders.build);
  const current = tree.read('.gitignore', 'utf-8') ?? '';
  const ignored = new Set([folder, `${folder}/`, `/${folder}`, `/${folder}/`]);
  if (current.split(/\r?\n/).some((line) => ignored.has(line.trim()))) return;
  const separator = current === '' ? '' : current.endsWith('\n') ? '\n' : '\n\n';
  tree.write('.gitignore', `${current}${separator}# Go's build and module caches in CI (GOCACHE, GOMODCACHE)\n/${folder}/\n`);
}
