import { Tree, formatFiles, readNxJson, updateNxJson } from '@nx/devkit';
import { defaultTargetNames } from '../../plugins/options';
import type { InitGeneratorSchema } from './schema';

export const pluginName = 'nx-go-docker';
/** Checks and fixes go.work before tasks run (nx sync, nx sync:check). */
const syncGoWork = `${pluginName}:sync-go-work`;

/** Registers the plugin in nx.json once, with its target names spelled out so they are easy to rename, and its go.work sync generator. */
export async function initGenerator(tree: Tree, schema: InitGeneratorSchema = {}): Promise<void> {
  const nxJson = readNxJson(tree) ?? {};
  const plugins = nxJson.plugins ?? [];
  const registered = plugins.some((entry) => (typeof entry === 'string' ? entry : entry.plugin) === pluginName);
  const globalGenerators = nxJson.sync?.globalGenerators ?? [];
  if (!registered || !globalGenerators.includes(syncGoWork)) {
    if (!registered) nxJson.plugins = [...plugins, { plugin: pluginName, options: { ...defaultTargetNames } }];
    if (!globalGenerators.includes(syncGoWork)) nxJson.sync = { ...nxJson.sync, globalGenerators: [...globalGenerators, syncGoWork] };
    updateNxJson(tree, nxJson);
  }
  if (!schema.skipFormat) {
    await formatFiles(tree);
  }
}

export default initGenerator;
