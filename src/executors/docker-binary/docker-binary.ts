import type { ExecutorContext } from '@nx/devkit';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ExecutorResult, fail, projectRootOf, resolvePath } from '../../utils/executor-context';
import { gitRevision, revisionBuildArgs } from '../../utils/git';
import { installedGoVersion } from '../../utils/installed-go';
import { imagePlatforms } from '../../utils/image-platforms';
import { logger } from '../../utils/logger';
import { runProcess } from '../../utils/run-process';
import { toolchainFile } from '../../docker';
import { completeRootfs, goBuildArgs, goPlatformEnv, platformFolder } from './lib/image-rootfs';
import type { DockerBinaryExecutorSchema } from './schema';

/**
 * Compiles the command for every image platform on the host, with the Dockerfile's own flags,
 * into one root filesystem per platform (the binary as /app and a CA bundle), and records the
 * Go toolchain that compiled it. Nx caches the folder, so its local, remote and distributed
 * caches share the binary; docker-build then only assembles the image from it.
 */
export default async function dockerBinaryExecutor(options: DockerBinaryExecutorSchema, context: ExecutorContext): Promise<ExecutorResult> {
  const projectRoot = projectRootOf(context);
  const output = resolvePath(options.outputPath ?? join('dist', projectRoot, 'docker-binary'), context);
  const chosen = imagePlatforms(options.platforms);
  if ('problem' in chosen) return fail(chosen.problem);
  const git = await gitRevision(context.root);
  const revision = git ? revisionBuildArgs(git) : { VERSION: 'dev', GIT_COMMIT: 'unknown', BUILD_DATE: 'unknown', SOURCE_DATE_EPOCH: '0' };

  const toolchain = await installedGoVersion();
  if (toolchain === undefined) {
    return fail(`Go ('go') was not found on PATH, and goBuild "nx" compiles images' binaries on this machine. Install Go (https://go.dev/dl/), or set "goBuild": "docker" in the plugin options.`);
  }
  rmSync(output, { recursive: true, force: true });
  const cwd = join(context.root, projectRoot);
  for (const platform of chosen.platforms) {
    const folder = platformFolder(output, platform);
    logger.info(`Compiling ${context.projectName} for ${platform} with ${toolchain}`);
    const args = goBuildArgs(join(folder, 'app'), revision);
    const { code } = await runProcess('go', args, { cwd, env: { ...process.env, ...goPlatformEnv(platform) } });
    if (code !== 0) return fail(`'go ${args.join(' ')}' for ${platform} failed with exit code ${code} (see its output above).`);
    const problem = completeRootfs(folder, Number(revision.SOURCE_DATE_EPOCH));
    if (problem) return fail(problem);
  }
  writeFileSync(join(output, toolchainFile), `${toolchain}\n`);
  return { success: true };
}

