import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { withReferenceTables } from '../scripts/lib/reference-tables';

describe('README.md', () => {
  const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf-8');

  it('holds the reference tables generated from every schema.json (run `npm run docs` after changing one)', () => {
    expect(readme).toBe(withReferenceTables(readme));
  });

  it('starts with the two commands: the demo and the tests', () => {
    const firstCommands = [...readme.matchAll(/^```(?:bash|sh)\n([^`]+?)```/gm)].slice(0, 2).map((m) => m[1].trim());
    expect(firstCommands).toEqual(['npm run demo', 'npm test']);
  });
});
