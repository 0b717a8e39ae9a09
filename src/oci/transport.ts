import { readFileSync } from 'node:fs';
import { createSecureContext, rootCertificates } from 'node:tls';
import type { Dispatcher } from 'undici';
import { systemClock, type Clock } from '../model/clock.js';
import { ChartshipError } from '../model/errors.js';
import { Deadlines } from './deadlines.js';
import { exchange } from './exchange.js';
import { ProxyAwareDispatcher } from './proxy.js';
import { redactUrl } from '../model/redact.js';
import { retryLine, seconds } from '../model/retry.js';
import { USER_AGENT } from '../model/version.js';
import { defaultRetryPolicy, TransientError, withRetry, type RetryInfo, type RetryPolicy } from './retry.js';

export interface HttpRequest {
  method: string;
  url: URL;
  headers?: Record<string, string>;
  /** A Buffer, so a retry or an auth round trip can send it again. */
  body?: Buffer;
  /** What the answer is, as errors name it: `manifest`, `blob`, `token`, `tag list`… */
  what?: string;
  /** The most bytes a successful answer may carry (default LIMITS.other); more fails the request. */
  limit?: number;
  /**
   * Checks a successful answer before it is returned. Throwing TransientError (a body garbled in transit, a digest
   * header that does not match the bytes) asks the retry loop for another attempt.
   */
  verify?: (response: HttpResponse) => void;
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

export interface Timeouts {
  /** One request from start to last byte (each redirect hop is a request). */
  requestMs: number;
  /** No byte arriving for this long, while waiting for the headers or between two chunks of the body. */
  idleMs: number;
  /** A connection (TCP and TLS) not made within this long: undici's default, named so messages can say it. */
  connectMs: number;
}

export const defaultTimeouts: Timeouts = { requestMs: 300_000, idleMs: 60_000, connectMs: 10_000 };

const KiB = 1024;
const MiB = 1024 * KiB;

/** What chartship reads at most, so a broken or hostile server cannot make it buffer without end. */
export const LIMITS = {
  /** As helm (oras-go) caps manifests. */
  manifest: 4 * MiB,
  tagList: 4 * MiB,
  token: 1 * MiB,
  /** Error answers are cut here (their text is only shown). */
  error: 64 * KiB,
  /** Answers that should carry nothing (upload sessions, manifest PUTs). */
  other: 64 * KiB,
  /** helm refuses a chart whose files exceed 100 MiB; a chart blob or an archive download is never larger. */
  chart: 100 * MiB,
  /** A chart repository's index.yaml (large public indexes run to tens of MiB). */
  index: 100 * MiB,
};

export interface TransportStats {
  requests: number;
  tokenFetches: number;
  bytesUploaded: number;
}

export interface TransportOptions {
  clock?: Clock;
  retry?: Partial<RetryPolicy>;
  timeouts?: Partial<Timeouts>;
  /** HTTPS_PROXY / HTTP_PROXY / NO_PROXY come from here (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** What to tell a user whose server answered plain HTTP to an https:// request. */
  plainHttpHint?: string;
  /** What to tell a user whose server's certificate is not trusted: how this kind of server is given its CA. */
  tlsHint?: string;
  /** Told of each retry, in a line naming the request, what failed and the wait, so a pause in a CI log is explained. */
  onRetry?: (message: string) => void;
}

const MAX_REDIRECTS = 10;
const TRANSIENT_CODES = new Set([
  'ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH',
  'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_CLOSED', 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH',
]);
const IDLE_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);
/** A request that got not a byte of an answer: no connection, or no headers. */
const UNANSWERED_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT']);
/** Requests in a row that time out unanswered, none answered meanwhile, before a server is taken for gone. */
const UNANSWERED_LIMIT = 2;
/** What every hint after a failed run ends with: a run stopped half-way is completed by the next. */
const RERUN = 'what is already pushed stays, and a rerun completes the rest';
const REGISTRY_PLAIN_HTTP_HINT = 'pass --plain-http (action input plain-http: true), or use the port where it serves HTTPS';
const REGISTRY_TLS_HINT = 'pass the registry CA with --ca-file, or --plain-http if it serves plain HTTP';

export function sameOrigin(a: URL, b: URL): boolean {
  return a.protocol === b.protocol && a.hostname === b.hostname && effectivePort(a) === effectivePort(b);
}

function effectivePort(url: URL): string {
  return url.port || (url.protocol === 'https:' ? '443' : url.protocol === 'http:' ? '80' : '');
}

/** `4 MiB`, `64 KiB`, `17 bytes`. */
export function formatBytes(bytes: number): string {
  if (bytes >= MiB && bytes % MiB === 0) return `${bytes / MiB} MiB`;
  if (bytes >= KiB && bytes % KiB === 0) return `${bytes / KiB} KiB`;
  return `${bytes} byte${bytes === 1 ? '' : 's'}`;
}

/**
 * HTTP for one registry (or one download origin): its TLS settings (the servers it sends chartship on to, its token
 * service and blob storage behind a redirect, are verified the same way, as helm's one TLS configuration does; only
 * the client certificate stays with the registry's origin), the proxy the environment names, hand-followed redirects that drop credentials
 * when the origin changes and never drop TLS, bounded answers, a deadline and an idle timeout per request, retries,
 * and counters.
 */
export class Transport {
  readonly origin: URL;
  readonly stats: TransportStats = { requests: 0, tokenFetches: 0, bytesUploaded: 0 };
  readonly clock: Clock;
  readonly retryPolicy: RetryPolicy;
  readonly timeouts: Timeouts;
  readonly #plainHttpHint: string;
  readonly #tlsHint: string;
  readonly #onRetry: ((message: string) => void) | undefined;
  #registryAgent: ProxyAwareDispatcher;
  #otherAgent: ProxyAwareDispatcher | undefined;
  readonly #otherConnect: Record<string, unknown>;
  readonly #env: NodeJS.ProcessEnv;
  readonly #deadlines: Deadlines;
  /**
   * Per origin: when it last answered, and how many requests since timed out with no answer at all. A server that
   * takes connections and never answers would cost every later request the idle timeout and its retries, one chart
   * after another: once it is known gone, requests to it fail at once, saying so, and a rerun tries again.
   */
  readonly #answeredAt = new Map<string, number>();
  /** `connect`: the last of them got no connection (a firewall dropping it); `answer`: a connection, but no answer. */
  readonly #unanswered = new Map<string, { count: number; kind: 'connect' | 'answer' }>();

  constructor(host: string, tls: TlsOptions = {}, options: TransportOptions = {}) {
    try {
      this.origin = new URL(`${tls.plainHttp ? 'http' : 'https'}://${host}`);
    } catch {
      throw new ChartshipError(`${JSON.stringify(host)} is not a host a request can go to`, { code: 'TARGET_INVALID', hint: 'write HOST or HOST:PORT, the port between 1 and 65535' });
    }
    this.clock = options.clock ?? systemClock;
    this.retryPolicy = { ...defaultRetryPolicy, ...options.retry };
    this.timeouts = { ...defaultTimeouts, ...options.timeouts };
    this.#deadlines = new Deadlines(this.timeouts.requestMs);
    this.#plainHttpHint = options.plainHttpHint ?? REGISTRY_PLAIN_HTTP_HINT;
    this.#tlsHint = options.tlsHint ?? REGISTRY_TLS_HINT;
    this.#onRetry = options.onRetry;
    this.#env = options.env ?? process.env;
    const timeout = this.timeouts.connectMs;
    this.#registryAgent = new ProxyAwareDispatcher({ ...connectOptions(tls), timeout }, this.#env);
    // A private CA usually signs the registry's token service too (docker_auth on another port, a self-hosted
    // GitLab's /jwt/auth): what the user said to trust holds for every server the registry sends chartship to.
    this.#otherConnect = { ...connectOptions({ caFile: tls.caFile, insecureSkipTlsVerify: tls.insecureSkipTlsVerify }), timeout };
  }

  #agentFor(url: URL): Promise<Dispatcher> {
    if (sameOrigin(url, this.origin)) return this.#registryAgent.for(url);
    this.#otherAgent ??= new ProxyAwareDispatcher(this.#otherConnect, this.#env);
    return this.#otherAgent.for(url);
  }

  /** One attempt (redirects included), no retries. Transient network failures throw TransientError. */
  async send(req: HttpRequest): Promise<HttpResponse> {
    let url = req.url;
    let method = req.method;
    let body = req.body;
    const headers: Record<string, string> = { 'user-agent': USER_AGENT, ...req.headers };
    for (let hop = 0; ; hop++) {
      const response = await this.#once({ ...req, method, url, headers, body });
      const location = response.headers['location'];
      if (!location || !followsRedirect(method, response.status)) {
        if (req.verify && response.status >= 200 && response.status < 300) req.verify(response);
        return response;
      }
      if (hop >= MAX_REDIRECTS) {
        throw new ChartshipError(`${method} ${redactUrl(req.url)}: more than ${MAX_REDIRECTS} redirects`, { code: 'TOO_MANY_REDIRECTS' });
      }
      const next = new URL(location, url);
      checkNextUrl(`${method} ${redactUrl(req.url)}: the redirect`, url, next);
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
    return this.retry(() => this.send(req), 1, () => `${req.method} ${redactUrl(req.url)}`);
  }

  /**
   * `requestsPerAttempt`: an attempt that is several requests (POST + PUT) gets as many tries per request as one.
   * `label` names the operation in the retry lines (`PUT https://…/manifests/1.0.0`); a function, when it costs
   * something to write, is called only for a retry.
   */
  retry(attempt: () => Promise<HttpResponse>, requestsPerAttempt = 1, label: string | (() => string) = this.origin.host): Promise<HttpResponse> {
    const onRetry = this.#onRetry;
    return withRetry(attempt, {
      policy: { ...this.retryPolicy, attempts: this.retryPolicy.attempts * requestsPerAttempt },
      clock: this.clock,
      ...(onRetry && { onRetry: (info: RetryInfo) => onRetry(retryLine(typeof label === 'string' ? label : label(), info, 'the registry')) }),
    });
  }

  async #once(req: HttpRequest & { headers: Record<string, string> }): Promise<HttpResponse> {
    const { method, url, body } = req;
    this.#checkAnswering(method, url);
    const startedAt = this.clock.now();
    this.stats.requests++;
    const deadline = this.#deadlines.start();
    try {
      const dispatcher = await this.#agentFor(url);
      const limit = req.limit ?? LIMITS.other;
      const answer = await exchange({
        method,
        url,
        headers: body ? { ...req.headers, 'content-length': String(body.length) } : req.headers,
        body,
        dispatcher,
        deadline,
        idleMs: this.timeouts.idleMs,
        onAnswer: () => {
          this.#answeredAt.set(url.origin, this.clock.now());
          this.#unanswered.delete(url.origin);
          if (body) this.stats.bytesUploaded += body.length;
        },
        // An error answer is only ever shown: keep its start, drop the rest.
        bodyLimit: (status) =>
          method === 'HEAD'
            ? undefined
            : status >= 200 && status < 300
              ? { limit, overflow: () => tooLarge(method, url, req.what ?? 'answer', limit) }
              : { limit: LIMITS.error },
      });
      return { ...answer, url };
    } catch (error) {
      if (deadline.expired && !(error instanceof ChartshipError)) {
        throw new TransientError(`${method} ${redactUrl(url)}: no complete answer within ${seconds(this.timeouts.requestMs)} (the request deadline)`, {
          code: 'DEADLINE_EXCEEDED',
          cause: error,
        });
      }
      this.#noteUnanswered(url, startedAt, error);
      throw this.#networkError(method, url, error);
    } finally {
      this.#deadlines.finish(deadline);
    }
  }

  #noteUnanswered(url: URL, startedAt: number, error: unknown): void {
    const codes = [(error as { code?: string }).code, (error as { cause?: { code?: string } }).cause?.code];
    if (!codes.some((code) => code !== undefined && UNANSWERED_CODES.has(code))) return;
    // Another request answered while this one waited: the server is alive, this connection was not.
    if ((this.#answeredAt.get(url.origin) ?? -Infinity) >= startedAt) return;
    const kind = codes.includes('UND_ERR_CONNECT_TIMEOUT') ? 'connect' : 'answer';
    this.#unanswered.set(url.origin, { count: (this.#unanswered.get(url.origin)?.count ?? 0) + 1, kind });
  }

  #checkAnswering(method: string, url: URL): void {
    const unanswered = this.#unanswered.get(url.origin);
    if (!unanswered || unanswered.count < UNANSWERED_LIMIT) return;
    if (unanswered.kind === 'connect') {
      throw new ChartshipError(
        `${method} ${redactUrl(url)}: not sent, since ${url.host} cannot be connected to (requests to it got no connection within ${seconds(this.timeouts.connectMs)}, the connect timeout, and no other request got an answer meanwhile)`,
        { code: 'UNREACHABLE', hint: `something between this machine and ${url.host}, such as a firewall or a proxy setting, drops the connections: fix that and run again; ${RERUN}` },
      );
    }
    throw new ChartshipError(
      `${method} ${redactUrl(url)}: not sent, since ${url.host} stopped answering (requests to it got nothing back within ${seconds(this.timeouts.idleMs)}, the idle timeout, and no other request got an answer meanwhile)`,
      { code: 'UNRESPONSIVE', hint: `run again once it answers: ${RERUN}` },
    );
  }

  #networkError(method: string, url: URL, error: unknown): Error {
    if (error instanceof ChartshipError) return error;
    const code = (error as { code?: string }).code ?? '';
    const causeCode = (error as { cause?: { code?: string } }).cause?.code ?? '';
    const text = String((error as Error).message);
    const message = `${method} ${redactUrl(url)}: ${text}`;
    if (IDLE_CODES.has(code)) {
      return new TransientError(`${method} ${redactUrl(url)}: nothing received for ${seconds(this.timeouts.idleMs)} (the idle timeout)`, { code: 'IDLE_TIMEOUT', cause: error });
    }
    if (TRANSIENT_CODES.has(code) || TRANSIENT_CODES.has(causeCode)) {
      // Read only once the retries are used up: the connection kept failing, which a rerun usually gets past.
      return new TransientError(message, { cause: error, hint: `the connection to ${url.host} kept failing through every retry, as when the network or the server is down: run again once it is back; ${RERUN}` });
    }
    // Checked before the certificate codes: OpenSSL reports a plain-HTTP answer as ERR_SSL_WRONG_VERSION_NUMBER.
    if (/wrong version number|packet length too long/i.test(text) || /WRONG_VERSION_NUMBER|PACKET_LENGTH_TOO_LONG/.test(`${code} ${causeCode}`)) {
      return new ChartshipError(`${url.host} answered plain HTTP to an HTTPS request (${method} ${redactUrl(url)})`, {
        code: 'PLAIN_HTTP',
        hint: this.#plainHttpHint,
        cause: error,
      });
    }
    const tlsCode = [code, causeCode].find((c) => /CERT|SELF_SIGNED|UNABLE_TO|ALTNAME|TLS|SSL/.test(c));
    if (tlsCode) {
      return new ChartshipError(`${message} (${tlsCode})`, {
        code: 'TLS_VERIFY',
        hint: this.#tlsHint,
        cause: error,
      });
    }
    return new ChartshipError(message, { code: code || 'NETWORK', cause: error });
  }

  async close(): Promise<void> {
    await Promise.all([this.#registryAgent.close(), this.#otherAgent?.close()]);
  }
}

/**
 * A URL the server sends us on to (a redirect, an upload Location) must stay on http(s) and never drop TLS: the
 * bytes of a private chart would cross the network in clear. `said` names the URL's source, as a function when that
 * costs something to write (it is then called only for a URL refused).
 */
export function checkNextUrl(said: string | (() => string), from: URL, next: URL): void {
  const what = () => (typeof said === 'string' ? said : said());
  if (next.protocol !== 'https:' && next.protocol !== 'http:') {
    throw new ChartshipError(`${what()} points to the unsupported scheme ${next.protocol} (${redactUrl(next)})`, { code: 'REDIRECT_INVALID' });
  }
  if (from.protocol === 'https:' && next.protocol === 'http:') {
    throw new ChartshipError(`${what()} points to plain http:// (${redactUrl(next)}), which would drop TLS`, { code: 'REDIRECT_INVALID' });
  }
}

function tooLarge(method: string, url: URL, what: string, limit: number): ChartshipError {
  return new ChartshipError(`${method} ${redactUrl(url)}: the ${what} is larger than ${formatBytes(limit)}, the most chartship reads for a ${what}`, {
    code: 'RESPONSE_TOO_LARGE',
    hint: 'the server is broken or hostile: a chart registry never sends that much',
  });
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
  const context: { ca?: string[]; cert?: Buffer; key?: Buffer } = {};
  if (tls.caFile) context.ca = [...rootCertificates, read(tls.caFile, 'CA file').toString('utf8')];
  if (tls.certFile || tls.keyFile) {
    if (!tls.certFile || !tls.keyFile) throw new ChartshipError('a client certificate needs both --cert-file and --key-file', { code: 'TLS_CONFIG' });
    context.cert = read(tls.certFile, 'client certificate');
    context.key = read(tls.keyFile, 'client key');
  }
  // One secure context for every connection: given `ca`, tls.connect parses all ~140 roots again per connection. Made
  // here, a file that holds no certificate or key fails before any connection, naming the files.
  if (Object.keys(context).length > 0) {
    try {
      options['secureContext'] = createSecureContext(context);
    } catch (error) {
      const files = [...new Set([tls.caFile, tls.certFile, tls.keyFile].filter((f): f is string => f !== undefined))];
      throw new ChartshipError(`cannot use the TLS files ${files.join(', ')}: ${(error as Error).message}`, { file: tls.certFile ?? tls.caFile, code: 'TLS_CONFIG' });
    }
  }
  if (tls.insecureSkipTlsVerify) options['rejectUnauthorized'] = false;
  return options;
}
