export interface DockerRunExecutorSchema {
  image?: string;
  port?: number;
  hostPort?: number;
  host?: string;
  /** Values may arrive as numbers or booleans: Nx parses `--env.WORKERS=4` as 4. */
  env?: Record<string, string | number | boolean>;
  envFile?: string;
  name?: string;
  rm?: boolean;
  detach?: boolean;
  waitHealthy?: boolean;
  healthTimeout?: number;
  args?: string[];
  command?: string[];
}
