export interface DockerBuildExecutorSchema {
  file?: string;
  context?: string;
  tags?: string[];
  /** Values may arrive as numbers or booleans: Nx parses `--buildArgs.VERSION=1` as 1. */
  buildArgs?: Record<string, string | number | boolean>;
  labels?: Record<string, string | number | boolean>;
  platforms?: string[];
  target?: string;
  /** Named build contexts, name to folder (relative to the workspace root): `--build-context name=path`. */
  buildContexts?: Record<string, string>;
  /** A folder (kept by a CI cache) the Go module and build caches of the build stage are loaded from and saved to. */
  goCacheDir?: string;
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
