export interface GoLibraryGeneratorSchema {
  name: string;
  directory?: string;
  module?: string;
  goVersion?: string;
  tags?: string;
}
