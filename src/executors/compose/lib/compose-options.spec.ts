import { composeArgs, composeBuildArgs, configArgs, logsArgs, unhealthyServices, volumesArgs } from '../../../docker';
import { lastLine } from '../../../docker/output';
import { composeProjectName, optionsProblem, upDeadline } from './compose-options';

const base = { file: '/ws/apps/orders/compose.yaml', projectName: 'orders' };

describe('compose options', () => {
  it('up builds first, then starts without building and waits for every service to be healthy by default', () => {
    expect(composeBuildArgs({ ...base, command: 'up' })).toEqual([
      'compose', '--file', '/ws/apps/orders/compose.yaml', '--project-name', 'orders', 'build',
    ]);
    expect(composeArgs({ ...base, command: 'up' })).toEqual([
      'compose', '--file', '/ws/apps/orders/compose.yaml', '--project-name', 'orders', 'up', '--no-build', '--wait', '--wait-timeout', '120',
    ]);
  });

  it('bounds the whole of up by waitTimeout when it waits, so a slow dependency counts too', () => {
    expect(upDeadline({ ...base, command: 'up' })).toBe(120);
    expect(upDeadline({ ...base, command: 'up', waitTimeout: 3 })).toBe(3);
    expect(upDeadline({ ...base, command: 'up', wait: false })).toBeUndefined();
    expect(upDeadline({ ...base, command: 'down' })).toBeUndefined();
  });

  it('up without wait detaches, and without build skips the build', () => {
    expect(composeArgs({ ...base, command: 'up', wait: false, build: false })).toEqual([
      'compose', '--file', '/ws/apps/orders/compose.yaml', '--project-name', 'orders', 'up', '--detach',
    ]);
  });

  it('down removes volumes only when asked', () => {
    expect(composeArgs({ ...base, command: 'down' }).slice(-1)).toEqual(['down']);
    expect(composeArgs({ ...base, command: 'down', volumes: true }).slice(-2)).toEqual(['down', '--volumes']);
  });

  it('checks the file with config --quiet and shows the last log lines of every service', () => {
    expect(configArgs({ ...base, command: 'up' })).toEqual(['compose', '--file', '/ws/apps/orders/compose.yaml', '--project-name', 'orders', 'config', '--quiet']);
    expect(logsArgs({ ...base, command: 'up' }).slice(-4)).toEqual(['logs', '--no-color', '--tail', '20']);
    expect(volumesArgs({ ...base, command: 'up' })).toEqual(['volume', 'ls', '--filter', 'label=com.docker.compose.project=orders', '--format', '{{.Name}}']);
  });

  it("keeps docker compose's own error line for the one-line summary", () => {
    expect(lastLine("validating compose.yaml\nyaml: line 2: did not find expected ',' or ']'\n")).toBe("yaml: line 2: did not find expected ',' or ']'");
    expect(lastLine('')).toBe('');
  });

  it('derives a valid compose project name from an Nx project name', () => {
    expect(composeProjectName('Orders.API')).toBe('orders-api');
  });

  it.each([
    [{ command: 'restart' }, "Unknown compose command 'restart'"],
    [{ command: 'up', projectName: '-bad' }, "Invalid compose projectName '-bad'"],
    [{ command: 'up', waitTimeout: -1 }, "Invalid waitTimeout '-1'"],
  ])('rejects %j with one line', (bad, message) => {
    expect(optionsProblem({ ...base, ...(bad as { command: 'up' }) })).toContain(message);
  });

  it('names the services that are not running and healthy, from either ps output format', () => {
    const services = [
      { Service: 'app', State: 'running', Health: 'healthy' },
      { Service: 'db', State: 'running', Health: 'unhealthy' },
      { Service: 'migrate', State: 'exited', Health: '', ExitCode: 1 },
    ];
    const expected = ['db (running, unhealthy)', 'migrate (exited, exit 1)'];
    expect(unhealthyServices(JSON.stringify(services))).toEqual(expected);
    expect(unhealthyServices(services.map((s) => JSON.stringify(s)).join('\n'))).toEqual(expected);
    expect(unhealthyServices('')).toEqual([]);
  });
});
