import { ChartshipError } from '../model/errors.js';
import { registryErrorFrom } from './errors.js';
import { OCI_INDEX, sha256, type RegistryClient } from './registry.js';
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

/**
 * `GET /v2/<repo>/referrers/<digest>`: the image index of the manifests whose subject is `digest`, or undefined when
 * the registry has no referrers API (404, as distribution 2.8 answers, or an answer that is not an image index).
 */
export async function fetchReferrersIndex(client: RegistryClient, repository: string, digest: string): Promise<Buffer | undefined> {
  const url = new URL(`/v2/${repository}/referrers/${digest}`, client.auth.transport.origin);
  const response = await client.auth.fetch(
    {
      method: 'GET',
      url,
      headers: { accept: OCI_INDEX },
      what: 'referrers index',
      limit: LIMITS.manifest,
      verify: (answer) => {
        if (answer.status === 200 && !isJson(answer.body)) throw new TransientError(`GET ${url.pathname}: the referrers index is not JSON`, { code: 'REFERRERS_INVALID' });
      },
    },
    [`repository:${repository}:pull`],
  );
  if (response.status === 404 || response.status === 405 || response.status === 400) return undefined;
  if (response.status !== 200) throw registryErrorFrom('GET', url, response.status, response.body);
  const type = (response.headers['content-type'] ?? '').split(';')[0]!.trim();
  return type === OCI_INDEX ? response.body : undefined;
}

function isJson(bytes: Buffer): boolean {
  try {
    JSON.parse(bytes.toString('utf8'));
    return true;
  } catch {
    return false;
  }
}
