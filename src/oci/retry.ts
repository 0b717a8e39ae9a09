import { ChartshipError } from '../model/errors.js';
import { isRetryableStatus, retryAfterMs, retrying, type RetryOptions, type RetryPolicy } from '../model/retry.js';

export { backoffMs, isRetryableStatus, retryAfterMs, type RetryInfo, type RetryOptions, type RetryPolicy } from '../model/retry.js';

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

/**
 * Runs `attempt` until it answers with a non-transient status, throws a non-transient error, or the policy is used
 * up. The last transient answer is returned (the caller turns it into an error); the last transient error is thrown.
 */
export function withRetry<T extends Attempted>(attempt: () => Promise<T>, options: RetryOptions): Promise<T> {
  return retrying(
    attempt,
    (outcome) => {
      if ('error' in outcome) return outcome.error instanceof TransientError ? { reason: outcome.error.message, failed: true } : undefined;
      const { status, headers } = outcome.value;
      if (!isRetryableStatus(status)) return undefined;
      const asked = retryAfterMs(headers['retry-after'], options.clock.now());
      return { reason: `HTTP ${status}`, failed: false, ...(asked !== undefined && { asked: { ms: asked, by: 'Retry-After' } }) };
    },
    options,
  );
}
