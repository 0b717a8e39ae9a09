/**
 * GitHub's blob storage for attestation bundles, as its attestations API links to it with `bundle_url`: a node:http
 * server on 127.0.0.1 (another origin than the API's) serving each bundle's JSON snappy-compressed (block format,
 * `application/x-snappy`) at a pre-signed URL, as `gh attestation verify` reads them (cli/cli
 * pkg/cmd/attestation/api/client.go). It records what each request carried, so a test can tell no token reached it.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { compress } from 'snappyjs';

export interface BlobRequest {
  path: string;
  authorization?: string;
}

export interface AttestationBlobs {
  /** Stores `body` (a bundle, or bytes served as they are) and gives its pre-signed URL. */
  put(body: object | Buffer): string;
  /** Every request answers this status instead (unset: served). */
  failWith?: number;
  requests: BlobRequest[];
  stop(): Promise<void>;
}

export async function startAttestationBlobs(): Promise<AttestationBlobs> {
  const blobs = new Map<string, Buffer>();
  const store: AttestationBlobs = {
    put(body) {
      const name = `/attestations/${blobs.size + 1}.json.sn`;
      blobs.set(name, Buffer.isBuffer(body) ? body : Buffer.from(compress(Buffer.from(JSON.stringify(body)))));
      return `${origin}${name}?sv=2025-01-05&se=2099-01-01T00%3A00%3A00Z&sp=r&sig=c2lnbmVk`;
    },
    requests: [],
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', origin);
    store.requests.push({ path: url.pathname, ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}) });
    const blob = blobs.get(url.pathname);
    // A pre-signed URL: the signature in the query is what authorizes it.
    const status = store.failWith ?? (!blob ? 404 : url.searchParams.get('sig') !== 'c2lnbmVk' ? 403 : 200);
    if (status !== 200 || !blob) {
      res.writeHead(status, { 'content-type': 'application/xml' }).end('<Error><Code>BlobError</Code></Error>');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/x-snappy', 'content-length': blob.length }).end(blob);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return store;
}
