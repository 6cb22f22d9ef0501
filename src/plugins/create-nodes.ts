import { CreateNodesContextV2, CreateNodesV2, createNodesFromFiles } from '@nx/devkit';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseGoMod } from '../utils/go-mod';
import { composeTargets, dockerBuildTargets } from './docker-targets';
import { goTargetNames, goTargets } from './go-targets';
import { NxGoDockerPluginOptions, normalizePluginOptions } from './options';
import { GoProjectFolder, projectNames } from './project-names';

/**
 * Every folder with a go.mod is a Go project: build, test, vet and tidy targets, plus the
 * Docker targets when it has a Dockerfile or compose.yaml. Names are unique across the
 * workspace (see project-names.ts). Reads files only; never runs go or docker.
 */
export const createNodesV2: CreateNodesV2<NxGoDockerPluginOptions> = [
  '**/go.mod',
  (goModFiles, options, context) => {
    const folders = goModFiles.map((file) => readFolder(dirname(file), context.workspaceRoot));
    const names = projectNames(folders);
    const declared = new Set(folders.filter((folder) => folder.declared !== undefined).map((folder) => folder.root));
    return createNodesFromFiles(
      (file, opts, ctx) => createGoProject(dirname(file), names.get(dirname(file))!, declared.has(dirname(file)), opts, ctx),
      goModFiles,
      options,
      context,
    );
  },
];

function createGoProject(
  projectRoot: string,
  projectName: string,
  declared: boolean,
  options: NxGoDockerPluginOptions | undefined,
  context: CreateNodesContextV2,
) {
  const names = normalizePluginOptions(options);
  const absoluteRoot = join(context.workspaceRoot, projectRoot);
  const dockerfile = join(absoluteRoot, 'Dockerfile');
  const isCommand = hasMainPackage(absoluteRoot);
  const docker = existsSync(dockerfile) ? dockerBuildTargets(readFileSync(dockerfile, 'utf-8'), projectName, names) : {};
  const compose = existsSync(join(absoluteRoot, 'compose.yaml')) ? composeTargets(names) : {};
  const targets = { ...goTargets(names, isCommand), ...docker, ...compose };
  const dockerTargets = [...Object.keys(docker), ...Object.keys(compose)];
  const metadata = { targetGroups: { Go: goTargetNames(names, isCommand), ...(dockerTargets.length ? { Docker: dockerTargets } : {}) } };
  // A name from project.json comes from Nx's own reading of it; any other is set here.
  const name = declared && existsSync(join(absoluteRoot, 'project.json')) ? {} : { name: projectName };
  return { projects: { [projectRoot]: { root: projectRoot, ...name, targets, metadata } } };
}

/** What naming needs of a folder with a go.mod: its module path and any name it declares. */
function readFolder(root: string, workspaceRoot: string): GoProjectFolder {
  const absoluteRoot = join(workspaceRoot, root);
  let module: string | undefined;
  try {
    module = parseGoMod(readFileSync(join(absoluteRoot, 'go.mod'), 'utf-8'), join(root, 'go.mod')).module;
  } catch {
    module = undefined;
  }
  return { root, module, declared: declaredName(absoluteRoot, 'project.json') ?? declaredName(absoluteRoot, 'package.json') };
}

/** Whether the module root holds package main (a command), read from its first non-test .go file. */
function hasMainPackage(absoluteRoot: string): boolean {
  const goFile = readdirSync(absoluteRoot).find((file) => file.endsWith('.go') && !file.endsWith('_test.go'));
  return goFile !== undefined && /^package\s+main\b/m.test(readFileSync(join(absoluteRoot, goFile), 'utf-8'));
}

/** The name in the folder's project.json or package.json, if it has one. */
function declaredName(absoluteRoot: string, file: 'project.json' | 'package.json'): string | undefined {
  try {
    const name: unknown = JSON.parse(readFileSync(join(absoluteRoot, file), 'utf-8')).name;
    return typeof name === 'string' && name !== '' ? name : undefined;
  } catch {
    return undefined;
  }
}

/** Nx 21 reads `createNodesV2`; later majors read `createNodes` in the same shape. */
export const createNodes = createNodesV2;
