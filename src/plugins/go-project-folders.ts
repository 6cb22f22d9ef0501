import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, posix } from 'node:path';
import { parseGoMod } from '../utils/go-mod';
import { enclosingModuleRoot } from '../utils/go-module-root';
import type { GoProjectFolder } from './project-names';

/**
 * A folder that is a Go project:
 * - a module: a folder with a go.mod, wherever it is (testdata included);
 * - a package inside a module, with its own targets and image: a folder with a project.json
 *   and Go files (what `nx g go-service` writes inside an existing module), or one that the
 *   `packageProjects` patterns name (`cmd/*`: each command of a single-module repository).
 */
export interface GoProjectFolderInfo extends GoProjectFolder {
  /** The root of the module the folder belongs to: its own root for a module. */
  moduleRoot: string;
  /** The matched file (go.mod or project.json) whose result carries this project. */
  file: string;
}

/**
 * Package folders each module's commands and libraries get by default: in a workspace with
 * one Go module, its commands and its top-level internal and pkg packages (so `nx affected`
 * follows package imports); with several modules, the modules are the units, plus commands.
 */
export function defaultPackageProjects(moduleCount: number): string[] {
  return moduleCount === 1 ? ['cmd/*', 'internal/*', 'pkg/*'] : ['cmd/*'];
}

export function goProjectFolders(files: readonly string[], workspaceRoot: string, patterns: readonly string[] | undefined): GoProjectFolderInfo[] {
  const goMods = files.filter((file) => posix.basename(file) === 'go.mod');
  const moduleRoots = new Set(goMods.map((file) => posix.dirname(file)));
  const folders: GoProjectFolderInfo[] = goMods.map((file) => {
    const root = posix.dirname(file);
    return { root, moduleRoot: root, file, module: modulePath(join(workspaceRoot, file), file), declared: declaredName(join(workspaceRoot, root)) };
  });
  const found = new Set(moduleRoots);
  const isModule = (root: string) => moduleRoots.has(root);

  for (const pattern of patterns ?? defaultPackageProjects(goMods.length)) {
    for (const module of folders.filter((folder) => folder.root === folder.moduleRoot)) {
      for (const root of matchFolders(workspaceRoot, module.root, pattern)) {
        if (found.has(root) || enclosingModuleRoot(root, isModule) !== module.root || !hasGoFiles(join(workspaceRoot, root))) continue;
        found.add(root);
        folders.push({ root, moduleRoot: module.root, file: module.file, declared: declaredName(join(workspaceRoot, root)) });
      }
    }
  }
  for (const file of files.filter((f) => posix.basename(f) === 'project.json')) {
    const root = posix.dirname(file);
    const moduleRoot = enclosingModuleRoot(root, isModule);
    if (found.has(root) || moduleRoot === undefined || !hasGoFiles(join(workspaceRoot, root))) continue;
    found.add(root);
    folders.push({ root, moduleRoot, file, declared: declaredName(join(workspaceRoot, root)) });
  }
  return folders;
}

/** Folders below a module root that a pattern names: `cmd/*` (every folder in cmd) or `tools/gen` (that one). */
function matchFolders(workspaceRoot: string, moduleRoot: string, pattern: string): string[] {
  const within = (path: string) => (moduleRoot === '.' ? path : posix.join(moduleRoot, path));
  const clean = pattern.replace(/^\.\//, '').replace(/\/+$/, '');
  if (!clean.endsWith('/*')) return existsSync(join(workspaceRoot, within(clean))) ? [within(clean)] : [];
  const parent = within(clean.slice(0, -2));
  try {
    return readdirSync(join(workspaceRoot, parent), { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && entry.name !== 'testdata' && entry.name !== 'vendor' && !entry.name.startsWith('.'))
      .map((entry) => posix.join(parent, entry.name))
      .sort();
  } catch {
    return [];
  }
}

/** Whether the folder holds a Go package: a .go file that is not a test. */
function hasGoFiles(absoluteRoot: string): boolean {
  try {
    return readdirSync(absoluteRoot).some((file) => file.endsWith('.go') && !file.endsWith('_test.go'));
  } catch {
    return false;
  }
}

function modulePath(goModFile: string, file: string): string | undefined {
  try {
    return parseGoMod(readFileSync(goModFile, 'utf-8'), file).module;
  } catch {
    return undefined;
  }
}

/** The name in the folder's project.json, else its package.json, if either gives one. */
function declaredName(absoluteRoot: string): string | undefined {
  for (const file of ['project.json', 'package.json']) {
    try {
      const name: unknown = JSON.parse(readFileSync(join(absoluteRoot, file), 'utf-8')).name;
      if (typeof name === 'string' && name !== '') return name;
    } catch {
      // No such file, or not JSON: the next one, or no declared name.
    }
  }
  return undefined;
}
