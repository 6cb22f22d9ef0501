import type { TargetConfiguration } from '@nx/devkit';
import type { NxGoDockerPluginOptions } from './options';

const goExecutor = 'nx-go-docker:go';
const technologies = ['go'];

/** What a Go build depends on: its own sources and module files, its workspace dependencies, the toolchain. */
const goInputs = [
  '{projectRoot}/**/*.go',
  '{projectRoot}/go.mod',
  '{projectRoot}/go.sum',
  '^default',
  { env: 'GOOS' },
  { env: 'GOARCH' },
  { env: 'CGO_ENABLED' },
  { env: 'GOFLAGS' },
  { runtime: 'go version' },
];

const productionGoInputs = ['!{projectRoot}/**/*_test.go', ...goInputs];

export function goTargets(names: Required<NxGoDockerPluginOptions>): Record<string, TargetConfiguration> {
  return {
    [names.buildTargetName]: {
      executor: goExecutor,
      options: { args: ['build', '-trimpath', '.'], outputPath: 'dist/{projectRoot}' },
      cache: true,
      inputs: productionGoInputs,
      outputs: ['{workspaceRoot}/dist/{projectRoot}'],
      metadata: { description: 'Compile the Go package into dist/ with go build.', technologies },
    },
    [names.testTargetName]: {
      executor: goExecutor,
      options: { args: ['test', './...'] },
      cache: true,
      inputs: goInputs,
      outputs: [],
      metadata: { description: 'Run the Go tests with go test ./...', technologies },
    },
    [names.vetTargetName]: {
      executor: goExecutor,
      options: { args: ['vet', './...'] },
      cache: true,
      inputs: goInputs,
      outputs: [],
      metadata: { description: 'Report suspicious constructs with go vet ./...', technologies },
    },
    [names.tidyTargetName]: {
      executor: goExecutor,
      options: { args: ['mod', 'tidy'] },
      cache: false,
      metadata: { description: 'Add missing and remove unused module requirements (go mod tidy).', technologies },
    },
  };
}
