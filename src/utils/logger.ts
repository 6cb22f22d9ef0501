import { writeOutput } from './task-output';

/**
 * What executors print, as @nx/devkit's logger prints it: information on stdout, warnings in
 * bold yellow and errors in bold red on stderr, coloured under the rules Nx's own colours
 * follow (NO_COLOR, FORCE_COLOR, a terminal, CI). Executors use this one, not devkit's: loading
 * @nx/devkit costs every task process 0.1 s of CPU, and at run time they need nothing else from it.
 */
export const logger = {
  info: (message: string) => writeOutput('stdout', `${message}\n`),
  warn: (message: string) => writeOutput('stderr', `${styled(message, 33)}\n`),
  error: (message: string) => writeOutput('stderr', `${styled(message, 31)}\n`),
};

function styled(message: string, color: number): string {
  return colorsEnabled() ? `\x1b[1m\x1b[${color}m${message}\x1b[39m\x1b[22m` : message;
}

function colorsEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR) return false;
  return Boolean(env.FORCE_COLOR || (process.stdout.isTTY && env.TERM !== 'dumb') || env.CI);
}
