import type { Clock } from '../clock.js';
import { LayoutStore } from './layout-store.js';
import { RegistryStore } from './registry-store.js';
import type { RetryPolicy } from './retry.js';
import { StoreTarget, type ChartTarget } from './target.js';
import type { Timeouts } from './transport.js';

export interface TargetOptions {
  plainHttp?: boolean;
  caFile?: string;
  certFile?: string;
  keyFile?: string;
  insecureSkipTlsVerify?: boolean;
  /** Explicit credentials win over config files. */
  username?: string;
  password?: string;
  /** Explicit config.json path (replaces helm's default registry config). */
  registryConfig?: string;
  /** For HOME / DOCKER_CONFIG / HELM_REGISTRY_CONFIG lookups and credential helpers' PATH. */
  env?: NodeJS.ProcessEnv;
  clock?: Clock;
  retry?: Partial<RetryPolicy>;
  /** Per request: the overall deadline and the idle timeout (tests shorten them). */
  timeouts?: Partial<Timeouts>;
  /**
   * The one host explicit `username`/`password` are for; other hosts (another target, an oci:// dependency
   * elsewhere) authenticate from docker/helm credential files instead. Unset: the host of the target opened.
   */
  credentialHost?: string;
  /** Base for a relative oci-layout directory. */
  cwd?: string;
  /**
   * Told every secret the client comes to hold (passwords from credential files or helpers, the Basic credential,
   * tokens), so a CI log can mask them before anything could print them.
   */
  onSecret?: (secret: string) => void;
}

/** `oci://host[:port]/namespace` or `oci-layout:DIR`. */
export function openTarget(spec: string, options: TargetOptions = {}): ChartTarget {
  if (spec.startsWith('oci-layout:')) return new StoreTarget(spec, new LayoutStore(spec.slice('oci-layout:'.length), options.cwd));
  return new StoreTarget(spec, new RegistryStore(spec, options));
}

export type { ChartReferrer, ChartTarget, PublishedChart, PushResult } from './target.js';
export type { AttachResult, ReadReferrer } from './referrers.js';
export { describeManifest } from './target.js';
export type { RetryPolicy } from './retry.js';
export { HttpDownloader } from './download.js';
export { defaultRetryPolicy } from './retry.js';
export { RegistryError } from './errors.js';
export { parseChallenges, type Challenge } from './challenge.js';
export { resolveCredential, type Credential } from './credentials.js';
export { parseOciTarget, repositoryFor, tagForVersion, versionForTag, chartNameProblem } from './reference.js';
export { buildChartArtifact, chartConfig, chartAnnotations, HELM_CHART, HELM_CONFIG, HELM_PROV } from './artifact.js';
export { OCI_MANIFEST } from './registry.js';
