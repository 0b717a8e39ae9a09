import { ChartshipError } from '../model/errors.js';
import { parseChallenges, type Challenge } from './challenge.js';
import type { Credential } from './credentials.js';
import { readErrorBody, RegistryError, registryErrorFrom } from './errors.js';
import { redactUrl } from '../model/redact.js';
import { entraTenant, exchangeEntraToken } from './registries/acr.js';
import { registryHint } from './registries/hints.js';
import { LIMITS, sameOrigin, type HttpRequest, type HttpResponse, type Transport } from './transport.js';

const DEFAULT_TOKEN_SECONDS = 60;
/** Renew a little before the server's expiry, so a token does not die between our check and its use. */
const EXPIRY_MARGIN_MS = 5_000;
const CLIENT_ID = 'chartship';

interface CachedToken {
  token: string;
  expiresAt: number;
}

/**
 * Adds credentials to registry requests: learns the scheme from a 401 (Basic or Bearer), then sends the header up
 * front.
 *
 * Any number of requests may be in flight when the first 401s arrive, so the decision to try again depends only on
 * what that request itself sent, never on shared state another request has already changed: a 401 is answered with
 * the credentials the challenge asks for, and tried again unless exactly those were already refused. Looking up the
 * credential and fetching a token are single-flight (one per scope set), so concurrent 401s converge on one answer.
 * A 401 on a cached token gets one fresh token; a second 401 is final.
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
  #exchange: Promise<string> | undefined;
  /** Which repositories' `pull` tokens are asked as `pull,push` (see the constructor); unset once refused. */
  #pushesTo: ((repository: string) => boolean) | undefined;
  /** Settled once the first request to the registry has told whether and how it wants credentials. */
  #discovered: Promise<void> | undefined;

  readonly #reveal: (secret: string) => void;

  /**
   * `basicUpFront`: Basic credentials go with the first request, before any challenge (helm's chart repository getter).
   * `pushesTo`: the repositories this run pushes to; a token to read one is asked for `pull,push` at once, so the
   * push that follows reuses it instead of fetching its own. A token server that refuses such a token outright
   * (rather than issuing a narrower one, as distribution's token protocol has it) turns this off for the run.
   */
  constructor(
    transport: Transport,
    credential: () => Promise<Credential | undefined>,
    reveal: (secret: string) => void = () => undefined,
    options: { basicUpFront?: boolean; pushesTo?: (repository: string) => boolean } = {},
  ) {
    this.transport = transport;
    if (options.basicUpFront) this.#scheme = 'basic';
    this.#pushesTo = options.pushesTo;
    this.#credentialSource = credential;
    this.#reveal = reveal;
  }

  /** Sends `req` with credentials for `scopes` (e.g. `repository:ns/chart:pull,push`); retries transient failures when `retry`. */
  async fetch(req: HttpRequest, scopes: string[], retry = true): Promise<HttpResponse> {
    const send = (authorization: string | undefined): Promise<HttpResponse> => {
      const sent = { ...req, headers: { ...req.headers, ...(authorization ? { authorization } : {}) } };
      return retry ? this.transport.request(sent) : this.transport.send(sent);
    };
    const ownOrigin = sameOrigin(req.url, this.transport.origin);
    // The first request to a registry goes alone: the others wait for what it learns (the login scheme, the token
    // realm), then send their credentials up front. A hundred charts listed at once cost one 401, not a hundred.
    let learned: (() => void) | undefined;
    if (ownOrigin && this.#scheme === 'unknown') {
      if (this.#discovered) await this.#discovered;
      else this.#discovered = new Promise<void>((resolve) => (learned = resolve));
    }
    try {
      const first = ownOrigin ? await this.#authorization(scopes) : undefined;
      const response = await send(first);
      // Only the registry's own 401 is a challenge to answer: one from where a redirect led (blob storage) could name
      // a token realm of its choosing, which would be sent the registry's credentials.
      if (response.status !== 401 || !ownOrigin || !sameOrigin(response.url, this.transport.origin)) return response;
      const answer = await this.#answer(response, scopes, first);
      // The scheme is known now: the others need not wait for this request's second try.
      learned?.();
      if (answer === undefined || answer === first) throw await this.#refusal(req, response, scopes, first);
      const second = await send(answer);
      if (second.status === 401) throw await this.#refusal(req, second, scopes, answer);
      return second;
    } finally {
      learned?.();
    }
  }

  /**
   * Sends `req` once with the credentials at hand and takes a 401 as the answer: for a courtesy the credentials may
   * not cover, where a fresh token would be wasted and the cached one retired for nothing (distribution's token auth
   * wants `*` on the repository for any DELETE, which a push token does not grant).
   */
  async fetchAsIs(req: HttpRequest, scopes: string[]): Promise<HttpResponse> {
    const authorization = sameOrigin(req.url, this.transport.origin) ? await this.#authorization(scopes) : undefined;
    return this.transport.send({ ...req, headers: { ...req.headers, ...(authorization ? { authorization } : {}) } });
  }

  /** What to send up front, once the scheme is known. */
  async #authorization(scopes: string[]): Promise<string | undefined> {
    if (this.#scheme === 'basic') {
      const credential = await this.#getCredential();
      return credential?.kind === 'basic' ? basicHeader(credential.username, credential.password) : undefined;
    }
    if (this.#scheme === 'bearer') return `Bearer ${await this.#token(scopes)}`;
    return undefined;
  }

  /** The Authorization a 401's challenge asks for, or undefined when there is nothing to offer. */
  async #answer(response: HttpResponse, scopes: string[], sent: string | undefined): Promise<string | undefined> {
    const challenges = parseChallenges(response.headers['www-authenticate'] ?? '');
    const bearer = challenges.find((c) => c.scheme === 'bearer' && c.params['realm']);
    if (bearer) {
      this.#learnBearer(bearer, scopes);
      const key = scopeKey(this.#tokenScopes(scopes));
      // Only the request that sent the cached token retires it; one that sent an older token takes the newer one.
      if (sent === `Bearer ${this.#tokens.get(key)?.token}`) this.#tokens.delete(key);
      return `Bearer ${await this.#token(scopes)}`;
    }
    if (challenges.some((c) => c.scheme === 'basic')) {
      const credential = await this.#getCredential();
      if (credential?.kind !== 'basic') return undefined;
      this.#scheme = 'basic';
      return basicHeader(credential.username, credential.password);
    }
    return undefined;
  }

  #learnBearer(bearer: Challenge, scopes: string[]): void {
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
  }

  /**
   * A final 401. No credentials and refused credentials need different fixes, so they get different messages; the
   * username and where the credential came from are named, the secret never.
   */
  async #refusal(req: HttpRequest, response: HttpResponse, scopes: string[], sent: string | undefined): Promise<RegistryError> {
    const credential = await this.#getCredential();
    const host = this.transport.origin.host;
    const details = { status: 401, method: req.method, url: req.url, code: 'UNAUTHORIZED' };
    if (!credential || this.#withheld()) return new RegistryError({ ...details, ...noCredentials(host, credential) });
    const who = describeCredential(credential);
    if (sent === undefined) {
      const challenges = parseChallenges(response.headers['www-authenticate'] ?? '');
      // Neither is the registry asking for a scheme chartship lacks: it says nothing usable about how to log in.
      if (challenges.length === 0) {
        return new RegistryError({
          ...details,
          message: `the registry answered 401 without a WWW-Authenticate challenge, so nothing tells how to log in with ${who}`,
          hint: `a registry's /v2/ API always names its login scheme: check that ${host} is the registry's API itself and not a web page or gateway in front of it, or a proxy that drops the WWW-Authenticate header`,
        });
      }
      if (challenges.some((c) => c.scheme === 'bearer') && !challenges.some((c) => c.scheme === 'basic')) {
        return new RegistryError({
          ...details,
          message: `the registry's challenge asks for a token but names no realm to get one from (for ${who})`,
          hint: "the registry's token authentication is misconfigured (its auth.token.realm): report it to its operators",
        });
      }
      const schemes = challenges.map((c) => c.scheme);
      return new RegistryError({
        ...details,
        message: `the registry's challenge (${schemes.join(', ') || 'none'}) cannot be answered with ${who}`,
        hint: credential.kind === 'refresh' ? 'this registry wants a username and password, not an identity token' : 'the registry wants an authentication scheme chartship does not speak',
      });
    }
    // The registry's own words often name the cause (Harbor's "unauthorized to access repository: …, action: push").
    const said = readErrorBody(response.body).message;
    const tail = said ? ` (the registry said: ${said})` : '';
    const known = registryHint(host, { status: 401, code: 'UNAUTHORIZED', message: said });
    if (this.#scheme === 'bearer') {
      const insufficient = /insufficient_scope/i.test(response.headers['www-authenticate'] ?? '');
      return new RegistryError({
        ...details,
        message: `the registry refused the token issued for ${who}${insufficient ? ` (it does not grant ${scopes.join(' ')})` : ''}${tail}`,
        hint: known ?? 'check that this user may access the repository (pushing needs write access) and that its namespace exists (Quay organisations and Harbor projects are not created on push)',
      });
    }
    return new RegistryError({ ...details, message: `the registry refused ${who}${tail}`, hint: known ?? 'the username or password is wrong or has expired' });
  }

  /** A realm that drops TLS while the registry uses it would expose the secret: tokens are then asked for anonymously. */
  #withheld(): boolean {
    return this.#scheme === 'bearer' && this.#realm?.protocol === 'http:' && this.transport.origin.protocol === 'https:';
  }

  #getCredential(): Promise<Credential | undefined> {
    this.#credential ??= this.#credentialSource();
    return this.#credential;
  }

  /** The scopes a token is asked for: `pull` on a repository this run pushes to is asked as `pull,push`. */
  #tokenScopes(scopes: string[]): string[] {
    const pushesTo = this.#pushesTo;
    if (!pushesTo) return scopes;
    return scopes.map((scope) => {
      const repository = /^repository:(.+):pull$/.exec(scope)?.[1];
      return repository !== undefined && pushesTo(repository) ? `repository:${repository}:pull,push` : scope;
    });
  }

  /** A token for `scopes`: cached while valid, else fetched once however many requests ask at the same time. */
  #token(scopes: string[]): Promise<string> {
    const asked = this.#tokenScopes(scopes);
    const key = scopeKey(asked);
    const cached = this.#tokens.get(key);
    if (cached && cached.expiresAt > this.transport.clock.now()) return Promise.resolve(cached.token);
    let pending = this.#pending.get(key);
    if (!pending) {
      pending = this.#fetchToken(asked)
        .catch((error: unknown) => {
          if (key === scopeKey(scopes) || !(error instanceof RegistryError) || (error.status !== 401 && error.status !== 403)) throw error;
          // Refused the push this read did not need: reads ask for what they need from now on, and this one again.
          this.#pushesTo = undefined;
          return this.#token(scopes);
        })
        .finally(() => this.#pending.delete(key));
      this.#pending.set(key, pending);
    }
    return pending;
  }

  async #fetchToken(scopes: string[]): Promise<string> {
    const realm = this.#realm!;
    const credential = await this.#getCredential();
    const usable = this.#withheld() ? undefined : credential;
    this.transport.stats.tokenFetches++;
    let response: HttpResponse;
    let asked = { method: 'GET', url: tokenUrl(realm, this.#service, scopes) };
    if (usable?.kind === 'refresh') {
      const refreshToken = await this.#refreshToken(realm, usable);
      response = await this.#postRefresh(realm, refreshToken, scopes);
      if (response.status !== 404) asked = { method: 'POST', url: realm };
      // Registries without the OAuth2 POST endpoint answer 404: the GET flow takes the token as a password.
      else response = await this.#get(realm, scopes, basicHeader('<token>', refreshToken));
    } else {
      response = await this.#get(realm, scopes, usable?.kind === 'basic' ? basicHeader(usable.username, usable.password) : undefined);
    }
    if (response.status === 401 || response.status === 403) {
      const details = { status: response.status, method: asked.method, url: asked.url, code: 'UNAUTHORIZED' };
      if (!usable) throw new RegistryError({ ...details, ...noCredentials(this.transport.origin.host, credential) });
      // Its own words often name the cause (GitLab: an account with two-factor authentication needs a token).
      const said = readErrorBody(response.body).message;
      throw new RegistryError({
        ...details,
        message: `the token server refused ${describeCredential(usable)}${said ? ` (the token server said: ${said})` : ''}`,
        hint: 'the username or password (or token) is wrong or has expired',
      });
    }
    if (response.status !== 200) throw registryErrorFrom(asked.method, asked.url, response.status, response.body, response.headers, this.transport.clock.now());
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
    if (parsed.refresh_token && usable?.kind === 'refresh') this.#credential = Promise.resolve({ ...usable, refreshToken: parsed.refresh_token });
    const seconds = typeof parsed.expires_in === 'number' && parsed.expires_in > 0 ? parsed.expires_in : DEFAULT_TOKEN_SECONDS;
    const expiresAt = this.transport.clock.now() + Math.max(seconds * 1000 - EXPIRY_MARGIN_MS, seconds * 500);
    this.#tokens.set(scopeKey(scopes), { token, expiresAt });
    return token;
  }

  /**
   * The refresh token to present: the credential's own, or, for an Entra ID access token (ACR), the ACR refresh
   * token it is exchanged for, once however many token fetches ask at the same time.
   */
  #refreshToken(realm: URL, credential: Extract<Credential, { kind: 'refresh' }>): Promise<string> {
    if (entraTenant(credential.refreshToken) === undefined) return Promise.resolve(credential.refreshToken);
    this.#exchange ??= exchangeEntraToken(this.transport, realm, this.#service, credential.refreshToken, credential.source ?? 'the credentials given').then((refreshToken) => {
      this.#reveal(refreshToken);
      this.#credential = Promise.resolve({ kind: 'refresh', refreshToken, source: `${credential.source ?? 'an Entra ID access token'}, exchanged at ACR` });
      return refreshToken;
    });
    return this.#exchange;
  }

  #get(realm: URL, scopes: string[], authorization: string | undefined): Promise<HttpResponse> {
    return this.transport.request({
      method: 'GET',
      url: tokenUrl(realm, this.#service, scopes),
      headers: authorization ? { authorization } : {},
      what: 'token',
      limit: LIMITS.token,
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
      what: 'token',
      limit: LIMITS.token,
    });
  }
}

function scopeKey(scopes: string[]): string {
  return [...scopes].sort().join(' ');
}

function noCredentials(host: string, withheld: Credential | undefined): { message: string; hint: string } {
  return {
    message: withheld
      ? `the registry asks for credentials, and the ones found for ${host} may not be sent to its plain-http token server`
      : `the registry asks for credentials and none were found for ${host}`,
    hint: `log in (helm registry login ${host}, or docker login ${host}), or pass --username with --password-stdin (action: username and password, or a registry-auth line for ${host})`,
  };
}

function describeCredential(credential: Credential): string {
  const what = credential.kind === 'basic' ? `the credentials of user ${JSON.stringify(credential.username)}` : 'the identity token';
  return credential.source ? `${what} from ${credential.source}` : what;
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
