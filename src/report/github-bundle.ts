import { SnappyDecompressor } from 'snappyjs/snappy_decompressor.js';
import { ChartshipError } from '../model/errors.js';
import { redactUrl } from '../model/redact.js';
import type { RequestFailure } from './github-retry.js';

/** A fetch that follows redirects (the front end's: through the proxy for the URL's own host). */
export type LinkFetch = (url: string, init?: RequestInit) => Promise<Response>;

/**
 * The most a bundle GitHub serves by URL may take, compressed or not. A provenance bundle takes kilobytes; other
 * attestations of the same digest (an SBOM carries the whole SBOM) can take megabytes, and still have to be read.
 */
export const BUNDLE_LIMIT = 16 * 1024 * 1024;

/** A bundle_url that answered with an error or not at all, shaped as Octokit's failures so the GitHub retries apply. */
class BundleUrlFailure extends Error implements RequestFailure {
  constructor(
    message: string,
    readonly status: number,
    readonly response?: { headers: Record<string, string> },
  ) {
    super(message);
  }
}

/**
 * A Sigstore bundle GitHub lists only by its `bundle_url`: a pre-signed link to GitHub's blob storage, serving the
 * bundle's JSON snappy-compressed (block format), which is how `gh attestation verify` reads it
 * (cli/cli pkg/cmd/attestation/api/client.go). The link authorizes itself: the GitHub token is never sent with it.
 */
export async function fetchBundle(url: string, fetchLink: LinkFetch = fetch): Promise<object> {
  const shown = redactUrl(url);
  let response: Response;
  try {
    response = await fetchLink(url, { signal: AbortSignal.timeout(60_000) });
  } catch (error) {
    // No answer: status 500 without a response, as Octokit reports it, so a retry may follow.
    throw new BundleUrlFailure(`${shown}: ${error instanceof Error ? error.message : String(error)}`, 500);
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new BundleUrlFailure(`${shown}: HTTP ${response.status}`, response.status, { headers: Object.fromEntries(response.headers) });
  }
  return parsed(await bounded(response, shown), shown);
}

/** The bundle: snappy-decoded JSON, an object. */
function parsed(compressed: Buffer, shown: string): object {
  const text = uncompressed(compressed, shown).toString('utf8');
  let bundle: unknown;
  try {
    bundle = JSON.parse(text);
  } catch (error) {
    throw new ChartshipError(`the attestation bundle at ${shown} is not JSON: ${(error as Error).message}`, { code: 'ATTESTATION_BUNDLE_INVALID' });
  }
  if (typeof bundle !== 'object' || bundle === null || Array.isArray(bundle)) {
    throw new ChartshipError(`the attestation bundle at ${shown} is not a JSON object`, { code: 'ATTESTATION_BUNDLE_INVALID' });
  }
  return bundle;
}

/** A snappy block (what Go's snappy.Encode writes), decompressed: its header says its length, checked first. */
function uncompressed(block: Buffer, shown: string): Buffer {
  const decompressor = new SnappyDecompressor(block);
  const length = decompressor.readUncompressedLength();
  if (length > BUNDLE_LIMIT) throw new ChartshipError(`the attestation bundle at ${shown} is larger than ${BUNDLE_LIMIT} bytes uncompressed`, { code: 'ATTESTATION_BUNDLE_TOO_LARGE' });
  const out = Buffer.alloc(Math.max(length, 0));
  if (length < 0 || !decompressor.uncompressToBuffer(out)) {
    throw new ChartshipError(`the attestation bundle at ${shown} is not snappy-compressed as GitHub serves bundles`, { code: 'ATTESTATION_BUNDLE_INVALID' });
  }
  return out;
}

/** The body, read up to BUNDLE_LIMIT bytes: a longer one is refused before it is all in memory. */
async function bounded(response: Response, shown: string): Promise<Buffer> {
  const tooLarge = () => new ChartshipError(`the attestation bundle at ${shown} is larger than ${BUNDLE_LIMIT} bytes`, { code: 'ATTESTATION_BUNDLE_TOO_LARGE' });
  if (Number(response.headers.get('content-length') ?? 0) > BUNDLE_LIMIT) {
    await response.body?.cancel();
    throw tooLarge();
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response.body ?? []) {
    size += (chunk as Uint8Array).length;
    if (size > BUNDLE_LIMIT) throw tooLarge();
    chunks.push(Buffer.from(chunk as Uint8Array));
  }
  return Buffer.concat(chunks);
}
