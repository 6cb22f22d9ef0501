import type { TargetConfiguration } from '@nx/devkit';
import type { TargetNames } from './options';

const goExecutor = 'nx-go-docker:go';
const technologies = ['go'];

/**
 * What a Go build depends on: its own sources and module files, its workspace dependencies,
 * the toolchain. A package inside a module (`moduleRoot`) depends on that module's go.mod and
 * go.sum, which belong to the module's project: as inputs they also make it affected by them.
 */
export function goInputs(moduleRoot: string | undefined) {
  const moduleFiles = moduleRoot === undefined ? '{projectRoot}' : moduleRoot === '.' ? '{workspaceRoot}' : `{workspaceRoot}/${moduleRoot}`;
  return [
    '{projectRoot}/**/*.go',
    `${moduleFiles}/go.mod`,
    `${moduleFiles}/go.sum`,
    '^default',
    { env: 'GOOS' },
    { env: 'GOARCH' },
    { env: 'CGO_ENABLED' },
    { env: 'GOFLAGS' },
    { runtime: 'go version' },
  ];
}

/** What `nx show project` offers as help for a target: the go command's own. */
const help = (command: string, args: string[]) => ({ command: `go help ${command}`, example: { options: { args } } });

/** A command (package main at the project root) builds a binary into dist/; a library compiles to check it builds. */
/** What a binary is compiled from: goInputs without the tests. */
export function productionGoInputs(moduleRoot: string | undefined) {
  return ['!{projectRoot}/**/*_test.go', ...goInputs(moduleRoot)];
}

function buildTarget(isCommand: boolean, moduleRoot: string | undefined): TargetConfiguration {
  return isCommand
    ? {
        executor: goExecutor,
        options: { args: ['build', '-trimpath', '.'], outputPath: 'dist/{projectRoot}' },
        cache: true,
        inputs: productionGoInputs(moduleRoot),
        outputs: ['{workspaceRoot}/dist/{projectRoot}'],
        metadata: { description: 'Compile the command into dist/ with go build.', technologies, help: help('build', ['build', '-race', '.']) },
      }
    : {
        executor: goExecutor,
        options: { args: ['build', './...'] },
        cache: true,
        inputs: productionGoInputs(moduleRoot),
        outputs: [],
        metadata: { description: 'Check that every package compiles (go build ./...).', technologies, help: help('build', ['build', './...']) },
      };
}

/** The Go targets a project gets, in the order `nx show project` lists them under "Go"; a package inside a module has no tidy of its own. */
export function goTargetNames(names: TargetNames, isCommand: boolean, moduleRoot?: string): string[] {
  return [
    names.buildTargetName,
    ...(isCommand ? [names.serveTargetName] : []),
    names.testTargetName,
    names.vetTargetName,
    ...(moduleRoot === undefined ? [names.tidyTargetName] : []),
  ];
}

/** `moduleRoot`: the module a package project belongs to; undefined for a module. */
export function goTargets(names: TargetNames, isCommand: boolean, moduleRoot?: string): Record<string, TargetConfiguration> {
  const inputs = goInputs(moduleRoot);
  return {
    [names.buildTargetName]: buildTarget(isCommand, moduleRoot),
    ...(isCommand
      ? {
          [names.serveTargetName]: {
            executor: goExecutor,
            options: { args: ['run', '.'] },
            continuous: true,
            cache: false,
            metadata: { description: 'Run the command from source with go run (stop it with Ctrl-C).', technologies, help: help('run', ['run', '.', '--', '-flag']) },
          },
        }
      : {}),
    [names.testTargetName]: {
      executor: goExecutor,
      options: { args: ['test', './...'] },
      cache: true,
      inputs,
      outputs: [],
      metadata: { description: 'Run the Go tests with go test ./...', technologies, help: help('test', ['test', '-race', './...']) },
    },
    [names.vetTargetName]: {
      executor: goExecutor,
      options: { args: ['vet', './...'] },
      cache: true,
      inputs,
      outputs: [],
      metadata: { description: 'Report suspicious constructs with go vet ./...', technologies, help: help('vet', ['vet', './...']) },
    },
    ...(moduleRoot === undefined
      ? {
          [names.tidyTargetName]: {
            executor: goExecutor,
            options: { args: ['mod', 'tidy'] },
            cache: false,
            metadata: { description: 'Add missing and remove unused module requirements (go mod tidy).', technologies, help: help('mod tidy', ['mod', 'tidy']) },
          },
        }
      : {}),
  };
}
