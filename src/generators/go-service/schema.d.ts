export type GoRuntime = 'scratch' | 'distroless' | 'alpine';

export interface GoServiceGeneratorSchema {
  name: string;
  directory?: string;
  port?: number;
  module?: string;
  /** A string, or the number Nx makes of `--goVersion=1.26`. */
  goVersion?: string | number;
  runtime?: GoRuntime;
  postgres?: boolean;
  tags?: string;
  skipFormat?: boolean;
}
