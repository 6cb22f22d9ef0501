import { CreateDependenciesContext, DependencyType, FileData, validateDependency } from '@nx/devkit';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createDependencies, projectOfImport, scanImports } from './create-dependencies';

describe('scanImports', () => {
  it('reads single imports, blocks, aliases, blank and dot imports after comments and build tags', () => {
    const source = [
      '//go:build linux',
      '',
      '/* Package main',
      '   is a command. import "not/this" */',
      'package main // trailing',
      '',
      'import "fmt"',
      'import greet "example.com/acme/libs/greet"',
      'import (',
      '\t// the database driver',
      '\t_ "example.com/acme/libs/db/driver"',
      '\t. "example.com/acme/libs/dot"',
      '\t"net/http"; "os"',
      '\traw `example.com/acme/libs/raw`',
      ')',
      '',
      'func main() {}',
      'import "never/reached"',
    ].join('\n');
    expect(scanImports(source)).toEqual([
      'fmt',
      'example.com/acme/libs/greet',
      'example.com/acme/libs/db/driver',
      'example.com/acme/libs/dot',
      'net/http',
      'os',
      'example.com/acme/libs/raw',
    ]);
  });

  it('stops at the first declaration and gives up quietly on text that is not Go', () => {
    expect(scanImports('package x\n\nvar s = "import \\"nope\\""\n')).toEqual([]);
    expect(scanImports('not go at all')).toEqual([]);
    expect(scanImports('package x\nimport (\n\t"a"\n')).toEqual(['a']);
    expect(scanImports('')).toEqual([]);
  });
});

describe('projectOfImport', () => {
  const byModule = new Map([
    ['example.com/acme/libs', 'libs'],
    ['example.com/acme/libs/greet', 'greet'],
  ]);
  it.each([
    ['example.com/acme/libs/greet', 'greet'],
    ['example.com/acme/libs/greet/internal/words', 'greet'],
    ['example.com/acme/libs/greeter', 'libs'],
    ['example.com/acme/libs', 'libs'],
    ['example.com/acme', undefined],
    ['fmt', undefined],
  ])('%s -> %s', (path, project) => {
    expect(projectOfImport(path, byModule)).toBe(project);
  });
});

describe('createDependencies', () => {
  let root: string;
  let warn: jest.SpyInstance;
  const projects: Record<string, { root: string }> = {};

  const write = (path: string, content: string) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  };
  const goMod = (module: string, ...lines: string[]) => [`module ${module}`, '', 'go 1.24', ...lines].join('\n') + '\n';
  const project = (name: string, projectRoot: string, files: Record<string, string>) => {
    projects[name] = { root: projectRoot };
    for (const [file, content] of Object.entries(files)) write(join(projectRoot, file), content);
  };
  /** A context where every file of every project is new, as in a graph computed from scratch. */
  const context = (only?: string[]): CreateDependenciesContext => {
    const projectFileMap: Record<string, FileData[]> = {};
    for (const [name, { root: projectRoot }] of Object.entries(projects)) {
      projectFileMap[name] = listFiles(projectRoot).map((file) => ({ file, hash: hashOf(file) }));
    }
    const toProcess = Object.fromEntries(
      Object.entries(projectFileMap).map(([name, files]) => [name, files.filter((f) => !only || only.includes(f.file))]),
    );
    return {
      projects: Object.fromEntries(Object.entries(projects).map(([name, p]) => [name, { ...p, name }])),
      externalNodes: {},
      nxJsonConfiguration: {},
      fileMap: { projectFileMap, nonProjectFiles: [] },
      filesToProcess: { projectFileMap: toProcess, nonProjectFiles: [] },
      workspaceRoot: root,
    };
  };
  const hashOf = (file: string) => createHash('sha1').update(readFileSync(join(root, file))).digest('hex');
  const listFiles = (projectRoot: string): string[] =>
    readdirSync(join(root, projectRoot), { recursive: true, encoding: 'utf-8' })
      .map((file) => join(projectRoot, file))
      .filter((file) => file.includes('.'))
      .sort();
  const edges = async (ctx = context()) => {
    const dependencies = await createDependencies(undefined, ctx);
    for (const dependency of dependencies) validateDependency(dependency, ctx);
    return dependencies.map((d) => `${d.source} -> ${d.target}`).sort();
  };
  const warnings = () => warn.mock.calls.map(([message]) => String(message));

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'nx-go-deps-'));
    for (const name of Object.keys(projects)) delete projects[name];
    warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    project('greet', 'libs/greet', {
      'go.mod': goMod('example.com/acme/libs/greet'),
      'greet.go': 'package greet\n\nimport "strings"\n\nfunc Greeting(n string) string { return strings.TrimSpace(n) }\n',
      'words/words.go': 'package words\n',
    });
    project('db', 'libs/db', { 'go.mod': goMod('example.com/acme/libs/db'), 'db.go': 'package db\n' });
    project('web', 'apps/web', { 'package.json': '{}' });
  });

  afterEach(() => {
    warn.mockRestore();
    rmSync(root, { recursive: true, force: true });
  });

  it('links a service to the libraries its .go files import, directly or below the module path', async () => {
    project('api', 'apps/api', {
      'go.mod': goMod('example.com/acme/apps/api'),
      'main.go': 'package main\n\nimport (\n\t"fmt"\n\tg "example.com/acme/libs/greet"\n)\n\nfunc main() { fmt.Println(g.Greeting("x")) }\n',
      'handlers.go': 'package main\n\nimport "example.com/acme/libs/greet/words"\n',
      'main_test.go': 'package main\n\nimport _ "example.com/acme/libs/db"\n',
      'internal/self/self.go': 'package self\n\nimport "example.com/acme/apps/api"\n',
      'testdata/fixture.go': 'package fixture\n\nimport "example.com/acme/libs/db"\n',
    });
    expect(await edges()).toEqual([
      'api -> db',
      'api -> greet',
    ]);
    expect(warnings()).toEqual([]);
  });

  it('links modules through go.mod requires and replaces, including local folder replaces', async () => {
    project('worker', 'apps/worker', {
      'go.mod': goMod(
        'example.com/acme/apps/worker',
        'require (',
        '\texample.com/acme/libs/greet v0.0.0',
        '\tgithub.com/google/uuid v1.6.0',
        ')',
        'replace example.com/somewhere/db => ../../libs/db',
        `replace example.com/somewhere/other => ${root}/apps/other`,
      ),
    });
    project('other', 'apps/other', { 'go.mod': goMod('example.com/acme/apps/other') });
    expect(await edges()).toEqual([
      'worker -> db',
      'worker -> greet',
      'worker -> other',
    ]);
  });

  it('emits one edge per pair of projects, without a source file: which project an import names depends on every go.mod', async () => {
    project('api', 'apps/api', {
      'go.mod': goMod('example.com/acme/apps/api'),
      'main.go': 'package main\n\nimport "example.com/acme/libs/greet"\n',
      'other.go': 'package main\n\nimport "example.com/acme/libs/greet/words"\n',
    });
    expect(await createDependencies(undefined, context())).toEqual([{ source: 'api', target: 'greet', type: DependencyType.implicit }]);
  });

  it('reads a file again only when its content changed, from a cache keyed by its hash', async () => {
    project('api', 'apps/api', {
      'go.mod': goMod('example.com/acme/apps/api'),
      'main.go': 'package main\n\nimport "example.com/acme/libs/greet"\n',
    });
    const warm = context();
    expect(await edges(warm)).toEqual(['api -> greet']);
    expect(existsSync(join(root, '.nx', 'workspace-data', 'nx-go-docker-imports.json'))).toBe(true);
    // Same hash, other text: the cached imports are used, so the file was not read.
    write('apps/api/main.go', 'package main\n\nimport "example.com/acme/libs/db"\n');
    expect(await edges(warm)).toEqual(['api -> greet']);
    // New hash: read again.
    expect(await edges(context())).toEqual(['api -> db']);
  });

  it('stays right while warm when the set of modules changes: a package of a library becomes a module of its own', async () => {
    project('api', 'apps/api', {
      'go.mod': goMod('example.com/acme/apps/api'),
      'handlers.go': 'package main\n\nimport "example.com/acme/libs/greet/words"\n',
    });
    expect(await edges(context())).toEqual(['api -> greet']);
    // libs/greet/words gets its own go.mod: only that file is new, api's files are unchanged.
    project('words', 'libs/greet/words', { 'go.mod': goMod('example.com/acme/libs/greet/words') });
    const splitContext = context(['libs/greet/words/go.mod']);
    splitContext.fileMap.projectFileMap.greet = splitContext.fileMap.projectFileMap.greet.filter((f) => !f.file.startsWith('libs/greet/words/'));
    expect(await edges(splitContext)).toEqual(['api -> words']);
    // The module's path changes: nothing that imports it changed, yet the import is greet's again.
    write('libs/greet/words/go.mod', goMod('example.com/elsewhere/words'));
    expect(await edges(context(['libs/greet/words/go.mod']))).toEqual(['api -> greet']);
  });

  it('does not warn about modules that import each other: Go forbids cycles between packages, not modules', async () => {
    write('libs/db/uses-greet.go', 'package db\n\nimport "example.com/acme/libs/greet"\n');
    write('libs/greet/uses-db.go', 'package greet\n\nimport "example.com/acme/libs/db"\n');
    expect(await edges()).toEqual(['db -> greet', 'greet -> db']);
    expect(warnings()).toEqual([]);
  });

  it('scans a module inside a testdata folder like any other, while ignoring testdata below a module', async () => {
    project('pdata-testdata', 'pdata/testdata', {
      'go.mod': goMod('example.com/acme/pdata/testdata'),
      'fixtures.go': 'package testdata\n\nimport "example.com/acme/libs/db"\n',
      'testdata/ignored.go': 'package ignored\n\nimport "example.com/acme/libs/greet"\n',
    });
    expect(await edges()).toEqual(['pdata-testdata -> db']);
  });

  it('warns once about a go.mod that does not parse, naming the file and line, and still builds the rest', async () => {
    project('broken', 'libs/broken', { 'go.mod': 'module example.com/acme/libs/broken\nrequire (\n', 'b.go': 'package b\n' });
    project('api', 'apps/api', {
      'go.mod': goMod('example.com/acme/apps/api'),
      'main.go': 'package main\n\nimport (\n\t"example.com/acme/libs/broken"\n\t"example.com/acme/libs/greet"\n)\n',
      'other.go': 'package main\n\nimport "example.com/acme/libs/broken"\n',
    });
    project('uses-broken', 'apps/uses-broken', {
      'go.mod': goMod('example.com/acme/apps/uses-broken'),
      'main.go': 'package main\n\nimport "example.com/acme/libs/greet"\n',
    });
    write('libs/broken/x.go', 'package b\n\nimport "example.com/acme/libs/db"\n');
    expect(await edges()).toEqual([
      'api -> greet',
      'broken -> db',
      'uses-broken -> greet',
    ]);
    expect(warnings()).toEqual([
      "nx-go-docker: libs/broken/go.mod:2: the 'require (' block is never closed: add a line with ')'. Until then no project depends on broken in the graph.",
    ]);
  });

  it('does not check go.work on every graph computation (the sync-go-work sync generator does)', async () => {
    project('api', 'apps/api', {
      'go.mod': goMod('example.com/acme/apps/api'),
      'main.go': 'package main\n\nimport "example.com/acme/libs/greet"\nimport "example.com/acme/libs/db"\n',
    });
    write('go.work', 'go 1.24\n\nuse (\n\t./apps/api\n\t./apps/gone\n)\n');
    expect(await edges()).toEqual(['api -> db', 'api -> greet']);
    write('go.work', 'go 1.24\nuse (\n');
    expect(await edges()).toEqual(['api -> db', 'api -> greet']);
    expect(warnings()).toEqual([]);
  });

  it('in a single-module repository, links each command to exactly the packages of the module it imports', async () => {
    for (const name of Object.keys(projects)) delete projects[name];
    project('shop', '.', { 'go.mod': goMod('github.com/acme/shop'), 'doc.go': 'package shop\n' });
    project('api', 'cmd/api', { 'main.go': 'package main\n\nimport (\n\t"github.com/acme/shop/internal/db"\n\t"github.com/acme/shop/pkg/money"\n)\n' });
    project('worker', 'cmd/worker', { 'main.go': 'package main\n\nimport "github.com/acme/shop/internal/queue/retry"\n' });
    project('report', 'cmd/report', { 'main.go': 'package main\n\nimport "github.com/acme/shop"\n' });
    project('db', 'internal/db', { 'db.go': 'package db\n\nimport "github.com/acme/shop/pkg/money"\n' });
    project('queue', 'internal/queue', { 'queue.go': 'package queue\n' });
    project('money', 'pkg/money', { 'money.go': 'package money\n' });
    project('web', 'web', { 'package.json': '{}' });
    const ctx = context();
    // The root project owns what no other project does (Nx gives each file to its deepest root).
    ctx.fileMap.projectFileMap.shop = ctx.fileMap.projectFileMap.shop.filter(({ file }) => !/^(cmd|internal|pkg|web)\//.test(file));
    expect(await edges(ctx)).toEqual(['api -> db', 'api -> money', 'db -> money', 'report -> shop', 'worker -> queue']);
    expect(warnings()).toEqual([]);
  });

  it('treats a Go module at the workspace root as a project like any other', async () => {
    write('go.mod', goMod('example.com/acme'));
    write('tools.go', 'package tools\n\nimport _ "example.com/acme/libs/db"\n');
    const ctx = context();
    const rootFiles = [{ file: 'go.mod', hash: '1' }, { file: 'tools.go', hash: '1' }];
    Object.assign(ctx.projects, { root: { name: 'root', root: '.' } });
    Object.assign(ctx.fileMap.projectFileMap, { root: rootFiles });
    Object.assign(ctx.filesToProcess.projectFileMap, { root: rootFiles });
    expect(await edges(ctx)).toEqual(['root -> db']);
  });
});
