import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runProcess } from '../utils/run-process';

interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
  platform?: { os: string; architecture: string };
}

interface Index {
  schemaVersion: number;
  mediaType: string;
  manifests: Descriptor[];
  annotations?: Record<string, string>;
}

export interface SeparatedArchive {
  /** The image alone: its index lists only the platform images. */
  image: { archive: string; digest: string };
  /** The same images with BuildKit's attestation manifests, named after the image's digest; absent when the build made none. */
  attestations?: { archive: string; digest: string };
}

/**
 * Splits a BuildKit OCI archive whose index carries attestations (provenance records when it
 * was built, so it differs on every build) into the image alone, whose digest depends on the
 * sources only, and the attested index, which references the very same platform images.
 * BuildKit writes an index as two-space-indented JSON, so the image-only index is byte for
 * byte the one a build without attestations writes: the same digest either way.
 */
export async function separateAttestations(
  archive: string,
  work: string,
  imageName: string,
  attestationsName: (imageDigest: string) => string,
): Promise<SeparatedArchive> {
  const layout = join(work, 'layout');
  mkdirSync(layout, { recursive: true });
  await tar(['-xf', archive, '-C', layout]);
  const top = JSON.parse(readFileSync(join(layout, 'index.json'), 'utf-8')) as Index;
  const attestedDigest = top.manifests[0].digest;
  const attested = JSON.parse(readFileSync(blobPath(layout, attestedDigest), 'utf-8')) as Index;
  const isAttestation = (m: Descriptor) => m.annotations?.['vnd.docker.reference.type'] === 'attestation-manifest';
  if (!attested.manifests.some(isAttestation)) return { image: { archive, digest: attestedDigest } };

  const imageIndex = JSON.stringify({ ...attested, manifests: attested.manifests.filter((m) => !isAttestation(m)) }, null, 2);
  const imageDigest = `sha256:${createHash('sha256').update(imageIndex).digest('hex')}`;
  writeFileSync(blobPath(layout, imageDigest), imageIndex);
  const imageArchive = join(work, 'image.oci.tar');
  const attestationsArchive = join(work, 'attestations.oci.tar');
  await writeArchive(layout, top, { ...top.manifests[0], digest: imageDigest, size: Buffer.byteLength(imageIndex) }, imageName, imageArchive);
  await writeArchive(layout, top, top.manifests[0], attestationsName(imageDigest), attestationsArchive);
  return { image: { archive: imageArchive, digest: imageDigest }, attestations: { archive: attestationsArchive, digest: attestedDigest } };
}

/** An archive of the layout whose index.json names one index, under `name` (what `docker load` tags). */
async function writeArchive(layout: string, top: Index, index: Descriptor, name: string, destination: string): Promise<void> {
  const annotations = { ...index.annotations, 'io.containerd.image.name': name, 'org.opencontainers.image.ref.name': name.slice(name.lastIndexOf(':') + 1) };
  writeFileSync(join(layout, 'index.json'), JSON.stringify({ ...top, manifests: [{ ...index, annotations }] }));
  await tar(['-cf', destination, '-C', layout, '.']);
}

function blobPath(layout: string, digest: string): string {
  const [algorithm, hex] = digest.split(':');
  return join(layout, 'blobs', algorithm, hex);
}

async function tar(args: string[]): Promise<void> {
  const { code, stderr } = await runProcess('tar', args, { stdio: 'pipe' });
  if (code !== 0) throw new Error(`tar ${args.join(' ')} failed: ${stderr.trim()}`);
}
