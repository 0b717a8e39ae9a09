import { ChartshipError } from '../errors.js';
import { parseChallenges } from './challenge.js';
import type { Credential } from './credentials.js';
import { registryErrorFrom } from './errors.js';
import { redactUrl } from './redact.js';
import { sameOrigin, type HttpRequest, type HttpResponse, type Transport } from './transport.js';

const DEFAULT_TOKEN_SECONDS = 60;
/** Renew a little before the server's expiry, so a token does not die between our check and its use. */
const EXPIRY_MARGIN_MS = 5_000;
const CLIENT_ID = 'chartship';

interface CachedToken {
  token: string;
  expiresAt: number;
}

/**
 * Adds credentials to registry requests: learns the scheme from the first 401 (Basic or Bearer), then sends the
 * header up front. Bearer tokens are cached per scope set; a 401 on a cached token gets one fresh token, a second
 * 401 is returned to the caller as final.
 */
export class AuthClient {
  readonly transport: Transport;
  #credentialSource: () => Promise<Credential | undefined>;
  #credential: Promise<Credential | undefined> | undefined;
  #scheme: 'unknown' | 'basic' | 'bearer' = 'unknown';
  #realm: URL | undefined;
  #service: string | undefined;
  #tokens = new Map<string, CachedToken>();
  #pending = new Map<string, Promise<string>>();

  readonly #reveal: (secret: string) => void;

  constructor(transport: Transport, credential: () => Promise<Credential | undefined>, reveal: (secret: string) => void = () => undefined) {
    this.transport = transport;
    this.#credentialSource = credential;
    this.#reveal = reveal;
  }

  /** Sends `req` with credentials for `scopes` (e.g. `repository:ns/chart:pull,push`); retries transient failures when `retry`. */
  async fetch(req: HttpRequest, scopes: string[], retry = true): Promise<HttpResponse> {
    const send = async (forceNewToken: boolean): Promise<HttpResponse> => {
      const authorization = await this.#authorization(req.url, scopes, forceNewToken);
      const sent = { ...req, headers: { ...req.headers, ...(authorization ? { authorization } : {}) } };
      return retry ? this.transport.request(sent) : this.transport.send(sent);
    };
    const first = await send(false);
    if (first.status !== 401 || !sameOrigin(req.url, this.transport.origin)) return first;
    if (!(await this.#learn(first, scopes))) return first;
    return send(true);
  }

  /** Reads the challenge of a 401; true when another attempt with (new) credentials can succeed. */
  async #learn(response: HttpResponse, scopes: string[]): Promise<boolean> {
    const challenges = parseChallenges(response.headers['www-authenticate'] ?? '');
    const bearer = challenges.find((c) => c.scheme === 'bearer' && c.params['realm']);
    if (bearer) {
      let realm: URL;
      try {
        realm = new URL(bearer.params['realm']!);
      } catch {
        throw new ChartshipError(`the registry's token realm ${JSON.stringify(bearer.params['realm'])} is not a URL`, { code: 'AUTH_REALM_INVALID' });
      }
      if (realm.protocol !== 'https:' && realm.protocol !== 'http:') {
        throw new ChartshipError(`the registry's token realm uses unsupported scheme ${realm.protocol}`, { code: 'AUTH_REALM_INVALID' });
      }
      this.#scheme = 'bearer';
      this.#realm = realm;
      this.#service = bearer.params['service'];
      if (scopes.length === 0 && bearer.params['scope']) scopes.push(...bearer.params['scope'].split(' ').filter(Boolean));
      return true;
    }
    if (challenges.some((c) => c.scheme === 'basic')) {
      const credential = await this.#getCredential();
      if (credential?.kind !== 'basic') return false;
      const retryable = this.#scheme !== 'basic';
      this.#scheme = 'basic';
      return retryable;
    }
    return false;
  }

  #getCredential(): Promise<Credential | undefined> {
    this.#credential ??= this.#credentialSource();
    return this.#credential;
  }

  async #authorization(url: URL, scopes: string[], forceNewToken: boolean): Promise<string | undefined> {
    // Credentials are for the registry's own scheme, host and port: never an upload Location elsewhere.
    if (!sameOrigin(url, this.transport.origin)) return undefined;
    if (this.#scheme === 'basic') {
      const credential = await this.#getCredential();
      return credential?.kind === 'basic' ? basicHeader(credential.username, credential.password) : undefined;
    }
    if (this.#scheme === 'bearer') return `Bearer ${await this.#token(scopes, forceNewToken)}`;
    return undefined;
  }

  async #token(scopes: string[], forceNew: boolean): Promise<string> {
    const key = [...scopes].sort().join(' ');
    const cached = this.#tokens.get(key);
    if (!forceNew && cached && cached.expiresAt > this.transport.clock.now()) return cached.token;
    if (forceNew) this.#tokens.delete(key);
    // Concurrent blob uploads of one chart share a single token fetch.
    let pending = this.#pending.get(key);
    if (!pending) {
      pending = this.#fetchToken(scopes).finally(() => this.#pending.delete(key));
      this.#pending.set(key, pending);
    }
    return pending;
  }

  async #fetchToken(scopes: string[]): Promise<string> {
    const realm = this.#realm!;
    const credential = await this.#getCredential();
    // A realm that drops TLS while the registry uses it would expose the secret: ask anonymously instead.
    const mayUseCredential = realm.protocol === 'https:' || this.transport.origin.protocol === 'http:';
    const usable = mayUseCredential ? credential : undefined;
    this.transport.stats.tokenFetches++;
    let response: HttpResponse;
    let asked = { method: 'GET', url: tokenUrl(realm, this.#service, scopes) };
    if (usable?.kind === 'refresh') {
      response = await this.#postRefresh(realm, usable.refreshToken, scopes);
      if (response.status !== 404) asked = { method: 'POST', url: realm };
      // Registries without the OAuth2 POST endpoint answer 404: the GET flow takes the token as a password.
      else response = await this.#get(realm, scopes, basicHeader('<token>', usable.refreshToken));
    } else {
      response = await this.#get(realm, scopes, usable?.kind === 'basic' ? basicHeader(usable.username, usable.password) : undefined);
    }
    if (response.status !== 200) throw registryErrorFrom(asked.method, asked.url, response.status, response.body);
    let parsed: { token?: string; access_token?: string; expires_in?: number; refresh_token?: string };
    try {
      parsed = JSON.parse(response.body.toString('utf8')) as typeof parsed;
    } catch {
      throw new ChartshipError(`the token server at ${redactUrl(realm)} did not answer JSON`, { code: 'AUTH_TOKEN_INVALID' });
    }
    const token = parsed.token || parsed.access_token;
    if (!token) throw new ChartshipError(`the token server at ${redactUrl(realm)} answered without a token`, { code: 'AUTH_TOKEN_INVALID' });
    this.#reveal(token);
    if (parsed.refresh_token) this.#reveal(parsed.refresh_token);
    if (parsed.refresh_token && usable?.kind === 'refresh') this.#credential = Promise.resolve({ kind: 'refresh', refreshToken: parsed.refresh_token });
    const seconds = typeof parsed.expires_in === 'number' && parsed.expires_in > 0 ? parsed.expires_in : DEFAULT_TOKEN_SECONDS;
    const expiresAt = this.transport.clock.now() + Math.max(seconds * 1000 - EXPIRY_MARGIN_MS, seconds * 500);
    this.#tokens.set([...scopes].sort().join(' '), { token, expiresAt });
    return token;
  }

  #get(realm: URL, scopes: string[], authorization: string | undefined): Promise<HttpResponse> {
    return this.transport.request({
      method: 'GET',
      url: tokenUrl(realm, this.#service, scopes),
      headers: authorization ? { authorization } : {},
    });
  }

  #postRefresh(realm: URL, refreshToken: string, scopes: string[]): Promise<HttpResponse> {
    const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: CLIENT_ID });
    if (this.#service) form.set('service', this.#service);
    if (scopes.length > 0) form.set('scope', scopes.join(' '));
    return this.transport.request({
      method: 'POST',
      url: realm,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: Buffer.from(form.toString()),
    });
  }
}

/** `realm?service=…&scope=a&scope=b`: one scope parameter each, added to whatever query the realm has. */
export function tokenUrl(realm: URL, service: string | undefined, scopes: string[]): URL {
  const url = new URL(realm);
  if (service) url.searchParams.set('service', service);
  for (const scope of scopes) url.searchParams.append('scope', scope);
  return url;
}

function basicHeader(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}
