export interface ComposeExecutorSchema {
  command: 'up' | 'down';
  file?: string;
  projectName?: string;
  build?: boolean;
  detach?: boolean;
  wait?: boolean;
  waitTimeout?: number;
  volumes?: boolean;
}
