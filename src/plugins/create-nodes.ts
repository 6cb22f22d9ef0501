import { CreateNodesContextV2, CreateNodesV2, createNodesFromFiles } from '@nx/devkit';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { composeTargets, dockerBuildTargets } from './docker-targets';
import { goTargets } from './go-targets';
import { NxGoDockerPluginOptions, normalizePluginOptions } from './options';

/**
 * Every folder with a go.mod is a Go project: build, test, vet and tidy targets, plus the
 * Docker targets when it has a Dockerfile or compose.yaml. Reads files only; never runs go or docker.
 */
export const createNodesV2: CreateNodesV2<NxGoDockerPluginOptions> = [
  '**/go.mod',
  (goModFiles, options, context) =>
    createNodesFromFiles((file, opts, ctx) => createGoProject(file, opts, ctx), goModFiles, options, context),
];

function createGoProject(goModFile: string, options: NxGoDockerPluginOptions | undefined, context: CreateNodesContextV2) {
  const names = normalizePluginOptions(options);
  const projectRoot = dirname(goModFile);
  const absoluteRoot = join(context.workspaceRoot, projectRoot);
  const dockerfile = join(absoluteRoot, 'Dockerfile');
  const targets = {
    ...goTargets(names),
    ...(existsSync(dockerfile) ? dockerBuildTargets(readFileSync(dockerfile, 'utf-8'), names) : {}),
    ...(existsSync(join(absoluteRoot, 'compose.yaml')) ? composeTargets(names) : {}),
  };
  return { projects: { [projectRoot]: { root: projectRoot, targets } } };
}

/** Nx 21 reads `createNodesV2`; later majors read `createNodes` in the same shape. */
export const createNodes = createNodesV2;
