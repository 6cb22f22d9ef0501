export interface GoLibraryGeneratorSchema {
  name: string;
  directory?: string;
  module?: string;
  /** A string, or the number Nx makes of `--goVersion=1.26`. */
  goVersion?: string | number;
  tags?: string;
  skipFormat?: boolean;
}
