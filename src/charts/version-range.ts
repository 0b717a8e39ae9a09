import { compareHelmVersions, parseHelmVersion, type HelmVersion } from '../model/helm-semver.js';

/**
 * Dependency version constraints as helm 4 reads them (Masterminds/semver v3.4, `NewConstraint` and `Check`):
 *
 * - `||` separates alternatives; inside one, comparisons are joined by spaces or commas and all must hold.
 * - Operators `=` (or none), `!=`, `>`, `<`, `>=`/`=>`, `<=`/`=<`, `~`/`~>`, `^`; `A - B` (spaces required) is
 *   `>= A, <= B`.
 * - `x`, `X`, `*` or a missing part make a wildcard: `1.2.x`/`1.2` is `~1.2.0`, `>1.2` means a higher minor, `*` and
 *   `~0.0.0` accept everything.
 * - A prerelease is accepted only by an alternative that itself names a prerelease somewhere (`>=1.0.0-0 <2.0.0`
 *   accepts `1.5.0-rc.1`; `>=1.0.0 <2.0.0` does not).
 * - An empty constraint is an error (`helm dependency update` refuses it).
 *
 * node-semver differs on `!=`, `=>`, `=<`, `~0.0.0`, leading zeros and prerelease matching, so the grammar and the
 * rules are restated here; test/charts/constraints.test.ts pins a table of cases against the real helm binaries.
 * (helm 3.17 uses Masterminds v3.3, where only a comparison that itself names a prerelease accepts one; that table
 * records where the two majors disagree.)
 */
export interface VersionConstraint {
  /** The constraint as written. */
  readonly raw: string;
  test(version: string | HelmVersion): boolean;
}

const OPS = String.raw`=||!=|>|<|>=|=>|<=|=<|~|~>|\^`;
const PART = String.raw`[0-9|xX*]+`;
const IDENTS = String.raw`[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*`;
/** An operand: major, optional .minor and .patch (each may be a wildcard), optional -prerelease and +build. */
const OPERAND = String.raw`v?(${PART})(\.${PART})?(\.${PART})?(-${IDENTS})?(?:\+${IDENTS})?`;
/** The same without capturing groups, for the patterns that only need whole operands. */
const OPERAND_TEXT = OPERAND.replace(/\((?!\?)/g, '(?:');

const ONE = new RegExp(String.raw`^\s*(${OPS})\s*(${OPERAND})\s*$`);
const FIND = new RegExp(String.raw`(?:${OPS})\s*(?:${OPERAND_TEXT})`, 'g');
const VALID = new RegExp(String.raw`^\s*(?:${OPS})\s*(?:${OPERAND_TEXT})\s*(?:(?:\s+|,\s*)(?:${OPS})\s*(?:${OPERAND_TEXT})\s*)*$`);
const HYPHEN = new RegExp(String.raw`\s*(${OPERAND_TEXT})\s+-\s+(${OPERAND_TEXT})\s*`, 'g');

type Op = '' | '=' | '!=' | '>' | '<' | '>=' | '=>' | '<=' | '=<' | '~' | '~>' | '^';

interface Comparison {
  op: Op;
  version: HelmVersion;
  /** The operand had a wildcard or a missing part; `minor`/`patch` tell which part was the first one missing. */
  dirty: boolean;
  minorDirty: boolean;
  patchDirty: boolean;
}

export class ConstraintError extends Error {}

/** Parses a constraint; throws ConstraintError with helm's reason ("improper constraint: …") when helm would refuse it. */
export function parseConstraint(text: string): VersionConstraint {
  const rewritten = rewriteHyphenRanges(text);
  const alternatives = rewritten.split('||').map((alternative) => {
    if (!VALID.test(alternative)) throw new ConstraintError(`improper constraint: ${alternative}`);
    const comparisons = (alternative.match(FIND) ?? [alternative]).map(parseComparison);
    return { comparisons, prereleases: comparisons.some((c) => c.version.prerelease !== '') };
  });
  return {
    raw: text,
    test(input) {
      const version = typeof input === 'string' ? parseHelmVersion(input) : input;
      if (!version) return false;
      return alternatives.some(({ comparisons, prereleases }) => {
        if (version.prerelease !== '' && !prereleases) return false;
        return comparisons.every((c) => holds(c, version));
      });
    },
  };
}

/** The constraint, or undefined when helm would refuse it. */
export function toRange(text: string | undefined): VersionConstraint | undefined {
  try {
    return parseConstraint(text ?? '');
  } catch (error) {
    if (error instanceof ConstraintError) return undefined;
    throw error;
  }
}

export function satisfies(version: string, range: VersionConstraint): boolean {
  return range.test(version);
}

/**
 * The highest version the constraint accepts, as helm picks from a repository index (every version helm can read,
 * compared by precedence; the first listed wins a tie). Returns the version as written.
 */
export function highestMatch(versions: Iterable<string>, range: VersionConstraint): string | undefined {
  let best: HelmVersion | undefined;
  for (const text of versions) {
    const v = parseHelmVersion(text);
    if (!v || !range.test(v)) continue;
    if (best === undefined || compareHelmVersions(v, best) > 0) best = v;
  }
  return best?.original;
}

function rewriteHyphenRanges(text: string): string {
  let out = text;
  for (const m of text.matchAll(HYPHEN)) out = out.replace(m[0], () => `>= ${m[1]}, <= ${m[2]} `);
  return out;
}

const isWildcard = (part: string | undefined) => part === 'x' || part === 'X' || part === '*';

function parseComparison(text: string): Comparison {
  const m = ONE.exec(text);
  if (!m) throw new ConstraintError(`improper constraint: ${text}`);
  const [, op = '', operand = '', major = '', dotMinor, dotPatch, dashPre = ''] = m;
  const minor = dotMinor?.slice(1);
  const patch = dotPatch?.slice(1);
  let normalized = operand;
  let dirty = true;
  let minorDirty = false;
  let patchDirty = false;
  if (isWildcard(major)) normalized = `0.0.0${dashPre}`;
  else if (minor === undefined || isWildcard(minor)) {
    minorDirty = true;
    normalized = `${major}.0.0${dashPre}`;
  } else if (patch === undefined || isWildcard(patch)) {
    patchDirty = true;
    normalized = `${major}.${minor}.0${dashPre}`;
  } else {
    dirty = false;
  }
  const version = parseHelmVersion(normalized);
  if (!version) throw new ConstraintError(`improper constraint: ${text.trim()}`);
  return { op: op as Op, version, dirty, minorDirty, patchDirty };
}

function holds(c: Comparison, v: HelmVersion): boolean {
  const con = c.version;
  const cmp = compareHelmVersions(v, con);
  switch (c.op) {
    case '':
    case '=':
      return c.dirty ? tilde(c, v) : cmp === 0;
    case '!=':
      return notEqual(c, v);
    case '>':
      if (!c.dirty) return cmp > 0;
      if (v.major !== con.major) return v.major > con.major;
      if (c.minorDirty) return false;
      if (c.patchDirty) return v.minor > con.minor;
      return cmp > 0;
    case '<':
      return cmp < 0;
    case '>=':
    case '=>':
      return cmp >= 0;
    case '<=':
    case '=<':
      if (!c.dirty) return cmp <= 0;
      if (v.major > con.major) return false;
      return !(v.major === con.major && v.minor > con.minor && !c.minorDirty);
    case '~':
    case '~>':
      return tilde(c, v);
    case '^':
      return caret(c, v);
  }
}

function tilde(c: Comparison, v: HelmVersion): boolean {
  const con = c.version;
  if (compareHelmVersions(v, con) < 0) return false;
  // ~0.0.0 (and so `*`) accepts everything.
  if (con.major === 0n && con.minor === 0n && con.patch === 0n && !c.minorDirty && !c.patchDirty) return true;
  if (v.major !== con.major) return false;
  return v.minor === con.minor || c.minorDirty;
}

function caret(c: Comparison, v: HelmVersion): boolean {
  const con = c.version;
  if (compareHelmVersions(v, con) < 0) return false;
  if (con.major > 0n || c.minorDirty) return v.major === con.major;
  if (v.major > 0n) return false;
  if (con.minor > 0n || c.patchDirty) return v.minor === con.minor;
  if (v.minor > 0n) return false;
  return v.patch === con.patch;
}

function notEqual(c: Comparison, v: HelmVersion): boolean {
  const con = c.version;
  if (c.dirty) {
    if (con.major !== v.major) return true;
    if (c.minorDirty) return false;
    if (con.minor !== v.minor) return true;
    if (c.patchDirty) return v.prerelease !== con.prerelease;
    if (con.patch !== v.patch) return true;
  }
  return compareHelmVersions(v, con) !== 0;
}
