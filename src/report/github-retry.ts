import { isRetryableStatus, retryAfterMs, type RetryPolicy, type Transient } from '../model/retry.js';

/**
 * A secondary rate limit asks for about a minute (Retry-After), which is waited for; a primary one that resets later
 * than that is not: the run ends with the reset time in its message.
 */
export const githubRetryPolicy: RetryPolicy = { attempts: 4, baseDelayMs: 300, maxDelayMs: 60_000, deadlineMs: 180_000 };

/** "wait for at least one minute before retrying" (docs.github.com, Rate limits for the REST API). */
const SECONDARY_WAIT_MS = 60_000;

/** GitHub says so in the message of a 403 or 429 ("You have exceeded a secondary rate limit"). */
export function isSecondaryRateLimit(error: RequestFailure): boolean {
  const data = error.response?.data as { message?: unknown } | undefined;
  return (error.status === 403 || error.status === 429) && /secondary rate limit/i.test(`${typeof data?.message === 'string' ? data.message : ''} ${error.message ?? ''}`);
}

/** How Octokit throws an HTTP failure; a request that got no answer at all (reset, refused, DNS) has no `response`. */
export interface RequestFailure {
  status: number;
  message?: string;
  response?: { data?: unknown; headers?: Record<string, string | number | undefined> };
}

export function isRequestFailure(error: unknown): error is RequestFailure {
  return typeof error === 'object' && error !== null && typeof (error as { status?: unknown }).status === 'number';
}

/** One request of an attempt that failed, with what it was doing: the log line and the final message name it. */
export class FailedCall<Area extends string = string> extends Error {
  constructor(
    readonly what: string,
    readonly area: Area,
    override readonly cause: unknown,
  ) {
    super(what);
  }
}

/**
 * Whether GitHub's failure is worth another attempt. A rate limit refused the request before doing anything, so any
 * request may be sent again: after its Retry-After, or its reset, or (a 429 that says neither) a backoff. A 5xx or
 * a dropped connection may come after the change was made: only an attempt that is `repeatable` (one that looks
 * before it creates) tries again. Any other 4xx is final.
 */
export function transientGitHubFailure(error: unknown, now: number, repeatable: boolean): Transient | undefined {
  if (!isRequestFailure(error)) return undefined;
  if (error.response === undefined) return repeatable ? { reason: `no answer (${error.message ?? 'connection failed'})`, failed: false } : undefined;
  const header = (name: string) => {
    const value = error.response?.headers?.[name];
    return value === undefined ? undefined : String(value);
  };
  const reason = `HTTP ${error.status}`;
  const after = retryAfterMs(header('retry-after'), now);
  const asked = after === undefined ? {} : { asked: { ms: after, by: 'Retry-After' } };
  if (error.status === 403 || error.status === 429) {
    if (after !== undefined) return { reason, failed: false, ...asked };
    const reset = Number(header('x-ratelimit-reset'));
    if (header('x-ratelimit-remaining') === '0' && Number.isFinite(reset) && reset > 0) {
      return { reason, failed: false, asked: { ms: Math.max(0, reset * 1000 - now), by: 'x-ratelimit-reset' } };
    }
    // GitHub's rate-limit page: a secondary limit that names no wait is waited for at least a minute.
    if (isSecondaryRateLimit(error)) return { reason, failed: false, asked: { ms: SECONDARY_WAIT_MS, by: 'secondary rate limit' } };
    // A 403 that names no wait is a permission GitHub refuses.
    return error.status === 429 ? { reason, failed: false } : undefined;
  }
  return repeatable && isRetryableStatus(error.status) ? { reason, failed: false, ...asked } : undefined;
}
