export { createNodes, createNodesV2 } from './plugins/create-nodes';
export type { NxGoDockerPluginOptions } from './plugins/options';
export { goServiceGenerator } from './generators/go-service/go-service';
export { initGenerator } from './generators/init/init';
