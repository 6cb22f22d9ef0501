import type { TargetConfiguration } from '@nx/devkit';
import type { NxGoDockerPluginOptions } from './options';

const technologies = ['docker'];

/** The port the image listens on, from the Dockerfile's last EXPOSE (8080 when it has none). */
export function exposedPort(dockerfile: string): number {
  const ports = [...dockerfile.matchAll(/^\s*EXPOSE\s+(\d+)/gim)].map((match) => Number(match[1]));
  return ports.at(-1) ?? 8080;
}

export function dockerBuildTargets(
  dockerfile: string,
  names: Required<NxGoDockerPluginOptions>,
): Record<string, TargetConfiguration> {
  return {
    [names.dockerBuildTargetName]: {
      executor: 'nx-go-docker:docker-build',
      options: { file: '{projectRoot}/Dockerfile', context: '{projectRoot}' },
      cache: false,
      inputs: [
        '{projectRoot}/**/*',
        '!{projectRoot}/**/*_test.go',
        '^default',
      ],
      metadata: { description: 'Build the container image with docker buildx build.', technologies },
    },
    [names.dockerRunTargetName]: {
      executor: 'nx-go-docker:docker-run',
      options: { port: exposedPort(dockerfile) },
      dependsOn: [names.dockerBuildTargetName],
      cache: false,
      metadata: { description: 'Run the built image, its port published on 127.0.0.1.', technologies },
    },
  };
}

export function composeTargets(names: Required<NxGoDockerPluginOptions>): Record<string, TargetConfiguration> {
  const file = '{projectRoot}/compose.yaml';
  return {
    [names.composeUpTargetName]: {
      executor: 'nx-go-docker:compose',
      options: { command: 'up', file },
      cache: false,
      metadata: { description: 'Build and start the compose stack; returns once every service is healthy.', technologies },
    },
    [names.composeDownTargetName]: {
      executor: 'nx-go-docker:compose',
      options: { command: 'down', file },
      cache: false,
      metadata: { description: 'Stop and remove the compose stack (add --volumes to drop its data).', technologies },
    },
  };
}
