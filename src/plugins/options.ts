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
  dockerBinaryTargetName?: string;
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
  /**
   * Where the Go binary an image holds is compiled. `docker` (the default): in the Dockerfile's
   * build stage, cached by BuildKit's cache mounts. `nx`: by the project's docker-binary target
   * on the host, for every platform, so Nx's cache (local, remote or distributed) shares it and
   * the image is assembled from it.
   */
  goBuild?: GoBuild;
  /** The buildx builder every docker-build and docker-push uses (`docker buildx create --name …`): a shared or remote BuildKit. */
  builder?: string;
  /**
   * BuildKit's layer cache for every image, imported before and exported after each build:
   * `registry` in `<repository>:buildcache` (needs `registry`), `local` in
   * `<layerCacheDir>/<project>` (a folder a CI cache keeps), `gha` in GitHub Actions' cache.
   */
  layerCache?: LayerCache;
  /** The folder of `layerCache: "local"`; default `.cache/buildkit`. */
  layerCacheDir?: string;
  /**
   * A folder a CI cache keeps (e.g. `.cache/go-docker`), for goBuild `docker`: the build stage's
   * Go module and build caches are loaded from it before each docker-build and what the build
   * added is saved to it after, so a fresh runner's builder does not compile from nothing.
   */
  goCacheDir?: string;
}

export type GoBuild = 'docker' | 'nx';
export type LayerCache = 'registry' | 'local' | 'gha';

/** The options that name targets; the others say how targets build and where images go. */
export type TargetNames = Required<
  Omit<NxGoDockerPluginOptions, 'packageProjects' | 'registry' | 'repository' | 'platforms' | 'releaseTags' | 'goBuild' | 'builder' | 'layerCache' | 'layerCacheDir' | 'goCacheDir'>
>;

export const defaultTargetNames: TargetNames = {
  buildTargetName: 'build',
  serveTargetName: 'serve',
  testTargetName: 'test',
  vetTargetName: 'vet',
  tidyTargetName: 'tidy',
  dockerBuildTargetName: 'docker-build',
  dockerRunTargetName: 'docker-run',
  dockerPushTargetName: 'docker-push',
  dockerBinaryTargetName: 'docker-binary',
  composeUpTargetName: 'compose-up',
  composeDownTargetName: 'compose-down',
};

export function normalizePluginOptions(options: NxGoDockerPluginOptions | undefined): TargetNames {
  const name = (key: keyof TargetNames) => options?.[key] ?? defaultTargetNames[key];
  return Object.fromEntries(Object.keys(defaultTargetNames).map((key) => [key, name(key as keyof TargetNames)])) as TargetNames;
}
