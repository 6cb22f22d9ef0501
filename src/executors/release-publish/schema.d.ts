import type { DockerPushExecutorSchema } from '../docker-push/schema';
import type { ReleaseVersionData } from './lib/release-version';

export interface ReleasePublishExecutorSchema extends Omit<DockerPushExecutorSchema, 'tags'> {
  /** Image tag templates of a release: {version}, {major}, {minor}, {patch}, {shortSha}, {sha}, {projectName}, or text such as latest. */
  releaseTags?: string[];
  /** The version to publish when not run by `nx release`; default: the project's release tag on HEAD. */
  releaseVersion?: string;
  /** Passed by `nx release`. */
  nxReleaseVersionData?: ReleaseVersionData;
  firstRelease?: boolean;
}
