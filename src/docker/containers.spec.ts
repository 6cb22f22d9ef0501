import { runProcess } from '../utils/run-process';
import { signalContainer } from './containers';

jest.mock('../utils/run-process');
const run = jest.mocked(runProcess);
const exited = (code: number) => ({ code, stdout: '', stderr: '' });

describe('signalContainer', () => {
  afterEach(() => run.mockReset());

  it('sends the signal with one docker kill when it reaches the engine', async () => {
    run.mockResolvedValue(exited(0));
    await signalContainer('orders', 'SIGTERM');
    expect(run.mock.calls).toEqual([['docker', ['kill', '--signal', 'SIGTERM', 'orders'], { stdio: 'pipe' }]]);
  });

  it('sends it again when a signal ended docker kill first (Nx stopping the task tree), at most three times', async () => {
    run.mockResolvedValueOnce(exited(143)).mockResolvedValueOnce(exited(0));
    await signalContainer('orders', 'SIGTERM');
    expect(run).toHaveBeenCalledTimes(2);

    run.mockReset();
    run.mockResolvedValue(exited(143));
    await signalContainer('orders', 'SIGTERM');
    expect(run).toHaveBeenCalledTimes(3);
  });

  it('does not repeat a request the engine answered with an error (no such container)', async () => {
    run.mockResolvedValue(exited(1));
    await signalContainer('gone', 'SIGTERM');
    expect(run).toHaveBeenCalledTimes(1);
  });
});
