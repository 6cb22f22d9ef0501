import { join } from 'node:path';
import { exists, removeImages } from './support/docker';
import { PrivateGoProxy, privateGoProxy } from './support/private-goproxy';
import { findInImage } from './support/reliability';
import { adoptedWorkspace } from './support/shared-workspace';
import { Workspace } from './support/workspace';

/**
 * A service that imports a private module from a company proxy that demands credentials: the
 * generated Dockerfile takes GOPROXY and GONOSUMDB as build args, and the credentials (a
 * netrc) and the CA of the proxy's certificate as secrets (docker-build's `secrets`), which
 * reach `go mod download` and no layer.
 */
describe('private Go modules: an HTTPS GOPROXY behind basic auth, its netrc and CA as build secrets', () => {
  let ws: Workspace;
  let proxy: PrivateGoProxy;
  const project = 'priv-svc';
  const password = `s3cret-${process.pid}-${Date.now()}`;
  const tryNx = (...args: string[]) => ws.tryRun(join(ws.root, 'node_modules', '.bin', 'nx'), args);

  beforeAll(async () => {
    ws = await adoptedWorkspace('private-modules-ws', 'acme-private', {});
    // The Docker bridge's gateway: the host as a build container sees it.
    const gateway = (await ws.run('docker', ['network', 'inspect', 'bridge', '--format', '{{(index .IPAM.Config 0).Gateway}}'])).stdout.trim();
    proxy = await privateGoProxy(gateway, 'nx', password);
    await ws.run(join(ws.root, 'node_modules', '.bin', 'nx'), ['g', 'nx-go-docker:go-service', project, '--no-postgres']);
    const root = `apps/${project}`;
    ws.write(`${root}/greet.go`, `package main\n\nimport "${proxy.module}"\n\n// greeting comes from the private module.\nvar greeting = greet.Hello()\n`);
    ws.write(`${root}/go.mod`, `${ws.read(`${root}/go.mod`)}\nrequire ${proxy.module} ${proxy.version}\n`);
    // go.sum as a developer's machine writes it, with the same credentials in a netrc.
    const goEnv = { GOPROXY: proxy.url, GONOSUMDB: 'example.test', NETRC: proxy.netrc, SSL_CERT_FILE: proxy.caFile, GOWORK: 'off', GOFLAGS: '-mod=mod' };
    await ws.run('go', ['mod', 'tidy'], { cwd: join(ws.root, root), env: goEnv });
    const projectJson = JSON.parse(ws.read(`${root}/project.json`));
    projectJson.targets = {
      ...projectJson.targets,
      'docker-build': {
        options: { buildArgs: { GOPROXY: proxy.url, GONOSUMDB: 'example.test' }, secrets: [`id=netrc,src=${proxy.netrc}`, `id=ca-certificates,src=${proxy.caFile}`] },
      },
    };
    ws.write(`${root}/project.json`, JSON.stringify(projectJson, null, 2) + '\n');
    await ws.commit('a service on a private module');
  });

  afterAll(async () => {
    await proxy?.close();
    await removeImages(`${project}:latest`, `${project}:nosecret`);
  });

  it('builds with the netrc secret, and the credentials are in no layer, config or history', async () => {
    const refusedBefore = proxy.refused();
    const result = await tryNx('run', `${project}:docker-build`, '--skip-nx-cache');
    expect({ code: result.code, output: result.code === 0 ? '' : result.stdout + result.stderr }).toEqual({ code: 0, output: '' });
    expect(await exists('image', `${project}:latest`)).toBe(true);
    expect(proxy.refused()).toBe(refusedBefore); // every request carried the credentials
    expect(await findInImage(`${project}:latest`, [password])).toEqual({ [password]: [] });
  });

  it('without the secret the proxy refuses the download and the build fails at go mod download', async () => {
    const projectJson = JSON.parse(ws.read(`apps/${project}/project.json`));
    // The CA stays: only the credentials are missing.
    projectJson.targets['docker-build'].options.secrets = [`id=ca-certificates,src=${proxy.caFile}`];
    ws.write(`apps/${project}/project.json`, JSON.stringify(projectJson, null, 2) + '\n');
    try {
      const refusedBefore = proxy.refused();
      const result = await tryNx('run', `${project}:docker-build`, '--skip-nx-cache', '--noCache', `--tags=${project}:nosecret`);
      expect(result.code).not.toBe(0);
      expect(result.stdout + result.stderr).toMatch(/go mod download[\s\S]*(401|Unauthorized)/);
      expect(proxy.refused()).toBeGreaterThan(refusedBefore);
      expect(await exists('image', `${project}:nosecret`)).toBe(false);
    } finally {
      await ws.run('git', ['checkout', `apps/${project}/project.json`]);
    }
  });
});
