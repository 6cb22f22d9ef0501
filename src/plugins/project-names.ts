/**
 * Names of inferred Go projects: unique by construction, the same on every machine and
 * checkout, and as short as the repository allows.
 *
 * - A name from the folder's project.json or package.json is kept as it is.
 * - The root module is named after its module path (`go.etcd.io/etcd/v3` -> `etcd`), never
 *   after the checkout folder.
 * - Any other project is named after the shortest tail of its folder path that no other
 *   project has (`pkg`, `client-pkg`, `server-pkg`), with major-version folders left out
 *   (`client/v3` -> `client`) unless that collides (`client-v3`).
 * - Should nothing shorter be unique, the folder path itself is the name: folder paths are unique.
 */

export interface GoProjectFolder {
  /** The project root, relative to the workspace root (`.` for the root). */
  root: string;
  /** The module path its go.mod declares, if it is a module and the file parses. */
  module?: string;
  /** The name its project.json or package.json gives it. */
  declared?: string;
}

const majorVersion = /^v\d+$/;

/** Root folder -> project name, for every folder. */
export function projectNames(folders: readonly GoProjectFolder[]): Map<string, string> {
  const names = new Map<string, string>();
  const reserved = new Set<string>();
  for (const folder of folders) {
    if (folder.declared !== undefined) {
      names.set(folder.root, folder.declared);
      reserved.add(folder.declared);
    }
  }
  const inferred = folders
    .filter((folder) => folder.declared === undefined)
    .map((folder) => ({ root: folder.root, candidates: candidateNames(folder), index: 0 }))
    .sort((a, b) => a.root.localeCompare(b.root));

  // Lengthen every name that is shared, until none is; each step moves a name to a longer
  // candidate, and the last candidate (the folder path) is unique, so this ends.
  for (;;) {
    const byName = new Map<string, typeof inferred>();
    for (const project of inferred) {
      const name = project.candidates[project.index];
      byName.set(name, [...(byName.get(name) ?? []), project]);
    }
    let moved = false;
    for (const [name, sharing] of byName) {
      if (sharing.length === 1 && !reserved.has(name)) continue;
      // Who moves: those that can take a longer folder tail; else those that can still take
      // their folder path; the root module last, keeping its name while the others can move.
      const nonRoot = sharing.filter((project) => project.root !== '.');
      const toLongerTail = nonRoot.filter((project) => project.index < project.candidates.length - 2);
      const toPath = nonRoot.filter((project) => project.index < project.candidates.length - 1);
      const root = sharing.filter((project) => project.root === '.' && project.index < project.candidates.length - 1);
      for (const project of toLongerTail.length ? toLongerTail : toPath.length ? toPath : root) {
        project.index++;
        moved = true;
      }
    }
    if (!moved) break;
  }
  for (const project of inferred) names.set(project.root, project.candidates[project.index]);
  return names;
}

/** From the shortest to the longest: tails of the folder path, without and then with major-version folders. */
function candidateNames(folder: GoProjectFolder): string[] {
  const candidates: string[] = [];
  const add = (name: string) => {
    if (name !== '' && !candidates.includes(name)) candidates.push(name);
  };
  const units = folder.root === '.' ? moduleUnits(folder.module) : folderUnits(folder.root, folder.module);
  for (let length = 1; length <= units.length; length++) {
    const tail = units.slice(-length);
    add(tail.map((unit) => unit.base).join('-'));
    add(tail.map((unit) => unit.full).join('-'));
  }
  candidates.push(folder.root === '.' ? 'root' : folder.root);
  return candidates;
}

/** A folder and the major-version folder below it, if any: `client/v3` is { base: 'client', full: 'client-v3' }. */
interface NameUnit {
  base: string;
  full: string;
}

function folderUnits(root: string, module: string | undefined): NameUnit[] {
  const units: NameUnit[] = [];
  for (const element of root.split('/').map(safe)) {
    const last = units.at(-1);
    if (majorVersion.test(element) && last) last.full = `${last.full}-${element}`;
    else if (majorVersion.test(element)) units.push(...moduleUnits(module ?? element));
    else units.push({ base: element, full: element });
  }
  return units;
}

/** The last element of a module path, with its major version: `go.etcd.io/etcd/v3` is { base: 'etcd', full: 'etcd-v3' }. */
function moduleUnits(module: string | undefined): NameUnit[] {
  const path = (module ?? '').split('/').filter(Boolean).map(safe);
  const version = path.length > 1 && majorVersion.test(path.at(-1)!) ? path.pop()! : undefined;
  const base = path.at(-1);
  return base === undefined ? [] : [{ base, full: version ? `${base}-${version}` : base }];
}

/** A folder name as part of a project name: characters Nx and Docker treat specially become '-'. */
function safe(element: string): string {
  return element.replace(/[^A-Za-z0-9._-]/g, '-');
}
