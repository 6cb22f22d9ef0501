import { RunOptions, isValidImageReference } from '../../../docker';
import { asStrings } from '../../../utils/executor-context';
import type { DockerRunExecutorSchema } from '../schema';

export interface NormalizedDockerRunOptions extends DockerRunExecutorSchema, RunOptions {
  image: string;
  env: Record<string, string>;
  port: number;
  hostPort: number;
  host: string;
  name: string;
  rm: boolean;
  detach: boolean;
  waitHealthy: boolean;
  healthTimeout: number;
}

export function withDefaults(options: DockerRunExecutorSchema, projectName: string): NormalizedDockerRunOptions {
  const port = options.port ?? 8080;
  const detach = options.detach ?? false;
  return {
    ...options,
    image: options.image ?? `${projectName}:latest`,
    env: asStrings(options.env),
    port,
    hostPort: options.hostPort ?? port,
    host: options.host ?? '127.0.0.1',
    name: options.name ?? projectName,
    rm: options.rm ?? true,
    detach,
    waitHealthy: detach && (options.waitHealthy ?? true),
    healthTimeout: options.healthTimeout ?? 60,
  };
}

const isPort = (port: number) => Number.isInteger(port) && port >= 1 && port <= 65535;

export function optionsProblem(options: NormalizedDockerRunOptions): string | undefined {
  if (!isValidImageReference(options.image)) {
    return `Invalid image '${options.image}': use [registry/]name[:tag] in lower case without spaces, e.g. orders-api:latest.`;
  }
  if (!isPort(options.port)) return `Invalid port '${options.port}': use a whole number from 1 to 65535.`;
  if (!isPort(options.hostPort)) return `Invalid hostPort '${options.hostPort}': use a whole number from 1 to 65535.`;
  if (!/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(options.name)) {
    return `Invalid container name '${options.name}': use letters, digits, '_', '.' and '-', starting with a letter or digit.`;
  }
  const badEnv = Object.keys(options.env).find((key) => key === '' || key.includes('='));
  if (badEnv !== undefined) return `Invalid env name '${badEnv}': names cannot be empty or contain '='.`;
  if (!(options.healthTimeout > 0)) return `Invalid healthTimeout '${options.healthTimeout}': give a positive number of seconds.`;
  return undefined;
}
