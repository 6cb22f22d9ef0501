export interface DockerBuildExecutorSchema {
  file?: string;
  context?: string;
  tags?: string[];
  /** Values may arrive as numbers or booleans: Nx parses `--buildArgs.VERSION=1` as 1. */
  buildArgs?: Record<string, string | number | boolean>;
  labels?: Record<string, string | number | boolean>;
  platforms?: string[];
  target?: string;
  cacheFrom?: string[];
  cacheTo?: string[];
  secrets?: string[];
  pull?: boolean;
  noCache?: boolean;
  builder?: string;
  load?: boolean;
  push?: boolean;
  provenance?: boolean | string;
  metadataFile?: string;
}
