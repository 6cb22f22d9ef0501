/** Plugin options in nx.json (`plugins: [{ plugin: 'nx-go-docker', options: {...} }]`): the inferred targets' names. */
export interface NxGoDockerPluginOptions {
  buildTargetName?: string;
  serveTargetName?: string;
  testTargetName?: string;
  vetTargetName?: string;
  tidyTargetName?: string;
  dockerBuildTargetName?: string;
  dockerRunTargetName?: string;
  dockerPushTargetName?: string;
  composeUpTargetName?: string;
  composeDownTargetName?: string;
  /**
   * Package folders inside a module that become projects of their own, relative to each module
   * root: `cmd/*` (every folder in cmd) or an exact folder. Default: `cmd/*`, `internal/*` and
   * `pkg/*` in a workspace with one Go module; `cmd/*` with several.
   */
  packageProjects?: string[];
  /** Where docker-push sends every project's image, e.g. ghcr.io/acme (a project.json can override it). */
  registry?: string;
  /** docker-push's repository template; default `{registry}/{projectName}`. */
  repository?: string;
  /** docker-push's platforms; default linux/amd64 and linux/arm64. */
  platforms?: string[];
  /** The image tags `nx release publish` pushes, as templates; default `["{version}"]` (see the release-publish executor). */
  releaseTags?: string[];
}

export type TargetNames = Required<Omit<NxGoDockerPluginOptions, 'packageProjects' | 'registry' | 'repository' | 'platforms' | 'releaseTags'>>;

export const defaultTargetNames: TargetNames = {
  buildTargetName: 'build',
  serveTargetName: 'serve',
  testTargetName: 'test',
  vetTargetName: 'vet',
  tidyTargetName: 'tidy',
  dockerBuildTargetName: 'docker-build',
  dockerRunTargetName: 'docker-run',
  dockerPushTargetName: 'docker-push',
  composeUpTargetName: 'compose-up',
  composeDownTargetName: 'compose-down',
};

export function normalizePluginOptions(options: NxGoDockerPluginOptions | undefined): TargetNames {
  const name = (key: keyof TargetNames) => options?.[key] ?? defaultTargetNames[key];
  return Object.fromEntries(Object.keys(defaultTargetNames).map((key) => [key, name(key as keyof TargetNames)])) as TargetNames;
}
