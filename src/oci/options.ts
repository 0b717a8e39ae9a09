import type { Clock } from '../model/clock.js';
import type { RetryPolicy } from './retry.js';
import type { Timeouts } from './transport.js';

/** How to reach a registry (or a layout): TLS, credentials, retries, deadlines. */
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
