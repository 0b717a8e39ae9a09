import type { ChartTarget } from '../helm-oci/index.js';
import { ChartshipError } from '../model/errors.js';
import { coversDigest, parseStatement, SIGSTORE_BUNDLE_V03, SLSA_PROVENANCE_V1, verifyBundle, type IdentityPolicy, type Statement, type Trust } from '../sign/attest/index.js';
import { envelopePayload } from '../report/bundle-envelope.js';
import type { GitHubClient } from './github.js';
import { verifyChartAttestations } from './attest-verify.js';

/** The referrer annotation that says what a Sigstore bundle attests (as cosign and actions/attest write it). */
export const PREDICATE_TYPE = 'dev.sigstore.bundle.predicateType';

/** What a registry already holds for a chart version. */
export interface Existing {
  /** The manifest digest it serves for the version (unset: it holds no such version). */
  manifest?: string;
  /** The referrer holding build provenance of this chart by this signer; unset when none does. */
  digest?: string;
  /** Attestations stored there that do not verify for this chart and signer, and why. */
  rejected: { digest: string; reason: string }[];
}

/**
 * The build provenance a registry already holds for a chart version. With the instance's trust root, only a bundle
 * that verifies counts: chained to the root, signed by `signer`, about the manifest the registry serves and its chart
 * layer (what chartship verify checks). Without one (GitHub's instance and no trusted root file), the newest
 * provenance referrer the registry still serves, as GitHub's own tools are left to verify it.
 */
export async function existingProvenance(target: ChartTarget, chart: { name: string; version: string }, trust: Trust | undefined, signer: IdentityPolicy): Promise<Existing> {
  if (!trust) {
    const manifest = (await target.inspectChart(chart.name, chart.version))?.digest;
    const newest = manifest && (await newestBundle(target, chart.name, manifest));
    return { ...(manifest ? { manifest } : {}), ...(newest ? { digest: newest } : {}), rejected: [] };
  }
  let check;
  try {
    check = await verifyChartAttestations(target, chart.name, chart.version, trust, signer);
  } catch (error) {
    if (error instanceof ChartshipError && error.code === 'MANIFEST_UNKNOWN') return { rejected: [] };
    throw error;
  }
  // Another kind of attestation that verifies (an SBOM) is neither this one nor a bad one.
  const good = check.verified.find((v) => v.bundle.statement.predicateType === SLSA_PROVENANCE_V1);
  return { manifest: check.digest, ...(good ? { digest: good.referrer } : {}), rejected: check.rejected.map((r) => ({ digest: r.referrer, reason: r.reason })) };
}

/**
 * Whether GitHub's attestations API already holds build provenance about every one of `digests` (a rerun that attests
 * a registry which refused the referrer before must not record a second one): one that verifies for `signer`, or,
 * without a trust root here, one that says it is about the digest.
 */
export async function recordedInGitHub(recorder: Pick<GitHubClient, 'findAttestation'>, digests: string[], trust: Trust | undefined, signer: IdentityPolicy): Promise<boolean> {
  for (const digest of new Set(digests)) {
    const about = (bundle: object): Statement => (trust ? verifyBundle(bundle, trust, signer).statement : parseStatement(envelopePayload(bundle)));
    const held = await recorder.findAttestation(digest, (bundle) => {
      try {
        const statement = about(bundle);
        return statement.predicateType === SLSA_PROVENANCE_V1 && coversDigest(statement, digest);
      } catch {
        return false;
      }
    });
    if (!held) return false;
  }
  return true;
}

/**
 * The most recent build provenance this chart manifest holds, by its creation annotation: a bundle referrer about
 * it that the registry still serves. Other attestations (an SBOM, a scan) and listed referrers that are gone do not
 * count: a rerun attests a chart that has none.
 */
async function newestBundle(target: ChartTarget, name: string, digest: string): Promise<string | undefined> {
  const listed = await target.listReferrers(name, digest, SIGSTORE_BUNDLE_V03);
  const read = await Promise.allSettled(listed.map((descriptor) => target.readReferrer(name, descriptor)));
  const found = read.flatMap((r) => (r.status === 'fulfilled' && r.value.subject === digest && r.value.annotations[PREDICATE_TYPE] === SLSA_PROVENANCE_V1 ? [r.value] : []));
  const created = (r: (typeof found)[number]) => r.annotations['org.opencontainers.image.created'] ?? '';
  return found.sort((a, b) => created(b).localeCompare(created(a)))[0]?.descriptor.digest;
}
