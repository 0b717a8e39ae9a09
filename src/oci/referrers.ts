import { ChartshipError } from '../model/errors.js';
import { OCI_INDEX, OCI_MANIFEST, sha256 } from './registry.js';
import type { ArtifactStore, Blob, StoredManifest } from './store.js';

/** The OCI empty descriptor's media type and blob (`{}`): the config of an artifact that needs none. */
export const OCI_EMPTY = 'application/vnd.oci.empty.v1+json';
const EMPTY_JSON = Buffer.from('{}');

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  artifactType?: string;
  annotations?: Record<string, string>;
}

/** An artifact about another manifest (its `subject`), e.g. a signature: one layer, an empty config. */
export interface Referrer {
  manifest: Buffer;
  digest: string;
  /** config and layer, what must be in the repository before the manifest. */
  blobs: Blob[];
  /** How an image index lists it (the referrers API and the referrers tag schema). */
  descriptor: Descriptor;
  subject: Descriptor;
}

export interface AttachResult {
  digest: string;
  /** `referrers-api`: the registry indexed the subject itself; `referrers-tag`: listed in the `sha256-<hex>` tag. */
  via: 'referrers-api' | 'referrers-tag';
}

const blob = (mediaType: string, bytes: Buffer): Blob => ({ mediaType, digest: sha256(bytes), size: bytes.length, bytes });

/**
 * The manifest of an artifact that refers to `subject`, laid out as the OCI image spec's guidelines for artifacts
 * and cosign/oras write it: `artifactType`, the empty config, the one layer, `subject`, annotations.
 */
export function buildReferrer(input: { subject: Descriptor; artifactType: string; layer: { mediaType: string; bytes: Buffer }; annotations?: Record<string, string> }): Referrer {
  const config = blob(OCI_EMPTY, EMPTY_JSON);
  const layer = blob(input.layer.mediaType, input.layer.bytes);
  const descriptor = (b: Blob) => ({ mediaType: b.mediaType, digest: b.digest, size: b.size });
  const subject = { mediaType: input.subject.mediaType, digest: input.subject.digest, size: input.subject.size };
  const annotations = input.annotations && Object.keys(input.annotations).length > 0 ? input.annotations : undefined;
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      artifactType: input.artifactType,
      config: descriptor(config),
      layers: [descriptor(layer)],
      subject,
      ...(annotations ? { annotations } : {}),
    }),
  );
  const digest = sha256(manifest);
  return {
    manifest,
    digest,
    blobs: [config, layer],
    descriptor: { mediaType: OCI_MANIFEST, digest, size: manifest.length, artifactType: input.artifactType, ...(annotations ? { annotations } : {}) },
    subject,
  };
}

/** The referrers tag schema's tag for a subject: `sha256:<hex>` → `sha256-<hex>`. */
export function referrersTag(digest: string): string {
  const match = /^([a-z0-9]+):([a-f0-9]{32,128})$/.exec(digest);
  if (!match) throw new ChartshipError(`${JSON.stringify(digest)} is not a digest`, { code: 'DIGEST_INVALID' });
  return `${match[1]}-${match[2]}`;
}

interface IndexJson {
  schemaVersion?: number;
  mediaType?: string;
  manifests?: unknown[];
}

/** The descriptors an image index lists (entries that are not descriptors are skipped). */
export function indexEntries(bytes: Buffer): Descriptor[] {
  let index: IndexJson;
  try {
    index = JSON.parse(bytes.toString('utf8')) as IndexJson;
  } catch {
    throw new ChartshipError('the referrers index is not JSON', { code: 'REFERRERS_INVALID' });
  }
  return (Array.isArray(index.manifests) ? index.manifests : []).filter(
    (m): m is Descriptor => typeof m === 'object' && m !== null && typeof (m as Descriptor).digest === 'string' && typeof (m as Descriptor).mediaType === 'string',
  );
}

function indexBytes(entries: Descriptor[]): Buffer {
  return Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: entries }));
}

/** A tag-schema update lost to another writer is read, merged and written again, this many times at most. */
const TAG_UPDATE_ATTEMPTS = 5;

/**
 * Stores `referrer` beside its subject. A store whose registry indexes subjects itself (the referrers API, told by
 * the `OCI-Subject` answer) needs nothing more; otherwise the referrer is added to the image index under the
 * subject's referrers tag, read-modify-write: another writer's entries are kept, and a write that a concurrent one
 * replaced (seen when reading the tag back) is merged and written again. Registries have no compare-and-swap, so two
 * writers in the very same instant can still drop an entry; the referrer itself stays stored either way.
 */
export async function attachReferrer(store: ArtifactStore, repository: string, referrer: Referrer): Promise<AttachResult> {
  await store.putBlobs(repository, referrer.blobs);
  const stored = await store.putManifestByDigest(repository, OCI_MANIFEST, referrer.manifest, referrer.subject.digest);
  if (stored.digest !== referrer.digest) {
    throw new ChartshipError(`the store holds ${stored.digest} for the referrer chartship sent as ${referrer.digest}`, { code: 'DIGEST_MISMATCH' });
  }
  if (stored.subjectIndexed) return { digest: referrer.digest, via: 'referrers-api' };
  const tag = referrersTag(referrer.subject.digest);
  for (let attempt = 1; ; attempt++) {
    const current = await store.getManifest(repository, tag, true);
    const entries = current ? indexEntries(current.bytes) : [];
    if (entries.some((e) => e.digest === referrer.digest)) return { digest: referrer.digest, via: 'referrers-tag' };
    try {
      await store.putManifest(repository, tag, OCI_INDEX, indexBytes([...entries, referrer.descriptor]));
      return { digest: referrer.digest, via: 'referrers-tag' };
    } catch (error) {
      if (attempt >= TAG_UPDATE_ATTEMPTS || !(error instanceof ChartshipError) || error.code !== 'TAG_RACE') throw error;
    }
  }
}

/**
 * The referrers of `digest`, optionally of one artifact type: what the referrers API lists where the store has one,
 * and what the referrers tag lists, each once. The tag is read even when the API answers: a registry that gained
 * the API (distribution 2.8 to 3, an upgraded Harbor, a move to zot) is asked by OCI distribution 1.1 to list what
 * clients stored under the tag before, but not every one does, and an attestation missed there would be taken as
 * absent and attached again. One GET more per subject; 404 (none) is the usual answer.
 */
export async function listReferrers(store: ArtifactStore, repository: string, digest: string, artifactType?: string): Promise<Descriptor[]> {
  const fromApi = await store.referrersIndex(repository, digest);
  const tagged = await store.getManifest(repository, referrersTag(digest), false);
  const entries = [...(fromApi ? indexEntries(fromApi) : []), ...(tagged ? indexEntries(tagged.bytes) : [])];
  const unique = entries.filter((e, i) => entries.findIndex((other) => other.digest === e.digest) === i);
  return artifactType === undefined ? unique : unique.filter((e) => e.artifactType === artifactType);
}

export interface ReadReferrer {
  descriptor: Descriptor;
  manifest: StoredManifest;
  /** `subject.digest` as the stored manifest says (a listing could lie; the manifest's bytes are the proof). */
  subject?: string;
  artifactType?: string;
  annotations: Record<string, string>;
  layer: Buffer;
}

/** A referrer's manifest and its one layer, each checked against its digest. */
export async function readReferrer(store: ArtifactStore, repository: string, descriptor: Descriptor): Promise<ReadReferrer> {
  const manifest = await store.getManifest(repository, descriptor.digest, false);
  if (!manifest) throw new ChartshipError(`referrer ${descriptor.digest} is listed but missing from ${repository}`, { code: 'MANIFEST_UNKNOWN' });
  if (manifest.digest !== descriptor.digest) throw new ChartshipError(`referrer ${descriptor.digest} does not match its digest`, { code: 'DIGEST_MISMATCH' });
  let json: { artifactType?: unknown; subject?: { digest?: unknown }; layers?: { digest?: unknown; size?: unknown }[]; annotations?: unknown };
  try {
    json = JSON.parse(manifest.bytes.toString('utf8')) as typeof json;
  } catch {
    throw new ChartshipError(`referrer ${descriptor.digest} is not JSON`, { code: 'REFERRERS_INVALID' });
  }
  const layer = json.layers?.[0];
  if (typeof layer?.digest !== 'string') throw new ChartshipError(`referrer ${descriptor.digest} has no layer`, { code: 'REFERRERS_INVALID' });
  const bytes = await store.getBlob(repository, layer.digest);
  if (sha256(bytes) !== layer.digest) throw new ChartshipError(`layer ${layer.digest} of referrer ${descriptor.digest} does not match its digest`, { code: 'DIGEST_MISMATCH' });
  const annotations = json.annotations && typeof json.annotations === 'object' ? (json.annotations as Record<string, string>) : {};
  return {
    descriptor,
    manifest,
    ...(typeof json.subject?.digest === 'string' ? { subject: json.subject.digest } : {}),
    ...(typeof json.artifactType === 'string' ? { artifactType: json.artifactType } : {}),
    annotations,
    layer: bytes,
  };
}
