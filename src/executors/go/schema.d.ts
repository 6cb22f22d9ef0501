export interface GoExecutorSchema {
  args: string[];
  cwd?: string;
  env?: Record<string, string>;
}
