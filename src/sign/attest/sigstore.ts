// The Sigstore libraries chartship uses, in one module that libraries.ts imports on first use (see there why).
export { bundleFromJSON, bundleToJSON } from '@sigstore/bundle';
export { ASN1Obj, X509Certificate } from '@sigstore/core';
export { SigningConfig, TrustedRoot } from '@sigstore/protobuf-specs';
export { DSSEBundleBuilder, FulcioSigner, RekorWitness, TSAWitness } from '@sigstore/sign';
export { getTrustedRoot } from '@sigstore/tuf';
export { toSignedEntity, toTrustMaterial, Verifier } from '@sigstore/verify';
