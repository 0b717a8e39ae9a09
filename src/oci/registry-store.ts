import { AuthClient } from './auth.js';
import { resolveCredential, type CredentialOptions } from './credentials.js';
import { parseOciTarget, repositoryFor, type RegistryLocation } from './reference.js';
import { RegistryClient } from './registry.js';
import { fetchReferrersIndex, putManifestByDigest } from './registry-referrers.js';
import type { RetryPolicy } from './retry.js';
import type { ArtifactStore, Blob, StoredManifest } from './store.js';
import { Transport, type Timeouts, type TlsOptions } from './transport.js';
import type { Clock } from '../model/clock.js';

export interface RegistryStoreOptions extends TlsOptions, CredentialOptions {
  clock?: Clock;
  retry?: Partial<RetryPolicy>;
  timeouts?: Partial<Timeouts>;
  onSecret?: (secret: string) => void;
  /** Explicit username/password belong to this host only; any other registry looks in the credential files. */
  credentialHost?: string;
}

/** An `oci://host[:port]/namespace` target. */
export class RegistryStore implements ArtifactStore {
  readonly display: string;
  readonly location: RegistryLocation;
  readonly client: RegistryClient;
  readonly #transport: Transport;

  constructor(spec: string, options: RegistryStoreOptions = {}) {
    this.location = parseOciTarget(spec);
    this.display = this.location.namespace ? `${this.location.host}/${this.location.namespace}` : this.location.host;
    this.#transport = new Transport(this.location.host, options, { clock: options.clock, retry: options.retry, timeouts: options.timeouts, env: options.env });
    // Config files and helpers are consulted only when the registry asks for credentials.
    const reveal = options.onSecret ?? (() => undefined);
    const foreign = options.credentialHost !== undefined && options.credentialHost !== this.location.host;
    const lookup: CredentialOptions = foreign ? { ...options, username: undefined, password: undefined } : options;
    const credential = async () => {
      const found = await resolveCredential(this.location.host, lookup);
      if (found?.kind === 'basic') [found.password, Buffer.from(`${found.username}:${found.password}`).toString('base64')].forEach(reveal);
      if (found?.kind === 'refresh') reveal(found.refreshToken);
      return found;
    };
    const auth = new AuthClient(this.#transport, credential, reveal);
    this.client = new RegistryClient(auth);
  }

  repository(chartName: string): string {
    return repositoryFor(this.location, chartName);
  }

  refFor(repository: string, tag: string): string {
    return `${this.location.host}/${repository}:${tag}`;
  }

  async getManifest(repository: string, tag: string, forPush: boolean): Promise<StoredManifest | undefined> {
    return this.client.getManifest(repository, tag, forPush ? 'pull,push' : 'pull');
  }

  async putBlobs(repository: string, blobs: Blob[]): Promise<void> {
    // Settle every upload before failing, so nothing still runs against the registry once the caller moves on.
    const results = await Promise.allSettled(blobs.map((b) => this.client.uploadBlob(repository, b.digest, b.bytes)));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  putManifest(repository: string, tag: string, mediaType: string, bytes: Buffer): Promise<string> {
    return this.client.putManifest(repository, tag, mediaType, bytes);
  }

  putManifestByDigest(repository: string, mediaType: string, bytes: Buffer, subject: string): Promise<{ digest: string; subjectIndexed: boolean }> {
    return putManifestByDigest(this.client, repository, mediaType, bytes, subject);
  }

  referrersIndex(repository: string, digest: string): Promise<Buffer | undefined> {
    return fetchReferrersIndex(this.client, repository, digest);
  }

  /** Checks push access to `repository` without storing anything (see RegistryClient.probePush). */
  probePush(repository: string): Promise<void> {
    return this.client.probePush(repository);
  }

  /** With `size` (the descriptor's), reading stops there. */
  getBlob(repository: string, digest: string, size?: number): Promise<Buffer> {
    return this.client.getBlob(repository, digest, 'pull', size);
  }

  listTags(repository: string): Promise<string[]> {
    return this.client.listTags(repository);
  }

  stats() {
    return { ...this.#transport.stats };
  }

  close(): Promise<void> {
    return this.#transport.close();
  }
}
