import { fillTemplate } from '../utils/fill-template';
import type { NxGoDockerPluginOptions } from './options';

/** What every image target of a project builds with, from the plugin options. */
export interface BuildSettings {
  builder?: string;
  cacheFrom?: string[];
  cacheTo?: string[];
}

/**
 * The `builder` and BuildKit layer cache (`cacheFrom`/`cacheTo`) the plugin options give every
 * image target. The cache is exported with `ignore-error=true`: a build on a machine that
 * cannot write it (a laptop without registry credentials) still succeeds, with a warning.
 */
export function buildSettings(projectName: string, options: NxGoDockerPluginOptions | undefined): BuildSettings {
  const cache = layerCache(projectName, options);
  return {
    ...(options?.builder ? { builder: options.builder } : {}),
    ...(cache ? { cacheFrom: [cache.from], cacheTo: [`${cache.to},ignore-error=true`] } : {}),
  };
}

function layerCache(projectName: string, options: NxGoDockerPluginOptions | undefined): { from: string; to: string } | undefined {
  switch (options?.layerCache) {
    case undefined:
      return undefined;
    case 'registry': {
      if (!options.registry) {
        throw new Error(`nx-go-docker: "layerCache": "registry" keeps the cache beside the images: set "registry" (e.g. "ghcr.io/acme") in its plugin options in nx.json.`);
      }
      const ref = `${fillTemplate(options.repository ?? '{registry}/{projectName}', { registry: options.registry, projectName })}:buildcache`;
      return { from: `type=registry,ref=${ref}`, to: `type=registry,ref=${ref},mode=max` };
    }
    case 'local': {
      const dir = `${(options.layerCacheDir ?? '.cache/buildkit').replace(/\/+$/, '')}/${projectName}`;
      return { from: `type=local,src=${dir}`, to: `type=local,dest=${dir},mode=max` };
    }
    case 'gha':
      return { from: `type=gha,scope=${projectName}`, to: `type=gha,scope=${projectName},mode=max` };
    default:
      throw new Error(`nx-go-docker: unknown "layerCache" '${String(options?.layerCache)}' in its plugin options in nx.json: use "registry", "local" or "gha".`);
  }
}
