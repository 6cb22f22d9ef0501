import { buildxArgs, classicBuildArgs } from '../../../docker';
import { buildxOnlyOptions, optionsProblem, parseSecret, withDefaults } from './build-args';

const git = { commit: 'a'.repeat(40), shortCommit: 'aaaaaaa', commitDate: '2026-11-25T08:00:00+00:00', describe: 'aaaaaaa' };
const base = { file: '/ws/apps/svc/Dockerfile', context: '/ws/apps/svc' };

describe('docker-build options', () => {
  it('tags <project>:latest and <project>:<short sha> and passes the revision as build args', () => {
    const options = withDefaults(base, 'svc', git);
    expect(options.tags).toEqual(['svc:latest', 'svc:aaaaaaa']);
    expect(buildxArgs(options)).toEqual([
      'buildx', 'build', '--file', '/ws/apps/svc/Dockerfile',
      '--tag', 'svc:latest', '--tag', 'svc:aaaaaaa',
      '--build-arg', 'VERSION=aaaaaaa',
      '--build-arg', `GIT_COMMIT=${'a'.repeat(40)}`,
      '--build-arg', 'BUILD_DATE=2026-11-25T08:00:00+00:00',
      '--build-arg', 'SOURCE_DATE_EPOCH=1795593600',
      '--output', 'type=docker,compression=uncompressed', '--provenance=false', '/ws/apps/svc',
    ]);
  });

  it("loads an image uncompressed from the engine's builder, at gzip level 1 from another; one it also pushes keeps --load and the default level", () => {
    expect(buildxArgs(withDefaults(base, 'svc', git))).toContain('type=docker,compression=uncompressed');
    expect(buildxArgs(withDefaults({ ...base, builder: 'remote' }, 'svc', git))).toContain('type=docker,compression=gzip,compression-level=1');
    const both = buildxArgs(withDefaults({ ...base, load: true, push: true }, 'svc', git));
    expect(both).toEqual(expect.arrayContaining(['--load', '--push']));
    expect(both.join(' ')).not.toContain('compression');
  });

  it('attests provenance (mode=max) when pushing unless told otherwise, never by default when loading', () => {
    expect(withDefaults({ ...base, push: true }, 'svc', git).provenance).toBe('mode=max');
    expect(withDefaults({ ...base, push: true, provenance: false }, 'svc', git).provenance).toBe('false');
    expect(withDefaults({ ...base, provenance: 'mode=min' }, 'svc', git).provenance).toBe('mode=min');
    expect(withDefaults(base, 'svc', git).provenance).toBe('false');
  });

  it('outside git tags latest only and passes no revision args', () => {
    const options = withDefaults(base, 'svc', undefined);
    expect(options.tags).toEqual(['svc:latest']);
    expect(options.buildArgs).toEqual({});
  });

  it('maps every option to its buildx flag and lets buildArgs override the revision', () => {
    const options = withDefaults(
      {
        ...base,
        tags: ['registry.local:5000/acme/svc:1.0'],
        buildArgs: { VERSION: '1.0.0', GO_IMAGE: 'golang:1.24-alpine' },
        labels: { 'org.opencontainers.image.vendor': 'Acme' },
        platforms: ['linux/amd64', 'linux/arm64'],
        target: 'build',
        cacheFrom: ['type=local,src=/tmp/c'],
        cacheTo: ['type=local,dest=/tmp/c'],
        secrets: ['id=netrc,src=/home/me/.netrc'],
        pull: true,
        noCache: true,
        builder: 'ci',
        push: true,
        metadataFile: '/tmp/meta.json',
      },
      'svc',
      git,
    );
    const args = buildxArgs(options);
    expect(args).toEqual([
      'buildx', 'build', '--file', '/ws/apps/svc/Dockerfile',
      '--tag', 'registry.local:5000/acme/svc:1.0',
      '--build-arg', 'VERSION=1.0.0',
      '--build-arg', `GIT_COMMIT=${'a'.repeat(40)}`,
      '--build-arg', 'BUILD_DATE=2026-11-25T08:00:00+00:00',
      '--build-arg', 'SOURCE_DATE_EPOCH=1795593600',
      '--build-arg', 'GO_IMAGE=golang:1.24-alpine',
      '--label', 'org.opencontainers.image.vendor=Acme',
      '--platform', 'linux/amd64,linux/arm64',
      '--target', 'build',
      '--cache-from', 'type=local,src=/tmp/c',
      '--cache-to', 'type=local,dest=/tmp/c',
      '--secret', 'id=netrc,src=/home/me/.netrc',
      '--pull', '--no-cache', '--builder', 'ci', '--push', '--provenance=mode=max',
      '--metadata-file', '/tmp/meta.json',
      '/ws/apps/svc',
    ]);
    expect(options.load).toBe(false);
    expect(buildxOnlyOptions(options)).toEqual(['platforms (more than one)', 'cacheTo', 'builder', 'push', 'metadataFile']);
  });

  it('keeps shell metacharacters in build args as one literal argument', () => {
    const value = `x; rm -rf / $(id) "q" 'q' \`id\``;
    const args = buildxArgs(withDefaults({ ...base, buildArgs: { NOTE: value } }, 'svc', undefined));
    expect(args).toContain(`NOTE=${value}`);
  });

  it('passes build args and labels that Nx parsed into numbers or booleans as text', () => {
    const args = buildxArgs(withDefaults({ ...base, buildArgs: { VERSION: 1, DEBUG: false }, labels: { tier: 2 } }, 'svc', undefined));
    expect(args).toEqual(expect.arrayContaining(['VERSION=1', 'DEBUG=false', 'tier=2']));
  });

  it('falls back to docker build with the same flags but no --load', () => {
    const args = classicBuildArgs(withDefaults(base, 'svc', undefined));
    expect(args).toEqual(['build', '--file', '/ws/apps/svc/Dockerfile', '--tag', 'svc:latest', '/ws/apps/svc']);
  });

  it.each([
    [{ tags: ['my svc:latest'] }, "Invalid image tag 'my svc:latest'"],
    [{ tags: ['svc;rm -rf /'] }, "Invalid image tag 'svc;rm -rf /'"],
    [{ tags: ['Svc:latest'] }, "Invalid image tag 'Svc:latest'"],
    [{ buildArgs: { 'BAD NAME': 'x' } }, "Invalid build arg name 'BAD NAME'"],
    [{ labels: { 'a b': 'x' } }, "Invalid label name 'a b'"],
    [{ platforms: ['arm64'] }, "Invalid platform 'arm64'"],
    [{ secrets: ['src=/home/me/.netrc'] }, "Invalid secret 'src=/home/me/.netrc'"],
    [{ secrets: ['id=netrc,path=/home/me/.netrc'] }, "Invalid secret 'id=netrc,path=/home/me/.netrc'"],
  ])('rejects %j with a one-line message', (bad, message) => {
    const problem = optionsProblem(withDefaults({ ...base, ...bad }, 'svc', undefined));
    expect(problem).toContain(message);
    expect(problem).not.toContain('\n');
  });

  it('reads secrets as buildx does: an id, and a file or an environment variable', () => {
    expect(parseSecret('id=netrc,src=/home/me/.netrc')).toEqual({ id: 'netrc', src: '/home/me/.netrc' });
    expect(parseSecret('type=file,id=npm,source=.npmrc')).toEqual({ id: 'npm', src: '.npmrc' });
    expect(parseSecret('id=token,env=GH_TOKEN')).toEqual({ id: 'token', env: 'GH_TOKEN' });
    expect(parseSecret('id=a=b,src=x')).toEqual({ id: 'a=b', src: 'x' });
    expect(parseSecret('src=/x')).toBeUndefined();
    expect(parseSecret('id=')).toBeUndefined();
  });

  it('accepts valid references', () => {
    for (const tag of ['svc', 'svc:latest', 'ghcr.io/acme/orders-api:1.2.3', 'localhost:5000/a/b_c:v1.0-rc.1']) {
      expect(optionsProblem(withDefaults({ ...base, tags: [tag] }, 'svc', undefined))).toBeUndefined();
    }
  });
});
