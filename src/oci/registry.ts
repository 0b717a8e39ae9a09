import { createHash } from 'node:crypto';
import { ChartshipError } from '../model/errors.js';
import type { AuthClient } from './auth.js';
import { anotherRunPushed, immutableRefusal, immutableTag, readErrorBody, RegistryError, registryErrorFrom } from './errors.js';
import { redactUrl } from '../model/redact.js';
import { followPages } from './pages.js';
import { TransientError } from './retry.js';
import { checkNextUrl, formatBytes, LIMITS, sameOrigin, type HttpResponse } from './transport.js';

/** A response's media type: its Content-Type without parameters (`; charset=…`). */
export function mediaTypeOf(headers: Record<string, string>): string {
  return (headers['content-type'] ?? '').split(';')[0]!.trim();
}

/** Pauses before looking again for a tag the registry does not serve right after storing it (about 1.5 s in all). */
const READ_BACK_PAUSES_MS = [250, 1250];

export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
export const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
/** Without an OCI type in Accept, distribution answers 404 for OCI manifests. */
const MANIFEST_ACCEPT = [OCI_MANIFEST, OCI_INDEX, DOCKER_MANIFEST].join(', ');
const TAG_PAGE = 1000;
/** Ten million tags at distribution's page size: no chart has that many versions, so more is a registry paging without end. */
const MAX_TAG_PAGES = 10_000;

export type Access = 'pull' | 'pull,push';

export interface FetchedManifest {
  bytes: Buffer;
  mediaType: string;
  digest: string;
}

export function sha256(bytes: Buffer): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

const MANIFEST_FORBIDDEN =
  "the registry took the chart's blobs but refused its manifest: a policy of the registry (a quota, tag immutability, a required signature or scan) rather than missing push rights; its words above say which";

/** Answers to a mount request that mean "not supported here" rather than a real failure. */
const MOUNT_REFUSALS = new Set([400, 404, 405, 501]);

/** The distribution API for one registry, with credentials from `auth`. Paths are `/v2/<repository>/…`. */
export class RegistryClient {
  readonly auth: AuthClient;

  constructor(auth: AuthClient) {
    this.auth = auth;
  }

  #url(path: string): URL {
    return new URL(path, this.auth.transport.origin);
  }

  #scope(repository: string, access: Access): string[] {
    return [`repository:${repository}:${access}`];
  }

  #fail(method: string, url: URL, response: HttpResponse): never {
    // Refused where a redirect led (blob storage): the login is not at fault, and its advice would mislead.
    if (!sameOrigin(response.url, url)) {
      const said = readErrorBody(response.body).message;
      throw new RegistryError({
        code: `HTTP_${response.status}`,
        status: response.status,
        method,
        url,
        message: `the registry redirected it to ${redactUrl(response.url)}, which refused it${said ? ` (${said})` : ''}`,
        hint: "the storage behind the registry refused a URL the registry made (a signature expired or wrong, or a storage outage): run again, and if it persists report it to the registry's operators",
      });
    }
    throw registryErrorFrom(method, url, response.status, response.body, response.headers, this.auth.transport.clock.now());
  }

  async blobExists(repository: string, digest: string, access: Access = 'pull'): Promise<boolean> {
    const url = this.#url(`/v2/${repository}/blobs/${digest}`);
    const response = await this.auth.fetch({ method: 'HEAD', url }, this.#scope(repository, access));
    if (response.status === 200) return true;
    if (response.status === 404) return false;
    return this.#fail('HEAD', url, response);
  }

  #mountRefused = false;

  /**
   * Uploads one blob monolithically: POST (asking to mount it from the same repository, which answers 201 when the
   * registry already has it there, so no HEAD is needed) then PUT to the Location with `digest` added. A failed
   * attempt restarts with a new POST, since a half-used upload session cannot be trusted. Returns whether bytes
   * were sent.
   */
  async uploadBlob(repository: string, digest: string, bytes: Buffer): Promise<'uploaded' | 'mounted'> {
    const scopes = this.#scope(repository, 'pull,push');
    const plainUrl = this.#url(`/v2/${repository}/blobs/uploads/`);
    const mountUrl = new URL(plainUrl);
    mountUrl.searchParams.set('mount', digest);
    mountUrl.searchParams.set('from', repository);
    let outcome: 'uploaded' | 'mounted' = 'uploaded';
    let failedAt: { method: string; url: URL } = { method: 'POST', url: mountUrl };
    const response = await this.auth.transport.retry(async () => {
      const post = (url: URL) => {
        failedAt = { method: 'POST', url };
        return this.auth.fetch({ method: 'POST', url, headers: { 'content-length': '0' } }, scopes, false);
      };
      let started = await post(this.#mountRefused ? plainUrl : mountUrl);
      // The spec says a registry that cannot mount starts a plain upload, but some refuse the request instead:
      // remember that and upload without asking again.
      if (!this.#mountRefused && MOUNT_REFUSALS.has(started.status)) {
        this.#mountRefused = true;
        started = await post(plainUrl);
      }
      if (started.status === 201) {
        outcome = 'mounted';
        return started;
      }
      if (started.status !== 202) return started;
      const location = started.headers['location'];
      if (!location) throw new ChartshipError(`POST ${redactUrl(failedAt.url)} answered 202 without a Location`, { code: 'BLOB_UPLOAD_INVALID' });
      const putUrl = new URL(location, failedAt.url);
      checkNextUrl(() => `POST ${redactUrl(failedAt.url)}: the upload Location`, failedAt.url, putUrl);
      // The Location may carry state the registry needs (Harbor's _state, a signature over the query's very bytes): add
      // to its query, never rebuild it (URLSearchParams would re-encode every parameter).
      putUrl.search = `${putUrl.search ? `${putUrl.search}&` : '?'}digest=${digest}`;
      failedAt = { method: 'PUT', url: putUrl };
      return this.auth.fetch(
        { method: 'PUT', url: putUrl, headers: { 'content-type': 'application/octet-stream' }, body: bytes },
        scopes,
        false,
      );
    }, 2, `upload of ${digest} to ${this.auth.transport.origin.host}/${repository}`);
    if (response.status !== 201 && !(failedAt.method === 'PUT' && response.status === 204)) this.#fail(failedAt.method, failedAt.url, response);
    return outcome;
  }

  /**
   * Whether a push to `repository` would be accepted, without storing anything: authenticates for push, starts an
   * upload session and cancels it. Registries refuse the POST when the credentials lack push rights or the
   * repository (ECR) or project (Harbor) does not exist.
   */
  async probePush(repository: string): Promise<void> {
    const url = this.#url(`/v2/${repository}/blobs/uploads/`);
    const scopes = this.#scope(repository, 'pull,push');
    const started = await this.auth.fetch({ method: 'POST', url, headers: { 'content-length': '0' } }, scopes);
    if (started.status !== 202) this.#fail('POST', url, started);
    const location = started.headers['location'];
    if (!location) return;
    // Cancelling is a courtesy (sessions expire on their own): a registry that cannot, or credentials that may not
    // (token auth asks more of a DELETE than of a push), are not a failure, nor worth another token.
    await this.auth.fetchAsIs({ method: 'DELETE', url: new URL(location, url) }, scopes).catch(() => undefined);
  }

  /**
   * PUT by tag, then read the tag back: what the registry serves is the only digest worth reporting. Another run may
   * have written the same tag between our PUT and the read (registries have no compare-and-swap), and a registry may
   * rewrite a manifest; each gets its own error. A registry that keeps tags immutable is told apart from a real
   * failure, and answers "already there" for our own bytes.
   */
  async putManifest(repository: string, reference: string, mediaType: string, bytes: Buffer): Promise<string> {
    const url = this.#url(`/v2/${repository}/manifests/${reference}`);
    const digest = sha256(bytes);
    const ref = `${this.auth.transport.origin.host}/${repository}:${reference}`;
    const response = await this.auth.fetch(
      { method: 'PUT', url, headers: { 'content-type': mediaType }, body: bytes },
      this.#scope(repository, 'pull,push'),
    );
    if (response.status !== 201 && response.status !== 200) {
      const said = immutableRefusal(response.status, response.body);
      if (said === undefined && response.status === 403) {
        // The same login just pushed the blobs: "no push rights" would send the user to the wrong fix.
        throw registryErrorFrom('PUT', url, 403, response.body, response.headers, this.auth.transport.clock.now(), MANIFEST_FORBIDDEN);
      }
      if (said === undefined) this.#fail('PUT', url, response);
      const held = await this.heldDigest(repository, reference, 'pull,push', digest);
      if (held === digest) return digest;
      throw immutableTag(ref, held, said);
    }
    let held = await this.heldDigest(repository, reference, 'pull,push', digest);
    // A registry whose reads lag its writes (a replica or a cache in front of it) may not serve a tag it has just
    // stored: it is looked for again before being called gone, which would fail a chart that was published.
    for (const pause of READ_BACK_PAUSES_MS) {
      if (held !== undefined) break;
      await this.auth.transport.clock.sleep(pause);
      held = await this.heldDigest(repository, reference, 'pull,push', digest);
    }
    if (held === digest) return held;
    const answered = response.headers['docker-content-digest'];
    if (held !== undefined && answered === held) {
      throw new ChartshipError(`the registry stored manifest ${answered} for ${repository}:${reference}, but chartship sent ${digest}`, {
        code: 'DIGEST_MISMATCH',
        hint: 'the registry or a proxy rewrote the manifest; the pushed chart cannot be trusted',
      });
    }
    throw anotherRunPushed(ref, held);
  }

  /**
   * The digest of the manifest `reference` serves now (undefined when it is gone). HEAD first; a HEAD whose digest
   * header is missing or differs from what we expect is checked with a GET, whose bytes are the proof.
   */
  async heldDigest(repository: string, reference: string, access: Access = 'pull', expected?: string): Promise<string | undefined> {
    const headed = await this.headManifest(repository, reference, access);
    if (headed === undefined) return undefined;
    if (expected !== undefined && headed === expected) return headed;
    return (await this.getManifest(repository, reference, access))?.digest;
  }

  /** The manifest `reference` (tag or digest) points to, or undefined when the tag or repository does not exist. */
  async getManifest(repository: string, reference: string, access: Access = 'pull'): Promise<FetchedManifest | undefined> {
    const url = this.#url(`/v2/${repository}/manifests/${reference}`);
    const response = await this.auth.fetch(
      {
        method: 'GET',
        url,
        headers: { accept: MANIFEST_ACCEPT },
        what: 'manifest',
        limit: LIMITS.manifest,
        // A digest header that disagrees with the bytes means a garbled answer: read it again.
        verify: (answer) => {
          const digest = sha256(answer.body);
          const expected = reference.startsWith('sha256:') ? reference : answer.headers['docker-content-digest'];
          if (expected && expected.startsWith('sha256:') && expected !== digest) {
            throw new TransientError(`manifest ${repository}@${reference} does not match its digest ${expected}`, { code: 'DIGEST_MISMATCH' });
          }
        },
      },
      this.#scope(repository, access),
    );
    if (response.status === 404) return undefined;
    if (response.status !== 200) this.#fail('GET', url, response);
    return { bytes: response.body, mediaType: mediaTypeOf(response.headers), digest: sha256(response.body) };
  }

  /** The digest a tag points to, without the body; undefined when missing. */
  async headManifest(repository: string, reference: string, access: Access = 'pull'): Promise<string | undefined> {
    const url = this.#url(`/v2/${repository}/manifests/${reference}`);
    const response = await this.auth.fetch({ method: 'HEAD', url, headers: { accept: MANIFEST_ACCEPT } }, this.#scope(repository, access));
    if (response.status === 404) return undefined;
    if (response.status !== 200) this.#fail('HEAD', url, response);
    return response.headers['docker-content-digest'] ?? '';
  }

  /**
   * A blob's bytes, read no further than the size its descriptor declares and checked against it and the digest;
   * a body cut short or garbled is read again. Redirects to blob storage are followed without credentials.
   */
  async getBlob(repository: string, digest: string, access: Access = 'pull', size?: number): Promise<Buffer> {
    const url = this.#url(`/v2/${repository}/blobs/${digest}`);
    if (size !== undefined && size > LIMITS.chart) {
      throw new ChartshipError(`blob ${repository}@${digest} declares ${size} bytes, more than the ${formatBytes(LIMITS.chart)} a chart may have`, { code: 'RESPONSE_TOO_LARGE' });
    }
    const response = await this.auth.fetch(
      {
        method: 'GET',
        url,
        what: 'blob',
        limit: size ?? LIMITS.chart,
        verify: (answer) => {
          if (size !== undefined && answer.body.length !== size) {
            throw new TransientError(`blob ${repository}@${digest} is ${answer.body.length} bytes, its descriptor says ${size}`, { code: 'SIZE_MISMATCH' });
          }
          if (digest.startsWith('sha256:') && sha256(answer.body) !== digest) {
            throw new TransientError(`blob ${repository}@${digest} does not match its digest`, { code: 'DIGEST_MISMATCH' });
          }
        },
      },
      this.#scope(repository, access),
    );
    if (response.status !== 200) this.#fail('GET', url, response);
    return response.body;
  }

  /**
   * Every tag, following `Link` headers: registries cap a page (and some ignore `n`); an unknown repository has none.
   * A Link back to a page already read (a registry that ignores `last` answers the first page again) or more pages than
   * any chart has fail the listing: a partial list would plan versions as unpublished.
   */
  async listTags(repository: string, access: Access = 'pull', pageSize = TAG_PAGE): Promise<string[]> {
    const tags = new Set<string>();
    const paging = {
      what: 'tag list',
      code: 'TAG_LIST_INVALID',
      maxPages: MAX_TAG_PAGES,
      loopHint: 'the registry pages its tag list in a loop (it ignores `last`, or its Link is wrong): report it to its operators',
    };
    await followPages(this.#url(`/v2/${repository}/tags/list?n=${pageSize}`), paging, async (url) => {
      const response = await this.auth.fetch({ method: 'GET', url, what: 'tag list', limit: LIMITS.tagList }, this.#scope(repository, access));
      if (response.status === 404) return undefined;
      if (response.status !== 200) this.#fail('GET', url, response);
      let body: { tags?: unknown };
      try {
        body = JSON.parse(response.body.toString('utf8')) as { tags?: unknown };
      } catch {
        throw new ChartshipError(`GET ${redactUrl(url)}: the tag list is not JSON`, { code: 'TAG_LIST_INVALID' });
      }
      // A tag pushed while the pages are read may appear on two of them.
      for (const tag of Array.isArray(body.tags) ? body.tags : []) if (typeof tag === 'string') tags.add(tag);
      return response.headers;
    });
    return [...tags];
  }
}

