import type { ChartTarget } from '../helm-oci/index.js';
import { ChartshipError, describeError } from '../model/errors.js';
import { coversDigest, SIGSTORE_BUNDLE_V03, verifyBundle, type IdentityPolicy, type Trust, type VerifiedBundle } from '../sign/attest/index.js';

export interface ChartAttestations {
  /** `host/ns/name` */
  repository: string;
  /** The manifest digest the registry serves for the version, and its chart layer. */
  digest: string;
  chartDigest: string;
  verified: { referrer: string; bundle: VerifiedBundle }[];
  rejected: { referrer: string; reason: string }[];
}

/**
 * Checks the Sigstore attestations stored beside a chart version: each bundle referrer must verify against the trust
 * root and the policy, and its statement must name the manifest digest the registry serves now (a bundle moved onto
 * another manifest, or a tag moved to other content, fails here), and, when it names the chart archive, the chart
 * layer that manifest holds. `only` checks one referrer (the one just attached).
 */
export async function verifyChartAttestations(target: ChartTarget, name: string, version: string, trust: Trust, policy: IdentityPolicy, only?: string): Promise<ChartAttestations> {
  const published = await target.inspectChart(name, version);
  const repository = target.repositoryRef(name);
  if (!published) throw new ChartshipError(`${repository}:${version} not found`, { code: 'MANIFEST_UNKNOWN' });
  const listed = (await target.listReferrers(name, published.digest, SIGSTORE_BUNDLE_V03)).filter((d) => only === undefined || d.digest === only);
  const result: ChartAttestations = { repository, digest: published.digest, chartDigest: published.chartDigest, verified: [], rejected: [] };
  for (const descriptor of listed) {
    const digest = descriptor.digest;
    try {
      // One referrer that is listed but gone (deleted, expired by a retention policy) or altered is rejected alone.
      const referrer = await target.readReferrer(name, descriptor);
      if (referrer.subject !== published.digest) throw new ChartshipError(`its subject is ${referrer.subject ?? 'missing'}, not ${published.digest}`, { code: 'ATTESTATION_INVALID' });
      let json: unknown;
      try {
        json = JSON.parse(referrer.layer.toString('utf8'));
      } catch {
        throw new ChartshipError('the bundle is not JSON', { code: 'ATTESTATION_INVALID' });
      }
      const bundle = verifyBundle(json, trust, policy);
      if (!coversDigest(bundle.statement, published.digest)) {
        throw new ChartshipError(`the signed statement is about ${bundle.statement.subject.map((s) => `sha256:${s.digest['sha256'] ?? '?'}`).join(', ')}, not the manifest ${published.digest}`, { code: 'ATTESTATION_SUBJECT' });
      }
      const archive = bundle.statement.subject.find((s) => s.name.endsWith('.tgz'));
      if (archive && !coversDigest({ ...bundle.statement, subject: [archive] }, published.chartDigest)) {
        throw new ChartshipError(`the signed statement names archive sha256:${archive.digest['sha256']}, but the chart layer is ${published.chartDigest}`, { code: 'ATTESTATION_SUBJECT' });
      }
      result.verified.push({ referrer: digest, bundle });
    } catch (error) {
      result.rejected.push({ referrer: digest, reason: describeError(error) });
    }
  }
  return result;
}
