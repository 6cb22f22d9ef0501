import { logger } from './logger';

describe('the executors’ logger', () => {
  const saved = { ...process.env };
  let printed: { stdout: string; stderr: string };
  beforeEach(() => {
    printed = { stdout: '', stderr: '' };
    for (const stream of ['stdout', 'stderr'] as const) {
      jest.spyOn(process[stream], 'write').mockImplementation((chunk: string | Uint8Array) => {
        printed[stream] += chunk.toString();
        return true;
      });
    }
  });
  afterEach(() => {
    process.env = { ...saved };
    jest.restoreAllMocks();
  });

  it('prints information on stdout as it is, warnings and errors on stderr', () => {
    process.env.NO_COLOR = '1';
    logger.info('Building svc:latest');
    logger.warn('docker buildx is not installed');
    logger.error('The build failed');
    expect(printed).toEqual({ stdout: 'Building svc:latest\n', stderr: 'docker buildx is not installed\nThe build failed\n' });
  });

  it('colours warnings yellow and errors red, bold, when Nx forces colour (as it does for tasks)', () => {
    delete process.env.NO_COLOR;
    process.env.FORCE_COLOR = 'true';
    logger.warn('careful');
    logger.error('failed');
    expect(printed.stderr).toBe('\x1b[1m\x1b[33mcareful\x1b[39m\x1b[22m\n\x1b[1m\x1b[31mfailed\x1b[39m\x1b[22m\n');
  });

  it('prints no colour codes under NO_COLOR, even with FORCE_COLOR', () => {
    process.env.NO_COLOR = '1';
    process.env.FORCE_COLOR = 'true';
    logger.error('failed');
    expect(printed.stderr).toBe('failed\n');
  });
});
