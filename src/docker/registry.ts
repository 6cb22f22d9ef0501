import { runProcess } from '../utils/run-process';
import { lastLine } from './output';

export type RegistryLookup =
  | { found: true; digest: string }
  | { found: false }
  | { found: false; problem: 'unauthorized' | 'unreachable'; detail: string };

/** What a registry holds under a reference: its digest, nothing, or why it could not tell. */
export async function registryDigest(reference: string): Promise<RegistryLookup> {
  const { code, stdout, stderr } = await runProcess('docker', ['buildx', 'imagetools', 'inspect', '--format', '{{json .Manifest}}', reference], { stdio: 'pipe' });
  if (code === 0) return { found: true, digest: (JSON.parse(stdout) as { digest: string }).digest };
  const problem = registryProblem(stderr, reference);
  return problem ? { found: false, problem, detail: lastLine(stderr) } : { found: false };
}

/**
 * Pushes a local image: its blobs first, the manifest under the tag last, so the tag never
 * names a partial upload. A server error (5xx) is tried once more: a push is idempotent (what
 * the registry has is skipped), and the distribution registry answers 500 when it reads a tag
 * while writing it.
 */
export async function pushImage(reference: string): Promise<{ code: number; problem?: 'unauthorized' | 'unreachable'; detail: string }> {
  let { code, stderr } = await runProcess('docker', ['push', '--quiet', reference]);
  if (code !== 0 && /\b5\d\d (Internal Server Error|Bad Gateway|Service Unavailable|Gateway Timeout)\b/.test(stderr)) {
    ({ code, stderr } = await runProcess('docker', ['push', '--quiet', reference]));
  }
  return { code, problem: code === 0 ? undefined : registryProblem(stderr, reference), detail: lastLine(stderr) };
}

/**
 * Why the registry could not be used, from the docker CLI's error text. The reference is
 * taken out first: a short commit such as `a401bcd` in it must not read as an HTTP 401.
 */
export function registryProblem(stderr: string, reference: string): 'unauthorized' | 'unreachable' | undefined {
  const message = stderr.split(reference).join('<reference>');
  if (/\bunauthorized\b|authentication required|no basic auth credentials|\bdenied\b|\b401\b/i.test(message)) return 'unauthorized';
  if (/connection refused|no such host|i\/o timeout|dial tcp|server gave HTTP response to HTTPS client/i.test(message)) return 'unreachable';
  return undefined;
}
