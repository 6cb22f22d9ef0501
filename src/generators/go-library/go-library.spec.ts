import { Tree, readProjectConfiguration, writeJson } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { detectGoMinorVersion, pinnedGoVersion } from '../../utils/go-toolchain';
import { goServiceGenerator } from '../go-service/go-service';
import { goLibraryGenerator } from './go-library';
import type { GoLibraryGeneratorSchema } from './schema';

describe('go-library generator', () => {
  let tree: Tree;
  const generate = (options: Partial<GoLibraryGeneratorSchema> = {}) =>
    goLibraryGenerator(tree, { name: 'string-utils', goVersion: '1.26', ...options });
  const read = (path: string) => tree.read(path, 'utf-8') ?? '';

  beforeEach(() => {
    tree = createTreeWithEmptyWorkspace();
  });

  it('writes the module under libs/<name> and registers a library project', async () => {
    await generate({ tags: 'scope:shared, type:library' });
    expect(tree.children('libs/string-utils').sort()).toEqual(
      ['README.md', 'go.mod', 'project.json', 'stringutils.go', 'stringutils_test.go'],
    );
    expect(readProjectConfiguration(tree, 'string-utils')).toMatchObject({
      name: 'string-utils',
      root: 'libs/string-utils',
      projectType: 'library',
      tags: ['scope:shared', 'type:library'],
    });
    expect(read('nx.json')).toContain('"plugin": "nx-go-docker"');
  });

  it('names the Go package after the project without dashes, with one exported function and its test', async () => {
    await generate();
    const source = read('libs/string-utils/stringutils.go');
    expect(source).toMatch(/^package stringutils$/m);
    expect(source).toMatch(/^func Greeting\(name string\) string \{$/m);
    const test = read('libs/string-utils/stringutils_test.go');
    expect(test).toMatch(/^package stringutils$/m);
    expect(test).toContain('func TestGreeting(t *testing.T)');
    expect(read('libs/string-utils/README.md')).toContain('stringutils.Greeting("Gopher")');
  });

  it('writes go.mod with the module path and Go version, the same default module path as go-service', async () => {
    await generate({ module: 'github.com/acme/strings', goVersion: '1.23.5' });
    expect(read('libs/string-utils/go.mod')).toBe('module github.com/acme/strings\n\ngo 1.23.5\n');

    writeJson(tree, 'package.json', { name: '@acme/mono', repository: 'https://github.com/acme/mono' });
    await generate({ name: 'greet' });
    expect(read('libs/greet/go.mod')).toContain('module github.com/acme/mono/libs/greet\n');
  });

  it('defaults goVersion to the installed Go minor version, else the pinned one', async () => {
    await goLibraryGenerator(tree, { name: 'greet' });
    expect(read('libs/greet/go.mod')).toContain(`go ${(await detectGoMinorVersion()) ?? pinnedGoVersion}\n`);
  });

  it('creates go.work when absent and keeps its use block sorted as libraries and services are added', async () => {
    await generate({ name: 'greet' });
    expect(read('go.work')).toBe('go 1.26\n\nuse (\n\t./libs/greet\n)\n');
    await goServiceGenerator(tree, { name: 'api', goVersion: '1.26' });
    await generate({ name: 'audit', directory: 'shared/audit' });
    expect(read('go.work')).toBe('go 1.26\n\nuse (\n\t./apps/api\n\t./libs/greet\n\t./shared/audit\n)\n');
  });

  describe('bad input: one line naming the problem and the fix, nothing written', () => {
    it.each([
      [{ name: '' }, 'name is required'],
      [{ name: 'String_Utils' }, "Invalid go-library name 'String_Utils'"],
      [{ name: 'main' }, "'main': it is reserved"],
      [{ name: 'ma-in' }, "its Go package would be 'main'"],
      [{ name: 'i-f' }, "its Go package would be 'if'"],
      [{ directory: '../outside' }, "Invalid directory '../outside'"],
      [{ module: 'Github.com/acme/x' }, "Invalid Go module path 'Github.com/acme/x'"],
      [{ goVersion: 'latest' }, "Invalid Go version 'latest'"],
      [{ tags: 'a b' }, "Invalid tag 'a b'"],
    ])('%j', async (bad, message) => {
      const before = tree.listChanges().length;
      const error = await generate(bad).then(() => undefined, (e: Error) => e);
      expect(error?.message).toContain(message);
      expect(error?.message).not.toContain('\n');
      expect(tree.listChanges().length).toBe(before);
    });

    it('an existing project name, or a go.work that does not parse', async () => {
      await generate();
      await expect(generate({ directory: 'libs/other' })).rejects.toThrow("A project named 'string-utils' already exists");
      tree.write('go.work', 'go 1.24\nuse (\n');
      await expect(generate({ name: 'greet' })).rejects.toThrow("go.work:2: the 'use (' block is never closed");
    });
  });
});
