import { RunResult, runProcess } from '../../src/utils/run-process';

export interface ExecOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

/** Runs a command (argv, no shell), capturing its output; throws with that output when it fails. */
export async function exec(command: string, args: string[], options: ExecOptions = {}): Promise<RunResult> {
  const result = await tryExec(command, args, options);
  if (result.code !== 0) {
    throw new Error(`${command} ${args.join(' ')} exited ${result.code}\n${result.stdout}\n${result.stderr}`);
  }
  return result;
}

export function tryExec(command: string, args: string[], options: ExecOptions = {}): Promise<RunResult> {
  return runProcess(command, args, { cwd: options.cwd, env: { ...process.env, ...options.env }, stdio: 'pipe' });
}

/** Seconds since `start` (a `performance.now()` value), to one decimal. */
export function secondsSince(start: number): number {
  return Math.round((performance.now() - start) / 100) / 10;
}

/** Output without its ANSI colours (Nx and the logger colour it under CI=true on some majors). */
export function withoutColours(output: string): string {
  return output.replace(/\x1b\[[0-9;]*m/g, '');
}
