import { Tree } from '@nx/devkit';
import { posix } from 'node:path';
import { ModDirective, parseModFile } from './go-mod';

export interface GoWorkUse {
  /** As written, relative to the go.work folder: `./libs/greet`. */
  path: string;
  line: number;
}

export interface GoWork {
  go?: string;
  use: GoWorkUse[];
}

/** Parses go.work text; throws `<file>:<line>: <what is wrong>: <how to fix it>` on malformed input. */
export function parseGoWork(content: string, file: string): GoWork {
  const work: GoWork = { use: [] };
  for (const { verb, args, line } of parseModFile(content, file).flatMap((s) => s.directives)) {
    const fail = (message: string) => new Error(`${file}:${line}: ${message}`);
    if (verb === 'go') {
      if (args.length !== 1) throw fail("'go' takes one version: write it as 'go 1.24'.");
      work.go = args[0];
    } else if (verb === 'use') {
      if (args.length !== 1) throw fail("'use' takes one folder: write it as 'use ./libs/greet'.");
      work.use.push({ path: args[0], line });
    }
  }
  return work;
}

/** `./libs/greet/`, `libs/greet` and `./libs//greet` all name the folder `libs/greet`. */
export function normalizeUsePath(path: string): string {
  return posix.normalize(path.replace(/\\/g, '/')).replace(/\/+$/, '') || '.';
}

/**
 * go.work with `./<folder>` in its use block: one block, sorted and without duplicates
 * (single-line `use` directives are folded into it), and a `go` line no older than
 * `goVersion`, since Go rejects a go.work older than a module it uses. Without `content`,
 * a new go.work. Everything else in the file is kept as written.
 */
export function addGoWorkUse(content: string | undefined, folder: string, goVersion: string): string {
  if (content === undefined) return `go ${goVersion}\n\n${useBlock([useLine(folder, '')])}`;
  return rewriteGoWorkUses(content, { add: [folder], goVersion });
}

/**
 * go.work with the folders in `add` used and those in `remove` no longer used, its use
 * lines in one sorted block, comments kept; the `go` line raised to `goVersion` if given.
 */
export function rewriteGoWorkUses(content: string, change: { add?: string[]; remove?: string[]; goVersion?: string }): string {
  const statements = parseModFile(content, 'go.work');
  const uses = statements.filter((s) => s.verb === 'use');
  const entries = new Map<string, string>();
  for (const directive of uses.flatMap((s) => s.directives)) {
    entries.set(normalizeUsePath(directive.args[0] ?? '.'), useLine(directive.args[0] ?? '.', directive.comment));
  }
  for (const folder of change.add ?? []) {
    if (!entries.has(normalizeUsePath(folder))) entries.set(normalizeUsePath(folder), useLine(folder, ''));
  }
  for (const folder of change.remove ?? []) entries.delete(normalizeUsePath(folder));
  const block = useBlock([...entries.keys()].sort().map((key) => entries.get(key) as string)).trimEnd();

  const lines = content.split(/\r?\n/);
  const goDirective = statements.find((s) => s.verb === 'go')?.directives[0];
  if (change.goVersion && goDirective && compareGoVersions(goDirective.args[0] ?? '0', change.goVersion) < 0) {
    lines[goDirective.line - 1] = `go ${change.goVersion}${goDirective.comment ? ` ${goDirective.comment}` : ''}`;
  }
  // Replace the use statements from the last to the first, so earlier line numbers stay valid.
  for (const statement of [...uses].reverse()) {
    const start = statement.firstLine - 1;
    const replacement = statement === uses[0] ? [block] : [];
    lines.splice(start, statement.lastLine - statement.firstLine + 1, ...replacement);
    if (replacement.length === 0 && lines[start - 1]?.trim() === '' && lines[start]?.trim() === '') lines.splice(start, 1);
  }
  if (uses.length === 0) {
    while (lines.length > 0 && lines[lines.length - 1].trim() === '') lines.pop();
    if (!goDirective && change.goVersion) lines.unshift(`go ${change.goVersion}`);
    lines.push('', block);
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

/** Adds `projectRoot` to the workspace's go.work in the Tree, creating the file when absent. */
export function addToGoWork(tree: Tree, projectRoot: string, goVersion: string): void {
  const current = tree.exists('go.work') ? (tree.read('go.work', 'utf-8') ?? '') : undefined;
  tree.write('go.work', addGoWorkUse(current, `./${normalizeUsePath(projectRoot)}`, goVersion));
}

function useLine(path: string, comment: ModDirective['comment']): string {
  const written = /^[^\s"`'()]+$/.test(path) && !path.includes('//') ? path : JSON.stringify(path);
  return comment ? `${written} ${comment}` : written;
}

function useBlock(lines: string[]): string {
  return `use (\n${lines.map((line) => `\t${line}\n`).join('')})\n`;
}

/** Negative when a is older than b: `1.22` < `1.23.5` < `1.24`. */
export function compareGoVersions(a: string, b: string): number {
  const parts = (version: string) => version.split(/[^0-9]+/).filter(Boolean).map(Number);
  const [left, right] = [parts(a), parts(b)];
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    const difference = (left[i] ?? 0) - (right[i] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}
