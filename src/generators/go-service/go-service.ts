import {
  GeneratorCallback,
  Tree,
  addProjectConfiguration,
  formatFiles,
  generateFiles,
  offsetFromRoot,
} from '@nx/devkit';
import { join } from 'node:path';
import { syncDockerContext } from '../../utils/docker-context';
import { addToGoWork } from '../../utils/go-work';
import { initGenerator } from '../init/init';
import { normalizeOptions } from './lib/normalize-options';
import type { GoServiceGeneratorSchema } from './schema';

/** What only a service with PostgreSQL has: the example resource, its store, migrations and tests, and the driver's go.sum. */
const postgresOnlyFiles = ['items.go', 'items_test.go', 'store.go', 'store_test.go', 'migrate.go', 'migrations', 'go.sum'];

export async function goServiceGenerator(tree: Tree, schema: GoServiceGeneratorSchema): Promise<GeneratorCallback | void> {
  const options = await normalizeOptions(tree, schema);

  await initGenerator(tree, { skipFormat: true });
  addProjectConfiguration(tree, options.name, {
    root: options.projectRoot,
    sourceRoot: options.projectRoot,
    projectType: 'application',
    tags: options.tags,
    targets: {},
  });
  generateFiles(tree, join(__dirname, '..', '..', '..', 'files', 'go-service'), options.projectRoot, {
    ...options,
    offsetFromRoot: offsetFromRoot(options.projectRoot),
  });
  if (!options.postgres) {
    for (const file of postgresOnlyFiles) tree.delete(join(options.projectRoot, file));
  }
  if (options.moduleRoot !== undefined) {
    // A package of an existing module: that module's go.mod and go.work entry already exist.
    tree.delete(join(options.projectRoot, 'go.mod'));
    syncDockerContext(tree, options.projectRoot, [options.moduleRoot]);
  } else {
    syncDockerContext(tree, options.projectRoot, [options.projectRoot]);
    addToGoWork(tree, options.projectRoot, options.goVersion);
  }
  if (!schema.skipFormat) await formatFiles(tree);
}

export default goServiceGenerator;
