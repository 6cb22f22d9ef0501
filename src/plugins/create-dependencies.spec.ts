import { CreateDependenciesContext, DependencyType, FileData, logger, validateDependency } from '@nx/devkit';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createDependencies, findCycle, projectOfImport, scanImports } from './create-dependencies';

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
      projectFileMap[name] = listFiles(projectRoot).map((file) => ({ file, hash: '1' }));
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
  const listFiles = (projectRoot: string): string[] =>
    readdirSync(join(root, projectRoot), { recursive: true, encoding: 'utf-8' })
      .map((file) => join(projectRoot, file))
      .filter((file) => file.includes('.'))
      .sort();
  const edges = async (ctx = context()) => {
    const dependencies = await createDependencies(undefined, ctx);
    for (const dependency of dependencies) validateDependency(dependency, ctx);
    return dependencies.map((d) => `${d.source} -> ${d.target} (${'sourceFile' in d ? d.sourceFile : ''})`).sort();
  };
  const warnings = () => warn.mock.calls.map(([message]) => String(message));

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'nx-go-deps-'));
    for (const name of Object.keys(projects)) delete projects[name];
    warn = jest.spyOn(logger, 'warn').mockImplementation(() => undefined);
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
      'api -> db (apps/api/main_test.go)',
      'api -> greet (apps/api/handlers.go)',
      'api -> greet (apps/api/main.go)',
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
      'worker -> db (apps/worker/go.mod)',
      'worker -> greet (apps/worker/go.mod)',
      'worker -> other (apps/worker/go.mod)',
    ]);
  });

  it('emits one edge for the static dependency type with the file that causes it', async () => {
    project('api', 'apps/api', {
      'go.mod': goMod('example.com/acme/apps/api'),
      'main.go': 'package main\n\nimport "example.com/acme/libs/greet"\n',
    });
    expect(await createDependencies(undefined, context())).toEqual([
      { source: 'api', target: 'greet', sourceFile: 'apps/api/main.go', type: DependencyType.static },
    ]);
  });

  it('reads only the files Nx says changed', async () => {
    project('api', 'apps/api', {
      'go.mod': goMod('example.com/acme/apps/api', 'require example.com/acme/libs/db v0.0.0'),
      'main.go': 'package main\n\nimport "example.com/acme/libs/greet"\n',
    });
    expect(await edges(context(['apps/api/main.go']))).toEqual(['api -> greet (apps/api/main.go)']);
    expect(await edges(context([]))).toEqual([]);
  });

  it('warns about Go modules that import each other in a cycle and keeps the edges', async () => {
    write('libs/db/uses-greet.go', 'package db\n\nimport "example.com/acme/libs/greet"\n');
    write('libs/greet/uses-db.go', 'package greet\n\nimport "example.com/acme/libs/db"\n');
    expect(await edges()).toEqual(['db -> greet (libs/db/uses-greet.go)', 'greet -> db (libs/greet/uses-db.go)']);
    expect(warnings()).toEqual([
      'nx-go-docker: Go modules import each other in a cycle (greet -> db -> greet); Go cannot build it. Move the shared code into a library that both import.',
    ]);
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
      'api -> greet (apps/api/main.go)',
      'broken -> db (libs/broken/x.go)',
      'uses-broken -> greet (apps/uses-broken/main.go)',
    ]);
    expect(warnings()).toEqual([
      "nx-go-docker: libs/broken/go.mod:2: the 'require (' block is never closed: add a line with ')'. Until then no project depends on broken in the graph.",
    ]);
  });

  describe('with a go.work', () => {
    beforeEach(() => {
      project('api', 'apps/api', {
        'go.mod': goMod('example.com/acme/apps/api'),
        'main.go': 'package main\n\nimport "example.com/acme/libs/greet"\nimport "example.com/acme/libs/db"\n',
      });
    });

    it('is quiet when every module is used', async () => {
      write('go.work', 'go 1.24\n\nuse (\n\t./apps/api\n\t./libs/db/\n\tlibs/greet\n)\n');
      expect(await edges()).toHaveLength(2);
      expect(warnings()).toEqual([]);
    });

    it('warns about a use line naming a missing folder, and a library the service imports that go.work leaves out', async () => {
      write('go.work', 'go 1.24\n\nuse (\n\t./apps/api\n\t./apps/gone\n\t./libs/db\n)\n');
      expect(await edges()).toEqual(['api -> db (apps/api/main.go)', 'api -> greet (apps/api/main.go)']);
      expect(warnings()).toEqual([
        "nx-go-docker: go.work:5: 'use ./apps/gone' names a folder that does not exist: remove the line or restore the module.",
        "nx-go-docker: api uses greet, but go.work does not use ./libs/greet: add it with 'go work use ./libs/greet'.",
      ]);
    });

    it('warns about a library a go.mod requires that go.work leaves out, even when no file changed', async () => {
      project('worker', 'apps/worker', { 'go.mod': goMod('example.com/acme/apps/worker', 'require example.com/acme/libs/db v0.0.0') });
      write('go.work', 'go 1.24\n\nuse (\n\t./apps/api\n\t./apps/worker\n\t./libs/greet\n)\n');
      expect(await edges(context([]))).toEqual([]);
      expect(warnings()).toEqual([
        "nx-go-docker: worker uses db, but go.work does not use ./libs/db: add it with 'go work use ./libs/db'.",
      ]);
    });

    it('warns about a go.work that does not parse and keeps the edges', async () => {
      write('go.work', 'go 1.24\nuse (\n');
      expect(await edges()).toHaveLength(2);
      expect(warnings()).toEqual(["nx-go-docker: go.work:2: the 'use (' block is never closed: add a line with ')'."]);
    });
  });

  it('treats a Go module at the workspace root as a project like any other', async () => {
    write('go.mod', goMod('example.com/acme'));
    write('tools.go', 'package tools\n\nimport _ "example.com/acme/libs/db"\n');
    const ctx = context();
    const rootFiles = [{ file: 'go.mod', hash: '1' }, { file: 'tools.go', hash: '1' }];
    Object.assign(ctx.projects, { root: { name: 'root', root: '.' } });
    Object.assign(ctx.fileMap.projectFileMap, { root: rootFiles });
    Object.assign(ctx.filesToProcess.projectFileMap, { root: rootFiles });
    expect(await edges(ctx)).toEqual(['root -> db (tools.go)']);
  });
});

describe('findCycle', () => {
  it('finds a cycle and names the projects along it', () => {
    expect(findCycle([{ source: 'a', target: 'b' }, { source: 'b', target: 'c' }, { source: 'c', target: 'a' }])).toEqual(['a', 'b', 'c', 'a']);
  });

  it('finds none in a diamond', () => {
    const edges = [{ source: 'a', target: 'b' }, { source: 'a', target: 'c' }, { source: 'b', target: 'd' }, { source: 'c', target: 'd' }];
    expect(findCycle(edges)).toBeUndefined();
  });
});
