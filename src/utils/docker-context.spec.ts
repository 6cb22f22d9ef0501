import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { imageModules, syncDockerContext } from './docker-context';

const dockerfile = [
  'FROM golang AS build',
  '# nx-go-docker:modules begin',
  'COPY apps/api/go.mod apps/api/go.su[m] apps/api/',
  'RUN go work init /src/apps/api',
  '# nx-go-docker:modules end',
  'RUN go mod download',
  '',
].join('\n');
const ignoreFile = ['*', '# nx-go-docker:modules begin', '!apps/api', '# nx-go-docker:modules end', '**/.env', ''].join('\n');

describe('syncDockerContext', () => {
  it('lists the service and its libraries in both blocks, leaving the rest alone', () => {
    const tree = createTreeWithEmptyWorkspace();
    tree.write('apps/api/Dockerfile', dockerfile);
    tree.write('apps/api/Dockerfile.dockerignore', ignoreFile);

    const changed = syncDockerContext(tree, 'apps/api', ['apps/api', 'libs/greet', 'libs/log']);

    expect(changed).toEqual(['apps/api/Dockerfile', 'apps/api/Dockerfile.dockerignore']);
    expect(tree.read('apps/api/Dockerfile', 'utf-8')).toBe(
      [
        'FROM golang AS build',
        '# nx-go-docker:modules begin',
        'COPY apps/api/go.mod apps/api/go.su[m] apps/api/',
        'COPY libs/greet/go.mod libs/greet/go.su[m] libs/greet/',
        'COPY libs/log/go.mod libs/log/go.su[m] libs/log/',
        'RUN go work init /src/apps/api /src/libs/greet /src/libs/log',
        '# nx-go-docker:modules end',
        'RUN go mod download',
        '',
      ].join('\n'),
    );
    expect(tree.read('apps/api/Dockerfile.dockerignore', 'utf-8')).toBe(
      ['*', '# nx-go-docker:modules begin', '!apps/api', '!libs/greet', '!libs/log', '# nx-go-docker:modules end', '**/.env', ''].join('\n'),
    );
  });

  it('reports nothing when the blocks are current, and a dropped library when they are not', () => {
    const tree = createTreeWithEmptyWorkspace();
    tree.write('apps/api/Dockerfile', dockerfile);
    tree.write('apps/api/Dockerfile.dockerignore', ignoreFile);
    expect(syncDockerContext(tree, 'apps/api', ['apps/api'])).toEqual([]);
    syncDockerContext(tree, 'apps/api', ['apps/api', 'libs/greet']);
    expect(syncDockerContext(tree, 'apps/api', ['apps/api'])).toHaveLength(2);
    expect(tree.read('apps/api/Dockerfile', 'utf-8')).toBe(dockerfile);
  });

  it('lists a project and its Go dependencies, transitively, skipping projects without go.mod', () => {
    const node = (name: string, root: string) => ({ name, type: 'app' as const, data: { root } });
    const graph = {
      nodes: { api: node('api', 'apps/api'), log: node('log', 'libs/log'), greet: node('greet', 'libs/greet'), web: node('web', 'apps/web') },
      dependencies: {
        api: [{ source: 'api', target: 'greet', type: 'static' }, { source: 'api', target: 'web', type: 'static' }],
        greet: [{ source: 'greet', target: 'log', type: 'static' }],
        log: [],
        web: [],
      },
    };
    const modules = new Set(['apps/api', 'libs/greet', 'libs/log']);
    expect(imageModules(graph, 'api', (root) => modules.has(root))).toEqual(['apps/api', 'libs/greet', 'libs/log']);
  });

  it('builds a package of a module in that module: the workspace root module is the whole folder', () => {
    const node = (name: string, root: string) => ({ name, type: 'app' as const, data: { root } });
    const graph = {
      nodes: { api: node('api', 'cmd/api'), db: node('db', 'internal/db'), shop: node('shop', '.'), audit: node('audit', 'libs/audit') },
      dependencies: {
        api: [{ source: 'api', target: 'db', type: 'implicit' }],
        db: [{ source: 'db', target: 'audit', type: 'implicit' }],
        shop: [],
        audit: [],
      },
    };
    const modules = new Set(['.', 'libs/audit']);
    expect(imageModules(graph, 'api', (root) => modules.has(root))).toEqual(['.', 'libs/audit']);
    const tree = createTreeWithEmptyWorkspace();
    tree.write('cmd/api/Dockerfile', dockerfile);
    tree.write('cmd/api/Dockerfile.dockerignore', ignoreFile);
    syncDockerContext(tree, 'cmd/api', ['.', 'libs/audit']);
    expect(tree.read('cmd/api/Dockerfile', 'utf-8')).toContain(
      '# nx-go-docker:modules begin\nCOPY go.mod go.su[m] ./\nCOPY libs/audit/go.mod libs/audit/go.su[m] libs/audit/\nRUN go work init /src /src/libs/audit\n# nx-go-docker:modules end',
    );
    expect(tree.read('cmd/api/Dockerfile.dockerignore', 'utf-8')).toContain('# nx-go-docker:modules begin\n!*\n!libs/audit\n# nx-go-docker:modules end');
  });

  it('leaves a hand-written Dockerfile without the markers alone', () => {
    const tree = createTreeWithEmptyWorkspace();
    tree.write('apps/api/Dockerfile', 'FROM scratch\n');
    expect(syncDockerContext(tree, 'apps/api', ['apps/api', 'libs/greet'])).toEqual([]);
    expect(tree.read('apps/api/Dockerfile', 'utf-8')).toBe('FROM scratch\n');
  });
});
