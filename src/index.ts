/**
 * The plugin's entry, which Nx loads in a worker of its own to compute the project graph:
 * the graph code loads no @nx/devkit (it costs that worker about 0.1 s of every Nx command),
 * so the generators, which need it, load only when called.
 */
import type { ciWorkflowGenerator as CiWorkflowGenerator } from './generators/ci-workflow/ci-workflow';
import type { goLibraryGenerator as GoLibraryGenerator } from './generators/go-library/go-library';
import type { goServiceGenerator as GoServiceGenerator } from './generators/go-service/go-service';
import type { initGenerator as InitGenerator } from './generators/init/init';

export { createDependencies } from './plugins/create-dependencies';
export { createNodes, createNodesV2 } from './plugins/create-nodes';
export type { NxGoDockerPluginOptions } from './plugins/options';

export const ciWorkflowGenerator: typeof CiWorkflowGenerator = (...args) =>
  (require('./generators/ci-workflow/ci-workflow') as typeof import('./generators/ci-workflow/ci-workflow')).ciWorkflowGenerator(...args);
export const goLibraryGenerator: typeof GoLibraryGenerator = (...args) =>
  (require('./generators/go-library/go-library') as typeof import('./generators/go-library/go-library')).goLibraryGenerator(...args);
export const goServiceGenerator: typeof GoServiceGenerator = (...args) =>
  (require('./generators/go-service/go-service') as typeof import('./generators/go-service/go-service')).goServiceGenerator(...args);
export const initGenerator: typeof InitGenerator = (...args) =>
  (require('./generators/init/init') as typeof import('./generators/init/init')).initGenerator(...args);

export type { CiProvider, CiWorkflowGeneratorSchema } from './generators/ci-workflow/schema';
export type { GoLibraryGeneratorSchema } from './generators/go-library/schema';
export type { GoRuntime, GoServiceGeneratorSchema } from './generators/go-service/schema';
export type { InitGeneratorSchema } from './generators/init/schema';
export type { ComposeExecutorSchema } from './executors/compose/schema';
export type { DockerBinaryExecutorSchema } from './executors/docker-binary/schema';
export type { DockerBuildExecutorSchema } from './executors/docker-build/schema';
export type { DockerRunExecutorSchema } from './executors/docker-run/schema';
export type { GoExecutorSchema } from './executors/go/schema';
