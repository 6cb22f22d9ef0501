export type CiProvider = 'github' | 'gitlab';

export interface CiWorkflowGeneratorSchema {
  provider?: CiProvider;
  registry?: string;
  name?: string;
  mainBranch?: string;
  overwrite?: boolean;
  skipFormat?: boolean;
}
