import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Workspace, createWorkspace, packPlugin, scratchRoot } from './workspace';

/** The Nx major the e2e suite runs against (NX_VERSION=21 npm run test:e2e for another). */
export const nxVersion = process.env.NX_VERSION ?? '24';
/** Where e2e workspaces live; E2E_ROOT gives concurrent runs (e.g. two engineers) separate folders. */
export const e2eRoot = process.env.E2E_ROOT ?? join(scratchRoot, 'e2e');

/**
 * One packed plugin and one Nx workspace for the whole e2e run (global-setup empties
 * .tmp/e2e first, so nothing carries over between runs). Each test file generates its
 * own services in it, so sharing it hides nothing and saves a minute of npm install per file.
 */
export async function sharedWorkspace(): Promise<Workspace> {
  const root = join(e2eRoot, `nx-${nxVersion}`);
  const ready = join(e2eRoot, `nx-${nxVersion}.ready`);
  if (existsSync(ready)) return new Workspace(root);
  const tarball = await packPlugin(e2eRoot);
  const workspace = await createWorkspace(root, nxVersion, tarball);
  writeFileSync(ready, tarball);
  return workspace;
}
