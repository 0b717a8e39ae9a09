/**
 * A small Docker/OCI token server for tests: issues RS256 JWTs the real registry verifies (x5c header with the
 * signing certificate, which is also the registry's rootcertbundle). Supports the GET flow (Basic or anonymous),
 * the OAuth2 POST flow (refresh_token and password grants), and records every request it gets.
 */
import { createPrivateKey, createSign, randomBytes, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TokenRequest {
  method: string;
  path: string;
  /** `basic:<user>`, `basic:<token>` or `anonymous` (never the secret). */
  auth: string;
  grantType?: string;
  service?: string;
  /** Exchange requests: the tenant sent. */
  tenant?: string;
  scopes: string[];
  clientId?: string;
  status: number;
}

export interface TokenServerOptions {
  issuer: string;
  service: string;
  certFile: string;
  keyFile: string;
  users: Record<string, string>;
  /** Refresh tokens accepted, mapped to their user. */
  refreshTokens?: Record<string, string>;
  /** false: POST answers 404, as registries without the OAuth2 endpoint do. */
  oauthPost?: boolean;
  expiresIn?: number;
  /** Anonymous clients get pull access. */
  anonymousPull?: boolean;
  /**
   * Entra ID access tokens ACR's exchange endpoint accepts, mapped to their user: `POST …/exchange` with
   * `grant_type=access_token` answers `{"refresh_token"}` (Azure/acr docs/AAD-OAuth.md).
   */
  entraTokens?: Record<string, string>;
  /**
   * The actions a user is granted on a repository (default: all asked). A registry that downscopes (Quay without
   * the namespace, Harbor without the project) grants fewer; the registry then refuses the request with 401.
   */
  grant?: (user: string, repository: string, actions: string[]) => string[];
  /**
   * A token server that answers 403 for a scope the login lacks, instead of issuing a narrower token (a GET with
   * Basic credentials): true refuses the whole request.
   */
  refuse?: (user: string, repository: string, actions: string[]) => boolean;
}

export interface TokenServer {
  realm: string;
  requests(): TokenRequest[];
  stop(): Promise<void>;
}

const b64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

export async function startTokenServer(options: TokenServerOptions): Promise<TokenServer> {
  const key = createPrivateKey(readFileSync(options.keyFile));
  const certDer = new X509Certificate(readFileSync(options.certFile)).raw.toString('base64');
  const log: TokenRequest[] = [];
  const refresh = new Map(Object.entries(options.refreshTokens ?? {}));

  const sign = (subject: string, scopes: string[], full: boolean): string => {
    const now = Math.floor(Date.now() / 1000);
    const access = scopes.flatMap((scope) => {
      const [type, ...rest] = scope.split(':');
      const actions = (rest.pop() ?? '').split(',').filter(Boolean);
      const name = rest.join(':');
      if (type !== 'repository' || !name) return [];
      const asked = full ? actions : options.anonymousPull ? actions.filter((a) => a === 'pull') : [];
      const granted = full && options.grant ? options.grant(subject, name, asked) : asked;
      return [{ type, name, actions: granted }];
    });
    const header = { alg: 'RS256', typ: 'JWT', x5c: [certDer] };
    const claims = { iss: options.issuer, sub: subject, aud: options.service, exp: now + (options.expiresIn ?? 300), nbf: now - 10, iat: now, jti: randomBytes(8).toString('hex'), access };
    const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
    const signature = createSign('RSA-SHA256').update(input).sign(key);
    return `${input}.${b64url(signature)}`;
  };

  const basic = (req: IncomingMessage): { user: string; password: string } | undefined => {
    const match = /^Basic (.+)$/i.exec(req.headers.authorization ?? '');
    if (!match) return undefined;
    const text = Buffer.from(match[1]!, 'base64').toString('utf8');
    const colon = text.indexOf(':');
    return { user: text.slice(0, colon), password: text.slice(colon + 1) };
  };

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const entry: TokenRequest = { method: req.method ?? '', path: url.pathname, auth: 'anonymous', scopes: [], status: 0 };
      log.push(entry);
      const answer = (status: number, body: unknown) => {
        entry.status = status;
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (req.method === 'POST') {
        const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
        entry.grantType = form.get('grant_type') ?? undefined;
        entry.service = form.get('service') ?? undefined;
        entry.clientId = form.get('client_id') ?? undefined;
        entry.scopes = (form.get('scope') ?? '').split(' ').filter(Boolean);
        if (options.oauthPost === false) return answer(404, { error: 'not found' });
        if (url.pathname.endsWith('/exchange')) {
          entry.tenant = form.get('tenant') ?? undefined;
          const user = entry.grantType === 'access_token' ? options.entraTokens?.[form.get('access_token') ?? ''] : undefined;
          entry.auth = user ? `entra:${user}` : 'invalid';
          if (!user) return answer(401, { errors: [{ code: 'UNAUTHORIZED', message: 'invalid access token' }] });
          const issued = `acr-refresh-${randomBytes(8).toString('hex')}`;
          refresh.set(issued, user);
          return answer(200, { refresh_token: issued });
        }
        let user: string | undefined;
        if (entry.grantType === 'refresh_token') user = refresh.get(form.get('refresh_token') ?? '');
        else if (entry.grantType === 'password') {
          const name = form.get('username') ?? '';
          if (options.users[name] !== undefined && options.users[name] === form.get('password')) user = name;
        }
        entry.auth = user ? `refresh:${user}` : 'invalid';
        if (!user) return answer(401, { error: 'invalid_grant' });
        return answer(200, { access_token: sign(user, entry.scopes, true), expires_in: options.expiresIn ?? 300, scope: entry.scopes.join(' ') });
      }
      entry.service = url.searchParams.get('service') ?? undefined;
      entry.scopes = url.searchParams.getAll('scope');
      const creds = basic(req);
      if (!creds) return answer(200, { token: sign('', entry.scopes, false), expires_in: options.expiresIn ?? 300 });
      entry.auth = `basic:${creds.user}`;
      const user = creds.user === '<token>' ? refresh.get(creds.password) : options.users[creds.user] === creds.password ? creds.user : undefined;
      if (!user) return answer(401, { errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] });
      const refused = entry.scopes.some((scope) => {
        const [, ...rest] = scope.split(':');
        const actions = (rest.pop() ?? '').split(',');
        return options.refuse?.(user, rest.join(':'), actions) ?? false;
      });
      if (refused) return answer(403, { errors: [{ code: 'DENIED', message: 'requested access to the resource is denied' }] });
      return answer(200, { token: sign(user, entry.scopes, true), expires_in: options.expiresIn ?? 300 });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    realm: `http://127.0.0.1:${port}/token`,
    requests: () => [...log],
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
