import { runProcess } from '../utils/run-process';
import { lastLine } from './output';

/** The ID of a local image, or undefined when the engine has none of that name. */
export async function imageId(image: string): Promise<string | undefined> {
  const { code, stdout } = await runProcess('docker', ['image', 'inspect', '--format', '{{.Id}}', image], { stdio: 'pipe' });
  return code === 0 ? stdout.trim() : undefined;
}

export async function imageExists(image: string): Promise<boolean> {
  return (await imageId(image)) !== undefined;
}

/** An image reference Docker accepts: [host[:port]/]path[:tag][@digest], lower-case path. */
export function isValidImageReference(reference: string): boolean {
  return /^(?:[A-Za-z0-9.-]+(?::\d+)?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$/.test(
    reference,
  );
}

/** Loads an OCI archive into the local image store (the containerd store keeps a multi-platform index as it is). */
export async function loadImage(archive: string): Promise<{ code: number; detail: string }> {
  const { code, stderr } = await runProcess('docker', ['load', '--input', archive], { stdio: 'pipe' });
  return { code, detail: lastLine(stderr) };
}

/** Gives a local image another name. */
export async function tagImage(source: string, target: string): Promise<{ code: number; detail: string }> {
  const { code, stderr } = await runProcess('docker', ['tag', source, target], { stdio: 'pipe' });
  return { code, detail: lastLine(stderr) };
}
