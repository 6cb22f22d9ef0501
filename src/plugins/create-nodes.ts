// Types only: the plugin worker Nx starts for the graph loads no @nx/devkit (see index.ts).
import type { CreateNodesContextV2, CreateNodesResult, CreateNodesV2 } from '@nx/devkit';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { composeTargets, dockerBuildTargets, goReleaseConfiguration, moduleReleaseTarget } from './docker-targets';
import { goTargetNames, goTargets, productionGoInputs } from './go-targets';
import { NxGoDockerPluginOptions, normalizePluginOptions } from './options';
import { GoProjectFolderInfo, goProjectFolders } from './go-project-folders';
import { projectNames } from './project-names';

/**
 * Every Go module (a folder with a go.mod) is a project with build, test, vet and tidy
 * targets, and so is every package folder that go-project-folders.ts names (commands of a
 * single-module repository, a service generated inside a module); plus the Docker targets
 * where a Dockerfile or compose.yaml is. Names are unique across the workspace
 * (project-names.ts). Reads files only; never runs go or docker.
 */
export const createNodesV2: CreateNodesV2<NxGoDockerPluginOptions> = [
  '**/{go.mod,project.json}',
  (files, options, context) => {
    const folders = goProjectFolders(files, context.workspaceRoot, options?.packageProjects);
    const names = projectNames(folders);
    const byFile = new Map<string, GoProjectFolderInfo[]>();
    for (const folder of folders) byFile.set(folder.file, [...(byFile.get(folder.file) ?? []), folder]);
    return files.map((file): [string, CreateNodesResult] => [
      file,
      { projects: Object.fromEntries((byFile.get(file) ?? []).map((folder) => [folder.root, goProject(folder, names.get(folder.root)!, options, context)])) },
    ]);
  },
];

function goProject(folder: GoProjectFolderInfo, projectName: string, options: NxGoDockerPluginOptions | undefined, context: CreateNodesContextV2) {
  const names = normalizePluginOptions(options);
  const absoluteRoot = join(context.workspaceRoot, folder.root);
  const dockerfile = join(absoluteRoot, 'Dockerfile');
  const isCommand = hasMainPackage(absoluteRoot);
  const moduleRoot = folder.moduleRoot === folder.root ? undefined : folder.moduleRoot;
  const hasDockerfile = existsSync(dockerfile);
  const docker = hasDockerfile ? dockerBuildTargets(readFileSync(dockerfile, 'utf-8'), projectName, names, options, productionGoInputs(moduleRoot)) : {};
  const compose = existsSync(join(absoluteRoot, 'compose.yaml')) ? composeTargets(names) : {};
  // nx release versions modules and images; a package inside a module has neither of its own.
  const released = hasDockerfile || moduleRoot === undefined;
  const release = hasDockerfile || moduleRoot !== undefined ? {} : moduleReleaseTarget();
  const targets = { ...goTargets(names, isCommand, moduleRoot), ...docker, ...compose, ...release };
  const dockerTargets = [...Object.keys(docker).filter((target) => target !== 'nx-release-publish'), ...Object.keys(compose)];
  const metadata = { targetGroups: { Go: goTargetNames(names, isCommand, moduleRoot), ...(dockerTargets.length ? { Docker: dockerTargets } : {}) } };
  // A name from project.json comes from Nx's own reading of it; any other is set here.
  const name = folder.declared !== undefined && existsSync(join(absoluteRoot, 'project.json')) ? {} : { name: projectName };
  return { root: folder.root, ...name, targets, metadata, ...(released ? { release: goReleaseConfiguration } : {}) };
}

/** Whether the project folder holds package main (a command), read from its first non-test .go file. */
function hasMainPackage(absoluteRoot: string): boolean {
  const goFile = readdirSync(absoluteRoot).find((file) => file.endsWith('.go') && !file.endsWith('_test.go'));
  return goFile !== undefined && /^package\s+main\b/m.test(readFileSync(join(absoluteRoot, goFile), 'utf-8'));
}

/** Nx 21 reads `createNodesV2`; later majors read `createNodes` in the same shape. */
export const createNodes = createNodesV2;
