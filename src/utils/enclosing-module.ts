import { Tree, joinPathFragments } from '@nx/devkit';
import { defaultModulePath } from './default-module-path';
import { parseGoMod } from './go-mod';
import { enclosingModuleRoot, packageImportPath } from './go-module-root';
import { validateGoModulePath } from './validate';

/** The root of the existing Go module a new folder would be a package of, if any. */
function enclosingModule(tree: Tree, folder: string): string | undefined {
  return enclosingModuleRoot(folder, (root) => tree.exists(joinPathFragments(root, 'go.mod')));
}

/**
 * The import path of a package generated at `folder` inside the module at `moduleRoot`:
 * fixed by the module, so a different --module is refused.
 */
function packagePathInModule(tree: Tree, moduleRoot: string, folder: string, requested: string | undefined): string {
  const goMod = joinPathFragments(moduleRoot, 'go.mod');
  let module: string;
  try {
    module = parseGoMod(tree.read(goMod, 'utf-8') ?? '', goMod).module;
  } catch (error) {
    throw new Error(`${(error as Error).message} ${folder} would be a package of that module: fix ${goMod} first.`);
  }
  const path = packageImportPath(module, moduleRoot, folder);
  if (requested !== undefined && requested !== path) {
    throw new Error(
      `${folder} is inside the Go module ${module} (${goMod}), so its import path is ${path}: drop --module, or pick a --directory outside that module.`,
    );
  }
  return path;
}

/**
 * Where a new Go folder's code lives: a module of its own (the requested or default module
 * path), or, inside an existing module, a package of it (`moduleRoot`, its path fixed).
 */
export function goModuleFor(tree: Tree, folder: string, requested: string | undefined): { moduleRoot?: string; module: string } {
  const moduleRoot = enclosingModule(tree, folder);
  return moduleRoot
    ? { moduleRoot, module: packagePathInModule(tree, moduleRoot, folder, requested) }
    : { module: validateGoModulePath(requested ?? defaultModulePath(tree, folder)) };
}
