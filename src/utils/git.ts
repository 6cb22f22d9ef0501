import { runProcess } from './run-process';

export interface GitRevision {
  commit: string;
  shortCommit: string;
  /** Commit time (ISO 8601): identical sources give identical build args, so the layer cache hits. */
  commitDate: string;
  /** `git describe --tags --always --dirty`: a tag when there is one, the short commit otherwise. */
  describe: string;
}

/** The checked-out revision, or undefined outside a git repository (or without commits). */
export async function gitRevision(cwd: string): Promise<GitRevision | undefined> {
  try {
    const show = await runProcess('git', ['log', '-1', '--format=%H%n%h%n%cI'], { cwd, stdio: 'pipe' });
    if (show.code !== 0) return undefined;
    const [commit, shortCommit, commitDate] = show.stdout.trim().split('\n');
    const describe = await runProcess('git', ['describe', '--tags', '--always', '--dirty'], { cwd, stdio: 'pipe' });
    return { commit, shortCommit, commitDate, describe: describe.code === 0 ? describe.stdout.trim() : shortCommit };
  } catch {
    return undefined;
  }
}

/**
 * The build args that stamp a revision into an image: the version, commit and commit time the
 * generated Dockerfile puts into the binary and the OCI labels, and SOURCE_DATE_EPOCH (the
 * commit time), so image timestamps do not change between builds of one commit.
 */
export function revisionBuildArgs(git: GitRevision): Record<string, string> {
  return {
    VERSION: git.describe,
    GIT_COMMIT: git.commit,
    BUILD_DATE: git.commitDate,
    SOURCE_DATE_EPOCH: String(Date.parse(git.commitDate) / 1000),
  };
}

/** The tags that point at the checked-out commit. */
export async function tagsAtHead(cwd: string): Promise<string[]> {
  const { code, stdout } = await runProcess('git', ['tag', '--points-at', 'HEAD'], { cwd, stdio: 'pipe' });
  return code === 0 ? stdout.split('\n').filter(Boolean) : [];
}
