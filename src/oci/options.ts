import type { Clock } from '../model/clock.js';
import type { RetryPolicy } from './retry.js';
import type { Timeouts } from './transport.js';

/** What one registry host is given: its own login and TLS settings (each one set wins over the run's). */
export interface HostSettings {
  username?: string;
  password?: string;
  plainHttp?: boolean;
  caFile?: string;
  certFile?: string;
  keyFile?: string;
  insecureSkipTlsVerify?: boolean;
}

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
  /** Per registry host (keys from `hostKey`): credentials and TLS settings; a host's credentials here win over all others. */
  hosts?: Record<string, HostSettings>;
  /**
   * Credentials a host gets only when nothing else has any for it (neither given nor in a credential file), e.g. the
   * workflow's GITHUB_TOKEN for ghcr.io. Using one is announced through `onNotice`.
   */
  fallbackCredentials?: Record<string, { username: string; password: string; source: string }>;
  /** ECR: create a missing repository before the first push to it. */
  createRepositories?: boolean;
  /**
   * This run pushes to the target's repositories: its reads of them (the plan's tag list) ask for the `pull,push`
   * token the push needs too, so a chart costs one token, not two (docker and helm ask `pull,push` for what they push).
   */
  pushing?: boolean;
  /** Told what the client did on the user's behalf (a fallback login used, a repository created). */
  onNotice?: (message: string) => void;
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
