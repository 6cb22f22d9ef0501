import { Tree } from '@nx/devkit';
import { goModuleFor } from '../../../utils/enclosing-module';
import { goVersionFor } from '../../../utils/go-toolchain';
import {
  goKeywords,
  parseTags,
  validateDirectory,
  validateProjectName,
} from '../../../utils/validate';
import type { GoLibraryGeneratorSchema } from '../schema';

export interface NormalizedGoLibraryOptions {
  name: string;
  projectRoot: string;
  /** The existing module the library is a package of (no go.mod of its own), if any. */
  moduleRoot?: string;
  /** The Go package name: the project name without dashes (string-utils -> stringutils). */
  packageName: string;
  module: string;
  goVersion: string;
  tags: string[];
}

/** Keywords, and `main`, which would make the library a command. */
const badPackageNames = new Set([...goKeywords, 'main']);

/** Fills defaults and validates every option; throws before anything is written. */
export async function normalizeOptions(tree: Tree, schema: GoLibraryGeneratorSchema): Promise<NormalizedGoLibraryOptions> {
  const name = validateProjectName(tree, schema.name, 'go-library');
  const packageName = validatePackageName(name);
  const projectRoot = validateDirectory(tree, schema.directory ?? `libs/${name}`);
  const { moduleRoot, module } = goModuleFor(tree, projectRoot, schema.module);
  const goVersion = await goVersionFor(schema.goVersion);
  return { name, projectRoot, moduleRoot, packageName, module, goVersion, tags: parseTags(schema.tags) };
}

function validatePackageName(name: string): string {
  const packageName = name.replace(/-/g, '');
  if (badPackageNames.has(packageName)) {
    throw new Error(
      `Invalid go-library name '${name}': its Go package would be '${packageName}', which Go reserves. Pick another name, e.g. '${name}-lib'.`,
    );
  }
  return packageName;
}
