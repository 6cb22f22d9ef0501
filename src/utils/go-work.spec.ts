import { Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { addGoWorkUse, addToGoWork, compareGoVersions, parseGoWork } from './go-work';

describe('parseGoWork', () => {
  it('reads the go line and use lines in both forms', () => {
    const work = parseGoWork('go 1.24\n\nuse ./apps/orders\n\nuse (\n\t./libs/greet // shared\n\t"./libs/with space"\n)\n', 'go.work');
    expect(work).toEqual({
      go: '1.24',
      use: [
        { path: './apps/orders', line: 3 },
        { path: './libs/greet', line: 6 },
        { path: './libs/with space', line: 7 },
      ],
    });
  });

  it('names the file and line of a mistake', () => {
    expect(() => parseGoWork('go 1.24\nuse (\n\t./a\n', 'go.work')).toThrow("go.work:2: the 'use (' block is never closed");
    expect(() => parseGoWork('go 1.24\nuse ./a ./b\n', 'go.work')).toThrow("go.work:2: 'use' takes one folder");
  });
});

describe('addGoWorkUse', () => {
  it('creates go.work with the go version and a use block when there is none', () => {
    expect(addGoWorkUse(undefined, './libs/greet', '1.24')).toBe('go 1.24\n\nuse (\n\t./libs/greet\n)\n');
  });

  it('keeps the use block sorted and unique, whatever the spelling of an existing entry', () => {
    let work = addGoWorkUse(undefined, './libs/greet', '1.24');
    work = addGoWorkUse(work, './apps/orders', '1.24');
    work = addGoWorkUse(work, './apps/billing', '1.24');
    work = addGoWorkUse(work, './apps/orders', '1.24');
    expect(work).toBe('go 1.24\n\nuse (\n\t./apps/billing\n\t./apps/orders\n\t./libs/greet\n)\n');
    expect(addGoWorkUse('go 1.24\n\nuse apps/orders/\n', './apps/orders', '1.24')).toBe('go 1.24\n\nuse (\n\tapps/orders/\n)\n');
  });

  it('folds single-line use directives into one block and keeps comments, toolchain and replace lines', () => {
    const before = [
      '// Workspace of acme.',
      'go 1.24',
      '',
      'toolchain go1.24.4',
      '',
      'use ./libs/greet // shared',
      '',
      'use (',
      '\t./apps/orders',
      ')',
      '',
      'replace example.com/x => ./x',
      '',
    ].join('\n');
    expect(addGoWorkUse(before, './apps/api', '1.24')).toBe(
      [
        '// Workspace of acme.',
        'go 1.24',
        '',
        'toolchain go1.24.4',
        '',
        'use (',
        '\t./apps/api',
        '\t./apps/orders',
        '\t./libs/greet // shared',
        ')',
        '',
        'replace example.com/x => ./x',
        '',
      ].join('\n'),
    );
  });

  it('adds a use block to a go.work without one, and a go line when it is missing', () => {
    expect(addGoWorkUse('go 1.24\n\n\n', './a', '1.24')).toBe('go 1.24\n\nuse (\n\t./a\n)\n');
    expect(addGoWorkUse('', './a', '1.24')).toBe('go 1.24\n\nuse (\n\t./a\n)\n');
  });

  it('raises the go line to the new module\'s version, never lowers it', () => {
    expect(addGoWorkUse('go 1.22\n', './a', '1.24')).toBe('go 1.24\n\nuse (\n\t./a\n)\n');
    expect(addGoWorkUse('go 1.24.4\n', './a', '1.23')).toBe('go 1.24.4\n\nuse (\n\t./a\n)\n');
  });

  it('refuses a go.work that does not parse, naming the line', () => {
    expect(() => addGoWorkUse('go 1.24\nuse (\n', './a', '1.24')).toThrow("go.work:2: the 'use (' block is never closed");
  });
});

describe('addToGoWork', () => {
  let tree: Tree;
  beforeEach(() => {
    tree = createTreeWithEmptyWorkspace();
  });

  it('writes go.work at the workspace root with ./<projectRoot>', () => {
    addToGoWork(tree, 'libs/greet', '1.24');
    addToGoWork(tree, 'apps/api/', '1.24');
    expect(tree.read('go.work', 'utf-8')).toBe('go 1.24\n\nuse (\n\t./apps/api\n\t./libs/greet\n)\n');
  });
});

describe('compareGoVersions', () => {
  it.each([
    ['1.22', '1.24', -1],
    ['1.24', '1.23.5', 1],
    ['1.24', '1.24.0', 0],
    ['1.9', '1.10', -1],
  ])('%s vs %s', (a, b, sign) => {
    expect(Math.sign(compareGoVersions(a, b))).toBe(sign);
  });
});
