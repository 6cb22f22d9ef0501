import { ExecutorContext } from '@nx/devkit';
import { ExecutorResult, fail, projectRootOf, resolvePath, resolveTokens } from '../../utils/executor-context';
import { CommandNotFoundError, runProcess } from '../../utils/run-process';
import type { GoExecutorSchema } from './schema';

export default async function goExecutor(options: GoExecutorSchema, context: ExecutorContext): Promise<ExecutorResult> {
  const [subcommand, ...rest] = options.args.map((arg) => resolveTokens(arg, context));
  const output = options.outputPath ? ['-o', `${resolvePath(options.outputPath, context)}/`] : [];
  const args = [subcommand, ...output, ...rest];
  const cwd = resolvePath(options.cwd ?? projectRootOf(context), context);
  try {
    const { code } = await runProcess('go', args, { cwd, env: { ...process.env, ...options.env } });
    return code === 0 ? { success: true } : fail(`'go ${args.join(' ')}' failed with exit code ${code} (see its output above).`);
  } catch (error) {
    if (error instanceof CommandNotFoundError) {
      return fail(`Go ('go') was not found on PATH. Install Go 1.23 or newer (https://go.dev/dl/) and retry.`);
    }
    throw error;
  }
}
