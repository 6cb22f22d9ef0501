import { rmSync } from 'node:fs';
import { exec } from './support/exec';
import { e2eRoot } from './support/shared-workspace';

/** E2E tests need real tools: say which one is missing and how to get it, never skip. */
export default async function globalSetup(): Promise<void> {
  rmSync(e2eRoot, { recursive: true, force: true });
  const tools: [string, string[]][] = [
    ['go', ['version']],
    ['docker', ['info', '--format', '{{.ServerVersion}}']],
    ['docker', ['buildx', 'version']],
    ['docker', ['compose', 'version']],
    ['git', ['--version']],
  ];
  for (const [command, args] of tools) {
    await exec(command, args).catch((error: Error) => {
      throw new Error(
        `e2e needs '${command} ${args.join(' ')}' to work: run 'bash scripts/setup/all.sh' (installs Go, the Docker engine, buildx, compose and base images).\n${error.message}`,
      );
    });
  }
  await exec('npm', ['run', 'build'], { cwd: `${__dirname}/..` });
}
