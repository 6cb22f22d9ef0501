import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exists, freePort, inspect, removeContainers, removeImages } from '../support/docker';
import { findInImage, imagePaths, removeTempDirs, tempDir, uniqueMarker } from '../support/reliability';
import { sharedWorkspace } from '../support/shared-workspace';
import { Workspace } from '../support/workspace';

interface Image {
  Config: { User: string; Env: string[]; Labels: Record<string, string> };
}

describe('hardened images', () => {
  let ws: Workspace;
  const images = ['rel-hard', 'rel-secret'];
  const containers: string[] = [];

  beforeAll(async () => {
    ws = await sharedWorkspace();
    await ws.nx('g', 'go-service', 'rel-hard');
    await ws.nx('g', 'go-service', 'rel-secret', '--no-postgres');
    await ws.commit('add rel-hard and rel-secret');
  });

  afterAll(async () => {
    removeTempDirs();
    await removeContainers(...containers);
    for (const image of images) {
      const { stdout } = await ws.run('docker', ['image', 'ls', '--format', '{{.Repository}}:{{.Tag}}', image]);
      await removeImages(...stdout.split('\n').filter(Boolean));
    }
  });

  describe('the default image', () => {
    const control = uniqueMarker('rel-version');
    const envSecret = uniqueMarker('rel-env-secret');
    const keySecret = uniqueMarker('rel-key-secret');
    let image: Image;

    beforeAll(async () => {
      // What a developer leaves in the service folder: neither may reach the image.
      ws.write('apps/rel-hard/.env', `DATABASE_PASSWORD=${envSecret}\n`);
      ws.write('apps/rel-hard/key.pem', `-----BEGIN PRIVATE KEY-----\n${keySecret}\n-----END PRIVATE KEY-----\n`);
      // The control: a value that does reach the image (the binary and a label), so the scan can find what is there.
      await ws.nx('run', 'rel-hard:docker-build', `--buildArgs.VERSION=${control}`);
      image = await inspect<Image>('image', 'rel-hard:latest');
    });

    afterAll(async () => {
      await ws.run('rm', ['apps/rel-hard/.env', 'apps/rel-hard/key.pem']);
    });

    it('runs as a numeric non-root user', async () => {
      const [uid, gid] = image.Config.User.split(':');
      expect(image.Config.User).toMatch(/^\d+:\d+$/);
      expect(Number(uid)).toBeGreaterThan(0);
      expect(Number(gid)).toBeGreaterThan(0);
      const version = await ws.run('docker', ['run', '--rm', '--entrypoint', '/app', 'rel-hard:latest', 'version']);
      expect(version.stdout).toContain(`rel-hard ${control} (commit `);
    });

    it('contains no shell', async () => {
      const paths = await imagePaths('rel-hard:latest');
      expect(paths).toContain('/app');
      expect(paths.filter((path) => /\/(sh|bash|ash|dash|zsh|busybox)$/.test(path))).toEqual([]);
      const shell = await ws.tryRun('docker', ['run', '--rm', '--entrypoint', '/bin/sh', 'rel-hard:latest', '-c', 'true']);
      expect(shell.code).not.toBe(0);
    });

    it('runs healthy with --read-only --cap-drop ALL --security-opt no-new-privileges (docker-run --args)', async () => {
      const port = await freePort();
      const name = 'rel-hard-locked-down';
      containers.push(name);
      await ws.nx(
        'run', 'rel-hard:docker-run', '--exclude-task-dependencies', '--detach', '--rm=false', `--name=${name}`, `--hostPort=${port}`,
        '--args=--read-only', '--args=--cap-drop=ALL', '--args=--security-opt=no-new-privileges',
      );
      const host = await inspect<{ ReadonlyRootfs: boolean; CapDrop: string[]; SecurityOpt: string[] }>('container', name, '{{json .HostConfig}}');
      expect(host.ReadonlyRootfs).toBe(true);
      expect(host.CapDrop).toEqual(['ALL']);
      expect(host.SecurityOpt).toEqual(['no-new-privileges']);
      // Its HEALTHCHECK (/app healthcheck: GET /healthz from inside) passes under these restrictions.
      expect(await inspect<string>('container', name, '{{json .State.Health.Status}}')).toBe('healthy');
      // Its processes (the app, and a health check now and then), as the host kernel sees them.
      const top = await ws.run('docker', ['top', name, '-o', 'pid,uid']);
      const uids = top.stdout.trim().split('\n').slice(1).map((line) => line.trim().split(/\s+/)[1]);
      expect(uids.length).toBeGreaterThan(0);
      expect(uids.every((uid) => uid === image.Config.User.split(':')[0])).toBe(true);
      await ws.run('docker', ['stop', name]);
      expect(await inspect<number>('container', name, '{{json .State.ExitCode}}')).toBe(0);
    });

    it('a .env and a key.pem in the service folder reach no layer, config or history', async () => {
      expect(ws.exists('apps/rel-hard/.env') && ws.exists('apps/rel-hard/key.pem')).toBe(true);
      const found = await findInImage('rel-hard:latest', [control, envSecret, keySecret]);
      expect(found[control]).toEqual(expect.arrayContaining(['config', expect.stringMatching(/:\/app$/)]));
      expect(found[envSecret]).toEqual([]);
      expect(found[keySecret]).toEqual([]);
    });
  });

  it('a build secret (secrets option -> --secret) is readable during the build and reaches no layer, config or history', async () => {
    const secret = uniqueMarker('rel-build-token');
    const tokenFile = join(tempDir('rel-secret-'), 'token');
    writeFileSync(tokenFile, secret);
    const digest = createHash('sha256').update(secret).digest('hex');

    // A build step that needs the secret, as fetching private modules would: it records the
    // secret's digest, which the final image carries as proof that the secret was there.
    // BuildKit leaves secret contents out of its cache key, so the step names this run to
    // rerun (a rotated secret needs --noCache for the same reason).
    const dockerfile = ws.read('apps/rel-secret/Dockerfile');
    const step = `RUN --mount=type=secret,id=rel_token sha256sum /run/secrets/rel_token | cut -d' ' -f1 > /secret.sha256 # ${uniqueMarker('run')}`;
    const withSecretStep = dockerfile
      .replace(/^(FROM .* AS build\n)/m, `$1${step}\n`)
      .replace(/^(COPY --from=rootfs \/rootfs\/ \/\n)/m, `COPY --from=build /secret.sha256 /secret.sha256\n$1`);
    expect(withSecretStep.match(/secret\.sha256/g)).toHaveLength(3);
    ws.write('apps/rel-secret/Dockerfile', withSecretStep);
    // Secrets with a src go in project.json: on the command line Nx splits arrays at commas.
    const project = JSON.parse(ws.read('apps/rel-secret/project.json'));
    project.targets = { 'docker-build': { options: { secrets: [`id=rel_token,src=${tokenFile}`] } } };
    ws.write('apps/rel-secret/project.json', JSON.stringify(project, null, 2));

    await ws.nx('run', 'rel-secret:docker-build');

    const found = await findInImage('rel-secret:latest', [secret, digest]);
    expect(found[digest]).toEqual([expect.stringMatching(/:\/secret\.sha256$/)]);
    expect(found[secret]).toEqual([]);
    expect(await exists('image', 'rel-secret:latest')).toBe(true);
  });
});
