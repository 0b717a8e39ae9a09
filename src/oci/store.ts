/** Content-addressed bytes: a config or layer blob. */
export interface Blob {
  mediaType: string;
  digest: string;
  size: number;
  bytes: Buffer;
}

/** A manifest as stored, with the digest of its exact bytes. */
export interface StoredManifest {
  bytes: Buffer;
  digest: string;
}

/**
 * Where chart artifacts live: a registry or an OCI image layout. The push/inspect/pull logic is written once
 * against this, so both targets behave the same (idempotence, immutability, digests).
 */
export interface ArtifactStore {
  /** What a user recognises: `host:port/ns` or the layout directory. */
  readonly display: string;
  /** The repository a chart goes to (validates the name). */
  repository(chartName: string): string;
  /** The reference as printed after `Pushed:`. */
  refFor(repository: string, tag: string): string;
  /** `tag` may be a digest. `forPush` lets a registry ask for push rights up front, so one token serves the whole push. */
  getManifest(repository: string, tag: string, forPush: boolean): Promise<StoredManifest | undefined>;
  /** Stores blobs the target may lack (cheaply skipping those it has). */
  putBlobs(repository: string, blobs: Blob[]): Promise<void>;
  /**
   * Stores the manifest under `tag` and returns the digest the target holds for that tag after the write, confirmed
   * by reading it back: "pushed" is only ever reported for what the target then holds. When the tag then holds
   * another digest (a concurrent run pushed the same version), it throws a ChartshipError whose message is
   * `tag <ref> now holds sha256:… (another run pushed it)`, with `<ref>` as `refFor` gives it.
   */
  putManifest(repository: string, tag: string, mediaType: string, bytes: Buffer): Promise<string>;
  /**
   * Stores a manifest under its digest alone (an artifact about another one, e.g. a signature) and tells whether the
   * store indexed its `subject` itself (a registry with the referrers API answers `OCI-Subject`); when not, the
   * referrers tag schema has to list it.
   */
  putManifestByDigest(repository: string, mediaType: string, bytes: Buffer, subject: string): Promise<{ digest: string; subjectIndexed: boolean }>;
  /** The referrers API's image index for `digest`, or undefined when the store has no such API. */
  referrersIndex(repository: string, digest: string): Promise<Buffer | undefined>;
  getBlob(repository: string, digest: string): Promise<Buffer>;
  listTags(repository: string): Promise<string[]>;
  stats(): { requests: number; tokenFetches: number; bytesUploaded: number };
  close(): Promise<void>;
}
