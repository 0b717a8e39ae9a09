import { LayoutStore } from './layout-store.js';
import type { TargetOptions } from './options.js';
import { RegistryStore } from './registry-store.js';
import type { ArtifactStore } from './store.js';

/** The store behind `oci://host[:port]/namespace` (a registry) or `oci-layout:DIR` (an OCI image layout). */
export function openStore(spec: string, options: TargetOptions = {}): ArtifactStore {
  if (spec.startsWith('oci-layout:')) return new LayoutStore(spec.slice('oci-layout:'.length), options.cwd);
  return new RegistryStore(spec, options);
}

export type { HostSettings, TargetOptions } from './options.js';
export type { ArtifactStore, Blob, StoredManifest } from './store.js';
export { attachReferrer, buildReferrer, listReferrers, readReferrer, referrersTag, type AttachResult, type Descriptor, type ReadReferrer, type Referrer } from './referrers.js';
export type { RetryPolicy } from './retry.js';
export { HttpDownloader } from './download.js';
export { defaultRetryPolicy } from './retry.js';
export { isRefusal, RegistryError } from './errors.js';
export { parseChallenges, type Challenge } from './challenge.js';
export { resolveCredential, type Credential } from './credentials.js';
export { parseOciTarget, repositoryFor, chartNameProblem, isRegistryHost } from './reference.js';
export { hostKey, registryKind, type RegistryKind } from './registries/hosts.js';
export { OCI_MANIFEST } from './registry.js';
