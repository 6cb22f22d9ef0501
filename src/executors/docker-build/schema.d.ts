export interface DockerBuildExecutorSchema {
  file?: string;
  context?: string;
  tags?: string[];
  buildArgs?: Record<string, string>;
  labels?: Record<string, string>;
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
  metadataFile?: string;
}
