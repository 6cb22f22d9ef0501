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
}

export const defaultTargetNames: Required<NxGoDockerPluginOptions> = {
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

export function normalizePluginOptions(options: NxGoDockerPluginOptions | undefined): Required<NxGoDockerPluginOptions> {
  return { ...defaultTargetNames, ...options };
}
