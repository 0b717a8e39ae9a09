import { AuthClient } from './auth.js';
import { fromUserPassword, resolveCredential, type Credential, type CredentialOptions } from './credentials.js';
import type { HostSettings } from './options.js';
import { parseOciTarget, repositoryFor, type RegistryLocation } from './reference.js';
import { ecrCredential, ensureEcrRepository } from './registries/ecr.js';
import { apiHost, hostKey, registryKind } from './registries/hosts.js';
import { checkTargetPath } from './registries/paths.js';
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
  hosts?: Record<string, HostSettings>;
  fallbackCredentials?: Record<string, { username: string; password: string; source: string }>;
  createRepositories?: boolean;
  /** See TargetOptions.pushing. */
  pushing?: boolean;
  onNotice?: (message: string) => void;
}

const TLS_FIELDS = ['plainHttp', 'caFile', 'certFile', 'keyFile', 'insecureSkipTlsVerify'] as const;

/** An `oci://host[:port]/namespace` target. */
export class RegistryStore implements ArtifactStore {
  readonly display: string;
  readonly location: RegistryLocation;
  readonly client: RegistryClient;
  readonly #transport: Transport;
  readonly #options: RegistryStoreOptions;
  readonly #ensured = new Map<string, Promise<void>>();

  constructor(spec: string, options: RegistryStoreOptions = {}) {
    this.location = parseOciTarget(spec);
    checkTargetPath(this.location.host, this.location.namespace);
    this.display = this.location.namespace ? `${this.location.host}/${this.location.namespace}` : this.location.host;
    this.#options = options;
    const own = options.hosts?.[hostKey(this.location.host)] ?? {};
    const tls = { ...options };
    for (const field of TLS_FIELDS) if (own[field] !== undefined) Object.assign(tls, { [field]: own[field] });
    // Docker Hub's registry API is at registry-1.docker.io whatever name the target uses.
    this.#transport = new Transport(apiHost(this.location.host), tls, {
      clock: options.clock,
      retry: options.retry,
      timeouts: options.timeouts,
      env: options.env,
      ...(options.onNotice && { onRetry: options.onNotice }),
    });
    // Config files and helpers are consulted only when the registry asks for credentials.
    const reveal = options.onSecret ?? (() => undefined);
    const credential = async () => {
      const found = await this.#findCredential(own);
      if (found?.kind === 'basic') [found.password, Buffer.from(`${found.username}:${found.password}`).toString('base64')].forEach(reveal);
      if (found?.kind === 'refresh') reveal(found.refreshToken);
      return found;
    };
    const { namespace } = this.location;
    const pushesTo = options.pushing ? (repository: string) => !namespace || repository.startsWith(`${namespace}/`) : undefined;
    const auth = new AuthClient(this.#transport, credential, reveal, pushesTo && { pushesTo });
    this.client = new RegistryClient(auth);
  }

  /**
   * This host's login, first found wins: its own entry in the per-host credentials; the explicit username and
   * password (when they are for this host); helm's and docker's credential files; ECR's GetAuthorizationToken for an
   * ECR host; a fallback credential (announced).
   */
  async #findCredential(own: HostSettings): Promise<Credential | undefined> {
    const options = this.#options;
    const host = this.location.host;
    const key = hostKey(host);
    if (own.username !== undefined || own.password !== undefined) return fromUserPassword(own.username ?? '', own.password ?? '', `the registry-auth entry for ${key}`);
    const foreign = options.credentialHost !== undefined && hostKey(options.credentialHost) !== key;
    const lookup: CredentialOptions = foreign ? { ...options, username: undefined, password: undefined } : options;
    const found = await resolveCredential(host, lookup);
    if (found) return found;
    if (registryKind(host) === 'ecr') return ecrCredential(host);
    const fallback = options.fallbackCredentials?.[key];
    if (!fallback) return undefined;
    options.onNotice?.(`${host}: no credentials configured for it, so chartship logs in with ${fallback.source} as ${JSON.stringify(fallback.username)}`);
    return { kind: 'basic', ...fallback };
  }

  /** With createRepositories on an ECR host: the repository exists before the first upload to it (once per run). */
  #prepare(repository: string): Promise<void> {
    if (!this.#options.createRepositories || registryKind(this.location.host) !== 'ecr') return Promise.resolve();
    let ensured = this.#ensured.get(repository);
    if (!ensured) {
      ensured = ensureEcrRepository(this.location.host, repository).then((outcome) => {
        if (outcome === 'created') this.#options.onNotice?.(`created the ECR repository ${repository} in ${this.location.host}`);
      });
      ensured.catch(() => this.#ensured.delete(repository));
      this.#ensured.set(repository, ensured);
    }
    return ensured;
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
    await this.#prepare(repository);
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
  async probePush(repository: string): Promise<void> {
    await this.#prepare(repository);
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
