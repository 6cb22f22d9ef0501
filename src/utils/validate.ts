import { Tree, getProjects } from '@nx/devkit';
import { posix } from 'node:path';

export const goKeywords = [
  'break', 'case', 'chan', 'const', 'continue', 'default', 'defer', 'else', 'fallthrough', 'for', 'func', 'go',
  'goto', 'if', 'import', 'interface', 'map', 'package', 'range', 'return', 'select', 'struct', 'switch', 'type', 'var',
];
/** Names Go gives a meaning to as folders or packages, and device names Windows will not create as files. */
const reservedNames = new Set([
  ...goKeywords,
  'main', 'internal', 'vendor', 'testdata', 'std', 'cmd', 'builtin',
  'con', 'prn', 'aux', 'nul', 'com1', 'com2', 'com3', 'com4', 'com5', 'com6', 'com7', 'com8', 'com9',
  'lpt1', 'lpt2', 'lpt3', 'lpt4', 'lpt5', 'lpt6', 'lpt7', 'lpt8', 'lpt9',
]);

const projectName = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

export function validateProjectName(tree: Tree, name: unknown, kind: string): string {
  if (typeof name !== 'string' || name.trim() === '') {
    throw new Error(`A ${kind} name is required: pass one, e.g. 'nx g ${kind} orders-api'.`);
  }
  if (!projectName.test(name)) {
    throw new Error(
      `Invalid ${kind} name '${name}': use lower case letters, digits and single dashes, starting with a letter (e.g. orders-api).`,
    );
  }
  if (reservedNames.has(name)) {
    throw new Error(`Invalid ${kind} name '${name}': it is reserved by Go or the operating system. Pick another, e.g. '${name}-svc'.`);
  }
  if (getProjects(tree).has(name)) {
    throw new Error(`A project named '${name}' already exists. Pick another name or remove the existing project first.`);
  }
  return name;
}

/** A folder relative to the workspace root that stays inside it and does not hold files yet. */
export function validateDirectory(tree: Tree, directory: string): string {
  const normalized = posix.normalize(directory.replace(/\\/g, '/')).replace(/\/+$/, '');
  if (posix.isAbsolute(normalized) || /^[A-Za-z]:/.test(normalized)) {
    throw new Error(`Invalid directory '${directory}': pass a path relative to the workspace root, e.g. --directory=apps/orders-api.`);
  }
  if (normalized === '.' || normalized === '..' || normalized.startsWith('../')) {
    throw new Error(`Invalid directory '${directory}': pass a folder inside the workspace, e.g. --directory=apps/orders-api.`);
  }
  const badSegment = normalized.split('/').find((segment) => !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(segment));
  if (badSegment !== undefined) {
    throw new Error(
      `Invalid directory '${directory}': rename folder '${badSegment}' to use only letters, digits, '.', '_' and '-', starting with a letter or digit.`,
    );
  }
  if (tree.exists(normalized) && (tree.isFile(normalized) || tree.children(normalized).length > 0)) {
    throw new Error(`Directory '${normalized}' already exists and is not empty. Pick another --directory or remove it first.`);
  }
  return normalized;
}

export function validatePort(port: unknown): number {
  const value = typeof port === 'string' && port.trim() !== '' ? Number(port) : port;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 65535) {
    throw new Error(`Invalid port '${String(port)}': use a whole number from 1 to 65535, e.g. --port=8080.`);
  }
  return value;
}

/** The rules of golang.org/x/mod/module.CheckPath, for the paths a workspace would use. */
export function validateGoModulePath(path: string): string {
  const elements = path.split('/');
  const first = elements[0];
  const validElement = (e: string) => /^[A-Za-z0-9._~-]+$/.test(e) && !e.startsWith('.') && !e.endsWith('.');
  const valid =
    path.length > 0 &&
    /^[a-z0-9.-]+$/.test(first) &&
    !first.startsWith('-') &&
    elements.every(validElement) &&
    !elements.some((e) => /^\.+$/.test(e));
  if (!valid) {
    throw new Error(
      `Invalid Go module path '${path}': use slash-separated elements of letters, digits, '.', '-', '_' or '~', starting with a lower-case domain-like element (e.g. github.com/acme/orders-api).`,
    );
  }
  return path;
}

/**
 * A Go release such as 1.24 or 1.24.4. Nx's argument parser hands `--goVersion=1.24` over as
 * the number 1.24, so numbers are accepted, except where the number lost a digit (1.30 -> 1.3).
 */
export function validateGoVersion(input: string | number): string {
  const version = String(input);
  if (typeof input === 'number' && /^1\.\d$/.test(version)) {
    throw new Error(`Go version ${version} arrived as a number, which drops a trailing zero (1.30 becomes 1.3): pass it with a patch release, e.g. --goVersion=${version}0.0.`);
  }
  if (!/^1\.\d{1,2}(\.\d{1,2})?$/.test(version)) {
    throw new Error(`Invalid Go version '${version}': use a release like 1.24 or 1.24.4.`);
  }
  if (Number(version.split('.')[1]) < 22) {
    throw new Error(`Go ${version} is too old: nx-go-docker generates code for Go 1.22 or newer. Use --goVersion=1.22 or newer.`);
  }
  return version;
}

/** Comma-separated project tags, e.g. `scope:orders,type:service`. */
export function parseTags(tags: string | undefined): string[] {
  const list = (tags ?? '').split(',').map((tag) => tag.trim()).filter(Boolean);
  const bad = list.find((tag) => /\s/.test(tag));
  if (bad) {
    throw new Error(`Invalid tag '${bad}': remove the spaces and separate tags with commas (e.g. scope:orders,type:service).`);
  }
  return list;
}
