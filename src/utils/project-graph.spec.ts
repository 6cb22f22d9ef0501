import { ProjectGraph, createProjectGraphAsync, readCachedProjectGraph } from '@nx/devkit';
import { currentProjectGraph } from './project-graph';

jest.mock('@nx/devkit', () => ({ createProjectGraphAsync: jest.fn(), readCachedProjectGraph: jest.fn() }));

const cached: ProjectGraph = { nodes: {}, dependencies: { cached: [] } };
const computed: ProjectGraph = { nodes: {}, dependencies: { computed: [] } };

describe('currentProjectGraph', () => {
  beforeEach(() => {
    jest.mocked(createProjectGraphAsync).mockReset().mockResolvedValue(computed);
    jest.mocked(readCachedProjectGraph).mockReset();
    delete process.env.NX_CACHE_PROJECT_GRAPH;
  });

  it('takes the graph Nx cached since this process started, without computing it again', async () => {
    jest.mocked(readCachedProjectGraph).mockReturnValue(cached);
    expect(await currentProjectGraph()).toBe(cached);
    const [minimumComputedAt] = jest.mocked(readCachedProjectGraph).mock.calls[0];
    expect(minimumComputedAt).toBeLessThanOrEqual(Date.now() - process.uptime() * 1000 + 5);
    expect(minimumComputedAt).toBeGreaterThan(Date.now() - process.uptime() * 1000 - 1000);
    expect(createProjectGraphAsync).not.toHaveBeenCalled();
  });

  it('computes the graph when none was cached since this process started', async () => {
    jest.mocked(readCachedProjectGraph).mockImplementation(() => {
      throw new Error('[readCachedProjectGraph] ERROR: No cached ProjectGraph is available.');
    });
    expect(await currentProjectGraph()).toBe(computed);
  });

  it('computes the graph when Nx does not cache it (NX_CACHE_PROJECT_GRAPH=false): the file left is older', async () => {
    process.env.NX_CACHE_PROJECT_GRAPH = 'false';
    jest.mocked(readCachedProjectGraph).mockReturnValue(cached);
    expect(await currentProjectGraph()).toBe(computed);
    expect(readCachedProjectGraph).not.toHaveBeenCalled();
    delete process.env.NX_CACHE_PROJECT_GRAPH;
  });
});
