import { posix } from 'node:path';

/**
 * The root of the module a folder's Go packages belong to: the nearest folder above it
 * (`.` for the workspace root) that is a module, as the go command finds it. Undefined
 * when no folder above it is one.
 */
export function enclosingModuleRoot(folder: string, isModule: (root: string) => boolean): string | undefined {
  let current = folder;
  while (current !== '.' && current !== '') {
    current = posix.dirname(current);
    if (isModule(current)) return current;
  }
  return undefined;
}

/** The import path of the package in `folder`, inside the module `module` rooted at `moduleRoot`. */
export function packageImportPath(module: string, moduleRoot: string, folder: string): string {
  const relative = moduleRoot === '.' ? folder : posix.relative(moduleRoot, folder);
  return relative === '' || relative === '.' ? module : `${module}/${relative}`;
}
