import { CreateNodesContextV2, CreateNodesV2, createNodesFromFiles } from '@nx/devkit';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
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
  const projectName = declaredName(absoluteRoot);
  const dockerfile = join(absoluteRoot, 'Dockerfile');
  const targets = {
    ...goTargets(names, hasMainPackage(absoluteRoot)),
    ...(existsSync(dockerfile)
      ? dockerBuildTargets(readFileSync(dockerfile, 'utf-8'), projectName ?? basename(absoluteRoot), names)
      : {}),
    ...(existsSync(join(absoluteRoot, 'compose.yaml')) ? composeTargets(names) : {}),
  };
  const name = projectName === undefined ? { name: basename(absoluteRoot) } : {};
  return { projects: { [projectRoot]: { root: projectRoot, ...name, targets } } };
}

/** Whether the module root holds package main (a command), read from its first non-test .go file. */
function hasMainPackage(absoluteRoot: string): boolean {
  const goFile = readdirSync(absoluteRoot).find((file) => file.endsWith('.go') && !file.endsWith('_test.go'));
  return goFile !== undefined && /^package\s+main\b/m.test(readFileSync(join(absoluteRoot, goFile), 'utf-8'));
}

/** The name in the folder's project.json, if it has one (a go.mod-only folder is named after itself). */
function declaredName(absoluteRoot: string): string | undefined {
  const projectJson = join(absoluteRoot, 'project.json');
  if (!existsSync(projectJson)) return undefined;
  try {
    const name: unknown = JSON.parse(readFileSync(projectJson, 'utf-8')).name;
    return typeof name === 'string' ? name : undefined;
  } catch {
    return undefined;
  }
}

/** Nx 21 reads `createNodesV2`; later majors read `createNodes` in the same shape. */
export const createNodes = createNodesV2;
