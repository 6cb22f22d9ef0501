export interface DockerBinaryExecutorSchema {
  /** The image platforms to compile for, e.g. ["linux/amd64", "linux/arm64"]. */
  platforms?: string[];
  /** Where each platform's root filesystem goes, relative to the workspace root; default dist/{projectRoot}/docker-binary. */
  outputPath?: string;
}
