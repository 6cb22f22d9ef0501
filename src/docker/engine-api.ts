import { request } from 'node:http';
import { runProcess } from '../utils/run-process';

/**
 * The path of the engine's unix socket, as the docker CLI resolves it (DOCKER_HOST,
 * DOCKER_CONTEXT, the current context); undefined when the engine is reached another way
 * (tcp, ssh), or the CLI cannot say.
 */
export async function engineSocket(): Promise<string | undefined> {
  const { code, stdout } = await runProcess('docker', ['context', 'inspect', '--format', '{{.Endpoints.docker.Host}}'], {
    stdio: 'pipe',
  });
  const host = stdout.trim();
  return code === 0 && host.startsWith('unix://') ? host.slice('unix://'.length) : undefined;
}

/** The socket could not be reached, so the request was not made (and can be made another way). */
export class EngineUnreachableError extends Error {}

const unreachableCodes = new Set(['ENOENT', 'ECONNREFUSED', 'EACCES', 'EPERM']);

/**
 * POSTs to the engine's API over its unix socket and resolves with the HTTP status. A request
 * made from this process cannot be ended by a signal that ends its children.
 */
export function postToEngine(socketPath: string, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, path, method: 'POST' }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      reject(unreachableCodes.has(error.code ?? '') ? new EngineUnreachableError(`${socketPath}: ${error.message}`) : error);
    });
    req.end();
  });
}
