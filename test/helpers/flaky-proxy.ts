/**
 * A loopback HTTP proxy in front of a real registry that misbehaves on demand: answers a matching request with a
 * status (e.g. 503 + Retry-After), drops its connection, or redirects it. Everything else is forwarded unchanged,
 * Host header included, so the registry's absolute Locations point back at the proxy.
 */
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Fault =
  | { kind: 'status'; status: number; headers?: Record<string, string>; errors?: { code: string; message: string }[] }
  | { kind: 'drop' }
  | { kind: 'redirect'; status: number; location: (path: string) => string };

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
  /** What the proxy did: `forwarded`, `status 503`, `drop`, `redirect`. */
  outcome: string;
  authorization: boolean;
}

export interface FlakyProxy {
  host: string;
  rules: Rule[];
  log: ProxyLogEntry[];
  stop(): Promise<void>;
}

export async function startFlakyProxy(upstream: string): Promise<FlakyProxy> {
  const target = new URL(upstream);
  const proxy: FlakyProxy = { host: '', rules: [], log: [], stop: async () => undefined };
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '/';
      const entry: ProxyLogEntry = { method: req.method ?? '', path, outcome: 'forwarded', authorization: req.headers.authorization !== undefined };
      proxy.log.push(entry);
      const rule = proxy.rules.find((r) => r.times > 0 && r.method === req.method && r.path.test(path));
      if (rule) {
        rule.times--;
        const fault = rule.fault;
        if (fault.kind === 'drop') {
          entry.outcome = 'drop';
          req.socket.destroy();
          return;
        }
        if (fault.kind === 'status') {
          entry.outcome = `status ${fault.status}`;
          res.writeHead(fault.status, { 'content-type': 'application/json', ...fault.headers });
          res.end(JSON.stringify({ errors: fault.errors ?? [{ code: 'UNAVAILABLE', message: 'injected by the test proxy' }] }));
          return;
        }
        entry.outcome = 'redirect';
        res.writeHead(fault.status, { location: fault.location(path) });
        res.end();
        return;
      }
      const forward = request(
        { host: target.hostname, port: target.port, method: req.method, path, headers: req.headers },
        (upstreamResponse) => {
          res.writeHead(upstreamResponse.statusCode ?? 502, upstreamResponse.headers);
          upstreamResponse.pipe(res);
        },
      );
      forward.on('error', () => res.destroy());
      forward.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy.stop = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return proxy;
}
