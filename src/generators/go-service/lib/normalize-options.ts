import { Tree } from '@nx/devkit';
import { goModuleFor } from '../../../utils/enclosing-module';
import { goVersionFor } from '../../../utils/go-toolchain';
import {
  validateDirectory,
  validatePort,
  parseTags,
  validateProjectName,
} from '../../../utils/validate';
import type { GoRuntime, GoServiceGeneratorSchema } from '../schema';

export interface NormalizedGoServiceOptions {
  name: string;
  projectRoot: string;
  /** The existing module the service is a package of (no go.mod of its own), if any. */
  moduleRoot?: string;
  port: number;
  module: string;
  goVersion: string;
  goImage: string;
  runtime: GoRuntime;
  runtimeImage: string;
  postgres: boolean;
  tags: string[];
}

/** Final-stage base images, as the seed guides' decision table ranks them. */
export const runtimeImages: Record<GoRuntime, string> = {
  scratch: '',
  distroless: 'gcr.io/distroless/static-debian12:nonroot',
  alpine: 'alpine:3.21',
};

/** Fills defaults and validates every option; throws before anything is written. */
export async function normalizeOptions(tree: Tree, schema: GoServiceGeneratorSchema): Promise<NormalizedGoServiceOptions> {
  const name = validateProjectName(tree, schema.name, 'go-service');
  const projectRoot = validateDirectory(tree, schema.directory ?? `apps/${name}`);
  const port = validatePort(schema.port ?? 8080);
  const { moduleRoot, module } = goModuleFor(tree, projectRoot, schema.module);
  const runtime = validateRuntime(schema.runtime ?? 'scratch');
  const goVersion = await goVersionFor(schema.goVersion);
  return {
    name,
    projectRoot,
    moduleRoot,
    port,
    module,
    goVersion,
    goImage: `golang:${goVersion}-alpine`,
    runtime,
    runtimeImage: runtimeImages[runtime],
    postgres: schema.postgres ?? true,
    tags: parseTags(schema.tags),
  };
}

function validateRuntime(runtime: string): GoRuntime {
  if (!(runtime in runtimeImages)) {
    throw new Error(`Unknown runtime '${runtime}': use one of ${Object.keys(runtimeImages).join(', ')}.`);
  }
  return runtime as GoRuntime;
}
