import semver from 'semver';
import { isStrictSemver } from './chartfile.js';

/**
 * Dependency version constraints as helm (Masterminds/semver v3) writes them, checked with node-semver. The two
 * agree on `^ ~ x * -` and `||`; Masterminds also joins AND terms with commas, so commas become spaces. An absent
 * constraint accepts any release, as in helm.
 */
export function toRange(constraint: string | undefined): semver.Range | undefined {
  const text = (constraint ?? '').trim().replace(/\s*,\s*/g, ' ') || '*';
  try {
    return new semver.Range(text);
  } catch {
    return undefined;
  }
}

export function satisfies(version: string, range: semver.Range): boolean {
  return semver.valid(version) !== null && range.test(version);
}

/** The highest strict-SemVer version in `versions` that `range` accepts. */
export function highestMatch(versions: Iterable<string>, range: semver.Range): string | undefined {
  let best: string | undefined;
  for (const v of versions) {
    if (!isStrictSemver(v) || !range.test(v)) continue;
    if (best === undefined || semver.compareBuild(v, best) > 0) best = v;
  }
  return best;
}
