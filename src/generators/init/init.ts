import { Tree, formatFiles, readNxJson, updateNxJson } from '@nx/devkit';
import { defaultTargetNames } from '../../plugins/options';
import type { InitGeneratorSchema } from './schema';

export const pluginName = 'nx-go-docker';

/** Registers the plugin in nx.json once, with its target names spelled out so they are easy to rename. */
export async function initGenerator(tree: Tree, schema: InitGeneratorSchema = {}): Promise<void> {
  const nxJson = readNxJson(tree) ?? {};
  const plugins = nxJson.plugins ?? [];
  const registered = plugins.some((entry) => (typeof entry === 'string' ? entry : entry.plugin) === pluginName);
  if (!registered) {
    nxJson.plugins = [...plugins, { plugin: pluginName, options: { ...defaultTargetNames } }];
    updateNxJson(tree, nxJson);
  }
  if (!schema.skipFormat) {
    await formatFiles(tree);
  }
}

export default initGenerator;
