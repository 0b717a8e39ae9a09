import { ChartshipError } from '../model/errors.js';
import { registryErrorFrom } from './errors.js';
import { redactUrl } from '../model/redact.js';
import { followPages } from './pages.js';
import { mediaTypeOf, OCI_INDEX, sha256, type RegistryClient } from './registry.js';
import { TransientError } from './retry.js';
import { LIMITS } from './transport.js';

/**
 * PUT a manifest by digest. A registry with the referrers API answers `OCI-Subject: <subject digest>` when it indexed
 * the manifest's subject; distribution 2.8 and other registries without it answer nothing, and the caller then keeps
 * the referrers tag up to date itself.
 */
export async function putManifestByDigest(client: RegistryClient, repository: string, mediaType: string, bytes: Buffer, subject: string): Promise<{ digest: string; subjectIndexed: boolean }> {
  const digest = sha256(bytes);
  const url = new URL(`/v2/${repository}/manifests/${digest}`, client.auth.transport.origin);
  const response = await client.auth.fetch({ method: 'PUT', url, headers: { 'content-type': mediaType }, body: bytes }, [`repository:${repository}:pull,push`]);
  if (response.status !== 201 && response.status !== 200) throw registryErrorFrom('PUT', url, response.status, response.body);
  const answered = response.headers['docker-content-digest'];
  if (answered && answered !== digest) {
    throw new ChartshipError(`the registry stored manifest ${answered} for ${repository}@${digest}`, { code: 'DIGEST_MISMATCH', hint: 'the registry or a proxy rewrote the manifest' });
  }
  return { digest, subjectIndexed: response.headers['oci-subject'] === subject };
}

/** No subject has more referrers than this many pages list (at a registry's usual page size, tens of thousands). */
const MAX_REFERRERS_PAGES = 100;

/**
 * `GET /v2/<repo>/referrers/<digest>`: the image index of the manifests whose subject is `digest`, or undefined when
 * the registry has no referrers API (404, as distribution 2.8 answers, or an answer that is not an image index). A
 * registry may page the list (OCI distribution 1.1: a `Link` header to the next page): every page is read, since a
 * referrer left unread would be attached again, or taken as missing.
 */
export async function fetchReferrersIndex(client: RegistryClient, repository: string, digest: string): Promise<Buffer | undefined> {
  const first = new URL(`/v2/${repository}/referrers/${digest}`, client.auth.transport.origin);
  const manifests: unknown[] = [];
  let api = true;
  const paging = { what: 'referrers list', code: 'REFERRERS_INVALID', maxPages: MAX_REFERRERS_PAGES, loopHint: 'the registry pages its referrers in a loop (its Link is wrong): report it to its operators' };
  await followPages(first, paging, async (url) => {
    const response = await client.auth.fetch(
      {
        method: 'GET',
        url,
        headers: { accept: OCI_INDEX },
        what: 'referrers index',
        limit: LIMITS.manifest,
        // Only an answer that says it is an image index can be a garbled one; any other (a web page) means no API.
        verify: (answer) => {
          if (answer.status === 200 && mediaTypeOf(answer.headers) === OCI_INDEX && !isJson(answer.body)) {
            throw new TransientError(`GET ${url.pathname}: the referrers index is not JSON`, { code: 'REFERRERS_INVALID' });
          }
        },
      },
      [`repository:${repository}:pull`],
    );
    const type = mediaTypeOf(response.headers);
    const none = response.status === 404 || response.status === 405 || response.status === 400 || (response.status === 200 && type !== OCI_INDEX);
    if (none && url === first) {
      api = false;
      return undefined;
    }
    if (response.status !== 200) throw registryErrorFrom('GET', url, response.status, response.body);
    if (type !== OCI_INDEX) throw new ChartshipError(`GET ${redactUrl(url)}: a page of the referrers list is not an image index (${type || 'no Content-Type'})`, { code: 'REFERRERS_INVALID' });
    const page = JSON.parse(response.body.toString('utf8')) as { manifests?: unknown };
    if (Array.isArray(page.manifests)) manifests.push(...(page.manifests as unknown[]));
    return response.headers;
  });
  return api ? Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests })) : undefined;
}

function isJson(bytes: Buffer): boolean {
  try {
    JSON.parse(bytes.toString('utf8'));
    return true;
  } catch {
    return false;
  }
}
