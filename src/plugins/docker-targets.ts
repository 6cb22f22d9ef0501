import type { TargetConfiguration } from '@nx/devkit';
import { hasManagedBlock } from '../utils/docker-context';
import { buildSettings } from './build-settings';
import type { NxGoDockerPluginOptions, TargetNames } from './options';

const technologies = ['docker'];
/** The target `nx release publish` runs; Nx fixes its name. */
const releasePublishTargetName = 'nx-release-publish';

/** The port the image listens on, from the Dockerfile's last EXPOSE (8080 when it has none). */
export function exposedPort(dockerfile: string): number {
  const ports = [...dockerfile.matchAll(/^\s*EXPOSE\s+(\d+)/gim)].map((match) => Number(match[1]));
  return ports.at(-1) ?? 8080;
}

/**
 * Nx may replay docker-build from its cache only while the image it built is still there:
 * the image's ID is an input, and a missing image hashes to a value never seen before.
 * Only for names that are safe to place in the shell command Nx runs for the input.
 */
function imageInput(projectName: string) {
  return /^[a-z0-9][a-z0-9._-]*$/.test(projectName)
    ? [{ runtime: `docker image inspect --format {{.Id}} ${projectName}:latest 2>/dev/null || date +%s%N` }]
    : undefined;
}

/** Whether the Dockerfile can assemble its image from prebuilt binaries (the generated one's `prebuilt` stage). */
export function hasPrebuiltStage(dockerfile: string): boolean {
  return /^\s*FROM\s+\S+\s+AS\s+prebuilt\s*$/im.test(dockerfile) && /^\s*ARG\s+ROOTFS=/m.test(dockerfile);
}

export function dockerBuildTargets(
  dockerfile: string,
  projectName: string,
  names: TargetNames,
  options: NxGoDockerPluginOptions = {},
  goInputs: TargetConfiguration['inputs'] = [],
): Record<string, TargetConfiguration> {
  const managed = hasManagedBlock(dockerfile);
  const image = imageInput(projectName);
  // What both image targets build from: the Dockerfile, its context kept in sync, the sources.
  const buildFrom = { file: '{projectRoot}/Dockerfile', context: managed ? '.' : '{projectRoot}' };
  const syncGenerators = managed ? { syncGenerators: ['nx-go-docker:sync-docker-context'] } : {};
  const sources = ['{projectRoot}/**/*', '!{projectRoot}/**/*_test.go', '!{projectRoot}/**/*.md', '^default'];
  const push = definedOnly({ registry: options.registry, repository: options.repository, platforms: options.platforms });
  // goBuild "nx": the image is assembled from the binaries docker-binary compiled (and Nx cached).
  const prebuilt = options.goBuild === 'nx' && hasPrebuiltStage(dockerfile);
  const fromBinaries = prebuilt
    ? { buildArgs: { ROOTFS: 'prebuilt' }, buildContexts: { binaries: 'dist/{projectRoot}/docker-binary' } }
    : {};
  const goCache = !prebuilt && options.goCacheDir ? { goCacheDir: options.goCacheDir } : {};
  const build = { ...buildFrom, ...fromBinaries, ...buildSettings(projectName, options), ...goCache };
  const binaryFirst = prebuilt ? { dependsOn: [names.dockerBinaryTargetName] } : {};
  return {
    ...(prebuilt ? { [names.dockerBinaryTargetName]: dockerBinaryTarget(options.platforms, goInputs) } : {}),
    [names.dockerBuildTargetName]: {
      executor: 'nx-go-docker:docker-build',
      options: build,
      ...binaryFirst,
      ...syncGenerators,
      cache: image !== undefined,
      inputs: [...sources, ...(image ?? [])],
      outputs: [],
      metadata: {
        description: `Build the container image with docker buildx build (context: ${managed ? 'the workspace root, filtered by Dockerfile.dockerignore' : 'the project folder'}).`,
        technologies,
        help: { command: 'docker buildx build --help', example: { options: { platforms: ['linux/amd64', 'linux/arm64'] } } },
      },
    },
    [names.dockerPushTargetName]: {
      executor: 'nx-go-docker:docker-push',
      options: { ...build, ...push },
      ...binaryFirst,
      ...syncGenerators,
      // Replayed from the cache only for the same sources and commit (the tag is the commit):
      // then the registry already holds what the metadata file records.
      cache: true,
      inputs: [...sources, { runtime: 'git rev-parse HEAD' }],
      outputs: ['{workspaceRoot}/dist/docker/{projectName}.json'],
      metadata: {
        description: 'Build the image for every platform, reproducibly, and push it to the registry once (tagged with the short commit).',
        technologies,
        help: { command: 'docker buildx build --help', example: { options: { registry: 'ghcr.io/acme', tags: ['main'] } } },
      },
    },
    [names.dockerRunTargetName]: {
      executor: 'nx-go-docker:docker-run',
      options: { port: exposedPort(dockerfile) },
      dependsOn: [names.dockerBuildTargetName],
      // Not continuous: with --detach it returns once the container is healthy, which is what a
      // task that depends on it needs, and Nx 21 reports a continuous task that returns as
      // interrupted (exit 130) even when it succeeded.
      cache: false,
      metadata: {
        description: 'Run the built image, its port published on 127.0.0.1.',
        technologies,
        help: { command: 'docker run --help', example: { options: { detach: true, env: { LOG_LEVEL: 'debug' } } } },
      },
    },
    [releasePublishTargetName]: {
      executor: 'nx-go-docker:release-publish',
      options: { ...build, ...push, ...definedOnly({ releaseTags: options.releaseTags }) },
      ...binaryFirst,
      ...syncGenerators,
      cache: false,
      metadata: {
        description: 'Push the image of the version nx release gave this project, tagged with it (and the tags derived from it), once, for every platform.',
        technologies,
        help: { command: 'docker buildx build --help', example: { options: { releaseTags: ['{version}', '{major}.{minor}', '{major}', 'latest'] } } },
      },
    },
  };
}

/** goBuild "nx": the command compiled on the host for every image platform, cached by Nx like any build. */
function dockerBinaryTarget(platforms: string[] | undefined, goInputs: TargetConfiguration['inputs']): TargetConfiguration {
  return {
    executor: 'nx-go-docker:docker-binary',
    options: definedOnly({ platforms }),
    cache: true,
    // The commit is stamped into the binary (its version), as the Dockerfile's build stage does.
    inputs: [...(goInputs ?? []), { runtime: 'git rev-parse HEAD' }],
    outputs: ['{workspaceRoot}/dist/{projectRoot}/docker-binary'],
    metadata: {
      description: 'Compile the command for every image platform (CGO off, trimmed, stripped), for docker-build to assemble the image from.',
      technologies: ['go', 'docker'],
      help: { command: 'go help build', example: { options: { platforms: ['linux/amd64', 'linux/arm64'] } } },
    },
  };
}

export function composeTargets(names: TargetNames): Record<string, TargetConfiguration> {
  const file = '{projectRoot}/compose.yaml';
  return {
    [names.composeUpTargetName]: {
      executor: 'nx-go-docker:compose',
      options: { command: 'up', file },
      cache: false,
      metadata: {
        description: 'Build and start the compose stack; returns once every service is healthy.',
        technologies,
        help: { command: 'docker compose up --help', example: { options: { waitTimeout: 300 } } },
      },
    },
    [names.composeDownTargetName]: {
      executor: 'nx-go-docker:compose',
      options: { command: 'down', file },
      cache: false,
      metadata: {
        description: 'Stop and remove the compose stack (add --volumes to drop its data).',
        technologies,
        help: { command: 'docker compose down --help', example: { options: { volumes: true } } },
      },
    },
  };
}

/**
 * How `nx release` versions a Go project: by git tags (see release/version-actions.ts), as
 * Go modules are. Its `nx-release-publish` target pushes the image of a project with a
 * Dockerfile (see dockerBuildTargets) and notes that a module without one has none.
 */
export const goReleaseConfiguration = {
  version: { versionActions: 'nx-go-docker/dist/release/version-actions', currentVersionResolver: 'git-tag' as const },
};

export function moduleReleaseTarget(): Record<string, TargetConfiguration> {
  return {
    [releasePublishTargetName]: {
      executor: 'nx-go-docker:release-publish',
      cache: false,
      metadata: { description: 'Nothing to push: this Go module has no Dockerfile and is published by its release tag.', technologies: ['go'] },
    },
  };
}

function definedOnly<T extends object>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as Partial<T>;
}
