import type { GitRevision } from '../../../utils/git';
import { fillTemplate } from '../../../utils/fill-template';

/** What `nx release` hands each nx-release-publish task: every project's versions in this release. */
export type ReleaseVersionData = Record<string, { newVersion?: string | null; currentVersion?: string | null } | undefined>;

const semver = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;

export function isSemver(version: string): boolean {
  return semver.test(version);
}

/**
 * The release tag patterns to look for on HEAD when `nx release publish` runs on its own:
 * those in nx.json (`release.releaseTag.pattern` from Nx 22, `release.releaseTagPattern`
 * before, and each group's), then Nx's defaults for independent and fixed releases.
 */
export function releaseTagPatterns(nxJson: { release?: Record<string, unknown> } | undefined): string[] {
  const release = nxJson?.release ?? {};
  const patternOf = (config: Record<string, unknown> | undefined) =>
    ((config?.releaseTag as { pattern?: string } | undefined)?.pattern ?? config?.releaseTagPattern) as string | undefined;
  const groups = Object.values((release.groups ?? {}) as Record<string, Record<string, unknown>>);
  const configured = [patternOf(release), ...groups.map(patternOf)].filter((pattern): pattern is string => typeof pattern === 'string');
  return [...new Set([...configured, '{projectName}@{version}', 'v{version}'])];
}

/** The version named by the first pattern that a tag on HEAD matches, the project's own patterns first. */
export function versionFromTags(tagsAtHead: string[], patterns: string[], projectName: string): string | undefined {
  const own = [...patterns].sort((a, b) => Number(b.includes('{projectName}')) - Number(a.includes('{projectName}')));
  for (const pattern of own) {
    const escaped = pattern.replace(/\{projectName\}/g, projectName).replace(/[.*+?^$()|[\]\\]/g, '\\$&');
    const matcher = new RegExp(`^${escaped.replace(/\{version\}/g, '(.+)')}$`);
    for (const tag of tagsAtHead) {
      const version = matcher.exec(tag)?.[1];
      if (version !== undefined && isSemver(version)) return version;
    }
  }
  return undefined;
}

/**
 * The image tags of a release, from templates in the spirit of docker/metadata-action:
 * {version}, {major}, {minor}, {patch}, {shortSha}, {sha}, {projectName} and plain text such as
 * `latest`. A prerelease (1.4.0-rc.1) keeps only the tags that name it exactly: `1.4`, `1` or
 * `latest` would move a tag that users of the stable line pull. A `+build` suffix becomes `-build`
 * (Docker tags have no `+`).
 */
export function releaseImageTags(
  version: string,
  templates: string[],
  projectName: string,
  git: GitRevision,
): { tags: string[]; dropped: string[] } {
  const [, major, minor, patch, prerelease] = semver.exec(version) ?? [];
  const exact = (template: string) => /\{(version|shortSha|sha)\}/.test(template);
  const kept = prerelease === undefined ? templates : templates.filter(exact);
  const values = { version: version.replace(/\+/g, '-'), major, minor, patch, shortSha: git.shortCommit, sha: git.commit, projectName };
  const tags = kept.map((template) => fillTemplate(template, values));
  return { tags: [...new Set(tags)], dropped: templates.filter((template) => !kept.includes(template)) };
}
