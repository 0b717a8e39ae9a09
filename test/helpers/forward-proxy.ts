/**
 * A corporate forward proxy on 127.0.0.1: answers CONNECT host:port by opening a tunnel, and counts what passed.
 * It resolves names itself (`hosts`), as a real proxy resolves names the runner cannot, so a test can use names such
 * as `registry.test` that only the proxy knows: a request that bypassed the proxy fails to resolve them. A key
 * `name:port` maps that port too, so `ghcr.io:443` can lead to a registry on a loopback port.
 *
 *   const proxy = await startForwardProxy({ hosts: { 'registry.test': '127.0.0.1' } });
 *   env.HTTPS_PROXY = proxy.url;   … proxy.tunnels.get('registry.test:5000')
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';

export interface ForwardProxy {
  /** `http://127.0.0.1:PORT` (with `user:password@` when credentials are required). */
  url: string;
  /** CONNECT tunnels opened, by `host:port` as asked. */
  tunnels: Map<string, number>;
  /** Requests refused: not CONNECT, unknown host, wrong or missing proxy credentials. */
  refused: string[];
  stop(): Promise<void>;
}

export async function startForwardProxy(options: { hosts?: Record<string, string>; credentials?: { username: string; password: string } } = {}): Promise<ForwardProxy> {
  const tunnels = new Map<string, number>();
  const refused: string[] = [];
  const sockets = new Set<Socket>();
  const expected = options.credentials ? `Basic ${Buffer.from(`${options.credentials.username}:${options.credentials.password}`).toString('base64')}` : undefined;

  const server: Server = createServer((req, res) => {
    refused.push(`${req.method} ${req.url}`);
    res.writeHead(405, { connection: 'close' });
    res.end('this proxy only tunnels (CONNECT)');
  });
  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => client.destroy());
    const target = req.url ?? '';
    if (expected && req.headers['proxy-authorization'] !== expected) {
      refused.push(`CONNECT ${target} without the proxy credentials`);
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="test"\r\n\r\n');
      return;
    }
    const match = /^(.+):(\d+)$/.exec(target);
    // `name:port` keys send one port elsewhere (`ghcr.io:443` → `127.0.0.1:40123`); `name` keys keep the port.
    const mapped = match ? (options.hosts?.[target] ?? options.hosts?.[match[1]!] ?? (match[1] === '127.0.0.1' ? '127.0.0.1' : undefined)) : undefined;
    const [address, port] = mapped?.includes(':') ? [mapped.slice(0, mapped.lastIndexOf(':')), mapped.slice(mapped.lastIndexOf(':') + 1)] : [mapped, match?.[2]];
    if (!match || !address) {
      refused.push(`CONNECT ${target}`);
      client.end('HTTP/1.1 502 Bad Gateway\r\n\r\n');
      return;
    }
    tunnels.set(target, (tunnels.get(target) ?? 0) + 1);
    const upstream = connect(Number(port), address, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const auth = options.credentials ? `${encodeURIComponent(options.credentials.username)}:${encodeURIComponent(options.credentials.password)}@` : '';
  return {
    url: `http://${auth}127.0.0.1:${port}`,
    tunnels,
    refused,
    stop: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
