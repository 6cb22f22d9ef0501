import { join } from 'node:path';
import { freePort, removeContainers, removeImages } from './support/docker';
import { adoptedWorkspace } from './support/shared-workspace';
import { Workspace } from './support/workspace';
import type { PushMetadata } from '../src/executors/docker-push/lib/push-image';

/** The open registry scripts/setup/registry.sh runs. */
const registry = '127.0.0.1:5000';

/** What docker-push and nx-release-publish record: the file a deploy step reads. */
type Metadata = PushMetadata;

/**
 * nx release on Go projects: versions from git tags and conventional commits, changelogs, and
 * images pushed under the version and the tags derived from it. A repository of its own, so
 * its release tags and commits touch no other test.
 */
describe('nx release: version, tag and publish exactly the Go services a release versions', () => {
  let ws: Workspace;
  const namespace = `${registry}/release-${Date.now()}`;
  const container = `rel-orders-released-${process.pid}`;
  const nx = (...args: string[]) => ws.run(join(ws.root, 'node_modules', '.bin', 'nx'), args);
  const tryNx = (...args: string[]) => ws.tryRun(join(ws.root, 'node_modules', '.bin', 'nx'), args);
  const repository = (project: string) => `${namespace.slice(registry.length + 1)}/${project}`;
  const tagsIn = async (project: string): Promise<string[] | undefined> => {
    const response = await fetch(`http://${registry}/v2/${repository(project)}/tags/list`);
    // The provenance and SBOM of each image are tagged sha256-<digest>.attestations (see publish.e2e.ts).
    return response.ok ? (((await response.json()) as { tags: string[] | null }).tags ?? []).filter((tag) => !tag.endsWith('.attestations')).sort() : undefined;
  };
  const digestOf = async (project: string, tag: string) =>
    (JSON.parse((await ws.run('docker', ['buildx', 'imagetools', 'inspect', '--format', '{{json .Manifest}}', `${namespace}/${project}:${tag}`])).stdout) as { digest: string }).digest;
  const gitTags = async () => (await ws.run('git', ['tag', '--list'])).stdout.split('\n').filter(Boolean).sort();
  const versionOf = async (project: string) => (await gitTags()).filter((tag) => tag.startsWith(`${project}@`)).map((tag) => tag.slice(project.length + 1)).pop();
  const metadata = (project: string) => JSON.parse(ws.read(`dist/docker/${project}.release.json`)) as Metadata;

  beforeAll(async () => {
    ws = await adoptedWorkspace('release-ws', 'acme-release', {});
    const nxJson = {
      analytics: false,
      plugins: [
        {
          plugin: 'nx-go-docker',
          options: { registry: namespace, releaseTags: ['{version}', '{major}.{minor}', '{major}', 'latest'] },
        },
      ],
      release: { projects: ['*'], projectsRelationship: 'independent', version: { conventionalCommits: true }, changelog: { projectChangelogs: true } },
    };
    ws.write('nx.json', JSON.stringify(nxJson, null, 2) + '\n');
    await nx('g', 'nx-go-docker:go-service', 'rel-orders', '--no-postgres');
    await nx('g', 'nx-go-docker:go-service', 'rel-billing', '--no-postgres');
    await nx('g', 'nx-go-docker:go-library', 'rel-money');
    await ws.commit('feat: orders, billing and money');
  });

  afterAll(async () => {
    await removeContainers(container);
  });

  it('--dry-run versions, tags and pushes nothing', async () => {
    const result = await nx('release', '--first-release', '--dry-run', '--yes');
    expect(result.stdout).toMatch(/Dry run: would build .*\/rel-orders for linux\/amd64, linux\/arm64 and push it as \d+\.\d+\.\d+, \d+\.\d+, \d+, latest\. Nothing was built or pushed\./);
    expect(await gitTags()).toEqual([]);
    expect(await tagsIn('rel-orders')).toBeUndefined();
    expect(await ws.status()).toBe('');
  });

  it('the first release tags every project in git, writes changelogs and pushes each service under its version and the derived tags', async () => {
    const result = await nx('release', '--first-release', '--yes');
    const version = (await versionOf('rel-orders'))!;
    expect(version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(await versionOf('rel-billing')).toBe(version);
    expect(await versionOf('rel-money')).toBeDefined();
    expect(ws.exists('apps/rel-orders/CHANGELOG.md')).toBe(true);

    const [major, minor] = version.split('.');
    for (const project of ['rel-orders', 'rel-billing']) {
      expect(await tagsIn(project)).toEqual([version, `${major}.${minor}`, major, 'latest'].sort());
      const { digest, tags, platforms } = metadata(project);
      expect({ tags, platforms }).toEqual({ tags: [version, `${major}.${minor}`, major, 'latest'], platforms: ['linux/amd64', 'linux/arm64'] });
      // Every tag names the very index that was built: one upload, no wrapper manifests.
      for (const tag of tags) expect(await digestOf(project, tag)).toBe(digest);
    }
    expect(result.stdout).toContain('rel-money has no Dockerfile');
    expect(await tagsIn('rel-money')).toBeUndefined();
  });

  it('the released image runs healthy and carries its version', async () => {
    const version = (await versionOf('rel-orders'))!;
    const { image, digest } = metadata('rel-orders');
    await removeImages(`${image}:${version}`);
    await ws.run('docker', ['pull', '--quiet', '--platform', 'linux/amd64', `${image}:${version}`]);
    const label = await ws.run('docker', ['image', 'inspect', '--format', '{{index .Config.Labels "org.opencontainers.image.version"}}', `${image}:${version}`]);
    expect(label.stdout.trim()).toBe(version);
    const port = await freePort();
    await ws.run('docker', ['run', '--detach', '--name', container, '--publish', `127.0.0.1:${port}:8080`, `${image}@${digest}`]);
    for (let i = 0; i < 100 && (await ws.run('docker', ['inspect', '--format', '{{.State.Health.Status}}', container])).stdout.trim() !== 'healthy'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
  });

  it('a fix to one service releases and pushes only that one; the others keep their images', async () => {
    const ordersBefore = metadata('rel-orders').digest;
    const billingVersion = (await versionOf('rel-billing'))!;
    ws.write('apps/rel-billing/main.go', ws.read('apps/rel-billing/main.go').replace('package main', '// rounding fixed\npackage main'));
    await ws.commit('fix(rel-billing): rounding');
    const result = await nx('release', '--yes');
    const newVersion = (await versionOf('rel-billing'))!;
    expect(newVersion).not.toBe(billingVersion);
    expect(await tagsIn('rel-billing')).toContain(newVersion);
    expect(result.stdout).toContain('rel-orders was not versioned in this release (nothing changed it): nothing to publish.');
    expect(await digestOf('rel-orders', 'latest')).toBe(ordersBefore);
    expect(await digestOf('rel-billing', 'latest')).toBe(metadata('rel-billing').digest);
  });

  it('nx release publish on its own pushes nothing the registry already has', async () => {
    const result = await nx('release', 'publish');
    const { image, digest } = metadata('rel-billing');
    expect(result.stdout).toContain(`${image}@${digest} is already in the registry`);
    expect(result.stdout).toMatch(/No release tag of rel-orders points at this commit/);
    expect(metadata('rel-billing').pushed).toBe(false);
  });

  it('a prerelease is pushed under its exact version only: latest, major and minor stay on the stable release', async () => {
    const stable = await digestOf('rel-orders', 'latest');
    await nx('release', '3.0.0-rc.1', '--projects=rel-orders', '--yes');
    expect(await tagsIn('rel-orders')).toContain('3.0.0-rc.1');
    expect(await tagsIn('rel-orders')).not.toContain('3');
    expect(await digestOf('rel-orders', 'latest')).toBe(stable);
  });

  it('an invalid release version fails in one line and pushes nothing', async () => {
    const result = await tryNx('run', 'rel-orders:nx-release-publish', '--releaseVersion=banana');
    expect(result.code).not.toBe(0);
    expect(result.stdout + result.stderr).toContain("Invalid release version 'banana': use a semantic version such as 1.4.2 or 2.0.0-rc.1.");
    expect(await tagsIn('rel-orders')).not.toContain('banana');
  });
});
