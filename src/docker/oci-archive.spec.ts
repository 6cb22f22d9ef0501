import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { separateAttestations } from './oci-archive';

const sha = (text: string) => `sha256:${createHash('sha256').update(text).digest('hex')}`;
const amd64 = { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: sha('amd64'), size: 5, platform: { architecture: 'amd64', os: 'linux' } };
const attestation = {
  mediaType: 'application/vnd.oci.image.manifest.v1+json',
  digest: sha('attestation'),
  size: 11,
  annotations: { 'vnd.docker.reference.digest': amd64.digest, 'vnd.docker.reference.type': 'attestation-manifest' },
  platform: { architecture: 'unknown', os: 'unknown' },
};

/** An OCI archive as BuildKit writes one: index.json naming an index blob written with two-space indents. */
function archive(work: string, manifests: object[]): string {
  const layout = join(work, 'in');
  mkdirSync(join(layout, 'blobs', 'sha256'), { recursive: true });
  const index = JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests }, null, 2);
  writeFileSync(join(layout, 'blobs', 'sha256', sha(index).slice(7)), index);
  const top = { schemaVersion: 2, manifests: [{ mediaType: 'application/vnd.oci.image.index.v1+json', digest: sha(index), size: index.length, annotations: { 'io.containerd.image.name': 'r/x:t' } }] };
  writeFileSync(join(layout, 'index.json'), JSON.stringify(top));
  writeFileSync(join(layout, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
  execFileSync('tar', ['-cf', join(work, 'in.tar'), '-C', layout, '.']);
  return join(work, 'in.tar');
}

describe('separateAttestations', () => {
  let work: string;
  beforeEach(() => (work = mkdtempSync(join(tmpdir(), 'oci-archive-'))));
  afterEach(() => rmSync(work, { recursive: true, force: true }));

  it('gives the image alone the digest a build without attestations gives, and names the attested index after it', async () => {
    const attested = archive(mkdtempSync(join(work, 'a-')), [amd64, attestation]);
    const plain = archive(mkdtempSync(join(work, 'p-')), [amd64]);
    const split = await separateAttestations(attested, join(work, 'out'), 'r/x:t', (digest) => `r/x:${digest.replace(':', '-')}.attestations`);
    const unsplit = await separateAttestations(plain, join(work, 'out-plain'), 'r/x:t', () => 'unused');
    expect(split.image.digest).toBe(unsplit.image.digest);
    expect(unsplit.attestations).toBeUndefined();

    const top = (file: string) => JSON.parse(execFileSync('tar', ['-xOf', file, './index.json'], { encoding: 'utf-8' }));
    expect(top(split.image.archive).manifests[0]).toMatchObject({ digest: split.image.digest, annotations: { 'io.containerd.image.name': 'r/x:t' } });
    expect(top(split.attestations!.archive).manifests[0]).toMatchObject({
      digest: split.attestations!.digest,
      annotations: { 'io.containerd.image.name': `r/x:${split.image.digest.replace(':', '-')}.attestations` },
    });
  });
});
