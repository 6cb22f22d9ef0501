export { createDependencies } from './plugins/create-dependencies';
export { createNodes, createNodesV2 } from './plugins/create-nodes';
export type { NxGoDockerPluginOptions } from './plugins/options';
export { goLibraryGenerator } from './generators/go-library/go-library';
export { goServiceGenerator } from './generators/go-service/go-service';
export { initGenerator } from './generators/init/init';
