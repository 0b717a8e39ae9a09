import type { Clock } from './clock.js';

/**
 * Bounded retries, one loop for every outside system that fails transiently (the registry client, the GitHub client):
 * each says what of its failures is worth another attempt, the loop owns the counting, the backoff and the waits.
 */
export interface RetryPolicy {
  /** Attempts in all, the first included. */
  attempts: number;
  /** First backoff; doubles per attempt, full jitter. */
  baseDelayMs: number;
  /** No single wait is longer; a server asking for more (Retry-After, a rate limit's reset) ends the retries. */
  maxDelayMs: number;
  /** No retry starts when it would end after this much time since the first attempt. */
  deadlineMs: number;
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

/** Why an attempt is worth another: what went wrong, and the wait the server asked for (and how it asked), if any. */
export interface Transient {
  /** `HTTP 503` for an answer; an error's own message (which names its request) for a failure. */
  reason: string;
  failed: boolean;
  asked?: { ms: number; by: string };
}

/** What an attempt produced: a value or a thrown error. */
export type Outcome<T> = { value: T } | { error: unknown };

/** One wait before another attempt: what failed, how long, and whether the server asked for that wait. */
export interface RetryInfo {
  /** The attempt that comes next, counted from 1 (the first was attempt 1). */
  attempt: number;
  attempts: number;
  waitMs: number;
  reason: string;
  failed: boolean;
  asked: boolean;
  /** How the server asked for the wait (`Retry-After`), when it did. */
  askedBy?: string;
}

export interface RetryOptions {
  policy: RetryPolicy;
  clock: Clock;
  random?: () => number;
  /** Told about each wait (for logs and tests). */
  onRetry?: (info: RetryInfo) => void;
}

/**
 * Runs `attempt` until `transient` calls its outcome final, or the policy is used up: then the last value is returned
 * or the last error thrown, as they are (the caller's message says what happened where).
 */
export async function retrying<T>(attempt: () => Promise<T>, transient: (outcome: Outcome<T>) => Transient | undefined, options: RetryOptions): Promise<T> {
  const { policy, clock } = options;
  const started = clock.now();
  for (let index = 0; ; index++) {
    let outcome: Outcome<T>;
    try {
      outcome = { value: await attempt() };
    } catch (error) {
      outcome = { error };
    }
    const why = transient(outcome);
    const giveUp = () => {
      if ('value' in outcome) return outcome.value;
      throw outcome.error;
    };
    if (!why || index + 1 >= policy.attempts) return giveUp();
    if (why.asked !== undefined && why.asked.ms > policy.maxDelayMs) return giveUp();
    const waitMs = why.asked?.ms ?? backoffMs(index, policy, options.random);
    if (clock.now() + waitMs - started > policy.deadlineMs) return giveUp();
    options.onRetry?.({
      attempt: index + 2,
      attempts: policy.attempts,
      waitMs,
      reason: why.reason,
      failed: why.failed,
      asked: why.asked !== undefined,
      ...(why.asked && { askedBy: why.asked.by }),
    });
    await clock.sleep(waitMs);
  }
}

/** The log line of one wait: `LABEL: HTTP 503; waiting 1.2 s, as SERVER asks (Retry-After), before attempt 2 of 5`. */
export function retryLine(label: string, info: RetryInfo, server: string): string {
  const what = info.failed ? info.reason : `${label}: ${info.reason}`;
  const wait = info.asked ? `waiting ${seconds(info.waitMs)}, as ${server} asks (${info.askedBy ?? 'Retry-After'}),` : `waiting ${seconds(info.waitMs)}`;
  return `${what}; ${wait} before attempt ${info.attempt} of ${info.attempts}`;
}

/** A wait or a timeout as the log says it: `400 ms`, `3 s`, `1.5 s`. */
export function seconds(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}
