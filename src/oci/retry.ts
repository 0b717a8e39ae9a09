import type { Clock } from '../model/clock.js';
import { ChartshipError } from '../model/errors.js';

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  attempts: number;
  /** First backoff; doubles per attempt, full jitter. */
  baseDelayMs: number;
  /** No single wait is longer; a `Retry-After` asking for more ends the retries. */
  maxDelayMs: number;
  /** No retry starts when it would end after this much time since the first attempt. */
  deadlineMs: number;
}

export const defaultRetryPolicy: RetryPolicy = { attempts: 5, baseDelayMs: 300, maxDelayMs: 15_000, deadlineMs: 120_000 };

/** What one attempt produced: an answer (retried when its status is transient) or a thrown error. */
export interface Attempted {
  status: number;
  headers: Record<string, string>;
}

/**
 * A failure that another attempt may cure (connection reset, refused, timed out, a body cut short or garbled in
 * transit). When the retries are used up it reaches the user as it is, so its message says what happened where.
 */
export class TransientError extends ChartshipError {
  constructor(message: string, options: { cause?: unknown; code?: string; hint?: string } = {}) {
    super(message, { code: 'NETWORK', ...options });
    this.name = 'TransientError';
  }
}

export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || (status >= 500 && status <= 599 && status !== 501 && status !== 505);
}

/** `Retry-After` as delay-seconds or an HTTP date, in ms from `now`; undefined when absent or unreadable. */
export function retryAfterMs(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

export function backoffMs(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return Math.floor(random() * ceiling);
}

/** One wait before another attempt: what failed, how long, and whether the server asked for that wait (Retry-After). */
export interface RetryInfo {
  /** The attempt that comes next, counted from 1 (the first was attempt 1). */
  attempt: number;
  attempts: number;
  waitMs: number;
  /** `HTTP 503` for an answer; an error's own message (which names its request) for a failure. */
  reason: string;
  failed: boolean;
  asked: boolean;
}

export interface RetryOptions {
  policy: RetryPolicy;
  clock: Clock;
  random?: () => number;
  /** Told about each wait (for logs and tests). */
  onRetry?: (info: RetryInfo) => void;
}

/**
 * Runs `attempt` until it answers with a non-transient status, throws a non-transient error, or the policy is used
 * up. The last transient answer is returned (the caller turns it into an error); the last transient error is thrown.
 */
export async function withRetry<T extends Attempted>(attempt: () => Promise<T>, options: RetryOptions): Promise<T> {
  const { policy, clock } = options;
  const started = clock.now();
  for (let index = 0; ; index++) {
    let result: T | undefined;
    let failure: unknown;
    try {
      result = await attempt();
      if (!isRetryableStatus(result.status)) return result;
    } catch (error) {
      if (!(error instanceof TransientError)) throw error;
      failure = error;
    }
    const giveUp = () => {
      if (result) return result;
      throw failure;
    };
    if (index + 1 >= policy.attempts) return giveUp();
    const asked = result ? retryAfterMs(result.headers['retry-after'], clock.now()) : undefined;
    if (asked !== undefined && asked > policy.maxDelayMs) return giveUp();
    const waitMs = asked ?? backoffMs(index, policy, options.random);
    if (clock.now() + waitMs - started > policy.deadlineMs) return giveUp();
    options.onRetry?.({
      attempt: index + 2,
      attempts: policy.attempts,
      waitMs,
      reason: result ? `HTTP ${result.status}` : String((failure as Error).message),
      failed: !result,
      asked: asked !== undefined,
    });
    await clock.sleep(waitMs);
  }
}
