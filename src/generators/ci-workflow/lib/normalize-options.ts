import { NxJsonConfiguration, Tree, readNxJson, visitNotIgnoredFiles } from '@nx/devkit';
import { posix } from 'node:path';
import { isValidImageReference } from '../../../docker/images';
import { NxGoDockerPluginOptions, normalizePluginOptions } from '../../../plugins/options';
import { pluginName } from '../../init/init';
import type { CiProvider, CiWorkflowGeneratorSchema } from '../schema';

/** Go's build and module caches on the runner: folders of the workspace, so both providers' caches can keep them. */
export const goCacheFolders = { build: '.cache/go-build', modules: '.cache/go-mod' };

/** How the workflow logs in to the registry before docker-push. */
export type RegistryCredentials =
  /** ghcr.io with the job's GITHUB_TOKEN (needs `packages: write`). */
  | 'github-token'
  /** GitLab's own container registry with the job's CI_REGISTRY_USER and CI_REGISTRY_PASSWORD. */
  | 'gitlab-registry'
  /** Any other registry: REGISTRY_USERNAME and REGISTRY_PASSWORD, which the user sets in the CI settings. */
  | 'variables';

export interface NormalizedCiWorkflowOptions {
  provider: CiProvider;
  /** The workflow's name (GitHub). */
  name: string;
  /** Where the workflow is written, relative to the workspace root. */
  file: string;
  /** An existing workflow of the same name under the other extension (`.yaml`), replaced by `file`. */
  replaces?: string;
  mainBranch: string;
  /**
   * The REGISTRY variable the workflow passes to docker-push as --registry; undefined when the
   * plugin options in nx.json name the registry, so each project's own setting applies.
   */
  registry?: string;
  /** The registry holds an expression whose value may have capitals (a GitHub owner), so a step lower-cases it. */
  lowerCaseRegistry: boolean;
  /** The host `docker login` is given, e.g. ghcr.io. */
  registryHost: string;
  credentials: RegistryCredentials;
  /** The file setup-go reads the Go version from: go.work, else the first go.mod. */
  goVersionFile: string;
  /** The file setup-node reads the Node.js version from (.nvmrc, .node-version), if the workspace has one. */
  nodeVersionFile?: string;
  goCache: typeof goCacheFolders;
  /** The folders the plugin options keep image build caches in (goCacheDir, layerCache "local"), for the CI cache to keep. */
  imageCaches: string[];
  /** The inferred targets' names, as the plugin options in nx.json may rename them. */
  targets: { vet: string; test: string; build: string; dockerBuild: string; dockerPush: string };
}

/** What the registry is when neither the option nor nx.json names one. */
const defaultRegistries: Record<CiProvider, string> = {
  github: 'ghcr.io/${{ github.repository_owner }}',
  gitlab: '$CI_REGISTRY_IMAGE',
};

const workflowFolder = '.github/workflows';

/** Fills defaults and validates every option; throws before anything is written. */
export function normalizeOptions(tree: Tree, schema: CiWorkflowGeneratorSchema): NormalizedCiWorkflowOptions {
  const provider = validateProvider(schema.provider ?? 'github');
  const nxJson = readNxJson(tree) ?? {};
  const pluginOptions = pluginOptionsIn(nxJson.plugins);
  const name = validateName(provider, schema.name);
  const { file, replaces } = workflowFile(tree, provider, name, schema.overwrite ?? false);
  const mainBranch = validateBranch(schema.mainBranch ?? nxJson.defaultBase ?? nxJson.affected?.defaultBase ?? 'main');
  const registry = registryFor(provider, schema.registry, pluginOptions.registry);
  const names = normalizePluginOptions(pluginOptions);
  return {
    provider,
    name,
    file,
    replaces,
    mainBranch,
    ...registry,
    goVersionFile: goVersionFile(tree),
    nodeVersionFile: ['.nvmrc', '.node-version'].find((candidate) => tree.exists(candidate)),
    goCache: goCacheFolders,
    imageCaches: imageCacheFolders(pluginOptions),
    targets: {
      vet: names.vetTargetName,
      test: names.testTargetName,
      build: names.buildTargetName,
      dockerBuild: names.dockerBuildTargetName,
      dockerPush: names.dockerPushTargetName,
    },
  };
}

function validateProvider(provider: string): CiProvider {
  if (provider !== 'github' && provider !== 'gitlab') {
    throw new Error(`Unknown provider '${provider}': use github or gitlab, e.g. --provider=gitlab.`);
  }
  return provider;
}

function validateName(provider: CiProvider, name: string | undefined): string {
  if (provider === 'gitlab') {
    if (name !== undefined) throw new Error(`GitLab reads its pipeline from .gitlab-ci.yml only: drop --name=${name}.`);
    return 'ci';
  }
  if (name === undefined) return 'ci';
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(name)) {
    throw new Error(`Invalid workflow name '${name}': use letters, digits, '_' and '-' without a folder or extension, e.g. --name=ci.`);
  }
  return name;
}

function workflowFile(tree: Tree, provider: CiProvider, name: string, overwrite: boolean): { file: string; replaces?: string } {
  const file = provider === 'github' ? `${workflowFolder}/${name}.yml` : '.gitlab-ci.yml';
  const existing = [file, file.replace(/\.yml$/, '.yaml')].find((candidate) => tree.exists(candidate));
  if (existing !== undefined && !overwrite) {
    const other = provider === 'github' ? ', or pick another --name' : '';
    throw new Error(`${existing} already exists: pass --overwrite to replace it${other}.`);
  }
  return { file, replaces: existing !== file ? existing : undefined };
}

/** The rules of `git check-ref-format --branch`, for the names a team gives its main branch. */
function validateBranch(branch: string): string {
  const valid =
    /^[A-Za-z0-9._/-]+$/.test(branch) &&
    !branch.startsWith('-') &&
    !branch.split('/').some((part) => part === '' || part.startsWith('.') || part.endsWith('.lock')) &&
    !branch.includes('..') &&
    !branch.endsWith('.');
  if (!valid) throw new Error(`Invalid mainBranch '${branch}': use a git branch name such as main or release/v2.`);
  return branch;
}

function registryFor(
  provider: CiProvider,
  option: string | undefined,
  configured: string | undefined,
): Pick<NormalizedCiWorkflowOptions, 'registry' | 'lowerCaseRegistry' | 'registryHost' | 'credentials'> {
  const given = option === undefined ? undefined : validateRegistry(option, '');
  const inNxJson = configured === undefined ? undefined : validateRegistry(configured, ' in the nx-go-docker plugin options in nx.json');
  const registry = given ?? inNxJson;
  if (registry === undefined) {
    return {
      registry: defaultRegistries[provider],
      lowerCaseRegistry: provider === 'github',
      registryHost: provider === 'github' ? 'ghcr.io' : '$CI_REGISTRY',
      credentials: provider === 'github' ? 'github-token' : 'gitlab-registry',
    };
  }
  const host = registryHostOf(registry);
  return {
    // docker-push reads the registry of nx.json itself (and a project's own before it).
    registry: registry === inNxJson ? undefined : registry,
    lowerCaseRegistry: false,
    registryHost: host,
    credentials: provider === 'github' && host === 'ghcr.io' ? 'github-token' : 'variables',
  };
}

/** The registry without a trailing slash; `where` it was found goes into the message: the option, or nx.json. */
function validateRegistry(registry: string, where: string): string {
  const path = registry.replace(/\/+$/, '');
  if (!isValidImageReference(`${path}/image`) || /[:@]/.test(path.split('/').slice(1).join('/'))) {
    throw new Error(`Invalid registry '${registry}'${where}: use host[:port]/namespace in lower case, e.g. ghcr.io/acme.`);
  }
  return path;
}

/** The host docker login takes, as docker-push reads it: the first part when it names a host, else Docker Hub. */
function registryHostOf(registry: string): string {
  const first = registry.split('/')[0];
  return /[.:]/.test(first) || first === 'localhost' ? first : 'docker.io';
}

function pluginOptionsIn(plugins: NxJsonConfiguration['plugins']): NxGoDockerPluginOptions {
  for (const entry of plugins ?? []) {
    if (typeof entry !== 'string' && entry.plugin === pluginName) return (entry.options ?? {}) as NxGoDockerPluginOptions;
  }
  return {};
}

/** go.work when the workspace has one (it names the Go version every module builds with), else the shallowest go.mod. */
function goVersionFile(tree: Tree): string {
  if (tree.exists('go.work')) return 'go.work';
  const goMods: string[] = [];
  visitNotIgnoredFiles(tree, '', (file) => {
    if (posix.basename(file) === 'go.mod') goMods.push(file);
  });
  const depth = (file: string) => file.split('/').length;
  const [first] = goMods.sort((a, b) => depth(a) - depth(b) || a.localeCompare(b));
  if (first === undefined) {
    throw new Error(`No go.work or go.mod in the workspace: the workflow's setup-go reads the Go version from one. Generate a service first (nx g nx-go-docker:go-service api), then retry.`);
  }
  return first;
}

/** The image build caches the plugin options keep in workspace folders. */
function imageCacheFolders(options: NxGoDockerPluginOptions): string[] {
  return [
    ...(options.goCacheDir ? [options.goCacheDir] : []),
    ...(options.layerCache === 'local' ? [options.layerCacheDir ?? '.cache/buildkit'] : []),
  ].map((folder) => folder.replace(/^\.\//, '').replace(/\/+$/, ''));
}
