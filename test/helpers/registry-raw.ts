/**
 * Writes an artifact into a test registry over the distribution API by hand, with no chartship code on the way:
 * for layouts chartship never writes (helm < 3.7's `application/tar+gzip` layer) and for lying descriptors.
 */
import { createHash } from 'node:crypto';
import { request } from 'undici';

export interface RawBlob {
  mediaType: string;
  bytes: Buffer;
  /** What the descriptor claims (default: the real size). */
  size?: number;
}

const sha256 = (bytes: Buffer) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

async function upload(base: string, repository: string, bytes: Buffer): Promise<void> {
  const digest = sha256(bytes);
  const started = await request(`${base}/v2/${repository}/blobs/uploads/`, { method: 'POST' });
  await started.body.dump();
  if (started.statusCode !== 202) throw new Error(`POST upload: HTTP ${started.statusCode}`);
  const location = new URL(String(started.headers['location']), base);
  location.searchParams.set('digest', digest);
  const put = await request(location, { method: 'PUT', body: bytes, headers: { 'content-type': 'application/octet-stream' } });
  await put.body.dump();
  if (put.statusCode !== 201) throw new Error(`PUT blob: HTTP ${put.statusCode}`);
}

/** Uploads the blobs and puts an OCI manifest under `tag` (anonymous, plain-HTTP registry); returns its digest. */
export async function putRawArtifact(registryUrl: string, repository: string, tag: string, artifact: { config: RawBlob; layers: RawBlob[] }): Promise<string> {
  for (const blob of [artifact.config, ...artifact.layers]) await upload(registryUrl, repository, blob.bytes);
  const descriptor = (b: RawBlob) => ({ mediaType: b.mediaType, digest: sha256(b.bytes), size: b.size ?? b.bytes.length });
  const manifest = Buffer.from(JSON.stringify({ schemaVersion: 2, config: descriptor(artifact.config), layers: artifact.layers.map(descriptor) }));
  const mediaType = 'application/vnd.oci.image.manifest.v1+json';
  const put = await request(`${registryUrl}/v2/${repository}/manifests/${tag}`, { method: 'PUT', body: manifest, headers: { 'content-type': mediaType } });
  const answer = await put.body.text();
  if (put.statusCode !== 201) throw new Error(`PUT manifest: HTTP ${put.statusCode} ${answer}`);
  return sha256(manifest);
}
