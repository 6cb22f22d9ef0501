import { projectNames } from './project-names';

const named = (...folders: Parameters<typeof projectNames>[0]) => Object.fromEntries(projectNames(folders));

describe('projectNames', () => {
  it('names the root module after its module path, never its checkout folder, and without the major version', () => {
    expect(named({ root: '.', module: 'go.etcd.io/etcd/v3' })).toEqual({ '.': 'etcd' });
    expect(named({ root: '.', module: 'go.opentelemetry.io/otel' })).toEqual({ '.': 'otel' });
    expect(named({ root: '.' })).toEqual({ '.': 'root' });
  });

  it('names other projects after their folder while the name is unique', () => {
    expect(named({ root: 'apps/orders' }, { root: 'libs/greet' })).toEqual({ 'apps/orders': 'orders', 'libs/greet': 'greet' });
  });

  it('lengthens only the names that folders share, by the folders above them (etcd: pkg x3)', () => {
    expect(named({ root: 'pkg' }, { root: 'client/pkg' }, { root: 'server/pkg' }, { root: 'server' })).toEqual({
      pkg: 'pkg',
      'client/pkg': 'client-pkg',
      'server/pkg': 'server-pkg',
      server: 'server',
    });
  });

  it('goes as deep as it must (contrib: example x8 at several depths)', () => {
    expect(
      named(
        { root: 'instrumentation/net/http/otelhttp/example' },
        { root: 'instrumentation/github.com/gorilla/mux/otelmux/example' },
        { root: 'exporters/prometheus/example' },
        { root: 'bridges/prometheus/example' },
        { root: 'bridges/prometheus' },
        { root: 'exporters/prometheus' },
      ),
    ).toEqual({
      'instrumentation/net/http/otelhttp/example': 'otelhttp-example',
      'instrumentation/github.com/gorilla/mux/otelmux/example': 'otelmux-example',
      'exporters/prometheus/example': 'exporters-prometheus-example',
      'bridges/prometheus/example': 'bridges-prometheus-example',
      'bridges/prometheus': 'bridges-prometheus',
      'exporters/prometheus': 'exporters-prometheus',
    });
  });

  it('never names a project v2 or v3: a major-version folder joins its parent, and shows only to tell two apart', () => {
    expect(named({ root: '.', module: 'go.etcd.io/etcd/v3' }, { root: 'client/v3', module: 'go.etcd.io/etcd/client/v3' })).toEqual({
      '.': 'etcd',
      'client/v3': 'client',
    });
    expect(named({ root: 'detectors/aws/ec2' }, { root: 'detectors/aws/ec2/v2' })).toEqual({
      'detectors/aws/ec2': 'aws-ec2',
      'detectors/aws/ec2/v2': 'ec2-v2',
    });
    expect(named({ root: '.', module: 'example.com/shop' }, { root: 'v2', module: 'example.com/shop/v2' })).toEqual({
      '.': 'shop',
      v2: 'shop-v2',
    });
  });

  it('keeps a name from project.json or package.json and names others around it', () => {
    expect(named({ root: 'apps/orders', declared: 'orders' }, { root: 'libs/orders' }, { root: '.', module: 'example.com/orders', declared: '@acme/mono' })).toEqual({
      'apps/orders': 'orders',
      'libs/orders': 'libs-orders',
      '.': '@acme/mono',
    });
  });

  it('lengthens the names that can grow and lets the others keep theirs (otel-go: log/logtest, sdk/log/logtest)', () => {
    expect(named({ root: 'log/logtest' }, { root: 'sdk/log/logtest' }, { root: 'log' }, { root: 'sdk/log' })).toEqual({
      'log/logtest': 'log-logtest',
      'sdk/log/logtest': 'sdk-log-logtest',
      log: 'log',
      'sdk/log': 'sdk-log',
    });
  });

  it('falls back to the folder path, which is unique, when no tail is', () => {
    expect(named({ root: 'a-b' }, { root: 'a/b' }, { root: 'c/b' })).toEqual({ 'a-b': 'a-b', 'a/b': 'a/b', 'c/b': 'c-b' });
    expect(named({ root: '.', module: 'example.com/shop' }, { root: 'shop' }, { root: 'x/shop' })).toEqual({ '.': 'root', shop: 'shop', 'x/shop': 'x-shop' });
  });

  it('gives the same names whatever order the folders come in', () => {
    const folders = [{ root: 'pkg' }, { root: 'client/pkg' }, { root: 'tests/pkg' }, { root: '.', module: 'go.etcd.io/etcd/v3' }];
    expect(named(...folders)).toEqual(named(...[...folders].reverse()));
  });
});
