import { logger } from './logger';

describe('the executors’ logger', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
    jest.restoreAllMocks();
  });

  it('prints information on stdout as it is, warnings and errors on stderr', () => {
    process.env.NO_COLOR = '1';
    const info = jest.spyOn(console, 'info').mockImplementation(() => undefined);
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const error = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    logger.info('Building svc:latest');
    logger.warn('docker buildx is not installed');
    logger.error('The build failed');
    expect(info).toHaveBeenCalledWith('Building svc:latest');
    expect(warn).toHaveBeenCalledWith('docker buildx is not installed');
    expect(error).toHaveBeenCalledWith('The build failed');
  });

  it('colours warnings yellow and errors red, bold, when Nx forces colour (as it does for tasks)', () => {
    delete process.env.NO_COLOR;
    process.env.FORCE_COLOR = 'true';
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const error = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    logger.warn('careful');
    logger.error('failed');
    expect(warn).toHaveBeenCalledWith('\x1b[1m\x1b[33mcareful\x1b[39m\x1b[22m');
    expect(error).toHaveBeenCalledWith('\x1b[1m\x1b[31mfailed\x1b[39m\x1b[22m');
  });

  it('prints no colour codes under NO_COLOR, even with FORCE_COLOR', () => {
    process.env.NO_COLOR = '1';
    process.env.FORCE_COLOR = 'true';
    const error = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    logger.error('failed');
    expect(error).toHaveBeenCalledWith('failed');
  });
});
