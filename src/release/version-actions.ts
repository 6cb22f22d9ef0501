import type { ProjectGraph, Tree } from '@nx/devkit';
import { VersionActions } from 'nx/release';

/**
 * How `nx release` versions a Go project (the plugin sets it on every Go project it infers):
 * a Go module keeps its version in git tags, not in a manifest, so there is nothing to read
 * from disk or write back. The current version is the project's newest release tag
 * (`currentVersionResolver: "git-tag"`); the new one becomes a tag, a changelog entry, and,
 * for a project with a Dockerfile, the image tags that `nx-release-publish` pushes.
 */
export default class GoVersionActions extends VersionActions {
  validManifestFilenames = null;

  /** Reached only on a first release (`--first-release`), when no release tag exists yet. */
  async readCurrentVersionFromSourceManifest(): Promise<{ currentVersion: string; manifestPath: string }> {
    return { currentVersion: '0.0.0', manifestPath: `${this.projectGraphNode.data.root} (no release tag yet)` };
  }

  async readCurrentVersionFromRegistry(): Promise<null> {
    return null;
  }

  async readCurrentVersionOfDependency(): Promise<{ currentVersion: null; dependencyCollection: null }> {
    return { currentVersion: null, dependencyCollection: null };
  }

  async updateProjectVersion(_tree: Tree, newVersion: string): Promise<string[]> {
    return [`${this.projectGraphNode.name} ${newVersion} lives in its git tag: no file to update.`];
  }

  /** Go records the versions of other modules in go.mod, which `go get` updates: nothing to do here. */
  async updateProjectDependencies(_tree: Tree, _projectGraph: ProjectGraph, _dependenciesToUpdate: Record<string, string>): Promise<string[]> {
    return [];
  }
}
