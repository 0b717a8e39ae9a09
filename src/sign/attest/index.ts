/**
 * Keyless attestations (Sigstore). Everything here pulls in the Sigstore stack, so callers load this module with a
 * dynamic import() only when they attest or verify an attestation.
 */
import { decodeJwt } from 'jose';
import { ChartshipError } from '../../model/errors.js';

export { resolveInstance, readTrustedRoot, type SigstoreInstance, type TrustSource } from './instance.js';
export { expectedIdentity, provenancePredicate, type BuildContext } from './provenance.js';
export { signStatement } from './sign.js';
export { buildStatement, chartSubjects, coversDigest, parseStatement, SIGSTORE_BUNDLE_V03, SLSA_PROVENANCE_V1, type Statement } from './statement.js';
export { loadTrust, verifyBundle, type BuildFacts, type IdentityPolicy, type Trust, type VerifiedBundle } from './verify.js';

/** The claims of an OIDC ID token, read (not verified: Fulcio verifies it before it certifies anything). */
export function tokenClaims(token: string): Record<string, unknown> {
  try {
    return decodeJwt(token);
  } catch {
    throw new ChartshipError('the OIDC identity token is not a JWT', { code: 'OIDC_TOKEN_INVALID', hint: 'pass the ID token itself (three base64url parts joined by dots)' });
  }
}
