/**
 * Versions as helm reads them: Masterminds/semver v3's `NewVersion`, which helm uses to accept a chart's version,
 * `--version`, index entries and constraint operands. It is lenient where SemVer 2 is strict: a `v` prefix, missing
 * minor or patch (`1`, `1.2`) and leading zeros in the numbers (`01.2.3`) are read as `1.0.0`, `1.2.0`, `1.2.3`.
 * Prerelease and build identifiers are checked as SemVer does. No npm package implements this reading (node-semver
 * refuses `1` and `01.2.3`), so it is written here from the library's documented behaviour.
 */
export interface HelmVersion {
  major: bigint;
  minor: bigint;
  patch: bigint;
  /** Prerelease identifiers joined by `.`, '' when none. */
  prerelease: string;
  build: string;
  /** The text as written. */
  original: string;
}

const UINT64_MAX = 2n ** 64n - 1n;
const LOOSE = /^v?([0-9]+)(?:\.([0-9]+))?(?:\.([0-9]+))?(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?$/;
const STRICT =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

/** SemVer 2.0.0 exactly: no `v` prefix, three numeric parts, no leading zeros. */
export function isStrictSemver(version: string): boolean {
  return STRICT.test(version);
}

/**
 * The version a `Release-As` asks for, or undefined when it names none: SemVer 2, a leading `v` dropped, as
 * release-please reads the footer (`v2.0.0` forces 2.0.0).
 */
export function releaseAsVersion(text: string): string | undefined {
  const version = text.startsWith('v') ? text.slice(1) : text;
  return isStrictSemver(version) ? version : undefined;
}

/** helm's reading of a version, or undefined where helm says "invalid semantic version". */
export function parseHelmVersion(text: string): HelmVersion | undefined {
  const m = LOOSE.exec(text);
  if (!m) return undefined;
  const [, major = '', minor = '0', patch = '0', prerelease = '', build = ''] = m;
  const numbers = [major, minor, patch].map(BigInt) as [bigint, bigint, bigint];
  if (numbers.some((n) => n > UINT64_MAX)) return undefined;
  // Numeric prerelease identifiers may not have leading zeros; the pattern already forbids empty identifiers.
  if (prerelease.split('.').some((id) => /^\d+$/.test(id) && id.length > 1 && id.startsWith('0'))) return undefined;
  return { major: numbers[0], minor: numbers[1], patch: numbers[2], prerelease, build, original: text };
}

/** MAJOR.MINOR.PATCH[-pre][+build]: the SemVer 2 text of a version helm accepted. */
export function canonicalVersion(v: HelmVersion): string {
  return `${v.major}.${v.minor}.${v.patch}${v.prerelease ? `-${v.prerelease}` : ''}${v.build ? `+${v.build}` : ''}`;
}

/** Precedence as helm compares versions: numbers, then prereleases (a release is higher); build metadata is ignored. */
export function compareHelmVersions(a: HelmVersion, b: HelmVersion): number {
  for (const key of ['major', 'minor', 'patch'] as const) {
    if (a[key] !== b[key]) return a[key] < b[key] ? -1 : 1;
  }
  if (a.prerelease === b.prerelease) return 0;
  if (a.prerelease === '') return 1;
  if (b.prerelease === '') return -1;
  return comparePrerelease(a.prerelease, b.prerelease);
}

function comparePrerelease(a: string, b: string): number {
  const as = a.split('.');
  const bs = b.split('.');
  for (let i = 0; i < Math.max(as.length, bs.length); i++) {
    const x = as[i];
    const y = bs[i];
    if (x === y) continue;
    // Fewer identifiers sort first when all before are equal.
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const xNumeric = /^\d+$/.test(x);
    const yNumeric = /^\d+$/.test(y);
    if (xNumeric && yNumeric) return BigInt(x) < BigInt(y) ? -1 : 1;
    if (xNumeric) return -1;
    if (yNumeric) return 1;
    return Buffer.compare(Buffer.from(x), Buffer.from(y));
  }
  return 0;
}
