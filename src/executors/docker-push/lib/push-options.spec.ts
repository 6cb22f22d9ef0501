import { normalizePushOptions } from './push-options';

const git = { commit: 'b'.repeat(40), shortCommit: 'bbbbbbb', commitDate: '2026-11-25T08:00:00+00:00', describe: 'v1.4.0' };
const base = { file: '/ws/apps/orders/Dockerfile', context: '/ws', metadataFile: '/ws/dist/docker/orders.json' };

describe('docker-push options', () => {
  it('names the image {registry}/{projectName}, tags the short commit first, two platforms, revision and epoch from the commit', () => {
    expect(normalizePushOptions({ ...base, registry: 'ghcr.io/acme/' }, 'orders', git)).toEqual({
      repository: 'ghcr.io/acme/orders',
      registryHost: 'ghcr.io',
      tags: ['bbbbbbb'],
      platforms: ['linux/amd64', 'linux/arm64'],
      file: base.file,
      context: base.context,
      buildArgs: { VERSION: 'v1.4.0', GIT_COMMIT: git.commit, BUILD_DATE: git.commitDate, SOURCE_DATE_EPOCH: '1795593600' },
      noCache: false,
      provenance: true,
      sbom: true,
      metadataFile: base.metadataFile,
    });
  });

  it('expands templates in the repository and the tags, and drops a tag given twice', () => {
    const options = normalizePushOptions(
      { ...base, registry: '127.0.0.1:5000', repository: '{registry}/team/{projectName}-svc', tags: ['main', '{projectName}-{shortSha}', 'bbbbbbb'] },
      'orders',
      git,
    );
    expect(options).toMatchObject({ repository: '127.0.0.1:5000/team/orders-svc', registryHost: '127.0.0.1:5000', tags: ['bbbbbbb', 'main', 'orders-bbbbbbb'] });
  });

  it.each([
    [{}, 'docker-push needs a registry: set "registry" (e.g. "ghcr.io/acme") in the nx-go-docker plugin options in nx.json, or pass --registry.'],
    [{ registry: 'Ghcr.io/Acme Corp' }, "Invalid image repository 'Ghcr.io/Acme Corp/orders': use host[:port]/path in lower case, e.g. ghcr.io/acme/orders."],
    [{ registry: 'ghcr.io/acme', repository: '{registry}/{projectName}:v1' }, "Invalid image repository 'ghcr.io/acme/orders:v1': use host[:port]/path in lower case, e.g. ghcr.io/acme/orders."],
    [{ registry: 'ghcr.io/acme', tags: ['has space'] }, "Invalid tag 'has space': a tag is up to 128 letters, digits, '_', '.' and '-', not starting with '.' or '-'."],
    [{ registry: 'ghcr.io/acme', tags: ['-x'] }, "Invalid tag '-x': a tag is up to 128 letters, digits, '_', '.' and '-', not starting with '.' or '-'."],
    [{ registry: 'ghcr.io/acme', platforms: ['linux/amd65'] }, "Unknown platform 'linux/amd65': use linux/amd64, linux/arm64, linux/arm/v7, linux/386, linux/ppc64le, linux/s390x or linux/riscv64."],
  ])('refuses %j in one line before anything is built', (options, problem) => {
    expect(normalizePushOptions({ ...base, ...options }, 'orders', git)).toEqual({ problem });
  });
});
