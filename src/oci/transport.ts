import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { Agent, request, type Dispatcher } from 'undici';
import { systemClock, type Clock } from '../clock.js';
import { ChartshipError } from '../errors.js';
import { redactUrl } from './redact.js';
import { defaultRetryPolicy, TransientError, withRetry, type RetryPolicy } from './retry.js';

export interface HttpRequest {
  method: string;
  url: URL;
  headers?: Record<string, string>;
  /** A Buffer, so a retry or an auth round trip can send it again. */
  body?: Buffer;
}

export interface HttpResponse {
  status: number;
  /** Lower-case names; repeated headers joined with `, ` (which keeps several challenges parseable). */
  headers: Record<string, string>;
  body: Buffer;
  /** Where the answer came from after redirects. */
  url: URL;
}

export interface TlsOptions {
  plainHttp?: boolean;
  caFile?: string;
  certFile?: string;
  keyFile?: string;
  insecureSkipTlsVerify?: boolean;
}

export interface TransportStats {
  requests: number;
  tokenFetches: number;
  bytesUploaded: number;
}

const MAX_REDIRECTS = 10;
const TRANSIENT_CODES = new Set([
  'ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH',
  'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CLOSED',
]);

export function sameOrigin(a: URL, b: URL): boolean {
  return a.protocol === b.protocol && a.hostname === b.hostname && effectivePort(a) === effectivePort(b);
}

function effectivePort(url: URL): string {
  return url.port || (url.protocol === 'https:' ? '443' : url.protocol === 'http:' ? '80' : '');
}

/**
 * HTTP for one registry: its own TLS settings (other hosts, e.g. blob storage behind a redirect, get the system
 * defaults), hand-followed redirects that drop credentials when the origin changes, retries, and counters.
 */
export class Transport {
  readonly origin: URL;
  readonly stats: TransportStats = { requests: 0, tokenFetches: 0, bytesUploaded: 0 };
  readonly clock: Clock;
  readonly retryPolicy: RetryPolicy;
  #registryAgent: Agent;
  #otherAgent: Agent | undefined;

  constructor(host: string, tls: TlsOptions = {}, options: { clock?: Clock; retry?: Partial<RetryPolicy> } = {}) {
    this.origin = new URL(`${tls.plainHttp ? 'http' : 'https'}://${host}`);
    this.clock = options.clock ?? systemClock;
    this.retryPolicy = { ...defaultRetryPolicy, ...options.retry };
    this.#registryAgent = new Agent({ connect: connectOptions(tls) });
  }

  #agentFor(url: URL): Dispatcher {
    if (sameOrigin(url, this.origin)) return this.#registryAgent;
    this.#otherAgent ??= new Agent();
    return this.#otherAgent;
  }

  /** One attempt (redirects included), no retries. Transient network failures throw TransientError. */
  async send(req: HttpRequest): Promise<HttpResponse> {
    let url = req.url;
    let method = req.method;
    let body = req.body;
    const headers: Record<string, string> = { 'user-agent': 'chartship', ...req.headers };
    for (let hop = 0; ; hop++) {
      const response = await this.#once(method, url, headers, body);
      const location = response.headers['location'];
      if (!location || !followsRedirect(method, response.status)) return response;
      if (hop >= MAX_REDIRECTS) {
        throw new ChartshipError(`${method} ${redactUrl(req.url)}: more than ${MAX_REDIRECTS} redirects`, { code: 'TOO_MANY_REDIRECTS' });
      }
      const next = new URL(location, url);
      if (next.protocol !== 'https:' && next.protocol !== 'http:') {
        throw new ChartshipError(`${method} ${redactUrl(req.url)}: redirect to unsupported scheme ${next.protocol}`, { code: 'REDIRECT_INVALID' });
      }
      // Credentials belong to the registry's origin only: blob storage behind a redirect gets signed URLs instead.
      if (!sameOrigin(next, url)) {
        delete headers['authorization'];
        delete headers['Authorization'];
      }
      if (response.status === 303) {
        method = 'GET';
        body = undefined;
        delete headers['content-type'];
      }
      url = next;
    }
  }

  /** `send` with the retry policy: 408/429/5xx and network failures are tried again with backoff. */
  request(req: HttpRequest): Promise<HttpResponse> {
    return this.retry(() => this.send(req));
  }

  retry(attempt: () => Promise<HttpResponse>): Promise<HttpResponse> {
    return withRetry(attempt, { policy: this.retryPolicy, clock: this.clock });
  }

  async #once(method: string, url: URL, headers: Record<string, string>, body: Buffer | undefined): Promise<HttpResponse> {
    this.stats.requests++;
    try {
      const response = await request(url, {
        method: method as Dispatcher.HttpMethod,
        headers: body ? { ...headers, 'content-length': String(body.length) } : headers,
        body,
        dispatcher: this.#agentFor(url),
      });
      const bytes = method === 'HEAD' ? Buffer.alloc(0) : Buffer.from(await response.body.arrayBuffer());
      if (method === 'HEAD') await response.body.dump();
      if (body) this.stats.bytesUploaded += body.length;
      return { status: response.statusCode, headers: flatten(response.headers), body: bytes, url };
    } catch (error) {
      throw networkError(method, url, error);
    }
  }

  async close(): Promise<void> {
    await Promise.all([this.#registryAgent.close(), this.#otherAgent?.close()]);
  }
}

/**
 * Registries answer POST with 202 + Location (an upload URL, not a redirect) and send GET/HEAD/PUT to blob storage
 * with 3xx. A POST is only re-sent for 307/308, which promise the same method; 303 turns anything into a GET.
 */
function followsRedirect(method: string, status: number): boolean {
  if (status === 303 || status === 307 || status === 308) return true;
  return (status === 301 || status === 302) && method !== 'POST';
}

function connectOptions(tls: TlsOptions): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  const read = (file: string, what: string) => {
    try {
      return readFileSync(file);
    } catch (error) {
      throw new ChartshipError(`cannot read ${what}: ${(error as Error).message}`, { file, code: 'TLS_CONFIG' });
    }
  };
  // Go appends a CA file to the system pool; node replaces the pool when `ca` is set, so add the roots back.
  if (tls.caFile) options['ca'] = [...rootCertificates, read(tls.caFile, 'CA file').toString('utf8')];
  if (tls.certFile || tls.keyFile) {
    if (!tls.certFile || !tls.keyFile) throw new ChartshipError('a client certificate needs both --cert-file and --key-file', { code: 'TLS_CONFIG' });
    options['cert'] = read(tls.certFile, 'client certificate');
    options['key'] = read(tls.keyFile, 'client key');
  }
  if (tls.insecureSkipTlsVerify) options['rejectUnauthorized'] = false;
  return options;
}

function flatten(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out[key.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

function networkError(method: string, url: URL, error: unknown): Error {
  if (error instanceof ChartshipError) return error;
  const code = (error as { code?: string }).code ?? '';
  const causeCode = ((error as { cause?: { code?: string } }).cause?.code) ?? '';
  const message = `${method} ${redactUrl(url)}: ${(error as Error).message}`;
  if (TRANSIENT_CODES.has(code) || TRANSIENT_CODES.has(causeCode)) return new TransientError(message, { cause: error });
  const tlsCode = [code, causeCode].find((c) => /CERT|SELF_SIGNED|UNABLE_TO|ALTNAME|TLS|SSL/.test(c));
  if (tlsCode) {
    return new ChartshipError(`${message} (${tlsCode})`, {
      code: 'TLS_VERIFY',
      hint: 'pass the registry CA with --ca-file, or --plain-http if it serves plain HTTP',
      cause: error,
    });
  }
  if (/wrong version number|packet length too long/i.test(String((error as Error).message))) {
    return new ChartshipError(message, { code: 'TLS_HANDSHAKE', hint: 'the registry may serve plain HTTP: try --plain-http', cause: error });
  }
  return new ChartshipError(message, { code: code || 'NETWORK', cause: error });
}
