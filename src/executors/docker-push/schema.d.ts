export interface DockerPushExecutorSchema {
  registry?: string;
  repository?: string;
  platforms?: string[];
  tags?: string[];
  file?: string;
  context?: string;
  /** Values may arrive as numbers or booleans: Nx parses `--buildArgs.VERSION=1` as 1. */
  buildArgs?: Record<string, string | number | boolean>;
  noCache?: boolean;
  provenance?: boolean;
  sbom?: boolean;
  metadataFile?: string;
  dryRun?: boolean;
}
