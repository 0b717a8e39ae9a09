/** What the benchmarks share: the git identity of their generated repositories, and how they report figures. */
import { loadavg } from 'node:os';

/** A fixed identity and no system or user git configuration, for the repositories a benchmark writes. */
export const GIT_ENV = { GIT_AUTHOR_NAME: 'b', GIT_AUTHOR_EMAIL: 'b@x', GIT_COMMITTER_NAME: 'b', GIT_COMMITTER_EMAIL: 'b@x', GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' };

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The load average: on a shared machine, a wall time means little without it. */
export const load = (): string => loadavg().map((l) => l.toFixed(2)).join(' ');
