// semver's functions one by one: its index also builds every range and comparator class, which a plan never uses
// and a start would pay for.
import type { ReleaseType } from 'semver';
import semverDiff from 'semver/functions/diff.js';
import semverGt from 'semver/functions/gt.js';
import semverInc from 'semver/functions/inc.js';
import semverParse from 'semver/functions/parse.js';
import { canonicalVersion, isStrictSemver, parseHelmVersion } from '../model/helm-semver.js';
import type { Bump } from '../model/plan.js';

export type Level = 'major' | 'minor' | 'patch';

const RANK: Record<Level, number> = { patch: 1, minor: 2, major: 3 };

export function higher(a: Level | undefined, b: Level | undefined): Level | undefined {
  if (!a) return b;
  if (!b) return a;
  return RANK[a] >= RANK[b] ? a : b;
}

/**
 * A chart version as SemVer 2, to compute from. helm accepts versions that are not (`v1.2.3`, `1.2`, `01.2.3`): they
 * are read as helm reads them, and `read` says what was changed.
 */
export function asSemver(version: string): { version: string; read?: string } {
  if (isStrictSemver(version)) return { version };
  const parsed = parseHelmVersion(version);
  if (!parsed) throw new Error(`not a version: ${version}`);
  const strict = canonicalVersion(parsed);
  const core = /^v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?/.exec(version) ?? [];
  const changes = [
    ...(version.startsWith('v') ? ['the "v" prefix dropped'] : []),
    ...(core[2] === undefined || core[3] === undefined ? ['missing parts read as 0'] : []),
    ...(/(^|\.)0[0-9]/.test(core[0]?.replace(/^v/, '') ?? '') ? ['leading zeros dropped'] : []),
  ];
  return { version: strict, read: `read as ${strict} (${changes.join(', ')})` };
}

/** How changes count below 1.0.0 (release-please's names): a breaking change a minor (default), a feature a patch (not by default). */
export interface PreMajorRules {
  bumpMinorPreMajor?: boolean;
  bumpPatchForMinorPreMajor?: boolean;
}

/**
 * The version after `current` for a change of `level`. Below 1.0.0 a breaking change is a minor bump (SemVer §4)
 * unless `bumpMinorPreMajor` is false, and a feature a patch when `bumpPatchForMinorPreMajor`.
 * With a prerelease channel the result is `X-<id>.N`; a current prerelease whose target already covers the change
 * only gets its counter raised (`1.3.0-rc.0` → `1.3.0-rc.1`). A current version that is not SemVer 2 is bumped as
 * helm reads it, and `note` says so: `v0.1.0` gives `0.1.1`.
 */
export function nextVersion(current: string, level: Level, prerelease?: string, preMajor: PreMajorRules = {}): { version: string; bump: Bump; note?: string } {
  const { version: from, read } = asSemver(current);
  const next = nextSemver(from, level, prerelease, preMajor);
  return read ? { ...next, note: `version ${current} is not SemVer 2: ${read}, so the next version is ${next.version}` } : next;
}

function nextSemver(current: string, level: Level, prerelease: string | undefined, preMajor: PreMajorRules): { version: string; bump: Bump } {
  const parsed = semverParse(current);
  if (!parsed) throw new Error(`not a SemVer version: ${current}`);
  const effective = parsed.major === 0 ? preMajorLevel(level, preMajor) : level;
  if (!prerelease) return { version: inc(current, effective), bump: effective };
  if (parsed.prerelease.length > 0) {
    const covered: Level = parsed.patch !== 0 ? 'patch' : parsed.minor !== 0 || parsed.major === 0 ? 'minor' : 'major';
    // Only while the channel keeps it above the current version: `1.3.0-rc.0` on channel beta is no `1.3.0-beta.0`
    // (beta sorts before rc), and the change then opens its own release (`1.3.1-beta.0` for a fix).
    const raised = inc(current, 'prerelease', prerelease);
    if (RANK[effective] <= RANK[covered] && semverGt(raised, current)) return { version: raised, bump: 'prerelease' };
  }
  return { version: inc(current, `pre${effective}`, prerelease), bump: effective };
}

function preMajorLevel(level: Level, { bumpMinorPreMajor = true, bumpPatchForMinorPreMajor = false }: PreMajorRules): Level {
  if (level === 'major' && bumpMinorPreMajor) return 'minor';
  if (level === 'minor' && bumpPatchForMinorPreMajor) return 'patch';
  return level;
}

/** Whether `version` is above `than`, both read as helm reads them; false when either is no version. */
export function isAbove(version: string, than: string): boolean {
  try {
    return semverGt(asSemver(version).version, asSemver(than).version);
  } catch {
    return false;
  }
}

function inc(version: string, release: ReleaseType, id?: string): string {
  const out = id === undefined ? semverInc(version, release) : semverInc(version, release, id, '0');
  if (!out) throw new Error(`cannot raise ${version} by ${release}`);
  return out;
}

/** How `from` became `to`, for versions a human set. */
export function bumpBetween(from: string, to: string): Bump {
  const [a, b] = [from, to].map((v) => (parseHelmVersion(v) ? asSemver(v).version : undefined));
  const diff = a && b ? semverDiff(a, b) : null;
  if (diff === null) return 'none';
  if (diff === 'major' || diff === 'minor' || diff === 'patch' || diff === 'prerelease') return diff;
  return 'prerelease';
}
