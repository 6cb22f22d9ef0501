export interface DockerPushExecutorSchema {
  registry?: string;
  repository?: string;
  platforms?: string[];
  tags?: string[];
  file?: string;
  context?: string;
  /** Values may arrive as numbers or booleans: Nx parses `--buildArgs.VERSION=1` as 1. */
  buildArgs?: Record<string, string | number | boolean>;
  builder?: string;
  /** Named build contexts, name to folder (relative to the workspace root). */
  buildContexts?: Record<string, string>;
  cacheFrom?: string[];
  cacheTo?: string[];
  /** A folder (kept by a CI cache) the build stage's Go caches are loaded from and saved to. */
  goCacheDir?: string;
  noCache?: boolean;
  provenance?: boolean;
  sbom?: boolean;
  metadataFile?: string;
  dryRun?: boolean;
}
