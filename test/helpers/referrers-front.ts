/**
 * The OCI distribution 1.1 referrers API in front of a real registry that lacks it. Debian ships only distribution
 * 2.8 (no referrers API), so this front gives tests the other kind of registry: every request goes through to the
 * real one unchanged; a manifest PUT whose body names a `subject` is answered with `OCI-Subject` and remembered, and
 * `GET /v2/<repo>/referrers/<digest>` answers the image index of what was remembered, as distribution 3, zot, GHCR
 * and Harbor do.
 */
import { createHash } from 'node:crypto';
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReferrersFront {
  /** `127.0.0.1:PORT` */
  host: string;
  /** Referrers API calls answered, as `GET /v2/<repo>/referrers/<digest>`. */
  referrersCalls: string[];
  stop(): Promise<void>;
}

interface Entry {
  mediaType: string;
  digest: string;
  size: number;
  artifactType?: string;
  annotations?: Record<string, string>;
}

export interface ReferrersFrontOptions {
  /**
   * Pages the referrers list this many entries at a time, with a `Link: <…>; rel="next"` to the next page (OCI
   * distribution 1.1 lets a registry page it; the cursor is the registry's own, here an offset).
   */
  pageSize?: number;
}

export async function startReferrersFront(upstream: string, options: ReferrersFrontOptions = {}): Promise<ReferrersFront> {
  const target = new URL(upstream);
  const index = new Map<string, Entry[]>();
  const referrersCalls: string[] = [];

  const server = createServer((req, res) => void serve(req, res));
  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const path = req.url ?? '/';
    const referrers = /^\/v2\/(.+)\/referrers\/(sha256:[a-f0-9]{64})(?:\?.*)?$/.exec(path);
    if (req.method === 'GET' && referrers) {
      referrersCalls.push(`GET ${path}`);
      const all = index.get(`${referrers[1]}@${referrers[2]}`) ?? [];
      const from = Number(new URL(path, 'http://front').searchParams.get('offset') ?? 0);
      const size = options.pageSize ?? all.length;
      const manifests = all.slice(from, from + size);
      const headers: Record<string, string> = { 'content-type': 'application/vnd.oci.image.index.v1+json' };
      if (from + size < all.length) headers['link'] = `</v2/${referrers[1]}/referrers/${referrers[2]}?offset=${from + size}>; rel="next"`;
      res.writeHead(200, headers);
      res.end(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests }));
      return;
    }
    // The Host header goes through as sent, so the registry's absolute Location URLs point back at this front.
    const answer = await forward(req.method ?? 'GET', path, req.headers, body);
    const manifest = /^\/v2\/(.+)\/manifests\/[^/]+$/.exec(path);
    if (req.method === 'PUT' && manifest && answer.status === 201) {
      const json = JSON.parse(body.toString('utf8')) as { mediaType?: string; artifactType?: string; subject?: { digest?: string }; annotations?: Record<string, string>; config?: { mediaType?: string } };
      const subject = json.subject?.digest;
      if (subject) {
        const key = `${manifest[1]}@${subject}`;
        const digest = `sha256:${createHash('sha256').update(body).digest('hex')}`;
        const entry: Entry = { mediaType: json.mediaType ?? String(req.headers['content-type']), digest, size: body.length, artifactType: json.artifactType ?? json.config?.mediaType };
        if (json.annotations) entry.annotations = json.annotations;
        index.set(key, [...(index.get(key) ?? []).filter((e) => e.digest !== digest), entry]);
        answer.headers['oci-subject'] = subject;
      }
    }
    res.writeHead(answer.status, answer.headers);
    res.end(answer.body);
  }

  function forward(method: string, path: string, headers: IncomingMessage['headers'], body: Buffer): Promise<{ status: number; headers: Record<string, string | string[]>; body: Buffer }> {
    return new Promise((resolve, reject) => {
      const upstreamRequest = request({ host: target.hostname, port: target.port, method, path, headers }, (response) => {
        const parts: Buffer[] = [];
        response.on('data', (chunk: Buffer) => parts.push(chunk));
        response.on('end', () => {
          const out: Record<string, string | string[]> = {};
          for (const [name, value] of Object.entries(response.headers)) if (value !== undefined && name !== 'transfer-encoding' && name !== 'connection') out[name] = value;
          resolve({ status: response.statusCode ?? 502, headers: out, body: Buffer.concat(parts) });
        });
        response.on('error', reject);
      });
      upstreamRequest.on('error', reject);
      upstreamRequest.end(body);
    });
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    host: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    referrersCalls,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
