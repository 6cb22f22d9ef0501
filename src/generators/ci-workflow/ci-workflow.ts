import { Tree, formatFiles, generateFiles } from '@nx/devkit';
import { join, posix } from 'node:path';
import { ignoreGoCaches } from './lib/ignore-go-caches';
import { normalizeOptions } from './lib/normalize-options';
import type { CiWorkflowGeneratorSchema } from './schema';

export async function ciWorkflowGenerator(tree: Tree, schema: CiWorkflowGeneratorSchema): Promise<void> {
  const options = normalizeOptions(tree, schema);

  generateFiles(tree, join(__dirname, '..', '..', '..', 'files', 'ci-workflow', options.provider), posix.dirname(options.file), options);
  if (options.replaces !== undefined) tree.delete(options.replaces);
  ignoreGoCaches(tree, options.goCache);
  if (!schema.skipFormat) await formatFiles(tree);
}

export default ciWorkflowGenerator;
