import { readNxJson } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { initGenerator } from './init';

describe('init generator', () => {
  it('registers the plugin once, with its target names', async () => {
    const tree = createTreeWithEmptyWorkspace();
    await initGenerator(tree);
    await initGenerator(tree);
    const entries = (readNxJson(tree)?.plugins ?? []).filter(
      (p) => (typeof p === 'string' ? p : p.plugin) === 'nx-go-docker',
    );
    expect(entries).toEqual([
      {
        plugin: 'nx-go-docker',
        options: expect.objectContaining({ buildTargetName: 'build', dockerBuildTargetName: 'docker-build' }),
      },
    ]);
    expect(readNxJson(tree)?.sync?.globalGenerators).toEqual(['nx-go-docker:sync-go-work']);
  });

  it('leaves a string registration alone', async () => {
    const tree = createTreeWithEmptyWorkspace();
    tree.write('nx.json', JSON.stringify({ plugins: ['nx-go-docker'] }));
    await initGenerator(tree);
    expect(readNxJson(tree)?.plugins).toEqual(['nx-go-docker']);
    expect(readNxJson(tree)?.sync?.globalGenerators).toEqual(['nx-go-docker:sync-go-work']);
  });
});
