import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withDefaults } from './build-args';
import { missingInputProblem } from './input-files';

describe('files docker-build reads', () => {
  const root = mkdtempSync(join(tmpdir(), 'input-files-'));
  mkdirSync(join(root, 'apps', 'svc'), { recursive: true });
  writeFileSync(join(root, 'apps', 'svc', 'Dockerfile'), 'FROM scratch\n');
  writeFileSync(join(root, 'token.txt'), 'secret');
  const options = (changes: object) =>
    withDefaults({ file: join(root, 'apps/svc/Dockerfile'), context: join(root, 'apps/svc'), ...changes }, 'svc', undefined);

  it('passes when the Dockerfile, the context folder and every secret file exist (relative to the workspace root)', () => {
    expect(missingInputProblem(options({ secrets: ['id=t,src=token.txt', `id=u,src=${join(root, 'token.txt')}`, 'id=v,env=V'] }), root)).toBeUndefined();
  });

  it.each([
    [{ file: join(root, 'apps/svc/Nope.Dockerfile') }, `Dockerfile ${join(root, 'apps/svc/Nope.Dockerfile')} was not found. Create it or pass --file=`],
    [{ context: join(root, 'apps/nope') }, `Build context ${join(root, 'apps/nope')} is not a folder. Create it or pass --context=`],
    [{ context: join(root, 'token.txt') }, `Build context ${join(root, 'token.txt')} is not a folder.`],
    [{ secrets: ['id=npm,src=missing/.npmrc'] }, `Secret file ${join(root, 'missing/.npmrc')} (secret npm) was not found.`],
  ])('names the missing input %j and the fix on one line', (changes, message) => {
    const problem = missingInputProblem(options(changes), root);
    expect(problem).toContain(message);
    expect(problem).not.toContain('\n');
  });
});
