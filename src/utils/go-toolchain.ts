import { logger } from '@nx/devkit';
import { installedGoVersion } from './installed-go';
import { validateGoVersion } from './validate';

/**
 * The Go releases the Go team supports as this version of the plugin ships, newest first:
 * each gets security fixes until the release two after it. Update when a Go release ships.
 */
export const supportedGoReleases = ['1.26', '1.25'] as const;

/** The Go release generated files use when no Go is installed: the newest supported one. */
export const pinnedGoVersion = supportedGoReleases[0];

/** The installed Go's minor version (`1.26`), or undefined when `go` is not on PATH. */
export async function detectGoMinorVersion(): Promise<string | undefined> {
  return /^go(1\.\d+)/.exec((await installedGoVersion()) ?? '')?.[1];
}

/** A warning for a Go release older than every supported one (it gets no security fixes), else undefined. */
export function unsupportedGoWarning(version: string): string | undefined {
  const minor = (release: string) => Number(release.split('.')[1]);
  const oldest = supportedGoReleases[supportedGoReleases.length - 1];
  if (minor(version) >= minor(oldest)) return undefined;
  return `Go ${version} no longer gets security fixes (supported: Go ${[...supportedGoReleases].reverse().join(' and ')}); an image built with it carries known standard-library vulnerabilities. Use --goVersion=${pinnedGoVersion}.`;
}

/** The Go version generated files use: the requested one, else the installed minor, else the pinned one; warned about when unsupported. */
export async function goVersionFor(requested: string | number | undefined): Promise<string> {
  const version = validateGoVersion(requested ?? (await detectGoMinorVersion()) ?? pinnedGoVersion);
  const warning = unsupportedGoWarning(version);
  if (warning) logger.warn(warning);
  return version;
}
