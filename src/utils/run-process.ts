import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { writeOutput } from './task-output';

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /**
   * `inherit` (the default) streams output live through this process's stdout and stderr (in a
   * batch, the running task's own output), so Nx records it with the task (terminal output,
   * cache replay); `pipe` only captures it, for short queries such as `git rev-parse`.
   */
  stdio?: 'inherit' | 'pipe';
  /** Called with the child's pid once it runs (a streaming child leads its own process group). */
  onStart?: (pid: number) => void;
  /**
   * Whether the signals this process receives are passed on to the child (the default). False
   * for a request made because of an interruption, which that interruption's later signals
   * must not end.
   */
  forwardSignals?: boolean;
}

export interface RunResult {
  /** The exit code; 128 + the signal number when the process was killed by a signal, as shells report it. */
  code: number;
  /** All of it with `pipe`; with `inherit`, which already streamed it, only its last {@link streamedTailBytes}. */
  stdout: string;
  stderr: string;
}

/**
 * How much of a streamed child's output is kept for the caller: enough for the last lines of a
 * failure, bounded so that a foreground service that logs for days does not grow this process.
 */
export const streamedTailBytes = 64 * 1024;

/** The program itself could not be started: it is not on PATH. */
export class CommandNotFoundError extends Error {
  constructor(readonly command: string) {
    super(`'${command}' was not found on PATH.`);
  }
}

const forwardedSignals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
const sameInterruptionMs = 1000;

/**
 * The one way this plugin starts a process: an argv array, never a shell, so arguments
 * holding spaces, quotes, `;` or `$()` reach the program literally.
 *
 * Streaming children run in their own process group and receive SIGINT/SIGTERM from us
 * exactly once (a terminal's Ctrl-C would otherwise reach them twice: once directly, once
 * forwarded), so `docker run` and `docker buildx build` can shut down cleanly.
 */
export function runProcess(command: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  const stdio = options.stdio ?? 'inherit';
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      shell: false,
      detached: stdio === 'inherit',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    if (child.pid !== undefined) options.onStart?.(child.pid);
    const limit = stdio === 'inherit' ? streamedTailBytes : Infinity;
    const stdout = new OutputTail(limit);
    const stderr = new OutputTail(limit);
    child.stdout.on('data', (chunk: Buffer) => {
      stdout.push(chunk);
      if (stdio === 'inherit') writeOutput('stdout', chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr.push(chunk);
      if (stdio === 'inherit') writeOutput('stderr', chunk);
    });

    // One Ctrl-C reaches an executor twice: as SIGINT from the terminal, then as SIGTERM
    // when Nx stops its task. Forwarding both would make a service treat the second as
    // "stop now" and skip its graceful shutdown, so a signal that follows the last one
    // within a second is the same interruption; later ones (a deliberate second Ctrl-C) pass.
    let lastForwarded = -Infinity;
    const forward = (signal: NodeJS.Signals) => {
      if (performance.now() - lastForwarded < sameInterruptionMs) return;
      lastForwarded = performance.now();
      child.kill(signal);
    };
    if (options.forwardSignals !== false) for (const signal of forwardedSignals) process.on(signal, forward);
    const stopForwarding = () => {
      for (const signal of forwardedSignals) process.off(signal, forward);
    };

    child.on('error', (error: NodeJS.ErrnoException) => {
      stopForwarding();
      reject(error.code === 'ENOENT' ? new CommandNotFoundError(command) : error);
    });
    child.on('close', (code, signal) => {
      stopForwarding();
      const exitCode = code ?? 128 + (signal ? constants.signals[signal] : 1);
      resolve({ code: exitCode, stdout: stdout.text(), stderr: stderr.text() });
    });
  });
}

/** The last `limit` bytes of a stream (all of it when the limit is Infinity). */
class OutputTail {
  private chunks: Buffer[] = [];
  private bytes = 0;

  constructor(private readonly limit: number) {}

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.bytes += chunk.length;
    while (this.bytes - this.chunks[0].length >= this.limit) this.bytes -= this.chunks.shift()!.length;
  }

  text(): string {
    const all = Buffer.concat(this.chunks);
    return all.subarray(Math.max(0, all.length - this.limit)).toString();
  }
}

/**
 * Runs work; on the first interruption (SIGINT, SIGTERM, SIGHUP) starts `onInterrupt` once,
 * and waits for both. Later signals of the same interruption are absorbed. Nx 21 leaves an
 * interrupted task's process running while Nx 24 signals all of them, so stopping a
 * container must not depend on which process receives which signal.
 */
export async function untilInterrupted<T>(work: () => Promise<T>, onInterrupt: () => Promise<void>): Promise<T> {
  let interrupted: Promise<void> | undefined;
  const interrupt = () => {
    interrupted ??= onInterrupt();
  };
  for (const signal of forwardedSignals) process.on(signal, interrupt);
  try {
    const result = await work();
    await interrupted;
    return result;
  } finally {
    for (const signal of forwardedSignals) process.off(signal, interrupt);
  }
}

/**
 * Runs clean-up work that must not be cut short by the interruption that caused it (Nx sends
 * its task SIGTERM after the terminal's SIGINT): while it runs, those signals are absorbed.
 */
export async function withoutInterruption<T>(work: () => Promise<T>): Promise<T> {
  const absorb = () => undefined;
  for (const signal of forwardedSignals) process.on(signal, absorb);
  try {
    return await work();
  } finally {
    for (const signal of forwardedSignals) process.off(signal, absorb);
  }
}
