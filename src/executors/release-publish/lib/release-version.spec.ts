import { releaseImageTags, releaseTagPatterns, versionFromTags } from './release-version';

const git = { commit: 'c'.repeat(40), shortCommit: 'ccccccc', commitDate: '2026-12-01T08:00:00+00:00', describe: 'orders@1.4.2' };

describe('release versions and image tags', () => {
  it('derives 1.4 and 1 and latest from a stable version', () => {
    expect(releaseImageTags('1.4.2', ['{version}', '{major}.{minor}', '{major}', 'latest'], 'orders', git)).toEqual({
      tags: ['1.4.2', '1.4', '1', 'latest'],
      dropped: [],
    });
  });

  it('keeps only the exact tags of a prerelease, and turns + into -', () => {
    expect(releaseImageTags('2.0.0-rc.1+b7', ['{version}', '{major}.{minor}', 'latest', '{projectName}-{shortSha}'], 'orders', git)).toEqual({
      tags: ['2.0.0-rc.1-b7', 'orders-ccccccc'],
      dropped: ['{major}.{minor}', 'latest'],
    });
  });

  it("reads the project's version from the release tags on HEAD, its own pattern first", () => {
    const patterns = releaseTagPatterns({ release: { releaseTag: { pattern: 'release/{projectName}/{version}' } } });
    expect(patterns).toEqual(['release/{projectName}/{version}', '{projectName}@{version}', 'v{version}']);
    expect(versionFromTags(['v9.9.9', 'release/orders/1.4.2', 'release/billing/3.0.0'], patterns, 'orders')).toBe('1.4.2');
    expect(versionFromTags(['billing@3.0.0'], patterns, 'orders')).toBeUndefined();
    expect(versionFromTags(['v2.0.0'], patterns, 'orders')).toBe('2.0.0');
    expect(versionFromTags(['orders@not-a-version'], patterns, 'orders')).toBeUndefined();
  });

  it("reads Nx 21's releaseTagPattern and each group's", () => {
    expect(releaseTagPatterns({ release: { releaseTagPattern: '{projectName}-v{version}', groups: { apps: { releaseTagPattern: 'apps/{projectName}@{version}' } } } })).toEqual([
      '{projectName}-v{version}',
      'apps/{projectName}@{version}',
      '{projectName}@{version}',
      'v{version}',
    ]);
  });
});
