import { Tree, logger, readProjectConfiguration, writeJson } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { detectGoMinorVersion, pinnedGoVersion } from '../../utils/go-toolchain';
import { goServiceGenerator } from './go-service';
import type { GoServiceGeneratorSchema } from './schema';

/** Files by concern; the Postgres ones only with postgres (the default). */
const stdlibFiles = ['Dockerfile', 'Dockerfile.dockerignore', 'README.md', 'compose.yaml', 'config.go', 'go.mod', 'main.go', 'main_test.go', 'project.json', 'server.go'];
const postgresFiles = ['go.sum', 'items.go', 'items_test.go', 'migrate.go', 'migrations', 'store.go', 'store_test.go'];

describe('go-service generator', () => {
  let tree: Tree;
  const generate = (options: Partial<GoServiceGeneratorSchema> = {}) =>
    goServiceGenerator(tree, { name: 'orders', goVersion: '1.26', ...options });
  const read = (path: string) => tree.read(path, 'utf-8') ?? '';

  beforeEach(() => {
    tree = createTreeWithEmptyWorkspace();
  });

  it('writes the service files under apps/<name> and registers the project', async () => {
    await generate({ tags: 'scope:orders, type:service' });
    expect(tree.children('apps/orders').sort()).toEqual([...stdlibFiles, ...postgresFiles].sort());
    expect(tree.children('apps/orders/migrations')).toEqual(['0001_create_items.sql']);
    expect(readProjectConfiguration(tree, 'orders')).toMatchObject({
      name: 'orders',
      root: 'apps/orders',
      projectType: 'application',
      tags: ['scope:orders', 'type:service'],
    });
  });

  it('registers the service in the workspace go.work, creating it when absent', async () => {
    await generate();
    expect(read('go.work')).toBe('go 1.26\n\nuse (\n\t./apps/orders\n)\n');
    await generate({ name: 'billing' });
    expect(read('go.work')).toBe('go 1.26\n\nuse (\n\t./apps/billing\n\t./apps/orders\n)\n');
  });

  it('registers the plugin in nx.json', async () => {
    await generate();
    expect(read('nx.json')).toContain('"plugin": "nx-go-docker"');
  });

  it('without postgres writes the standard library service alone: go.mod without requirements, no go.sum', async () => {
    await generate({ module: 'github.com/acme/orders', goVersion: '1.23.5', postgres: false });
    expect(tree.children('apps/orders').sort()).toEqual(stdlibFiles);
    expect(read('apps/orders/go.mod')).toBe('module github.com/acme/orders\n\ngo 1.23.5\n');
  });

  it('with postgres pins pgx and its modules in go.mod and go.sum, so the first build needs no go mod tidy', async () => {
    await generate({ module: 'github.com/acme/orders' });
    expect(read('apps/orders/go.mod')).toMatch(/^require github\.com\/jackc\/pgx\/v5 v5\.\d+\.\d+$/m);
    const required = [...read('apps/orders/go.mod').matchAll(/^\s*(?:require )?([a-z0-9./-]+) (v\S+)/gm)].map(([, path, version]) => `${path} ${version}/go.mod`);
    const sums = read('apps/orders/go.sum');
    for (const module of required) expect(sums).toContain(module);
  });

  it('derives the module path from the repository URL, else from the workspace name', async () => {
    await generate({ name: 'api', directory: 'services/api' });
    expect(read('services/api/go.mod')).toMatch(/^module example\.com\/[a-z0-9.-]+\/services\/api$/m);

    writeJson(tree, 'package.json', { name: '@acme/mono', repository: { url: 'git+https://github.com/Acme/mono.git' } });
    await generate({ name: 'billing' });
    expect(read('apps/billing/go.mod')).toContain('module github.com/Acme/mono/apps/billing\n');
  });

  it('defaults goVersion to the installed Go minor version, else the pinned one', async () => {
    await goServiceGenerator(tree, { name: 'orders' });
    const expected = (await detectGoMinorVersion()) ?? pinnedGoVersion;
    expect(read('apps/orders/go.mod')).toContain(`go ${expected}\n`);
    expect(read('apps/orders/Dockerfile')).toContain(`ARG GO_IMAGE=golang:${expected}-alpine`);
  });

  it('takes goVersion as the number Nx makes of --goVersion=1.24, and refuses one that lost its zero', async () => {
    await generate({ goVersion: 1.24 });
    expect(read('apps/orders/go.mod')).toContain('go 1.24\n');
    await expect(generate({ name: 'billing', goVersion: 1.3 })).rejects.toThrow(
      'Go version 1.3 arrived as a number, which drops a trailing zero (1.30 becomes 1.3): pass it with a patch release, e.g. --goVersion=1.30.0.',
    );
  });

  it('warns about a Go release the Go team no longer supports, naming the newest', async () => {
    const warn = jest.spyOn(logger, 'warn').mockImplementation(() => undefined);
    try {
      await generate({ name: 'current', goVersion: '1.25' });
      expect(warn).not.toHaveBeenCalled();
      await generate({ name: 'outdated', goVersion: '1.24' });
      expect(warn).toHaveBeenCalledWith(
        'Go 1.24 no longer gets security fixes (supported: Go 1.25 and 1.26); an image built with it carries known standard-library vulnerabilities. Use --goVersion=1.26.',
      );
      expect(read('apps/outdated/go.mod')).toContain('go 1.24\n');
    } finally {
      warn.mockRestore();
    }
  });

  it('puts the port in main.go, the Dockerfile and compose.yaml', async () => {
    await generate({ port: 9090 });
    expect(read('apps/orders/config.go')).toContain('9090');
    expect(read('apps/orders/Dockerfile')).toMatch(/^EXPOSE 9090$/m);
    expect(read('apps/orders/compose.yaml')).toContain(':9090');
  });

  describe('Dockerfile', () => {
    it('builds a static, trimmed, stripped binary with cache mounts and revision build args', async () => {
      await generate();
      const dockerfile = read('apps/orders/Dockerfile');
      expect(dockerfile).not.toMatch(/^# syntax=/m);
      expect(dockerfile).toMatch(/^FROM --platform=\$BUILDPLATFORM \$\{GO_IMAGE\} AS build$/m);
      expect(dockerfile).toContain('--mount=type=cache,target=/go/pkg/mod');
      expect(dockerfile).toContain('--mount=type=cache,target=/root/.cache/go-build');
      expect(dockerfile).toContain('CGO_ENABLED=0');
      expect(dockerfile).toContain('GOOS=$TARGETOS');
      expect(dockerfile).toContain('GOARCH=$TARGETARCH');
      expect(dockerfile).toContain('-trimpath');
      // Single quotes keep a VERSION with spaces as one -X flag for the Go linker.
      expect(dockerfile).toContain(
        `-ldflags "-s -w -X 'main.version=\${VERSION}' -X 'main.commit=\${GIT_COMMIT}' -X 'main.buildDate=\${BUILD_DATE}'"`,
      );
      expect(dockerfile).not.toMatch(/^COPY \. \./m);
    });

    it('builds from the workspace root with exactly its own module until it imports libraries', async () => {
      await generate();
      const dockerfile = read('apps/orders/Dockerfile');
      expect(dockerfile).toContain('COPY apps/orders/go.mod apps/orders/go.su[m] apps/orders/\nRUN go work init /src/apps/orders\n');
      expect(dockerfile).toMatch(/^WORKDIR \/src\/apps\/orders$/m);
      expect(read('apps/orders/Dockerfile.dockerignore')).toMatch(/^\*\n# nx-go-docker:modules begin\n!apps\/orders\n# nx-go-docker:modules end$/m);
      expect(read('apps/orders/compose.yaml')).toMatch(/context: \.\.\/\.\.\/\n\s+dockerfile: apps\/orders\/Dockerfile/);
    });

    it.each([
      ['scratch', /^FROM scratch$/m],
      ['distroless', /^FROM gcr\.io\/distroless\/static-debian12:nonroot$/m],
      ['alpine', /^FROM alpine:3\.21$/m],
    ] as const)('ships the %s runtime as a non-root, self-checking, labelled image', async (runtime, from) => {
      await generate({ runtime });
      const dockerfile = read('apps/orders/Dockerfile');
      const finalStage = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
      expect(finalStage).toMatch(from);
      expect(finalStage).toMatch(/^USER 65532:65532$/m);
      expect(finalStage).toMatch(/^ENTRYPOINT \["\/app"\]$/m);
      expect(finalStage).toMatch(/^HEALTHCHECK .*CMD \["\/app", ?"healthcheck"\]$/m);
      // Probed often while it starts, rarely once healthy.
      expect(finalStage).toMatch(/^HEALTHCHECK --interval=30s .*--start-interval=100ms /m);
      expect(finalStage).toContain('org.opencontainers.image.revision');
      expect(finalStage).toContain('org.opencontainers.image.version');
      expect(finalStage).toContain('org.opencontainers.image.created');
      expect(finalStage).not.toMatch(/^RUN /m);
      // Its files come from one folder whose times the build stage sets to SOURCE_DATE_EPOCH.
      expect(finalStage).toMatch(/^COPY --from=rootfs \/rootfs\/ \/$/m);
      const gather = dockerfile.slice(dockerfile.indexOf('go build'), dockerfile.lastIndexOf('FROM '));
      expect(gather).toContain('find /rootfs -exec touch -d "@${SOURCE_DATE_EPOCH}" {} +');
      if (runtime !== 'distroless') expect(gather).toContain('cp /etc/ssl/certs/ca-certificates.crt /rootfs/etc/ssl/certs/');
    });
  });

  it('keeps secrets and leftovers out of the build context but not the sources', async () => {
    await generate();
    const lines = read('apps/orders/Dockerfile.dockerignore').split('\n');
    for (const pattern of ['.git', '.env', '.env.*', '*.pem', '*.key', 'node_modules', 'dist']) {
      expect(lines.some((line) => line.trim().replace(/^\*\*\//, '') === pattern)).toBe(true);
    }
    expect(lines).not.toContain('*.go');
    expect(lines).not.toContain('go.mod');
  });

  describe('compose.yaml', () => {
    it('gates the app on a healthy Postgres and hands it DATABASE_URL', async () => {
      await generate();
      const compose = read('apps/orders/compose.yaml');
      expect(compose).toContain('condition: service_healthy');
      expect(compose).toContain('pg_isready');
      expect(compose).toContain('postgres:17');
      expect(compose).toContain('DATABASE_URL');
      expect(compose).toContain('127.0.0.1:');
      expect(compose).toContain('stop_grace_period');
      expect(compose).not.toContain('healthcheck:\n      test: ["CMD", "/app"'); // the image's HEALTHCHECK applies
      expect(compose).not.toMatch(/^version:/m);
      expect(compose).not.toMatch(/5432:5432/);
    });

    it('without postgres holds the app alone', async () => {
      await generate({ postgres: false });
      const compose = read('apps/orders/compose.yaml');
      expect(compose).not.toContain('postgres');
      expect(compose).not.toContain('depends_on');
      expect(compose).not.toContain('DATABASE_URL');
      expect(read('apps/orders/config.go')).not.toContain('DATABASE_URL');
    });
  });

  it('writes a README naming the env vars and targets', async () => {
    await generate();
    const readme = read('apps/orders/README.md');
    for (const word of ['PORT', 'SHUTDOWN_TIMEOUT', 'DATABASE_URL', 'docker-build', 'compose-up']) {
      expect(readme).toContain(word);
    }
  });

  describe('inside an existing Go module (a single-module repository)', () => {
    beforeEach(() => tree.write('go.mod', 'module github.com/acme/shop\n\ngo 1.26\n'));

    it('writes a package of that module: no go.mod or go.work entry, an image built from the module', async () => {
      await generate({ name: 'api', directory: 'cmd/api' });
      expect(tree.exists('cmd/api/main.go')).toBe(true);
      expect(tree.exists('cmd/api/go.mod')).toBe(false);
      expect(tree.exists('go.work')).toBe(false);
      expect(read('cmd/api/Dockerfile')).toContain(
        '# nx-go-docker:modules begin\nCOPY go.mod go.su[m] ./\nRUN go work init /src\n# nx-go-docker:modules end',
      );
      expect(read('cmd/api/Dockerfile')).toMatch(/^WORKDIR \/src\/cmd\/api$/m);
      expect(read('cmd/api/Dockerfile.dockerignore')).toContain('# nx-go-docker:modules begin\n!*\n# nx-go-docker:modules end');
    });

    it('refuses a --module other than the path the module gives the folder', async () => {
      await expect(generate({ name: 'api', directory: 'cmd/api', module: 'example.com/other' })).rejects.toThrow(
        'cmd/api is inside the Go module github.com/acme/shop (go.mod), so its import path is github.com/acme/shop/cmd/api: drop --module, or pick a --directory outside that module.',
      );
      expect(tree.exists('cmd/api')).toBe(false);
    });
  });

  describe('bad input: one line naming the problem and the fix, nothing written', () => {
    it.each([
      [{ name: '' }, 'name is required'],
      [{ name: '..' }, "Invalid go-service name '..'"],
      [{ name: 'a/b' }, "Invalid go-service name 'a/b'"],
      [{ name: 'my service' }, "Invalid go-service name 'my service'"],
      [{ name: 'Orders' }, "Invalid go-service name 'Orders'"],
      [{ name: '1orders' }, "Invalid go-service name '1orders'"],
      [{ name: 'orders-' }, "Invalid go-service name 'orders-'"],
      [{ name: 'func' }, "'func': it is reserved"],
      [{ name: 'internal' }, "'internal': it is reserved"],
      [{ name: 'con' }, "'con': it is reserved"],
      [{ directory: '../outside' }, "Invalid directory '../outside'"],
      [{ directory: '/tmp/orders' }, "Invalid directory '/tmp/orders'"],
      [{ directory: 'apps/../../x' }, "Invalid directory 'apps/../../x'"],
      [{ directory: 'apps/my dir' }, "Invalid directory 'apps/my dir'"],
      [{ port: 0 }, "Invalid port '0'"],
      [{ port: 65536 }, "Invalid port '65536'"],
      [{ port: 80.5 }, "Invalid port '80.5'"],
      [{ port: 'abc' as unknown as number }, "Invalid port 'abc'"],
      [{ module: 'Github.com/acme/x' }, "Invalid Go module path 'Github.com/acme/x'"],
      [{ module: 'github.com//x' }, "Invalid Go module path 'github.com//x'"],
      [{ module: 'github.com/acme/x y' }, "Invalid Go module path 'github.com/acme/x y'"],
      [{ module: '/github.com/acme' }, "Invalid Go module path '/github.com/acme'"],
      [{ goVersion: '1.24beta' }, "Invalid Go version '1.24beta'"],
      [{ goVersion: 'latest' }, "Invalid Go version 'latest'"],
      [{ goVersion: '1.21' }, 'Go 1.21 is too old'],
      [{ runtime: 'ubuntu' as never }, "Unknown runtime 'ubuntu'"],
      [{ tags: 'a b' }, "Invalid tag 'a b'"],
    ])('%j', async (bad, message) => {
      const before = tree.listChanges().length;
      const error = await generate(bad).then(() => undefined, (e: Error) => e);
      expect(error?.message).toContain(message);
      expect(error?.message).not.toContain('\n');
      expect(error?.message).toMatch(/(use|Use|pass|give|Pick|pick|remove)/);
      expect(tree.listChanges().length).toBe(before);
    });

    it('an existing project name', async () => {
      await generate();
      await expect(generate({ directory: 'apps/other' })).rejects.toThrow("A project named 'orders' already exists");
    });

    it('a non-empty folder', async () => {
      tree.write('apps/orders/notes.txt', 'keep me');
      await expect(generate()).rejects.toThrow("Directory 'apps/orders' already exists and is not empty");
      expect(read('apps/orders/notes.txt')).toBe('keep me');
    });
  });
});
