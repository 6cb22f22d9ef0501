import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Runs `work` with a temporary build context that holds only `dockerfile`, for the plugin's
 * own small builds (probing the Go toolchain, moving Go caches); removed afterwards.
 */
export async function inScratchContext<T>(dockerfile: string, work: (context: string) => Promise<T>): Promise<T> {
  const context = mkdtempSync(join(tmpdir(), 'nx-go-docker-context-'));
  try {
    writeFileSync(join(context, 'Dockerfile'), dockerfile);
    return await work(context);
  } finally {
    rmSync(context, { recursive: true, force: true });
  }
}
