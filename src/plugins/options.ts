/** Plugin options in nx.json (`plugins: [{ plugin: 'nx-go-docker', options: {...} }]`): the inferred targets' names. */
export interface NxGoDockerPluginOptions {
  buildTargetName?: string;
  serveTargetName?: string;
  testTargetName?: string;
  vetTargetName?: string;
  tidyTargetName?: string;
  dockerBuildTargetName?: string;
  dockerRunTargetName?: string;
  composeUpTargetName?: string;
  composeDownTargetName?: string;
  /**
   * Package folders inside a module that become projects of their own, relative to each module
   * root: `cmd/*` (every folder in cmd) or an exact folder. Default: `cmd/*`, `internal/*` and
   * `pkg/*` in a workspace with one Go module; `cmd/*` with several.
   */
  packageProjects?: string[];
}

export type TargetNames = Required<Omit<NxGoDockerPluginOptions, 'packageProjects'>>;

export const defaultTargetNames: TargetNames = {
  buildTargetName: 'build',
  serveTargetName: 'serve',
  testTargetName: 'test',
  vetTargetName: 'vet',
  tidyTargetName: 'tidy',
  dockerBuildTargetName: 'docker-build',
  dockerRunTargetName: 'docker-run',
  composeUpTargetName: 'compose-up',
  composeDownTargetName: 'compose-down',
};

export function normalizePluginOptions(options: NxGoDockerPluginOptions | undefined): TargetNames {
  const name = (key: keyof TargetNames) => options?.[key] ?? defaultTargetNames[key];
  return Object.fromEntries(Object.keys(defaultTargetNames).map((key) => [key, name(key as keyof TargetNames)])) as TargetNames;
}
