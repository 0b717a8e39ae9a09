/**
 * A classic chart repository on 127.0.0.1 for tests, as the ones chartship migrates from: an index.yaml (written by
 * the real helm's `helm repo index`, so its format is helm's), the archives and, where given, their .prov files.
 * Optionally behind Basic auth, or behind ChartMuseum's bearer auth: a 401 with
 * `Bearer realm=…,service=chartmuseum,scope=artifact-repository:repo:pull`, tokens from the realm for Basic
 * credentials. Archives can be served slowly, so a test can stop a migration halfway. Over HTTPS with a test CA's
 * certificate, and with an index that lists the archives elsewhere (another host), for private dependencies.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isolatedHelm } from './helm.js';

export interface ClassicChart {
  /** `<name>-<version>.tgz` */
  file: string;
  archive: Buffer;
  prov?: string;
}

export interface ClassicRepoOptions {
  auth?: 'none' | 'basic' | 'bearer';
  /** Milliseconds before each archive answer. */
  archiveDelayMs?: number;
  /** Serve this path prefix (default `/charts`). */
  prefix?: string;
  /**
   * Serve HTTPS with this certificate (e.g. from registry-certs.ts, signed by a CA of the test's own); with
   * `clientCaFile`, only to clients presenting a certificate that CA signed (the handshake fails otherwise).
   */
  tls?: { certFile: string; keyFile: string; clientCaFile?: string };
  /** `helm repo index --url`: the index lists absolute archive URLs under this one (another host, say). */
  archiveUrl?: string;
  /** Paths answered with a 302 to another URL (after the credentials are checked), as storage behind a repository. */
  redirects?: Record<string, string>;
  /** The Basic credentials it takes (default: its own, made up). */
  credentials?: { username: string; password: string };
}

export interface ClassicRepoServer {
  /** `http://127.0.0.1:PORT/charts` (the repository; index.yaml below it). */
  url: string;
  username: string;
  password: string;
  /** Requests in order: method, path, status, and how they authenticated (never the secret). */
  hits: { method: string; path: string; status: number; auth: 'none' | 'basic' | 'bearer' | 'bad' }[];
  tokensIssued(): number;
  /** The index.yaml served (helm repo index's output). */
  index: string;
  /** Replace what a path serves (e.g. a tampered archive). */
  override(path: string, body: Buffer): void;
  stop(): Promise<void>;
}

export async function startClassicRepo(charts: ClassicChart[], options: ClassicRepoOptions = {}): Promise<ClassicRepoServer> {
  const prefix = options.prefix ?? '/charts';
  const files = new Map<string, Buffer>();
  const dir = mkdtempSync(join(tmpdir(), 'chartship-classic-'));
  const helm = isolatedHelm(4);
  let index: string;
  try {
    for (const chart of charts) {
      writeFileSync(join(dir, chart.file), chart.archive);
      files.set(`${prefix}/${chart.file}`, chart.archive);
      if (chart.prov !== undefined) files.set(`${prefix}/${chart.file}.prov`, Buffer.from(chart.prov));
    }
    // Relative urls, as ChartMuseum writes them; helm resolves them against the repository URL.
    await helm.run(['repo', 'index', dir, ...(options.archiveUrl ? ['--url', options.archiveUrl] : [])]);
    index = readFileSync(join(dir, 'index.yaml'), 'utf8');
  } finally {
    helm.cleanup();
    rmSync(dir, { recursive: true, force: true });
  }
  files.set(`${prefix}/index.yaml`, Buffer.from(index));

  const { username, password } = options.credentials ?? { username: 'migrator', password: `pw-${randomBytes(6).toString('hex')}` };
  const tokens = new Set<string>();
  const hits: ClassicRepoServer['hits'] = [];
  let origin = '';
  const same = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
  const basicOk = (req: IncomingMessage) => {
    const match = /^Basic (.+)$/.exec(req.headers.authorization ?? '');
    return match !== null && same(Buffer.from(match[1]!, 'base64').toString('utf8'), `${username}:${password}`);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<number> => {
    const url = new URL(req.url ?? '/', origin);
    if (url.pathname === '/oauth/token') {
      if (!basicOk(req)) {
        res.writeHead(401, { 'content-type': 'application/json' });
        res.end('{"error":"invalid credentials"}');
        return 401;
      }
      const token = randomBytes(16).toString('hex');
      tokens.add(token);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ access_token: token, expires_in: 300 }));
      return 200;
    }
    if (options.auth === 'basic' && !basicOk(req)) {
      res.writeHead(401, { 'www-authenticate': 'Basic realm="chartmuseum"' });
      res.end('unauthorized');
      return 401;
    }
    if (options.auth === 'bearer') {
      const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      if (!token || !tokens.has(token)) {
        res.writeHead(401, { 'www-authenticate': `Bearer realm="${origin}/oauth/token",service="chartmuseum",scope="artifact-repository:repo:pull"` });
        res.end('{"error":"unauthorized"}');
        return 401;
      }
    }
    const location = options.redirects?.[url.pathname];
    if (location) {
      res.writeHead(302, { location });
      res.end();
      return 302;
    }
    const body = files.get(url.pathname);
    if (!body) {
      res.writeHead(404);
      res.end('not found');
      return 404;
    }
    if (options.archiveDelayMs && url.pathname.endsWith('.tgz')) await new Promise((r) => setTimeout(r, options.archiveDelayMs));
    res.writeHead(200, { 'content-type': url.pathname.endsWith('.yaml') ? 'application/x-yaml' : 'application/octet-stream' });
    res.end(body);
    return 200;
  };

  const listener = (req: IncomingMessage, res: ServerResponse) => {
    const authorization = req.headers.authorization ?? '';
    const auth = authorization === '' ? 'none' : authorization.startsWith('Basic ') ? (basicOk(req) ? 'basic' : 'bad') : authorization.startsWith('Bearer ') ? 'bearer' : 'bad';
    handle(req, res).then(
      (status) => hits.push({ method: req.method ?? 'GET', path: req.url ?? '', status, auth }),
      () => res.destroy(),
    );
  };
  const server: Server = options.tls
    ? createHttpsServer(
        {
          cert: readFileSync(options.tls.certFile),
          key: readFileSync(options.tls.keyFile),
          ...(options.tls.clientCaFile ? { ca: readFileSync(options.tls.clientCaFile), requestCert: true, rejectUnauthorized: true } : {}),
        },
        listener,
      )
    : createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `${options.tls ? 'https' : 'http'}://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `${origin}${prefix}`,
    username,
    password,
    hits,
    tokensIssued: () => tokens.size,
    index,
    override: (path, body) => void files.set(path, body),
    stop: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
