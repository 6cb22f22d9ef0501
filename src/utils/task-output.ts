import { AsyncLocalStorage } from 'node:async_hooks';

/** The output of one task of a batch: Nx caches it and prints it with the task. */
interface TaskOutput {
  chunks: Buffer[];
  /** Also written to this process's own stdout and stderr, as it comes. */
  live: boolean;
}

const runningTask = new AsyncLocalStorage<TaskOutput>();

/**
 * Where executors print: this process's stdout (or stderr), or, while a batch runs a task, that
 * task's own output (see {@link capturingOutput}).
 */
export function writeOutput(stream: 'stdout' | 'stderr', chunk: string | Buffer): void {
  const task = runningTask.getStore();
  if (task) {
    task.chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
    if (!task.live) return;
  }
  (stream === 'stdout' ? process.stdout : process.stderr).write(chunk);
}

/**
 * Runs work with everything it prints through {@link writeOutput} kept as its own output, so that
 * the tasks of one batch, running at once in one process, each get theirs. With `live`, it is
 * also written out as it comes.
 */
export async function capturingOutput<T>(live: boolean, work: () => Promise<T>): Promise<{ value: T; output: string }> {
  const task: TaskOutput = { chunks: [], live };
  const value = await runningTask.run(task, work);
  return { value, output: Buffer.concat(task.chunks).toString() }; // whole: a chunk can end inside a character
}
