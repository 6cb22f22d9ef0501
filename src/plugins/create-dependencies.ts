// Types only: the plugin worker Nx starts for the graph loads no @nx/devkit (see index.ts).
import type { CreateDependencies, CreateDependenciesContext, DependencyType, RawProjectGraphDependency } from '@nx/devkit';
import { existsSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { GoMod, parseGoMod } from '../utils/go-mod';
import { enclosingModuleRoot, packageImportPath } from '../utils/go-module-root';
import { ImportCache } from './import-cache';
import type { NxGoDockerPluginOptions } from './options';

/** DependencyType.implicit, without loading @nx/devkit at run time. */
const implicit = 'implicit' as DependencyType.implicit;

interface GoProject {
  name: string;
  root: string;
  /** The import path of its packages: its module path, or for a package inside a module, that package's path. */
  importPath?: string;
  /** Whether it is a module (has a go.mod) rather than a package inside one. */
  isModule: boolean;
  /** Undefined for a package inside a module, or when the go.mod does not parse: the project's imports still count. */
  mod?: GoMod;
}

/**
 * Edges between Go projects: A -> B when A's go.mod requires or replaces B's module, or a
 * .go file in A imports B's module or a package below it. Reads files only.
 *
 * Which project an import belongs to depends on every go.mod, not only on the importing
 * file, so an edge cannot live in Nx's per-file cache (keyed by that file's content alone:
 * a new go.mod elsewhere would leave it stale). The edges are therefore recomputed on every
 * graph computation, without a source file, from imports that are cached by file content
 * (import-cache.ts): a file is read again only when it changed.
 * A go.mod that does not parse is warned about (its module has no edges until fixed); the
 * rest of the graph still builds. go.work is checked by the sync-go-work sync generator,
 * not here on every graph computation.
 */
export const createDependencies: CreateDependencies<NxGoDockerPluginOptions> = (_options, context) => {
  const warnings = new Set<string>();
  const projects = readGoProjects(context, warnings);
  const byModule = new Map(projects.flatMap((p) => (p.importPath ? [[p.importPath, p.name] as const] : [])));
  const byRoot = new Map(projects.map((p) => [p.root, p.name]));
  const dependencies: RawProjectGraphDependency[] = [];
  const seen = new Set<string>();
  const add = (source: string, target: string | undefined) => {
    const key = `${source}\0${target}`;
    if (target === undefined || target === source || seen.has(key)) return;
    seen.add(key);
    dependencies.push({ source, target, type: implicit });
  };

  const imports = ImportCache.load(context.workspaceRoot);
  for (const project of projects) {
    for (const { path } of project.mod?.require ?? []) add(project.name, byModule.get(path));
    for (const replace of project.mod?.replace ?? []) {
      add(project.name, byModule.get(replace.path));
      if (replace.local) add(project.name, byRoot.get(replacedFolder(project.root, replace.to, context.workspaceRoot)));
    }
    for (const { file, hash } of context.fileMap.projectFileMap[project.name] ?? []) {
      if (!isGoSource(file, project.root)) continue;
      for (const path of imports.importsOf(file, hash, () => readImports(join(context.workspaceRoot, file)))) {
        add(project.name, projectOfImport(path, byModule));
      }
    }
  }
  imports.save();

  for (const warning of warnings) console.warn(warning);
  return dependencies;
};

/**
 * Every project with a go.mod at its root, with the module it declares; then every project
 * inside one of those modules that holds Go files (a command or library package of its own).
 */
function readGoProjects(context: CreateDependenciesContext, warnings: Set<string>): GoProject[] {
  const modules: GoProject[] = [];
  const others: { name: string; root: string }[] = [];
  for (const [name, config] of Object.entries(context.projects)) {
    const root = config.root === '' ? '.' : config.root;
    const file = posix.join(root, 'go.mod');
    const content = readIfPresent(join(context.workspaceRoot, file));
    if (content === undefined) {
      others.push({ name, root });
      continue;
    }
    try {
      const mod = parseGoMod(content, file);
      modules.push({ name, root, mod, importPath: mod.module, isModule: true });
    } catch (error) {
      warnings.add(`nx-go-docker: ${(error as Error).message} Until then no project depends on ${name} in the graph.`);
      modules.push({ name, root, isModule: true });
    }
  }
  const moduleAt = new Map(modules.map((module) => [module.root, module]));
  const packages = others.flatMap(({ name, root }): GoProject[] => {
    const module = moduleAt.get(enclosingModuleRoot(root, (folder) => moduleAt.has(folder)) ?? '');
    const hasGo = (context.fileMap.projectFileMap[name] ?? []).some(({ file }) => isGoSource(file, root));
    if (!module || !hasGo) return [];
    return [{ name, root, importPath: module.importPath && packageImportPath(module.importPath, module.root, root), isModule: false }];
  });
  return [...modules, ...packages];
}

/** The project owning an import path: the longest module path equal to it or a prefix of it at a '/'. */
export function projectOfImport(importPath: string, byModule: ReadonlyMap<string, string>): string | undefined {
  for (let path = importPath; path; path = path.slice(0, Math.max(path.lastIndexOf('/'), 0))) {
    const project = byModule.get(path);
    if (project !== undefined) return project;
  }
  return undefined;
}

/** The workspace-relative folder a local replace points to (`../../libs/greet` from apps/api -> libs/greet). */
function replacedFolder(projectRoot: string, to: string, workspaceRoot: string): string {
  const path = to.replace(/\\/g, '/');
  return posix.isAbsolute(path) ? posix.relative(workspaceRoot.replace(/\\/g, '/'), path) : posix.join(projectRoot, path);
}

/** Go sources the go command builds: not in testdata or vendor folders below the project root, which it ignores. */
function isGoSource(file: string, projectRoot: string): boolean {
  const inProject = projectRoot === '.' ? file : file.slice(projectRoot.length + 1);
  return file.endsWith('.go') && !/(^|\/)(testdata|vendor)\//.test(inProject);
}

function readImports(file: string): string[] {
  const content = readIfPresent(file);
  return content === undefined ? [] : scanImports(content);
}

function readIfPresent(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf-8');
  } catch {
    return undefined;
  }
}

/**
 * The import paths of a Go file: `import "x"`, `import alias "x"`, `import _ "x"`,
 * `import . "x"` and `import ( ... )` blocks, after the package clause and comments.
 * Stops at the first other declaration, as Go requires imports to come first.
 */
export function scanImports(source: string): string[] {
  const tokens = goTokens(source);
  let current = tokens.next().value;
  const peek = () => current;
  const take = () => {
    const value = current;
    current = tokens.next().value;
    return value;
  };
  const skipSemicolons = () => {
    while (peek() === ';') take();
  };
  const imports: string[] = [];
  const addSpec = () => {
    const spec = importSpec(take);
    if (spec !== undefined) imports.push(spec);
    skipSemicolons();
  };

  skipSemicolons();
  if (take() !== 'package') return imports;
  take();
  skipSemicolons();
  while (peek() === 'import') {
    take();
    if (peek() !== '(') {
      addSpec();
      continue;
    }
    take();
    skipSemicolons();
    while (peek() !== undefined && peek() !== ')') addSpec();
    take();
    skipSemicolons();
  }
  return imports;
}

/** `[name] "path"`: the path without quotes, or undefined when the spec is malformed. */
function importSpec(take: () => string | undefined): string | undefined {
  let token = take();
  if (token !== undefined && !isQuoted(token)) token = take();
  return token !== undefined && isQuoted(token) ? token.slice(1, -1) : undefined;
}

function isQuoted(token: string): boolean {
  return token.length >= 2 && (token[0] === '"' || token[0] === '`');
}

/** Identifiers, quoted strings (with their quotes) and punctuation; newlines become ';' as Go inserts them. */
function* goTokens(source: string): Generator<string, undefined> {
  let i = 0;
  while (i < source.length) {
    const char = source[i];
    if (char === '\n') {
      yield ';';
      i++;
    } else if (char === ' ' || char === '\t' || char === '\r') {
      i++;
    } else if (source.startsWith('//', i)) {
      const end = source.indexOf('\n', i);
      i = end < 0 ? source.length : end;
    } else if (source.startsWith('/*', i)) {
      const end = source.indexOf('*/', i + 2);
      if (end < 0) return undefined;
      if (source.slice(i, end).includes('\n')) yield ';';
      i = end + 2;
    } else if (char === '"' || char === '`') {
      let end = i + 1;
      while (end < source.length && source[end] !== char && !(char === '"' && source[end] === '\n')) {
        end += char === '"' && source[end] === '\\' ? 2 : 1;
      }
      yield source.slice(i, end + 1);
      i = end + 1;
    } else if (/[\p{L}\p{N}_]/u.test(char)) {
      let end = i + 1;
      while (end < source.length && /[\p{L}\p{N}_]/u.test(source[end])) end++;
      yield source.slice(i, end);
      i = end;
    } else {
      yield char;
      i++;
    }
  }
  return undefined;
}
