/**
 * Real registries for tests: Debian's `docker-registry` (CNCF distribution 2.8) on 127.0.0.1, a free port, storage
 * in a temp dir. Every request it serves is read back from its access log.
 *
 *   const registry = await startRegistry({ auth: 'token' });
 *   … push to `oci://${registry.host}/charts` with { plainHttp: true, username: registry.username, password: registry.password }
 *   const seen = await registry.settle();   // every request so far, e.g. [{ method: 'GET', path: '/v2/…', status: 200 }]
 *   await registry.stop();
 *
 * Modes: `none` (anonymous), `htpasswd` (Basic; bcrypt hash made here), `token` (Bearer with a token server
 * started here, see registry-token.ts). `tls: true` serves HTTPS with a CA made here (`caFile`, `certDir` for
 * skopeo's --cert-dir).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import { Agent, request } from 'undici';
import { procCpuMs } from './proc-cpu.js';
import { makeClientCertificate, makeServerCertificates, makeSigningCertificate } from './registry-certs.js';
import { startTokenServer, type TokenRequest, type TokenServer, type TokenServerOptions } from './registry-token.js';

export interface RequestLogEntry {
  method: string;
  /** Path and query as the registry saw them. */
  path: string;
  status: number;
  /** The User-Agent header, the last quoted field of the access log's combined format. */
  userAgent: string;
}

export interface RegistryOptions {
  auth?: 'none' | 'htpasswd' | 'token';
  tls?: boolean;
  /** TLS mode: more DNS names for the certificate (names a test proxy resolves to 127.0.0.1). */
  tlsNames?: string[];
  /** TLS mode: the registry asks every client for a certificate signed by its CA (`clientCertFile`, `clientKeyFile`). */
  clientCertificates?: boolean;
  /** Token mode: passed on to the token server (e.g. `oauthPost: false`, `refreshTokens`, `anonymousPull`). */
  token?: Partial<Pick<TokenServerOptions, 'oauthPost' | 'refreshTokens' | 'expiresIn' | 'anonymousPull' | 'entraTokens' | 'grant' | 'refuse'>> & {
    /** The realm the registry sends clients to, instead of the token server's own URL (a front that serves both). */
    realm?: string;
  };
  /** htpasswd and token modes: the users instead of one `chartship` with a random password (the first is `username`). */
  users?: Record<string, string>;
}

export interface TestRegistry {
  /** `127.0.0.1:PORT` */
  host: string;
  /** `http://127.0.0.1:PORT` or `https://…` */
  url: string;
  caFile?: string;
  /** A directory with ca.crt, for `skopeo --cert-dir`. */
  certDir?: string;
  username?: string;
  password?: string;
  /** The registry's filesystem storage (`docker/registry/v2/…` below it), to check what it really holds. */
  storageDir: string;
  /** TLS mode: the server's certificate and key, for a test front that must speak TLS as the registry. */
  certFile?: string;
  keyFile?: string;
  /** `clientCertificates`: a client certificate and key the registry accepts. */
  clientCertFile?: string;
  clientKeyFile?: string;
  /** Token mode: the token server's realm URL and its request log. */
  realm?: string;
  tokenRequests(): TokenRequest[];
  /** Requests logged so far (probes and settle markers excluded); may lag a few ms behind the answers. */
  requests(): RequestLogEntry[];
  /** Waits until every request answered so far is in the log, then returns them all. */
  settle(): Promise<RequestLogEntry[]>;
  /** Forgets the requests logged so far. */
  reset(): Promise<void>;
  /** CPU time (user + system, ms) the registry process has used so far: what serving the requests cost it. */
  cpuMs(): number;
  stop(): Promise<void>;
}

const MARKER = '/v2/?chartship-settle=';
const SERVICE = 'chartship-test-registry';
const ISSUER = 'chartship-test-issuer';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export async function startRegistry(options: RegistryOptions = {}): Promise<TestRegistry> {
  const auth = options.auth ?? 'none';
  const dir = mkdtempSync(join(tmpdir(), 'chartship-registry-'));
  const cleanup: (() => Promise<void> | void)[] = [() => rmSync(dir, { recursive: true, force: true })];
  try {
    const port = await freePort();
    const host = `127.0.0.1:${port}`;
    const lines = ['version: 0.1', 'log:', '  level: error', '  accesslog:', '    disabled: false', 'storage:', '  filesystem:',
      `    rootdirectory: ${join(dir, 'data')}`, '  delete:', '    enabled: true', 'http:', `  addr: ${host}`, '  secret: chartship-test-secret'];
    const registry: Partial<TestRegistry> = { host, storageDir: join(dir, 'data') };
    let token: TokenServer | undefined;

    if (options.tls) {
      mkdirSync(join(dir, 'tls'));
      const certs = makeServerCertificates(join(dir, 'tls'), options.tlsNames);
      lines.push('  tls:', `    certificate: ${certs.certFile}`, `    key: ${certs.keyFile}`);
      if (options.clientCertificates) {
        const client = makeClientCertificate(join(dir, 'tls'));
        lines.push('    clientcas:', `      - ${certs.caFile}`);
        registry.clientCertFile = client.certFile;
        registry.clientKeyFile = client.keyFile;
      }
      registry.caFile = certs.caFile;
      registry.certFile = certs.certFile;
      registry.keyFile = certs.keyFile;
      // skopeo reads *.crt in --cert-dir as CAs and pairs *.key with client certs, so the CA goes alone.
      registry.certDir = join(dir, 'cert-dir');
      mkdirSync(registry.certDir);
      copyFileSync(certs.caFile, join(registry.certDir, 'ca.crt'));
    }
    const users = options.users ?? { chartship: `pw-${Math.random().toString(36).slice(2)}` };
    if (auth === 'htpasswd') {
      [registry.username, registry.password] = Object.entries(users)[0]!;
      writeFileSync(join(dir, 'htpasswd'), Object.entries(users).map(([user, password]) => `${user}:${bcrypt.hashSync(password, 4)}\n`).join(''));
      lines.push('auth:', '  htpasswd:', '    realm: chartship-test', `    path: ${join(dir, 'htpasswd')}`);
    }
    if (auth === 'token') {
      [registry.username, registry.password] = Object.entries(users)[0]!;
      const signing = makeSigningCertificate(dir);
      token = await startTokenServer({ issuer: ISSUER, service: SERVICE, ...signing, users, ...options.token });
      cleanup.push(() => token!.stop());
      registry.realm = token.realm;
      lines.push('auth:', '  token:', `    realm: ${options.token?.realm ?? token.realm}`, `    service: ${SERVICE}`, `    issuer: ${ISSUER}`, `    rootcertbundle: ${signing.certFile}`);
    }
    const configFile = join(dir, 'config.yml');
    writeFileSync(configFile, `${lines.join('\n')}\n`);

    const log: RequestLogEntry[] = [];
    // Its Go threads are the suite's (scripts/test-env.mjs), or Go's default outside it: process.env is inherited.
    const child: ChildProcess = spawn('docker-registry', ['serve', configFile], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let pending = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      pending += chunk.toString('utf8');
      const complete = pending.split('\n');
      pending = complete.pop() ?? '';
      for (const line of complete) {
        const match = /"([A-Z]+) (\S+) HTTP\/[\d.]+" (\d{3})/.exec(line);
        if (match) log.push({ method: match[1]!, path: match[2]!, status: Number(match[3]), userAgent: /"([^"]*)"\s*$/.exec(line)?.[1] ?? '' });
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-4000);
    });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    registry.cpuMs = () => procCpuMs(child.pid!);
    cleanup.unshift(async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
    });

    const scheme = options.tls ? 'https' : 'http';
    const url = `${scheme}://${host}`;
    const client = registry.clientCertFile && registry.clientKeyFile ? { cert: readFileSync(registry.clientCertFile), key: readFileSync(registry.clientKeyFile) } : {};
    const agent = new Agent({ connect: { rejectUnauthorized: false, ...client } });
    cleanup.unshift(() => agent.close());
    const probe = async (path: string) => {
      const response = await request(`${url}${path}`, { dispatcher: agent });
      await response.body.dump();
      return response.statusCode;
    };
    const deadline = Date.now() + 15_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`docker-registry exited: ${stderr}`);
      try {
        const status = await probe('/v2/');
        if (status === 200 || status === 401) break;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`docker-registry did not answer on ${url}: ${stderr}`);
      await new Promise((r) => setTimeout(r, 50));
    }

    let markers = 0;
    let since = 0;
    const visible = () => log.slice(since).filter((e) => !e.path.startsWith(MARKER));
    const settle = async () => {
      const marker = `${MARKER}${++markers}`;
      await probe(marker);
      const until = Date.now() + 5000;
      while (!log.some((e) => e.path === marker) && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
      return visible();
    };
    await settle();
    since = log.length;

    return {
      ...registry,
      host,
      url,
      tokenRequests: () => token?.requests() ?? [],
      requests: visible,
      settle,
      reset: async () => {
        await settle();
        since = log.length;
      },
      stop: async () => {
        for (const step of cleanup) await step();
      },
    } as TestRegistry;
  } catch (error) {
    for (const step of cleanup) await step();
    throw error;
  }
}
