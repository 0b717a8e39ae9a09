import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import type { Clock } from '../model/clock.js';
import { parseRepositoryIndex, type IndexChartVersion, type RepositoryIndex } from '../charts/repo-index.js';
import { ChartshipError } from '../model/errors.js';
import { AuthClient } from '../oci/auth.js';
import type { Credential } from '../oci/credentials.js';
import { isRefusal } from '../oci/errors.js';
import { credentialsInReference, maskCredentials } from '../oci/reference.js';
import { redactUrl } from '../model/redact.js';
import type { RetryPolicy } from '../oci/retry.js';
import { TransientError } from '../oci/retry.js';
import { LIMITS, sameOrigin, Transport, type HttpResponse, type Timeouts } from '../oci/transport.js';
import { CHART_REPOSITORY_PLAIN_HTTP_HINT, CHART_REPOSITORY_TLS_HINT } from '../oci/download.js';

export interface ClassicRepositoryOptions {
  /** Sent when the server asks: Basic, or to the token realm of a Bearer challenge (ChartMuseum's OAuth2 flow). */
  username?: string;
  password?: string;
  caFile?: string;
  /** A client certificate, presented to the repository's own origin only. */
  certFile?: string;
  keyFile?: string;
  insecureSkipTlsVerify?: boolean;
  /**
   * Send Basic credentials with the first request instead of waiting for a challenge, as helm's getter does: a server
   * that lets anonymous users read (Artifactory, Nexus) answers them a smaller index, or 404, rather than a 401.
   */
  basicUpFront?: boolean;
  /** helm's pass_credentials_all: Basic credentials go to archives on other hosts too (never through a redirect to one). */
  passCredentialsAll?: boolean;
  /** Where the credentials come from, for the error a refusal of them gets (never the secret). */
  credentialSource?: string;
  env?: NodeJS.ProcessEnv;
  clock?: Clock;
  retry?: Partial<RetryPolicy>;
  timeouts?: Partial<Timeouts>;
  onSecret?: (secret: string) => void;
  /** How the user passes credentials, for the error a refusal gets. */
  credentialHint?: string;
  /** How the user gives the repository's CA, for the error an untrusted certificate gets (default: helm repo add's). */
  tlsHint?: string;
}

/** A .prov is a page of text; more is not a provenance file. */
const PROV_LIMIT = 1024 * 1024;

/**
 * A classic chart repository (an index.yaml and the archives it lists: GitHub Pages via chart-releaser, ChartMuseum,
 * any static server) read through the registries' transport: retries, deadlines, bounded answers, the proxy, TLS
 * that never drops. Credentials go to the repository's own origin only, answering the challenge it sends (Basic, or
 * Bearer with a token fetched from its realm); archives hosted elsewhere (release assets) are fetched without them.
 */
export class ClassicRepository {
  /** The repository URL charts are resolved against (a directory). */
  readonly base: URL;
  readonly indexUrl: URL;
  readonly #transport: Transport;
  readonly #auth: AuthClient;
  /** The scope a Bearer challenge names is learned from the first one and asked for from then on. */
  readonly #scopes: string[] = [];
  readonly #hint: string | undefined;
  /** The Authorization other hosts get, set only when the user passed credentials to all hosts. */
  readonly #elsewhere: string | undefined;

  constructor(location: string, options: ClassicRepositoryOptions = {}) {
    if (credentialsInReference(location).length > 0) {
      throw new ChartshipError(`${maskCredentials(location)} has credentials in it`, {
        code: 'SOURCE_CREDENTIALS',
        hint: options.credentialHint ?? 'pass them as credentials, not in the URL',
      });
    }
    let url: URL;
    try {
      url = new URL(location);
    } catch {
      throw new ChartshipError(`${JSON.stringify(location)} is not a URL`, { code: 'SOURCE_INVALID', hint: 'write https://HOST/PATH/index.yaml or the repository URL' });
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw new ChartshipError(`${JSON.stringify(location)} is not an http(s) URL`, { code: 'SOURCE_INVALID', hint: 'write https://HOST/PATH/index.yaml or the repository URL' });
    }
    url.hash = '';
    if (/\/index\.ya?ml$/.test(url.pathname)) {
      this.indexUrl = url;
      this.base = new URL('./', url);
    } else {
      this.base = new URL(url);
      if (!this.base.pathname.endsWith('/')) this.base.pathname += '/';
      this.indexUrl = new URL('index.yaml', this.base);
    }
    this.#hint = options.credentialHint;
    const tls = { caFile: options.caFile, certFile: options.certFile, keyFile: options.keyFile, insecureSkipTlsVerify: options.insecureSkipTlsVerify };
    this.#transport = new Transport(url.host, { plainHttp: url.protocol === 'http:', ...tls }, {
      clock: options.clock,
      retry: options.retry,
      timeouts: options.timeouts,
      env: options.env,
      plainHttpHint: CHART_REPOSITORY_PLAIN_HTTP_HINT,
      tlsHint: options.tlsHint ?? CHART_REPOSITORY_TLS_HINT,
    });
    const reveal = options.onSecret ?? (() => undefined);
    const credential: Credential | undefined =
      options.username !== undefined || options.password !== undefined
        ? { kind: 'basic', username: options.username ?? '', password: options.password ?? '', source: options.credentialSource ?? 'the source credentials given to chartship' }
        : undefined;
    const basic = credential?.kind === 'basic' ? Buffer.from(`${credential.username}:${credential.password}`).toString('base64') : undefined;
    if (credential?.kind === 'basic') [credential.password, basic!].forEach(reveal);
    this.#elsewhere = options.passCredentialsAll && basic ? `Basic ${basic}` : undefined;
    this.#auth = new AuthClient(this.#transport, () => Promise.resolve(credential), reveal, { basicUpFront: options.basicUpFront === true });
  }

  /** `urls[0]` of an entry, resolved as helm resolves it: against the repository URL taken as a directory. */
  chartUrl(entry: IndexChartVersion): URL {
    const first = entry.urls[0];
    if (!first) throw new ChartshipError(`${entry.name} ${entry.version} has no urls in ${redactUrl(this.indexUrl)}`, { code: 'REPO_INDEX_INVALID' });
    return new URL(first, this.base);
  }

  async index(): Promise<RepositoryIndex> {
    const response = await this.#get(this.indexUrl, 'chart repository index', LIMITS.index);
    if (response.status === 404) {
      throw new ChartshipError(`${redactUrl(this.indexUrl)} does not exist`, { code: 'SOURCE_NOT_FOUND', hint: 'give the URL of the index.yaml, or of the directory that serves it' });
    }
    this.#ok('GET', this.indexUrl, response);
    return parseRepositoryIndex(indexText(response.body, redactUrl(this.indexUrl)), redactUrl(this.indexUrl));
  }

  /** The archive of an entry, checked against the digest the index lists (a garbled answer is read again). */
  async archive(entry: IndexChartVersion): Promise<Buffer> {
    const url = this.chartUrl(entry);
    const expected = entry.digest?.replace(/^sha256:/, '').toLowerCase();
    const response = await this.#get(url, 'chart archive', LIMITS.chart, (answer) => {
      if (expected && sha256Hex(answer.body) !== expected) {
        throw new TransientError(`${redactUrl(url)} does not match the digest the index lists (sha256:${expected})`, { code: 'DIGEST_MISMATCH' });
      }
    });
    this.#ok('GET', url, response);
    return response.body;
  }

  /**
   * The archive's path with `.prov` appended. A query (a token granting the download) stays a query: appended after
   * it, `.prov` would name the archive again to a server that reads the token, and be no file's name to others.
   */
  provenanceUrl(entry: IndexChartVersion): URL {
    const url = this.chartUrl(entry);
    url.pathname += '.prov';
    return url;
  }

  /** The entry's .prov, or undefined when the repository has none for it (404). */
  async provenance(entry: IndexChartVersion): Promise<Buffer | undefined> {
    const url = this.provenanceUrl(entry);
    const response = await this.#get(url, 'provenance file', PROV_LIMIT);
    if (response.status === 404) return undefined;
    this.#ok('GET', url, response);
    return response.body;
  }

  /** Any file of the repository (or one its index lists elsewhere): its bytes, or an error naming the status. */
  async get(url: URL, what: string, limit: number): Promise<Buffer> {
    const response = await this.#get(url, what, limit);
    this.#ok('GET', url, response);
    return response.body;
  }

  stats(): { requests: number; tokenFetches: number } {
    return { requests: this.#transport.stats.requests, tokenFetches: this.#transport.stats.tokenFetches };
  }

  close(): Promise<void> {
    return this.#transport.close();
  }

  async #get(url: URL, what: string, limit: number, verify?: (response: HttpResponse) => void): Promise<HttpResponse> {
    try {
      const elsewhere = this.#elsewhere && !sameOrigin(url, this.base) ? { headers: { authorization: this.#elsewhere } } : {};
      return await this.#auth.fetch({ method: 'GET', url, what, limit, ...elsewhere, ...(verify ? { verify } : {}) }, this.#scopes);
    } catch (error) {
      if (isRefusal(error)) {
        // The auth client speaks of registries; this is a chart repository, with its own way to pass credentials.
        throw new ChartshipError(error.message.replace(/the registry/g, 'the chart repository'), { code: error.code, hint: this.#hint, cause: error });
      }
      throw error;
    }
  }

  #ok(method: string, url: URL, response: HttpResponse): void {
    if (response.status === 200) return;
    const refused = response.status === 401 || response.status === 403;
    throw new ChartshipError(`${method} ${redactUrl(url)} failed with HTTP ${response.status}`, {
      code: refused ? 'UNAUTHORIZED' : 'DOWNLOAD_FAILED',
      ...(refused && this.#hint ? { hint: this.#hint } : {}),
    });
  }
}

/**
 * An index stored compressed and served with `Content-Encoding: gzip` whether asked or not (S3 or a CDN in front of
 * pre-compressed files) arrives as gzip bytes: YAML never starts with 0x1f 0x8b. Archives are kept as sent: their
 * digest is of the compressed bytes.
 */
export function indexText(body: Buffer, file: string): string {
  if (body[0] !== 0x1f || body[1] !== 0x8b) return body.toString('utf8');
  try {
    return gunzipSync(body, { maxOutputLength: LIMITS.index }).toString('utf8');
  } catch (error) {
    throw new ChartshipError(`is gzip that does not decompress within ${LIMITS.index} bytes: ${(error as Error).message}`, { file, code: 'REPO_INDEX_INVALID' });
  }
}

function sha256Hex(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}
