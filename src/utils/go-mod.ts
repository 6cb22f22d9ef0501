/**
 * In-process readers for go.mod and go.work, so the graph never needs the go binary.
 * Both files share one grammar (golang.org/x/mod/modfile): a directive per line, or a
 * `verb (` ... `)` block of them; `//` comments; arguments may be quoted.
 */

/** One directive: `require example.com/x v1.2.3`, or one line of a `require (` block. */
export interface ModDirective {
  verb: string;
  args: string[];
  /** 1-based line number. */
  line: number;
  /** The `//` comment ending the line, with its slashes, or ''. */
  comment: string;
}

/** A single-line directive, or a whole block, with the lines it spans. */
export interface ModStatement {
  verb: string;
  firstLine: number;
  lastLine: number;
  directives: ModDirective[];
}

export interface GoRequire {
  path: string;
  version: string;
  line: number;
}

export interface GoReplace {
  path: string;
  version?: string;
  /** A module path, or a folder when `local` (`../libs/greet`). */
  to: string;
  toVersion?: string;
  /** True when `to` is a folder: it starts with `./`, `../` or `/`. */
  local: boolean;
  line: number;
}

export interface GoMod {
  module: string;
  go?: string;
  require: GoRequire[];
  replace: GoReplace[];
}

/** Parses go.mod text; throws `<file>:<line>: <what is wrong>: <how to fix it>` on malformed input. */
export function parseGoMod(content: string, file: string): GoMod {
  const mod: GoMod = { module: '', require: [], replace: [] };
  for (const { verb, args, line } of parseModFile(content, file).flatMap((s) => s.directives)) {
    const fail = (message: string) => new Error(`${file}:${line}: ${message}`);
    switch (verb) {
      case 'module':
        if (mod.module) throw fail("a second 'module' directive: keep one.");
        if (args.length !== 1) throw fail("'module' takes one path: write it as 'module example.com/orders'.");
        mod.module = args[0];
        break;
      case 'go':
        if (args.length !== 1) throw fail("'go' takes one version: write it as 'go 1.24'.");
        mod.go = args[0];
        break;
      case 'require':
        if (args.length !== 2) throw fail("a requirement is a module path and a version: write it as 'require example.com/x v1.2.3'.");
        mod.require.push({ path: args[0], version: args[1], line });
        break;
      case 'replace':
        mod.replace.push(parseReplace(args, fail, line));
        break;
    }
  }
  if (!mod.module) {
    throw new Error(`${file}: no 'module' directive: add one as the first line, e.g. 'module example.com/orders'.`);
  }
  return mod;
}

function parseReplace(args: string[], fail: (message: string) => Error, line: number): GoReplace {
  const arrow = args.indexOf('=>');
  const from = args.slice(0, arrow);
  const to = args.slice(arrow + 1);
  if (arrow < 0 || from.length < 1 || from.length > 2 || to.length < 1 || to.length > 2) {
    throw fail("a replacement is 'old [version] => new [version]': write it as 'replace example.com/x => ../x'.");
  }
  return { path: from[0], version: from[1], to: to[0], toVersion: to[1], local: isLocalPath(to[0]), line };
}

/** Replacement targets that are folders, as Go tells them apart from module paths. */
export function isLocalPath(path: string): boolean {
  return /^(\.{1,2}(\/|$)|\/)/.test(path.replace(/\\/g, '/'));
}

/** The statements of a go.mod or go.work file, blocks kept together. Unknown verbs are kept too. */
export function parseModFile(content: string, file: string): ModStatement[] {
  const statements: ModStatement[] = [];
  let block: ModStatement | undefined;
  content.split(/\r?\n/).forEach((text, index) => {
    const line = index + 1;
    const { tokens, comment } = tokenize(text, file, line);
    if (tokens.length === 0) return;
    if (block) {
      if (tokens[0] === ')') {
        if (tokens.length > 1) throw new Error(`${file}:${line}: text after ')': put it on its own line.`);
        block.lastLine = line;
        statements.push(block);
        block = undefined;
      } else if (tokens.includes('(') || tokens.includes(')')) {
        throw new Error(`${file}:${line}: unexpected parenthesis inside the '${block.verb} (' block: close that block with ')' first.`);
      } else {
        block.directives.push({ verb: block.verb, args: tokens, line, comment });
      }
      return;
    }
    const [verb, ...args] = tokens;
    if (verb === ')' || verb === '(') {
      throw new Error(`${file}:${line}: unexpected '${verb}': start a block with a directive name, e.g. 'require ('.`);
    }
    if (args.length === 1 && args[0] === '(') {
      block = { verb, firstLine: line, lastLine: line, directives: [] };
    } else if (args.includes('(') || args.includes(')')) {
      throw new Error(`${file}:${line}: unexpected parenthesis: open a block with '${verb} (' alone on its line.`);
    } else {
      statements.push({ verb, firstLine: line, lastLine: line, directives: [{ verb, args, line, comment }] });
    }
  });
  if (block) {
    throw new Error(`${file}:${block.firstLine}: the '${block.verb} (' block is never closed: add a line with ')'.`);
  }
  return statements;
}

/** Splits one line into words, quoted strings (unquoted), `(`, `)` and `=>`, and its trailing comment. */
function tokenize(text: string, file: string, line: number): { tokens: string[]; comment: string } {
  const tokens: string[] = [];
  let i = 0;
  while (i < text.length) {
    const char = text[i];
    if (/\s/.test(char)) {
      i++;
    } else if (text.startsWith('//', i)) {
      return { tokens, comment: text.slice(i).trim() };
    } else if (char === '(' || char === ')') {
      tokens.push(char);
      i++;
    } else if (text.startsWith('=>', i)) {
      tokens.push('=>');
      i += 2;
    } else if (char === '"' || char === '`') {
      const end = closingQuote(text, i);
      if (end < 0) throw new Error(`${file}:${line}: unterminated ${char} string: close the quote.`);
      tokens.push(char === '"' ? unquote(text.slice(i, end + 1), file, line) : text.slice(i + 1, end));
      i = end + 1;
    } else {
      let end = i;
      while (end < text.length && !/[\s()"`]/.test(text[end]) && !text.startsWith('//', end) && !text.startsWith('=>', end)) end++;
      tokens.push(text.slice(i, end));
      i = end;
    }
  }
  return { tokens, comment: '' };
}

function unquote(quoted: string, file: string, line: number): string {
  try {
    return JSON.parse(quoted) as string;
  } catch {
    throw new Error(`${file}:${line}: cannot read the string ${quoted}: write the path without escapes.`);
  }
}

function closingQuote(text: string, start: number): number {
  const quote = text[start];
  for (let i = start + 1; i < text.length; i++) {
    if (quote === '"' && text[i] === '\\') i++;
    else if (text[i] === quote) return i;
  }
  return -1;
}
