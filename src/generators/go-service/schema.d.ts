export type GoRuntime = 'scratch' | 'distroless' | 'alpine';

export interface GoServiceGeneratorSchema {
  name: string;
  directory?: string;
  port?: number;
  module?: string;
  goVersion?: string;
  runtime?: GoRuntime;
  postgres?: boolean;
  tags?: string;
}
