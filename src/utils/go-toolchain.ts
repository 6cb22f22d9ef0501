import { runProcess } from './run-process';

/** The Go release generated files use when no Go is installed. */
export const pinnedGoVersion = '1.24';

/** The installed Go's minor version (`1.24`), or undefined when `go` is not on PATH. */
export async function detectGoMinorVersion(): Promise<string | undefined> {
  try {
    const { code, stdout } = await runProcess('go', ['env', 'GOVERSION'], { stdio: 'pipe' });
    const match = /^go(1\.\d+)/.exec(stdout.trim());
    return code === 0 && match ? match[1] : undefined;
  } catch {
    return undefined;
  }
}
