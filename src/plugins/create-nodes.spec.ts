import type { CreateNodesContextV2, TargetConfiguration } from '@nx/devkit';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createNodesV2 } from './create-nodes';

describe('createNodesV2', () => {
  let workspaceRoot: string;
  const context = (): CreateNodesContextV2 => ({ workspaceRoot, nxJsonConfiguration: {} });
  const write = (path: string, content: string) => {
    mkdirSync(join(workspaceRoot, path, '..'), { recursive: true });
    writeFileSync(join(workspaceRoot, path), content);
  };
  const targetsOf = async (options = {}) => {
    const [, createNodes] = createNodesV2;
    const results = await createNodes(['apps/svc/go.mod', 'libs/util/go.mod'], options, context());
    const byRoot = Object.fromEntries(results.map(([file, result]) => [file, result.projects ?? {}]));
    return (root: string): Record<string, TargetConfiguration> => byRoot[`${root}/go.mod`][root].targets ?? {};
  };

  beforeEach(() => {
    workspaceRoot = mkdtempSync(join(tmpdir(), 'nx-go-docker-nodes-'));
    write('apps/svc/go.mod', 'module example.com/svc\n\ngo 1.24\n');
    write('apps/svc/main.go', '// Command svc.\npackage main\n\nfunc main() {}\n');
    write('apps/svc/Dockerfile', 'FROM scratch\nEXPOSE 9090\n');
    write('apps/svc/compose.yaml', 'services: {}\n');
    write('libs/util/go.mod', 'module example.com/util\n\ngo 1.24\n');
    write('libs/util/util.go', 'package util\n');
  });
  afterEach(() => rmSync(workspaceRoot, { recursive: true, force: true }));

  it('names every project uniquely and the same on every checkout, keeping names that project.json or package.json give', async () => {
    const modules: Record<string, string> = {
      '.': 'go.etcd.io/etcd/v3',
      pkg: 'go.etcd.io/etcd/pkg/v3',
      'client/pkg': 'go.etcd.io/etcd/client/pkg/v3',
      'client/v3': 'go.etcd.io/etcd/client/v3',
      'server/pkg': 'go.etcd.io/etcd/server/pkg',
      'pdata/testdata': 'go.opentelemetry.io/collector/pdata/testdata',
      'tools/mod': 'go.etcd.io/etcd/tools/v3',
    };
    for (const [root, module] of Object.entries(modules)) write(`${root}/go.mod`, `module ${module}\n\ngo 1.24\n`);
    write('tools/mod/package.json', '{ "name": "etcd-tools" }');
    const [, createNodes] = createNodesV2;
    const files = Object.keys(modules).map((root) => (root === '.' ? 'go.mod' : `${root}/go.mod`));
    const results = await createNodes(files, {}, context());
    const names = Object.fromEntries(results.flatMap(([, result]) => Object.entries(result.projects ?? {}).map(([root, p]) => [root, p.name])));
    expect(names).toEqual({
      '.': 'etcd',
      pkg: 'pkg',
      'client/pkg': 'client-pkg',
      'client/v3': 'client',
      'server/pkg': 'server-pkg',
      'pdata/testdata': 'testdata',
      'tools/mod': 'etcd-tools',
    });
  });

  describe('a single-module repository', () => {
    const projectsOf = async (files: string[], options = {}) => {
      const [, createNodes] = createNodesV2;
      const results = await createNodes(files, options, context());
      return Object.fromEntries(results.flatMap(([, result]) => Object.entries(result.projects ?? {})));
    };

    beforeEach(() => {
      rmSync(join(workspaceRoot, 'apps'), { recursive: true });
      rmSync(join(workspaceRoot, 'libs'), { recursive: true });
      write('go.mod', 'module github.com/acme/shop\n\ngo 1.26\n');
      write('cmd/api/main.go', 'package main\n\nfunc main() {}\n');
      write('cmd/api/Dockerfile', 'FROM scratch\n');
      write('cmd/worker/main.go', 'package main\n\nfunc main() {}\n');
      write('cmd/README.md', '# commands\n');
      write('internal/db/db.go', 'package db\n');
      write('internal/db/db_test.go', 'package db\n');
      write('internal/only-tests/x_test.go', 'package x\n');
      write('pkg/money/money.go', 'package money\n');
      write('tools/gen/main.go', 'package main\n\nfunc main() {}\n');
    });

    it('makes each command and each top-level internal and pkg package a project, the module keeping the rest', async () => {
      const projects = await projectsOf(['go.mod']);
      expect(Object.fromEntries(Object.entries(projects).map(([root, p]) => [root, p.name]))).toEqual({
        '.': 'shop',
        'cmd/api': 'api',
        'cmd/worker': 'worker',
        'internal/db': 'db',
        'pkg/money': 'money',
      });
      expect(Object.keys(projects['cmd/api'].targets!)).toEqual(['build', 'serve', 'test', 'vet', 'docker-build', 'docker-push', 'docker-run', 'nx-release-publish']);
      expect(Object.keys(projects['internal/db'].targets!)).toEqual(['build', 'test', 'vet']);
      expect(projects['.'].targets!.tidy).toBeDefined();
      // The module's go.mod and go.sum are inputs: a requirement change reaches every package.
      expect(projects['cmd/api'].targets!.build.inputs).toEqual(expect.arrayContaining(['{workspaceRoot}/go.mod', '{workspaceRoot}/go.sum']));
    });

    it('takes other package folders from the packageProjects option, and a folder with a project.json and Go files', async () => {
      write('tools/gen/project.json', '{ "name": "codegen" }');
      const projects = await projectsOf(['go.mod', 'tools/gen/project.json'], { packageProjects: ['cmd/*'] });
      expect(Object.fromEntries(Object.entries(projects).map(([root, p]) => [root, p.name]))).toEqual({
        '.': 'shop',
        'cmd/api': 'api',
        'cmd/worker': 'worker',
        'tools/gen': undefined,
      });
      expect(projects['tools/gen'].targets!.serve).toBeDefined();
    });

    it('leaves a project.json without Go files, or outside every module, to other plugins', async () => {
      write('web/project.json', '{ "name": "web" }');
      rmSync(join(workspaceRoot, 'go.mod'));
      write('svc/go.mod', 'module example.com/svc\n');
      write('elsewhere/project.json', '{ "name": "x" }');
      write('elsewhere/main.go', 'package main\n');
      const projects = await projectsOf(['svc/go.mod', 'web/project.json', 'elsewhere/project.json']);
      expect(Object.keys(projects)).toEqual(['svc']);
    });
  });

  it('infers go targets for every go.mod, docker targets where a Dockerfile or compose.yaml is', async () => {
    const targets = await targetsOf();
    expect(Object.keys(targets('apps/svc')).sort()).toEqual(
      ['build', 'compose-down', 'compose-up', 'docker-build', 'docker-push', 'docker-run', 'nx-release-publish', 'serve', 'test', 'tidy', 'vet'].sort(),
    );
    expect(Object.keys(targets('libs/util')).sort()).toEqual(['build', 'nx-release-publish', 'test', 'tidy', 'vet']);
  });

  it('gives every target a description, and cacheable ones inputs and outputs', async () => {
    const targets = await targetsOf();
    for (const [name, target] of Object.entries(targets('apps/svc'))) {
      expect([name, typeof target.metadata?.description]).toEqual([name, 'string']);
      if (target.cache) {
        expect(target.inputs?.length).toBeGreaterThan(0);
        expect(target.outputs).toBeDefined();
      }
    }
    expect(targets('apps/svc').tidy.cache).toBe(false);
    expect(targets('apps/svc').build.outputs).toEqual(['{workspaceRoot}/dist/{projectRoot}']);
  });

  it('follows Nx conventions: a continuous serve for commands, help and target groups', async () => {
    const [, createNodes] = createNodesV2;
    const [[, result]] = await createNodes(['apps/svc/go.mod'], {}, context());
    const svc = result.projects!['apps/svc'];
    expect(svc.targets!.serve).toMatchObject({ options: { args: ['run', '.'] }, continuous: true, cache: false });
    expect(svc.targets!['docker-run'].continuous).toBeUndefined(); // --detach returns once healthy
    expect(svc.targets!['docker-build'].metadata?.help?.command).toBe('docker buildx build --help');
    expect(svc.targets!.test.metadata?.help?.command).toBe('go help test');
    expect(svc.metadata?.targetGroups).toEqual({
      Go: ['build', 'serve', 'test', 'vet', 'tidy'],
      Docker: ['docker-build', 'docker-push', 'docker-run', 'compose-up', 'compose-down'],
    });
    expect(Object.keys((await targetsOf())('libs/util'))).not.toContain('serve');
  });

  it('versions modules and images with nx release by git tag; a package inside a module is not released', async () => {
    const [, createNodes] = createNodesV2;
    const [[, result]] = await createNodes(['apps/svc/go.mod'], { registry: 'ghcr.io/acme' }, context());
    const svc = result.projects!['apps/svc'];
    expect(svc.release).toEqual({ version: { versionActions: 'nx-go-docker/dist/release/version-actions', currentVersionResolver: 'git-tag' } });
    expect(svc.targets!['nx-release-publish']).toMatchObject({
      executor: 'nx-go-docker:release-publish',
      options: { file: '{projectRoot}/Dockerfile', context: '{projectRoot}', registry: 'ghcr.io/acme' },
    });
    const [[, lib]] = await createNodes(['libs/util/go.mod'], {}, context());
    expect(lib.projects!['libs/util'].release).toBeDefined();
    expect(lib.projects!['libs/util'].targets!['nx-release-publish'].options).toBeUndefined();
  });

  it('gives docker-push the registry and platforms of the plugin options, its metadata file as output', async () => {
    const [, createNodes] = createNodesV2;
    const [[, result]] = await createNodes(['apps/svc/go.mod'], { registry: 'ghcr.io/acme', platforms: ['linux/arm64'] }, context());
    const push = result.projects!['apps/svc'].targets!['docker-push'];
    expect(push.options).toEqual({ file: '{projectRoot}/Dockerfile', context: '{projectRoot}', registry: 'ghcr.io/acme', platforms: ['linux/arm64'] });
    expect(push.outputs).toEqual(['{workspaceRoot}/dist/docker/{projectName}.json']);
    expect(push.inputs).toContainEqual({ runtime: 'git rev-parse HEAD' });
  });

  describe('how images build, from the plugin options', () => {
    const prebuiltDockerfile = 'ARG GO_IMAGE=golang:1.26-alpine\nARG ROOTFS=build\nFROM ${GO_IMAGE} AS build\nFROM scratch AS prebuilt\nFROM ${ROOTFS} AS rootfs\nFROM scratch\n';
    const imageTargets = ['docker-build', 'docker-push', 'nx-release-publish'];

    it('gives every image target the builder and a registry layer cache beside the image', async () => {
      const targets = (await targetsOf({ builder: 'shared', layerCache: 'registry', registry: '127.0.0.1:5000/acme' }))('apps/svc');
      for (const target of imageTargets) {
        expect(targets[target].options).toMatchObject({
          builder: 'shared',
          cacheFrom: ['type=registry,ref=127.0.0.1:5000/acme/svc:buildcache'],
          cacheTo: ['type=registry,ref=127.0.0.1:5000/acme/svc:buildcache,mode=max,ignore-error=true'],
        });
      }
    });

    it('keeps a local layer cache per project in a CI cache folder, and names the GitHub Actions scope', async () => {
      const local = (await targetsOf({ layerCache: 'local', layerCacheDir: '/ci/cache/' }))('apps/svc')['docker-build'];
      expect(local.options.cacheFrom).toEqual(['type=local,src=/ci/cache/svc']);
      expect(local.options.cacheTo).toEqual(['type=local,dest=/ci/cache/svc,mode=max,ignore-error=true']);
      const gha = (await targetsOf({ layerCache: 'gha' }))('apps/svc')['docker-build'];
      expect(gha.options.cacheFrom).toEqual(['type=gha,scope=svc']);
    });

    it('refuses a registry layer cache without a registry, and an unknown kind, saying what to set', async () => {
      await expect(targetsOf({ layerCache: 'registry' })).rejects.toThrow(/set "registry"/);
      await expect(targetsOf({ layerCache: 's3' })).rejects.toThrow(/use "registry", "local" or "gha"/);
    });

    it('with goBuild "nx" assembles the image from binaries docker-binary compiles and Nx caches', async () => {
      write('apps/svc/Dockerfile', prebuiltDockerfile);
      const targets = (await targetsOf({ goBuild: 'nx', platforms: ['linux/amd64'] }))('apps/svc');
      expect(targets['docker-binary']).toMatchObject({ executor: 'nx-go-docker:docker-binary', options: { platforms: ['linux/amd64'] }, cache: true });
      expect(targets['docker-binary'].outputs).toEqual(['{workspaceRoot}/dist/{projectRoot}/docker-binary']);
      expect(targets['docker-binary'].inputs).toEqual(expect.arrayContaining(['!{projectRoot}/**/*_test.go', '{projectRoot}/**/*.go', { runtime: 'go version' }, { runtime: 'git rev-parse HEAD' }]));
      for (const target of imageTargets) {
        expect(targets[target].dependsOn).toEqual(['docker-binary']);
        expect(targets[target].options).toMatchObject({ buildArgs: { ROOTFS: 'prebuilt' }, buildContexts: { binaries: 'dist/{projectRoot}/docker-binary' } });
      }
    });

    it('builds in Docker by default, and a Dockerfile without a prebuilt stage in Docker whatever goBuild says', async () => {
      write('apps/svc/Dockerfile', prebuiltDockerfile);
      expect((await targetsOf())('apps/svc')['docker-binary']).toBeUndefined();
      write('apps/svc/Dockerfile', 'FROM scratch\n');
      const targets = (await targetsOf({ goBuild: 'nx' }))('apps/svc');
      expect(targets['docker-binary']).toBeUndefined();
      expect(targets['docker-build'].dependsOn).toBeUndefined();
      expect(targets['docker-build'].options.buildArgs).toBeUndefined();
    });
  });

  it('builds a command into dist/ and only compiles a library', async () => {
    const targets = await targetsOf();
    expect(targets('apps/svc').build.options).toEqual({ args: ['build', '-trimpath', '.'], outputPath: 'dist/{projectRoot}' });
    expect(targets('libs/util').build.options).toEqual({ args: ['build', './...'] });
    expect(targets('libs/util').build.outputs).toEqual([]);
  });

  it('builds a generated Dockerfile from the workspace root, kept in sync, cached while its image exists', async () => {
    write('apps/svc/Dockerfile', 'FROM scratch\n# nx-go-docker:modules begin\n# nx-go-docker:modules end\nEXPOSE 9090\n');
    write('apps/svc/project.json', JSON.stringify({ name: 'svc-api' }));
    const build = (await targetsOf())('apps/svc')['docker-build'];
    expect(build.options.context).toBe('.');
    expect(build.syncGenerators).toEqual(['nx-go-docker:sync-docker-context']);
    expect(build.cache).toBe(true);
    expect(build.inputs).toContainEqual({ runtime: 'docker image inspect --format {{.Id}} svc-api:latest 2>/dev/null || date +%s%N' });
  });

  it('builds a hand-written Dockerfile from the project folder', async () => {
    const build = (await targetsOf())('apps/svc')['docker-build'];
    expect(build.options.context).toBe('{projectRoot}');
    expect(build.syncGenerators).toBeUndefined();
  });

  it('publishes the EXPOSEd port and makes docker-run depend on docker-build', async () => {
    const run = (await targetsOf())('apps/svc')['docker-run'];
    expect(run.options).toEqual({ port: 9090 });
    expect(run.dependsOn).toEqual(['docker-build']);
  });

  it('renames targets through the plugin options', async () => {
    const targets = await targetsOf({ buildTargetName: 'go-build', dockerBuildTargetName: 'image', dockerRunTargetName: 'start' });
    expect(targets('apps/svc')).toHaveProperty('go-build');
    expect(targets('apps/svc')).toHaveProperty('image');
    expect(targets('apps/svc').start.dependsOn).toEqual(['image']);
  });
});
