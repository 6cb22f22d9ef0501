import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

interface CachedImports {
  hash: string;
  imports: string[];
}

interface CacheFile {
  version: 1;
  files: Record<string, CachedImports>;
}

/**
 * The import paths of every Go file, keyed by the file's content hash (which Nx computes
 * anyway): what a file imports depends on its text alone, so the key is complete. Which
 * project an import belongs to depends on every go.mod as well, so that mapping is never
 * cached; it is redone from these imports on every graph computation.
 */
export class ImportCache {
  private readonly next: Record<string, CachedImports> = {};
  private changed = false;

  private constructor(
    private readonly file: string,
    private readonly previous: Record<string, CachedImports>,
  ) {}

  static load(workspaceRoot: string): ImportCache {
    const file = join(workspaceDataDirectory(workspaceRoot), 'nx-go-docker-imports.json');
    try {
      const cached = JSON.parse(readFileSync(file, 'utf-8')) as CacheFile;
      return new ImportCache(file, cached.version === 1 ? cached.files : {});
    } catch {
      return new ImportCache(file, {});
    }
  }

  /** The imports of `path` at content `hash`, from the cache or from `scan` (which reads the file). */
  importsOf(path: string, hash: string, scan: () => string[]): string[] {
    const hit = this.previous[path];
    const entry = hit && hit.hash === hash ? hit : { hash, imports: scan() };
    if (entry !== hit) this.changed = true;
    this.next[path] = entry;
    return entry.imports;
  }

  /** Writes the entries used by this computation (files that are gone drop out), if any changed. */
  save(): void {
    if (!this.changed && Object.keys(this.next).length === Object.keys(this.previous).length) return;
    const content: CacheFile = { version: 1, files: this.next };
    try {
      mkdirSync(dirname(this.file), { recursive: true });
      const temporary = `${this.file}.${process.pid}`;
      writeFileSync(temporary, JSON.stringify(content));
      renameSync(temporary, this.file);
    } catch {
      // A read-only workspace: the next computation reads the files again.
    }
  }
}

/** Where Nx keeps its own workspace data (the project graph, file hashes). */
function workspaceDataDirectory(workspaceRoot: string): string {
  const configured = process.env.NX_WORKSPACE_DATA_DIRECTORY ?? process.env.NX_PROJECT_GRAPH_CACHE_DIRECTORY;
  return configured ? resolve(workspaceRoot, configured) : join(workspaceRoot, '.nx', 'workspace-data');
}
