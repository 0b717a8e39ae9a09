/**
 * A loopback HTTP proxy in front of a real registry that misbehaves on demand: answers a matching request with a
 * status (e.g. 503 + Retry-After), resets its connection before or after the registry has acted on it, cuts the
 * answer short, delays it, lies in Docker-Content-Digest, redirects it, or holds requests at a barrier until several
 * have arrived. Everything else is forwarded unchanged, Host header included, so the registry's absolute Locations
 * point back at the proxy.
 *
 * Faults come from explicit rules (`proxy.rules`) or, with `proxy.chaos`, at random from a seeded generator, so a
 * failing soak can be replayed with its seed. `proxy.injected` counts what was done, by kind.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, request, type IncomingHttpHeaders, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';

export type Fault =
  /** Header values may be computed per answer (a Retry-After date must lie in the future when it is sent). */
  | { kind: 'status'; status: number; headers?: Record<string, string | (() => string)>; errors?: { code: string; message: string }[] }
  /** The connection is reset before the registry sees the request. */
  | { kind: 'drop' }
  /** The registry acts on the request, then the connection is reset before its answer reaches the client. */
  | { kind: 'reset-after' }
  /** The answer's headers promise the whole body; half of it arrives, then the connection is reset. */
  | { kind: 'truncate' }
  | { kind: 'delay'; ms: number }
  /** The answer carries a Docker-Content-Digest that is not the digest of anything. */
  | { kind: 'wrong-digest' }
  | { kind: 'redirect'; status: number; location: (path: string) => string }
  /** Held until `count` matching requests have arrived; then all go to the registry, and all answers wait for each other. */
  | { kind: 'barrier'; count: number }
  // What a hostile registry does:
  /** An answer whose body never ends (64 KiB chunks until the client hangs up, or `max` bytes); `declare` sets Content-Length. */
  | { kind: 'endless'; status?: number; contentType?: string; declare?: number; max?: number }
  /** Headers at once, then one byte of body every `everyMs`. */
  | { kind: 'trickle'; everyMs: number; status?: number; contentType?: string }
  /** The request is taken and never answered. */
  | { kind: 'silent' }
  /** Forwarded; the registry's answer headers are changed (an upload Location elsewhere, a token realm elsewhere). */
  | { kind: 'rewrite'; headers: (answer: { status: number; headers: IncomingHttpHeaders }) => Record<string, string> };

export type FaultKind = Fault['kind'];

export interface Rule {
  method: string;
  path: RegExp;
  fault: Fault;
  /** How many matching requests get the fault (then they pass). */
  times: number;
}

export interface ProxyLogEntry {
  method: string;
  path: string;
  /** What the proxy did: `forwarded`, `status 503`, `drop`, `redirect`, … */
  outcome: string;
  authorization: boolean;
}

/** Random faults: each request meets one with probability `rate`, drawn from `faults` by a generator seeded with `seed`. */
export interface Chaos {
  seed: number;
  rate: number;
  faults: Fault[];
  /** Only requests whose `METHOD path` matches are touched (default: all). */
  only?: RegExp;
}

export interface FlakyProxy {
  host: string;
  rules: Rule[];
  log: ProxyLogEntry[];
  chaos: Chaos | undefined;
  /** Faults injected so far, by label (`status 503`, `429 date`, `reset-after`, …). */
  injected: Map<string, number>;
  /** Body bytes written by `endless` and `trickle` answers before the client hung up. */
  hostileBytes: number;
  stop(): Promise<void>;
}

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** mulberry32: small, seedable, good enough to spread faults. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** How a fault is counted: the kind, with the status and the Retry-After form where they matter. */
export function faultLabel(fault: Fault): string {
  if (fault.kind === 'status') {
    const after = fault.headers?.['retry-after'];
    return `status ${fault.status}${after === undefined ? '' : typeof after === 'string' && /^\d+$/.test(after) ? ' retry-after seconds' : ' retry-after date'}`;
  }
  return fault.kind;
}

/**
 * `tls`: the proxy itself speaks HTTPS with this certificate (the registry behind it may be plain HTTP). `routes`:
 * paths starting with a prefix go to another upstream, as one origin serves a registry and its token endpoint.
 * `port`: where to listen (default: any free port), for a URL that had to be named before the proxy started.
 */
export async function startFlakyProxy(
  upstream: string,
  options: { tls?: { certFile: string; keyFile: string }; routes?: { prefix: string; upstream: string }[]; port?: number } = {},
): Promise<FlakyProxy> {
  const upstreamFor = (path: string) => new URL(options.routes?.find((r) => path.startsWith(r.prefix))?.upstream ?? upstream);
  const proxy: FlakyProxy = { host: '', rules: [], log: [], chaos: undefined, injected: new Map(), hostileBytes: 0, stop: () => Promise.resolve() };
  let random = () => 1;
  let seeded: number | undefined;
  const barriers = new Map<Rule, { start: () => void; started: Promise<void>; arrived: number; answers: Promise<Answer>[] }>();

  const forward = (req: IncomingMessage, body: Buffer): Promise<Answer> =>
    new Promise((resolve, reject) => {
      // Behind a TLS front the registry must build its Locations with https, as behind any TLS-terminating proxy.
      const headers = options.tls ? { ...req.headers, 'x-forwarded-proto': 'https' } : req.headers;
      const target = upstreamFor(req.url ?? '/');
      const upstreamRequest = request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers }, (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (c: Buffer) => chunks.push(c));
        answer.on('end', () => resolve({ status: answer.statusCode ?? 502, headers: answer.headers, body: Buffer.concat(chunks) }));
        answer.on('error', reject);
      });
      upstreamRequest.on('error', reject);
      upstreamRequest.end(body);
    });

  const send = (res: ServerResponse, answer: Answer) => {
    res.writeHead(answer.status, answer.headers);
    res.end(answer.body);
  };

  const pick = (req: IncomingMessage): { fault: Fault; rule?: Rule } | undefined => {
    const path = req.url ?? '/';
    const rule = proxy.rules.find((r) => r.times > 0 && r.method === req.method && r.path.test(path));
    if (rule) {
      rule.times--;
      return { fault: rule.fault, rule };
    }
    const chaos = proxy.chaos;
    if (!chaos || chaos.faults.length === 0) return undefined;
    if (seeded !== chaos.seed) {
      seeded = chaos.seed;
      random = seededRandom(chaos.seed);
    }
    if (chaos.only && !chaos.only.test(`${req.method} ${path}`)) return undefined;
    if (random() >= chaos.rate) return undefined;
    return { fault: chaos.faults[Math.floor(random() * chaos.faults.length)]! };
  };

  const handle: RequestListener = (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const entry: ProxyLogEntry = { method: req.method ?? '', path: req.url ?? '/', outcome: 'forwarded', authorization: req.headers.authorization !== undefined };
      proxy.log.push(entry);
      const picked = pick(req);
      const fail = () => res.destroy();
      if (!picked) {
        forward(req, body).then((answer) => send(res, answer), fail);
        return;
      }
      const { fault, rule } = picked;
      const label = faultLabel(fault);
      entry.outcome = fault.kind === 'status' ? `status ${fault.status}` : fault.kind;
      proxy.injected.set(label, (proxy.injected.get(label) ?? 0) + 1);
      switch (fault.kind) {
        case 'drop':
          req.socket.destroy();
          return;
        case 'status':
          res.writeHead(fault.status, {
            'content-type': 'application/json',
            ...Object.fromEntries(Object.entries(fault.headers ?? {}).map(([k, v]) => [k, typeof v === 'function' ? v() : v])),
          });
          res.end(JSON.stringify({ errors: fault.errors ?? [{ code: 'UNAVAILABLE', message: 'injected by the test proxy' }] }));
          return;
        case 'redirect':
          res.writeHead(fault.status, { location: fault.location(req.url ?? '/') });
          res.end();
          return;
        case 'reset-after':
          forward(req, body).then(() => req.socket.destroy(), fail);
          return;
        case 'truncate':
          forward(req, body).then((answer) => {
            if (answer.body.length < 2) return req.socket.destroy();
            res.writeHead(answer.status, { ...answer.headers, 'content-length': String(answer.body.length) });
            res.write(answer.body.subarray(0, Math.floor(answer.body.length / 2)), () => req.socket.destroy());
          }, fail);
          return;
        case 'delay':
          setTimeout(() => void forward(req, body).then((answer) => send(res, answer), fail), fault.ms);
          return;
        case 'wrong-digest':
          forward(req, body).then((answer) => {
            const lie = `sha256:${createHash('sha256').update(`not ${req.url}`).digest('hex')}`;
            send(res, answer.headers['docker-content-digest'] ? { ...answer, headers: { ...answer.headers, 'docker-content-digest': lie } } : answer);
          }, fail);
          return;
        case 'endless': {
          const chunk = Buffer.alloc(64 * 1024, 0x7b);
          const max = fault.max ?? 1024 * 1024 * 1024;
          res.writeHead(fault.status ?? 200, {
            'content-type': fault.contentType ?? 'application/vnd.oci.image.manifest.v1+json',
            ...(fault.declare === undefined ? {} : { 'content-length': String(fault.declare) }),
          });
          let sent = 0;
          const pump = () => {
            while (!res.destroyed) {
              if (sent >= max) return res.end();
              sent += chunk.length;
              proxy.hostileBytes += chunk.length;
              if (!res.write(chunk)) return res.once('drain', pump);
            }
          };
          pump();
          return;
        }
        case 'trickle': {
          res.writeHead(fault.status ?? 200, { 'content-type': fault.contentType ?? 'application/vnd.oci.image.manifest.v1+json' });
          const timer = setInterval(() => {
            if (res.destroyed) return clearInterval(timer);
            proxy.hostileBytes++;
            res.write('{');
          }, fault.everyMs);
          res.on('close', () => clearInterval(timer));
          return;
        }
        case 'silent':
          return;
        case 'rewrite':
          forward(req, body).then((answer) => send(res, { ...answer, headers: { ...answer.headers, ...fault.headers(answer) } }), fail);
          return;
        case 'barrier': {
          let barrier = barriers.get(rule!);
          if (!barrier) {
            let start = () => undefined as void;
            const started = new Promise<void>((resolve) => (start = resolve));
            barrier = { start, started, arrived: 0, answers: [] };
            barriers.set(rule!, barrier);
          }
          barrier.arrived++;
          const mine = barrier.started.then(() => forward(req, body));
          barrier.answers.push(mine);
          if (barrier.arrived >= fault.count) barrier.start();
          const all = barrier;
          mine.then(async (answer) => {
            await Promise.allSettled(all.answers);
            send(res, answer);
          }, fail);
          return;
        }
      }
    });
  };
  const server: Server = options.tls
    ? createTlsServer({ cert: readFileSync(options.tls.certFile), key: readFileSync(options.tls.keyFile) }, handle)
    : createServer(handle);
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  proxy.host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy.stop = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return proxy;
}
