import { retryAfterMs } from './retry.js';

/**
 * What a 429's headers say about the limit, for the message a user reads:
 * - Docker Hub sends `ratelimit-limit: 100;w=21600` and `ratelimit-remaining: 20;w=21600` ("100 pulls per 21600
 *   seconds (6 hours), and there are 20 pulls remaining": docs.docker.com, Docker Hub "Pull usage and limits",
 *   "View pull rate and limit"), and its API `X-RateLimit-Reset` (a Unix time);
 * - the IETF draft's `RateLimit-Reset` is seconds from now; `Retry-After` is seconds or an HTTP date.
 * Undefined when the answer carries none of them.
 */
export function rateLimitNote(headers: Record<string, string>, now: number): string | undefined {
  const limit = /^\s*(\d+)(?:\s*;\s*w=(\d+))?/.exec(headers['ratelimit-limit'] ?? headers['x-ratelimit-limit'] ?? '');
  const remaining = /^\s*(\d+)/.exec(headers['ratelimit-remaining'] ?? headers['x-ratelimit-remaining'] ?? '');
  const parts: string[] = [];
  if (limit) parts.push(`limit ${limit[1]}${limit[2] ? ` per ${duration(Number(limit[2]) * 1000)}` : ''}`);
  if (remaining) parts.push(`${remaining[1]} remaining`);
  const resetMs = retryAfterMs(headers['retry-after'], now) ?? resetFromHeaders(headers, now);
  if (resetMs !== undefined) parts.push(`resets in ${duration(resetMs)}`);
  return parts.length > 0 ? `rate limit: ${parts.join(', ')}` : undefined;
}

function resetFromHeaders(headers: Record<string, string>, now: number): number | undefined {
  const seconds = /^\s*(\d+)\s*$/.exec(headers['ratelimit-reset'] ?? '')?.[1];
  if (seconds !== undefined) return Number(seconds) * 1000;
  const unix = /^\s*(\d+)\s*$/.exec(headers['x-ratelimit-reset'] ?? '')?.[1];
  return unix === undefined ? undefined : Math.max(0, Number(unix) * 1000 - now);
}

/** `6 h`, `2 h 5 min`, `40 s`. */
export function duration(ms: number): string {
  const total = Math.round(ms / 1000);
  if (total < 60) return `${total} s`;
  const minutes = Math.round(total / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}
