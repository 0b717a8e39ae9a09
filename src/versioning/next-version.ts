import semver from 'semver';
import type { Bump } from '../pipeline/types.js';

export type Level = 'major' | 'minor' | 'patch';

const RANK: Record<Level, number> = { patch: 1, minor: 2, major: 3 };

export function higher(a: Level | undefined, b: Level | undefined): Level | undefined {
  if (!a) return b;
  if (!b) return a;
  return RANK[a] >= RANK[b] ? a : b;
}

/**
 * The version after `current` for a change of `level`. Below 1.0.0 a breaking change is a minor bump (SemVer §4).
 * With a prerelease channel the result is `X-<id>.N`; a current prerelease whose target already covers the change
 * only gets its counter raised (`1.3.0-rc.0` → `1.3.0-rc.1`).
 */
export function nextVersion(current: string, level: Level, prerelease?: string): { version: string; bump: Bump } {
  const parsed = semver.parse(current);
  if (!parsed) throw new Error(`not a SemVer version: ${current}`);
  const effective: Level = level === 'major' && parsed.major === 0 ? 'minor' : level;
  if (!prerelease) return { version: inc(current, effective), bump: effective };
  if (parsed.prerelease.length > 0) {
    const covered: Level = parsed.patch !== 0 ? 'patch' : parsed.minor !== 0 || parsed.major === 0 ? 'minor' : 'major';
    if (RANK[effective] <= RANK[covered]) return { version: inc(current, 'prerelease', prerelease), bump: 'prerelease' };
  }
  return { version: inc(current, `pre${effective}`, prerelease), bump: effective };
}

function inc(version: string, release: semver.ReleaseType, id?: string): string {
  const out = id === undefined ? semver.inc(version, release) : semver.inc(version, release, id, '0');
  if (!out) throw new Error(`cannot raise ${version} by ${release}`);
  return out;
}

/** How `from` became `to`, for versions a human set. */
export function bumpBetween(from: string, to: string): Bump {
  const diff = semver.valid(from) && semver.valid(to) ? semver.diff(from, to) : null;
  if (diff === null) return 'none';
  if (diff === 'major' || diff === 'minor' || diff === 'patch' || diff === 'prerelease') return diff;
  return 'prerelease';
}
