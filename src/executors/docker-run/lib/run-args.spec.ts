import { dockerRunArgs } from '../../../docker';
import { optionsProblem, withDefaults } from './run-args';

describe('docker-run options', () => {
  it('runs <project>:latest named after the project, published on 127.0.0.1, removed on exit', () => {
    const options = withDefaults({ port: 8181 }, 'orders');
    expect(dockerRunArgs(options)).toEqual([
      'run', '--name', 'orders', '--publish', '127.0.0.1:8181:8181', '--rm', '--sig-proxy=false', 'orders:latest',
    ]);
    expect(options.waitHealthy).toBe(false);
  });

  it('maps every option to its docker run flag, extra args before the image and command after it', () => {
    const options = withDefaults(
      {
        image: 'ghcr.io/acme/orders:1.0',
        port: 8080,
        hostPort: 18080,
        host: '0.0.0.0',
        env: { LOG_LEVEL: 'debug', NOTE: `a b; $(id) "q"` },
        envFile: '/ws/apps/orders/.env.local',
        name: 'orders-dev',
        rm: false,
        detach: true,
        args: ['--read-only', '--cap-drop=ALL'],
        command: ['version'],
      },
      'orders',
    );
    expect(dockerRunArgs(options)).toEqual([
      'run', '--name', 'orders-dev', '--publish', '0.0.0.0:18080:8080', '--detach',
      '--env', 'LOG_LEVEL=debug', '--env', `NOTE=a b; $(id) "q"`, '--env-file', '/ws/apps/orders/.env.local',
      '--read-only', '--cap-drop=ALL', 'ghcr.io/acme/orders:1.0', 'version',
    ]);
    expect(options.waitHealthy).toBe(true);
  });

  it.each([
    [{ image: 'Orders:latest' }, "Invalid image 'Orders:latest'"],
    [{ port: 0 }, "Invalid port '0'"],
    [{ hostPort: 70000 }, "Invalid hostPort '70000'"],
    [{ name: 'has space' }, "Invalid container name 'has space'"],
    [{ env: { 'A=B': 'x' } }, "Invalid env name 'A=B'"],
    [{ healthTimeout: 0 }, "Invalid healthTimeout '0'"],
  ])('rejects %j with one line', (bad, message) => {
    const problem = optionsProblem(withDefaults(bad, 'orders'));
    expect(problem).toContain(message);
    expect(problem).not.toContain('\n');
  });
});
