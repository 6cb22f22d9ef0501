import { ProjectGraph, Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { currentProjectGraph } from '../../utils/project-graph';
import { syncGoWorkGenerator } from './sync-go-work';

jest.mock('../../utils/project-graph', () => ({ currentProjectGraph: jest.fn() }));

const node = (name: string, root: string) => ({ name, type: 'lib' as const, data: { root } });

describe('sync-go-work', () => {
  let tree: Tree;
  const graph: ProjectGraph = {
    nodes: { api: node('api', 'apps/api'), greet: node('greet', 'libs/greet'), log: node('log', 'libs/log'), web: node('web', 'apps/web') },
    dependencies: {
      api: [{ source: 'api', target: 'greet', type: 'implicit' }],
      greet: [{ source: 'greet', target: 'log', type: 'implicit' }],
      log: [],
      web: [],
    },
  };

  beforeEach(() => {
    tree = createTreeWithEmptyWorkspace();
    for (const root of ['apps/api', 'libs/greet', 'libs/log']) tree.write(`${root}/go.mod`, `module example.com/${root}\n`);
    jest.mocked(currentProjectGraph).mockResolvedValue(graph);
  });

  it('is in sync when go.work uses every module the used modules need, and leaves a workspace without go.work alone', async () => {
    expect(await syncGoWorkGenerator(tree)).toBeUndefined();
    tree.write('go.work', 'go 1.26\n\nuse (\n\t./apps/api\n\t./libs/greet\n\t./libs/log\n)\n');
    expect(await syncGoWorkGenerator(tree)).toBeUndefined();
  });

  it('adds the modules the used ones depend on, transitively, and drops use lines of folders without a go.mod', async () => {
    tree.write('go.work', 'go 1.26\n\n// services first\nuse (\n\t./apps/api // the API\n\t./apps/gone\n)\n');
    const result = await syncGoWorkGenerator(tree);
    expect(tree.read('go.work', 'utf-8')).toBe('go 1.26\n\n// services first\nuse (\n\t./apps/api // the API\n\t./libs/greet\n\t./libs/log\n)\n');
    expect(result).toEqual({
      outOfSyncMessage:
        "go.work is out of date: 'use ./apps/gone' names a folder without a go.mod; ./libs/greet is a module that a used module depends on, but go.work does not use it; ./libs/log is a module that a used module depends on, but go.work does not use it. Run 'nx sync' to update it.",
    });
    expect(await syncGoWorkGenerator(tree)).toBeUndefined();
  });

  it('reports a go.work that does not parse, which it cannot fix, and changes nothing', async () => {
    tree.write('go.work', 'go 1.26\nuse (\n');
    expect(await syncGoWorkGenerator(tree)).toEqual({
      outOfSyncMessage: "go.work:2: the 'use (' block is never closed: add a line with ')'. Fix go.work by hand; nx sync cannot.",
    });
    expect(tree.read('go.work', 'utf-8')).toBe('go 1.26\nuse (\n');
  });
});
