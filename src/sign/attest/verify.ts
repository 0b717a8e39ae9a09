import type { Bundle } from '@sigstore/bundle';
import type { TrustMaterial } from '@sigstore/verify';
import { ChartshipError } from '../../model/errors.js';
import type { TrustSource } from './instance.js';
import { loadSigstore, type Sigstore } from './libraries.js';
import { describeSigstoreError, firstRetryWaitMs } from './sign.js';
import { INTOTO_PAYLOAD_TYPE, parseStatement, type Statement } from './statement.js';

/** Who must have signed: the certificate's OIDC issuer, and its identity exactly or by a regular expression. */
export interface IdentityPolicy {
  /** Unset: any issuer the instance certifies (a rerun that knows its workflow but not yet its token's issuer). */
  issuer?: string;
  identity?: string;
  /** Matched anywhere in the identity, as cosign matches `--certificate-identity-regexp`: anchor it with ^…$. */
  identityRegexp?: string;
}

/** What a Fulcio certificate says about the build (its OID 1.3.6.1.4.1.57264.1.x extensions), by name. */
export type BuildFacts = Partial<Record<(typeof FULCIO_EXTENSIONS)[keyof typeof FULCIO_EXTENSIONS], string>>;

export interface VerifiedBundle {
  statement: Statement;
  /** The certificate's subject alternative name (for a GitHub workflow: the workflow file URL at its ref). */
  identity: string;
  issuer: string;
  build: BuildFacts;
  /** Index of the entry in the transparency log, when the bundle has one. */
  logIndex?: string;
}

/** Fulcio's certificate extensions (sigstore/fulcio docs/oid-info.md), the UTF-8 string ones. */
const FULCIO_EXTENSIONS = {
  '1.3.6.1.4.1.57264.1.8': 'issuer',
  '1.3.6.1.4.1.57264.1.9': 'buildSignerURI',
  '1.3.6.1.4.1.57264.1.10': 'buildSignerDigest',
  '1.3.6.1.4.1.57264.1.11': 'runnerEnvironment',
  '1.3.6.1.4.1.57264.1.12': 'sourceRepositoryURI',
  '1.3.6.1.4.1.57264.1.13': 'sourceRepositoryDigest',
  '1.3.6.1.4.1.57264.1.14': 'sourceRepositoryRef',
  '1.3.6.1.4.1.57264.1.15': 'sourceRepositoryIdentifier',
  '1.3.6.1.4.1.57264.1.16': 'sourceRepositoryOwnerURI',
  '1.3.6.1.4.1.57264.1.17': 'sourceRepositoryOwnerIdentifier',
  '1.3.6.1.4.1.57264.1.18': 'buildConfigURI',
  '1.3.6.1.4.1.57264.1.19': 'buildConfigDigest',
  '1.3.6.1.4.1.57264.1.20': 'buildTrigger',
  '1.3.6.1.4.1.57264.1.21': 'runInvocationURI',
  '1.3.6.1.4.1.57264.1.22': 'sourceRepositoryVisibilityAtSigning',
} as const;

/** The trusted root of an instance: from a file, or fetched through TUF (Sigstore's public-good repository by default). */
/** A trusted root made ready for verification. */
export interface Trust {
  material: TrustMaterial;
  ctlogs: number;
  /** The libraries that check against it, loaded with it. */
  sigstore: Sigstore;
}

export async function loadTrust(source: TrustSource): Promise<Trust> {
  if (source.kind === 'none') throw new ChartshipError(`cannot verify: ${source.why}`, { code: 'TRUST_ROOT_MISSING' });
  const sigstore = await loadSigstore();
  let root;
  if (source.kind === 'root') {
    root = source.root;
  } else {
    try {
      // Two retries, 1 s and 2 s apart: @sigstore/tuf's own default.
      root = await sigstore.getTrustedRoot({ mirrorURL: source.mirrorUrl, rootPath: source.rootFile, cachePath: source.cacheDir, retry: { retries: 2, minTimeout: firstRetryWaitMs(1000) } });
    } catch (error) {
      throw new ChartshipError(`cannot get Sigstore's trusted root through TUF${source.mirrorUrl ? ` from ${source.mirrorUrl}` : ''}: ${describeSigstoreError(error)}`, {
        code: 'TRUST_ROOT_UNAVAILABLE',
        hint: 'without network access to the TUF repository, give the trusted root as a file: sigstore-trusted-root (--sigstore-trusted-root FILE) to publish, --trusted-root FILE to verify',
      });
    }
  }
  return { material: sigstore.toTrustMaterial(root), ctlogs: root.ctlogs.length, sigstore };
}

/**
 * Verifies a Sigstore bundle (JSON) the way cosign and gh do: the certificate chains to the trusted root at a time
 * the transparency log or a timestamp authority vouches for, carries an SCT where the root lists CT logs, the log
 * entry matches, the signature covers the DSSE payload, and the certificate names the expected issuer and identity.
 * Returns the in-toto statement and who signed it.
 */
export function verifyBundle(json: unknown, trust: Trust, policy: IdentityPolicy): VerifiedBundle {
  const { bundleFromJSON, toSignedEntity, Verifier } = trust.sigstore;
  let bundle: Bundle;
  try {
    bundle = bundleFromJSON(json);
  } catch (error) {
    throw new ChartshipError(`not a valid Sigstore bundle: ${describeSigstoreError(error)}`, { code: 'ATTESTATION_INVALID' });
  }
  if (bundle.content.$case !== 'dsseEnvelope') throw new ChartshipError('the bundle holds no DSSE envelope (no attestation)', { code: 'ATTESTATION_INVALID' });
  const envelope = bundle.content.dsseEnvelope;
  if (envelope.payloadType !== INTOTO_PAYLOAD_TYPE) throw new ChartshipError(`the envelope's payload is ${envelope.payloadType}, not an in-toto statement`, { code: 'ATTESTATION_INVALID' });

  const tlogs = bundle.verificationMaterial.tlogEntries.length;
  const verifier = new Verifier(trust.material, { tlogThreshold: tlogs > 0 ? 1 : 0, tsaThreshold: tlogs > 0 ? 0 : 1, ctlogThreshold: trust.ctlogs > 0 ? 1 : 0 });
  let signer;
  try {
    signer = verifier.verify(toSignedEntity(bundle), { ...(policy.issuer !== undefined ? { extensions: { issuer: policy.issuer } } : {}), ...(policy.identity ? { subjectAlternativeName: policy.identity } : {}) });
  } catch (error) {
    throw new ChartshipError(`the attestation does not verify: ${describeSigstoreError(error)}`, { code: 'ATTESTATION_UNVERIFIED' });
  }
  const identity = signer.identity?.subjectAlternativeName ?? '';
  if (policy.identityRegexp !== undefined && !new RegExp(policy.identityRegexp).test(identity)) {
    throw new ChartshipError(`the attestation was signed by ${identity}, which does not match ${policy.identityRegexp}`, { code: 'ATTESTATION_UNVERIFIED' });
  }
  const logIndex = bundle.verificationMaterial.tlogEntries[0]?.logIndex;
  return {
    statement: parseStatement(envelope.payload),
    identity,
    issuer: signer.identity?.extensions?.issuer ?? policy.issuer ?? '',
    build: buildFacts(bundle, trust.sigstore),
    ...(logIndex !== undefined ? { logIndex: String(logIndex) } : {}),
  };
}

function buildFacts(bundle: Bundle, { ASN1Obj, X509Certificate }: Sigstore): BuildFacts {
  const content = bundle.verificationMaterial.content;
  const raw = content.$case === 'certificate' ? content.certificate.rawBytes : content.$case === 'x509CertificateChain' ? content.x509CertificateChain.certificates[0]?.rawBytes : undefined;
  if (!raw) return {};
  const certificate = X509Certificate.parse(raw);
  const facts: BuildFacts = {};
  for (const [oid, name] of Object.entries(FULCIO_EXTENSIONS)) {
    const extension = certificate.extension(oid);
    if (!extension) continue;
    try {
      facts[name] = ASN1Obj.parseBuffer(extension.value).value.toString('utf8');
    } catch {
      // A malformed extension is left out: it is informational, the verified identity is what counts.
    }
  }
  return facts;
}
