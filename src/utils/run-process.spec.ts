import { CommandNotFoundError, runProcess, streamedTailBytes, untilInterrupted } from './run-process';

const node = process.execPath;

describe('runProcess', () => {
  it('passes arguments literally, without a shell', async () => {
    const tricky = ['a b', '"quoted"', "it's", '$(touch /tmp/pwned)', 'x; rm -rf /', '`id`'];
    const result = await runProcess(node, ['-e', 'console.log(JSON.stringify(process.argv.slice(1)))', ...tricky], {
      stdio: 'pipe',
    });
    expect(JSON.parse(result.stdout)).toEqual(tricky);
  });

  it('propagates the exit code and captures stderr', async () => {
    const result = await runProcess(node, ['-e', 'console.error("boom"); process.exit(7)'], { stdio: 'pipe' });
    expect(result.code).toBe(7);
    expect(result.stderr).toContain('boom');
  });

  it('streams all of a long output but keeps only its bounded tail', async () => {
    const mb = 1024 * 1024;
    const script = `const line = 'x'.repeat(1023) + '\\n'; for (let i = 0; i < 8 * 1024; i++) process.stdout.write(line); process.stdout.write('the end\\n');`;
    let streamed = 0;
    const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      streamed += chunk.length;
      return true;
    });
    try {
      const result = await runProcess(node, ['-e', script]);
      expect(streamed).toBe(8 * mb + 'the end\n'.length);
      expect(result.stdout.length).toBe(streamedTailBytes);
      expect(result.stdout.endsWith('x\nthe end\n')).toBe(true);
    } finally {
      write.mockRestore();
    }
  });

  it('keeps all of a captured output', async () => {
    const result = await runProcess(node, ['-e', `process.stdout.write('y'.repeat(${streamedTailBytes * 4}))`], { stdio: 'pipe' });
    expect(result.stdout.length).toBe(streamedTailBytes * 4);
  });

  it('reports a missing program as CommandNotFoundError', async () => {
    await expect(runProcess('nx-go-docker-no-such-program', [])).rejects.toBeInstanceOf(CommandNotFoundError);
  });

  it('forwards SIGTERM to the child once and reports its graceful exit code', async () => {
    const script = [
      'let seen = 0;',
      'process.on("SIGTERM", () => { seen++; setTimeout(() => process.exit(seen === 1 ? 0 : 9), 100); });',
      'console.log("ready");',
      'setInterval(() => {}, 1000);',
    ].join('');
    const running = runProcess(node, ['-e', script]);
    await new Promise((r) => setTimeout(r, 300));
    process.emit('SIGTERM', 'SIGTERM');
    await expect(running).resolves.toMatchObject({ code: 0 });
    expect(process.listenerCount('SIGTERM')).toBe(0);
  });

  it('forwards one interruption once, though it arrives as SIGINT and then SIGTERM', async () => {
    const script = [
      'let seen = 0;',
      'const count = () => { seen++; };',
      'process.on("SIGINT", count); process.on("SIGTERM", count);',
      'setTimeout(() => process.exit(seen), 600);',
    ].join('');
    const running = runProcess(node, ['-e', script]);
    await new Promise((r) => setTimeout(r, 300));
    process.emit('SIGINT', 'SIGINT');
    process.emit('SIGTERM', 'SIGTERM');
    await expect(running).resolves.toMatchObject({ code: 1 });
  });

  it('passes no signal on to a child started with forwardSignals: false', async () => {
    const script = 'process.on("SIGTERM", () => process.exit(9)); setTimeout(() => process.exit(0), 600);';
    const running = runProcess(node, ['-e', script], { stdio: 'pipe', forwardSignals: false });
    await new Promise((r) => setTimeout(r, 300));
    process.emit('SIGTERM', 'SIGTERM');
    await expect(running).resolves.toMatchObject({ code: 0 });
  });

  it('reports death by signal as 128 + the signal number', async () => {
    const running = runProcess(node, ['-e', 'setInterval(() => {}, 1000)']);
    await new Promise((r) => setTimeout(r, 300));
    process.emit('SIGINT', 'SIGINT');
    await expect(running).resolves.toMatchObject({ code: 130 });
  });

  it('untilInterrupted runs its clean-up once for an interruption that arrives as SIGINT then SIGTERM', async () => {
    let cleanups = 0;
    const done = untilInterrupted(
      () => new Promise<string>((resolve) => setTimeout(() => resolve('worked'), 300)),
      async () => {
        cleanups++;
      },
    );
    process.emit('SIGINT', 'SIGINT');
    process.emit('SIGTERM', 'SIGTERM');
    await expect(done).resolves.toBe('worked');
    expect(cleanups).toBe(1);
    expect(process.listenerCount('SIGINT')).toBe(0);
  });
});
