import { runProcess } from './run-process';

/** The installed Go's version (`go1.26.8`), or undefined when `go` is not on PATH. */
export async function installedGoVersion(): Promise<string | undefined> {
  try {
    const { code, stdout } = await runProcess('go', ['env', 'GOVERSION'], { stdio: 'pipe' });
    return code === 0 && stdout.trim() ? stdout.trim() : undefined;
  } catch {
    return undefined;
  }
}
