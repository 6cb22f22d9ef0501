import type { ExecutorContext, TaskGraph } from '@nx/devkit';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { batchOf, BatchTaskResult } from './batch';
import { logger } from './logger';
import { runProcess } from './run-process';

/** A workspace root whose node_modules holds only nx's package.json, of the given version. */
function workspaceWithNx(version: string): string {
  const root = mkdtempSync(join(tmpdir(), 'nx-go-docker-batch-'));
  mkdirSync(join(root, 'node_modules', 'nx'), { recursive: true });
  writeFileSync(join(root, 'node_modules', 'nx', 'package.json'), JSON.stringify({ name: 'nx', version }));
  return root;
}

/** A task graph as Nx 21 to 23 write it (dependencies as IDs); `edges` writes them as Nx 24 does, `{ id }`. */
function graphOf(dependencies: Record<string, string[]>, edges = false): TaskGraph {
  const tasks = Object.fromEntries(
    Object.keys(dependencies).map((id) => {
      const [project, target] = id.split(':');
      return [id, { id, target: { project, target }, overrides: {}, outputs: [], parallelism: true }];
    }),
  );
  const listed = edges ? Object.fromEntries(Object.entries(dependencies).map(([id, ids]) => [id, ids.map((dependency) => ({ id: dependency }))])) : dependencies;
  return { roots: [], tasks, dependencies: listed, continuousDependencies: {} } as unknown as TaskGraph;
}

async function collect(batch: AsyncGenerator<{ task: string; result: BatchTaskResult }>) {
  const results: { task: string; result: BatchTaskResult }[] = [];
  for await (const ended of batch) results.push(ended);
  return results;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('batchOf', () => {
  let root: string;
  let written: string;
  beforeEach(() => {
    root = workspaceWithNx('24.0.6');
    written = '';
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written += chunk.toString();
      return true;
    });
  });
  afterEach(() => {
    jest.restoreAllMocks();
    rmSync(root, { recursive: true, force: true });
  });

  it('runs the tasks at once, each with its own context and output, and reports each as it ends', async () => {
    const executor = async (options: { ms: number }, context: ExecutorContext) => {
      logger.info(`start ${context.projectName}:${context.targetName}`);
      await sleep(options.ms);
      logger.info(`end ${context.projectName}`);
      return { success: true };
    };
    const started = Date.now();
    const results = await collect(
      batchOf(executor)(graphOf({ 'slow:docker-binary': [], 'fast:docker-binary': [] }), { 'slow:docker-binary': { ms: 300 }, 'fast:docker-binary': { ms: 50 } }, {}, { root } as ExecutorContext),
    );
    expect(Date.now() - started).toBeLessThan(600);
    expect(results.map(({ task }) => task)).toEqual(['fast:docker-binary', 'slow:docker-binary']);
    expect(results.map(({ result }) => result.terminalOutput)).toEqual(['start fast:docker-binary\nend fast\n', 'start slow:docker-binary\nend slow\n']);
    expect(results.every(({ result }) => result.success && result.endTime >= result.startTime)).toBe(true);
    expect(written).toBe(''); // Nx 22 and later print each task's output themselves
  });

  it("keeps each task's child processes' output with that task", async () => {
    const executor = async (_options: unknown, context: ExecutorContext) => {
      const script = `for (let i = 0; i < 5; i++) setTimeout(() => console.log("${context.projectName} " + i), i * 20)`;
      const { code } = await runProcess(process.execPath, ['-e', script]);
      return { success: code === 0 };
    };
    const graph = graphOf({ 'one:b': [], 'two:b': [] });
    const results = await collect(batchOf(executor)(graph, { 'one:b': {}, 'two:b': {} }, {}, { root } as ExecutorContext));
    for (const { task, result } of results) {
      const project = task.split(':')[0];
      expect(result.terminalOutput).toBe([0, 1, 2, 3, 4].map((i) => `${project} ${i}\n`).join(''));
    }
  });

  it('also writes the output as it comes on Nx 21, which prints only what the batch process writes', async () => {
    rmSync(root, { recursive: true, force: true });
    root = workspaceWithNx('21.6.11');
    const executor = async () => {
      logger.info('compiling');
      return { success: true };
    };
    const [{ result }] = await collect(batchOf(executor)(graphOf({ 'a:docker-binary': [] }), { 'a:docker-binary': {} }, {}, { root } as ExecutorContext));
    expect(result.terminalOutput).toBe('compiling\n');
    expect(written).toBe('compiling\n');
  });

  it.each([false, true])('runs a task after the tasks of the batch it depends on, and not at all when one failed (Nx 24 edges: %p)', async (edges) => {
    const order: string[] = [];
    const executor = async (options: { ok: boolean }, context: ExecutorContext) => {
      order.push(context.projectName as string);
      return { success: options.ok };
    };
    const graph = graphOf({ 'lib:b': [], 'app:b': ['lib:b'], 'broken:b': [], 'uses-broken:b': ['broken:b'] }, edges);
    const inputs = { 'lib:b': { ok: true }, 'app:b': { ok: true }, 'broken:b': { ok: false }, 'uses-broken:b': { ok: true } };
    const results = Object.fromEntries((await collect(batchOf(executor)(graph, inputs, {}, { root } as ExecutorContext))).map(({ task, result }) => [task, result]));
    expect(order.indexOf('app')).toBeGreaterThan(order.indexOf('lib'));
    expect(order).not.toContain('uses-broken');
    expect(results['uses-broken:b']).toMatchObject({ success: false, terminalOutput: 'Not run: broken:b failed.\n' });
    expect(results['app:b'].success).toBe(true);
  });

  it('fails only the task whose executor throws, with the error in its output', async () => {
    const executor = async (_options: unknown, context: ExecutorContext) => {
      if (context.projectName === 'bad') throw new Error('unexpected');
      return { success: true };
    };
    const results = await collect(batchOf(executor)(graphOf({ 'bad:b': [], 'good:b': [] }), { 'bad:b': {}, 'good:b': {} }, {}, { root } as ExecutorContext));
    expect(Object.fromEntries(results.map(({ task, result }) => [task, [result.success, result.terminalOutput]]))).toEqual({
      'bad:b': [false, 'unexpected\n'],
      'good:b': [true, ''],
    });
  });

  it('runs no more tasks at once than it is allowed', async () => {
    let now = 0;
    let most = 0;
    const executor = async () => {
      most = Math.max(most, ++now);
      await sleep(20);
      now--;
      return { success: true };
    };
    const graph = graphOf(Object.fromEntries([...Array(6).keys()].map((i) => [`p${i}:b`, []])));
    const inputs = Object.fromEntries(Object.keys(graph.tasks).map((id) => [id, {}]));
    expect(await collect(batchOf(executor, 2)(graph, inputs, {}, { root } as ExecutorContext))).toHaveLength(6);
    expect(most).toBe(2);
  });
});
