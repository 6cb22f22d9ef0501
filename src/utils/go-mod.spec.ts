import { parseGoMod, parseModFile } from './go-mod';

describe('parseGoMod', () => {
  it('reads the module, go version, requirements in both forms and replacements, ignoring comments', () => {
    const mod = parseGoMod(
      [
        '// The orders service.',
        'module example.com/acme/apps/orders // trailing comment',
        '',
        'go 1.24',
        'toolchain go1.24.4',
        '',
        'require example.com/acme/libs/greet v0.0.0',
        '',
        'require (',
        '\t// a comment line inside the block',
        '\tgithub.com/google/uuid v1.6.0 // indirect',
        '\t"golang.org/x/sync" v0.10.0',
        ')',
        '',
        'replace example.com/acme/libs/greet => ../../libs/greet',
        'replace (',
        '\tgithub.com/google/uuid v1.6.0 => github.com/fork/uuid v1.6.1',
        '\texample.com/other=>./other',
        ')',
        'exclude golang.org/x/net v0.1.0',
      ].join('\n'),
      'apps/orders/go.mod',
    );
    expect(mod.module).toBe('example.com/acme/apps/orders');
    expect(mod.go).toBe('1.24');
    expect(mod.require).toEqual([
      { path: 'example.com/acme/libs/greet', version: 'v0.0.0', line: 7 },
      { path: 'github.com/google/uuid', version: 'v1.6.0', line: 11 },
      { path: 'golang.org/x/sync', version: 'v0.10.0', line: 12 },
    ]);
    expect(mod.replace).toEqual([
      { path: 'example.com/acme/libs/greet', version: undefined, to: '../../libs/greet', toVersion: undefined, local: true, line: 15 },
      { path: 'github.com/google/uuid', version: 'v1.6.0', to: 'github.com/fork/uuid', toVersion: 'v1.6.1', local: false, line: 17 },
      { path: 'example.com/other', version: undefined, to: './other', toVersion: undefined, local: true, line: 18 },
    ]);
  });

  it('accepts CRLF line endings and a file with only a module line', () => {
    expect(parseGoMod('module example.com/x\r\n', 'go.mod')).toEqual({ module: 'example.com/x', require: [], replace: [] });
  });

  it.each([
    ['module a\nrequire (\n\tx v1\n', 'go.mod:2: the \'require (\' block is never closed: add a line with \')\'.'],
    ['module a\n)\n', "go.mod:2: unexpected ')'"],
    ['module a\nrequire x\n', 'go.mod:2: a requirement is a module path and a version'],
    ['module a\nrequire (\n\tx v1 v2\n)\n', 'go.mod:3: a requirement is a module path and a version'],
    ['module a\nreplace x ../x\n', "go.mod:2: a replacement is 'old [version] => new [version]'"],
    ['module a\nreplace x =>\n', "go.mod:2: a replacement is 'old [version] => new [version]'"],
    ['module a b\n', "go.mod:1: 'module' takes one path"],
    ['module a\nmodule b\n', "go.mod:2: a second 'module' directive"],
    ['module "a\n', 'go.mod:1: unterminated " string'],
    ['go 1.24\n', "go.mod: no 'module' directive: add one"],
    ['module a\nrequire ( x v1 )\n', 'go.mod:2: unexpected parenthesis'],
  ])('names the file and line of a mistake in %j', (content, message) => {
    expect(() => parseGoMod(content, 'go.mod')).toThrow(message);
  });
});

describe('parseModFile', () => {
  it('keeps a block together with the lines it spans, and line comments', () => {
    expect(parseModFile('go 1.24\n\nuse (\n\t./a // first\n\t./b\n)\n', 'go.work')).toEqual([
      { verb: 'go', firstLine: 1, lastLine: 1, directives: [{ verb: 'go', args: ['1.24'], line: 1, comment: '' }] },
      {
        verb: 'use',
        firstLine: 3,
        lastLine: 6,
        directives: [
          { verb: 'use', args: ['./a'], line: 4, comment: '// first' },
          { verb: 'use', args: ['./b'], line: 5, comment: '' },
        ],
      },
    ]);
  });
});
