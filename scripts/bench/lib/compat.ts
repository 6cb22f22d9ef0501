import { tryExec } from '../../../test/support/exec';

/**
 * Which Nx major @nx/docker and @nx-go/nx-go can share with this plugin, from the npm
 * registry's metadata (a handful of `npm view` calls, nothing in bulk).
 */
export interface Compatibility {
  /** The newest Nx major this plugin, @nx/docker and @nx-go/nx-go all support, if any. */
  commonMajor?: number;
  nxGoVersion: string;
  /** The Nx range @nx-go/nx-go declares, and where it declares it. */
  nxGoRange: string;
  nxGoRangeSource: string;
  /** The newest published @nx/docker major. */
  nxDockerLatest: string;
  /** One line per Nx major, why it was or was not chosen. */
  reasons: string[];
}

async function npmView<T>(spec: string, ...fields: string[]): Promise<T | undefined> {
  const { code, stdout } = await tryExec('npm', ['view', spec, ...fields, '--json']);
  if (code !== 0 || !stdout.trim()) return undefined;
  return JSON.parse(stdout) as T;
}

/** The newest version in `spec` (npm view answers a string for one match, an array for more). */
async function newest(spec: string): Promise<string | undefined> {
  const versions = await npmView<string | string[]>(spec, 'version');
  return Array.isArray(versions) ? versions.at(-1) : versions;
}

type Triple = [number, number, number];
const parse = (version: string): Triple => {
  const [major = 0, minor = 0, patch = 0] = version.replace(/^v/, '').split('-')[0].split('.').map((part) => Number(part) || 0);
  return [major, minor, patch];
};
const compare = (a: Triple, b: Triple) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2];

/** Enough of semver's range grammar for peer ranges: `>=21 <25`, `>= 20 < 23`, `^22.1.0`, `~22.1`, `22.x`, `||`. */
export function satisfies(version: string, range: string): boolean {
  const v = parse(version);
  return range.split('||').some((set) => {
    const comparators = [...set.matchAll(/(>=|<=|>|<|=|\^|~)?\s*v?(\d+|x|\*)(?:\.(\d+|x|\*))?(?:\.(\d+|x|\*))?/g)];
    return comparators.every(([, op = '', major, minor, patch]) => {
      if (major === 'x' || major === '*') return true;
      const wildMinor = minor === undefined || minor === 'x' || minor === '*';
      const wildPatch = wildMinor || patch === undefined || patch === 'x' || patch === '*';
      const bound: Triple = [Number(major), wildMinor ? 0 : Number(minor), wildPatch ? 0 : Number(patch)];
      const c = compare(v, bound);
      switch (op) {
        case '>=': return c >= 0;
        case '>': return c > 0;
        case '<=': return c <= 0;
        case '<': return c < 0;
        case '^': return c >= 0 && v[0] === bound[0];
        case '~': return c >= 0 && v[0] === bound[0] && (wildMinor || v[1] === bound[1]);
        default:
          return v[0] === bound[0] && (wildMinor || v[1] === bound[1]) && (wildPatch || v[2] === bound[2]);
      }
    });
  });
}

export async function findCompatibility(ourNxRange: string, majors: number[]): Promise<Compatibility> {
  const nxGo = (await npmView<{ version: string; peerDependencies?: Record<string, string>; dependencies?: Record<string, string> }>(
    '@nx-go/nx-go', 'version', 'peerDependencies', 'dependencies',
  )) ?? { version: 'unknown' };
  const [nxGoRangeSource, nxGoRange] =
    nxGo.peerDependencies?.nx ? ['peerDependencies.nx', nxGo.peerDependencies.nx]
      : nxGo.peerDependencies?.['@nx/devkit'] ? ['peerDependencies.@nx/devkit', nxGo.peerDependencies['@nx/devkit']]
        : nxGo.dependencies?.['@nx/devkit'] ? ['dependencies.@nx/devkit (it declares no peer dependencies)', nxGo.dependencies['@nx/devkit']]
          : ['nothing', '*'];
  const nxDockerLatest = (await npmView<string>('@nx/docker', 'version')) ?? 'unknown';
  const reasons: string[] = [];
  let commonMajor: number | undefined;
  for (const major of [...majors].sort((a, b) => b - a)) {
    const nx = await newest(`nx@^${major}.0.0`);
    if (!nx) {
      reasons.push(`Nx ${major}: no nx ${major}.x release on npm`);
      continue;
    }
    const docker = await newest(`@nx/docker@^${major}.0.0`);
    const problems = [
      ...(satisfies(nx, ourNxRange) ? [] : [`outside this plugin's peer range ${ourNxRange}`]),
      ...(docker ? [] : [`@nx/docker has no ${major}.x release (newest: ${nxDockerLatest})`]),
      ...(satisfies(nx, nxGoRange) ? [] : [`outside @nx-go/nx-go ${nxGo.version}'s ${nxGoRangeSource} range ${nxGoRange}`]),
    ];
    reasons.push(`Nx ${major} (${nx}): ${problems.length ? problems.join('; ') : `all three install (@nx/docker ${docker})`}`);
    if (!problems.length && commonMajor === undefined) commonMajor = major;
  }
  return { commonMajor, nxGoVersion: nxGo.version, nxGoRange, nxGoRangeSource, nxDockerLatest, reasons };
}

/** `npm install -D` in a workspace; the one-line npm error when it fails. */
export async function npmInstall(cwd: string, ...specs: string[]): Promise<{ ok: boolean; error: string }> {
  const result = await tryExec('npm', ['install', '--save-dev', '--no-audit', '--no-fund', '--loglevel=error', ...specs], { cwd });
  const error = result.stderr.split('\n').filter((line) => /npm (error|ERR!)/.test(line) && !/A complete log|npm (error|ERR!)\s*$/.test(line));
  return { ok: result.code === 0, error: error.slice(0, 2).join(' ').replace(/npm (error|ERR!)\s*/g, '').trim() };
}
