export interface DockerRunExecutorSchema {
  image?: string;
  port?: number;
  hostPort?: number;
  host?: string;
  env?: Record<string, string>;
  envFile?: string;
  name?: string;
  rm?: boolean;
  detach?: boolean;
  waitHealthy?: boolean;
  healthTimeout?: number;
  args?: string[];
  command?: string[];
}
