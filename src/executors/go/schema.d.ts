export interface GoExecutorSchema {
  args: string[];
  outputPath?: string;
  cwd?: string;
  env?: Record<string, string>;
}
