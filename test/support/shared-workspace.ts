import { existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
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

/**
 * A repository nobody here wrote, made an Nx workspace the way a team adopting the plugin
 * would: its own files, a package.json, an nx.json that registers the plugin, one commit.
 * It shares the installed packages of the shared workspace (node_modules is a link), so it
 * costs no npm install; everything else, the Nx cache included, is its own.
 */
export async function adoptedWorkspace(name: string, packageName: string, files: Record<string, string>): Promise<Workspace> {
  const shared = await sharedWorkspace();
  const root = join(e2eRoot, name);
  rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  const workspace = new Workspace(root);
  workspace.write('package.json', JSON.stringify({ name: packageName, private: true }, null, 2) + '\n');
  workspace.write('nx.json', JSON.stringify({ analytics: false, plugins: ['nx-go-docker'] }, null, 2) + '\n');
  workspace.write('.gitignore', 'node_modules\ndist\n.nx\n');
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    workspace.write(path, content);
  }
  symlinkSync(join(shared.root, 'node_modules'), join(root, 'node_modules'));
  await workspace.run('git', ['init', '-q', '-b', 'main']);
  await workspace.commit('the repository as it was');
  return workspace;
}
