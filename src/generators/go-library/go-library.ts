import { GeneratorCallback, Tree, addProjectConfiguration, formatFiles, generateFiles } from '@nx/devkit';
import { join } from 'node:path';
import { addToGoWork } from '../../utils/go-work';
import { initGenerator } from '../init/init';
import { normalizeOptions } from './lib/normalize-options';
import type { GoLibraryGeneratorSchema } from './schema';

export async function goLibraryGenerator(tree: Tree, schema: GoLibraryGeneratorSchema): Promise<GeneratorCallback | void> {
  const options = await normalizeOptions(tree, schema);

  await initGenerator(tree, { skipFormat: true });
  addProjectConfiguration(tree, options.name, {
    root: options.projectRoot,
    sourceRoot: options.projectRoot,
    projectType: 'library',
    tags: options.tags,
    targets: {},
  });
  generateFiles(tree, join(__dirname, '..', '..', '..', 'files', 'go-library'), options.projectRoot, options);
  if (options.moduleRoot !== undefined) {
    // A package of an existing module: that module's go.mod and go.work entry already exist.
    tree.delete(join(options.projectRoot, 'go.mod'));
  } else {
    addToGoWork(tree, options.projectRoot, options.goVersion);
  }
  if (!schema.skipFormat) await formatFiles(tree);
}

export default goLibraryGenerator;
