import { releaseAsVersion } from '../model/helm-semver.js';
import { ChartshipError } from '../model/errors.js';
import type { Bump, ChangelogEntry, PlanReason } from '../model/plan.js';
import { changelogOf, changelogTypes, type ChangelogType } from './changelog.js';
import { withoutPr, type ParsedCommit } from './commit.js';
import { bumpBetween, higher, isAbove, nextVersion, type Level, type PreMajorRules } from './next-version.js';

export interface VersioningOptions extends PreMajorRules {
  /** `none`: versions change only by hand, by `Release-As`, or for dependencies. */
  versionBump?: 'conventional' | 'none';
  /** What a non-release commit type (`chore`, `docs`, a plain message) that changes the chart's files does. */
  otherTypes?: 'patch' | 'none';
  /** Prerelease channel, e.g. `rc` → `1.3.0-rc.0`. */
  prerelease?: string;
  /**
   * Commit types and their changelog sections, laid over feat/fix/perf: a listed type releases (a patch, a feature a
   * minor) and is listed in its section; a hidden one does neither (a breaking change still does). Unlisted types
   * follow `otherTypes`, under Other.
   */
  changelogTypes?: readonly ChangelogType[];
  /** The next version, while it is above the current one (`release-as` of .chartship.yaml; a commit's wins). */
  releaseAs?: string;
}

export interface ChartCommit {
  commit: ParsedCommit;
  /** The commit changed files of the chart (rather than only naming it as its scope). */
  touchesChart: boolean;
  /**
   * The commit's scope names other charts it changed, not this one: its type (feat, fix, a breaking mark) is theirs,
   * and here it counts as a change of another type.
   */
  scopedElsewhere?: boolean;
}

export interface VersionInput {
  chart: string;
  currentVersion: string;
  /** Version last released or found at the base; undefined when the chart has never been released. */
  previousVersion?: string;
  /**
   * Commits of the range, newest first. Only those changing the chart's packaged files release it; one that only
   * names it as its scope counts for nothing but a `Release-As`.
   */
  commits: ChartCommit[];
}

export interface VersionDecision {
  release: boolean;
  bump: Bump;
  nextVersion: string;
  reasons: PlanReason[];
  changelog: ChangelogEntry[];
  /** How a current version that is not SemVer 2 was read to compute the next one. */
  note?: string;
}

/** Decides one chart's next version from its commits. Pure: same input, same answer. */
export function decideVersion(input: VersionInput, options: VersioningOptions = {}): VersionDecision {
  const chart = input.chart.toLowerCase();
  const named = withoutReverted(input.commits.filter((c) => c.touchesChart || c.commit.scopes.some((s) => s.toLowerCase() === chart)));
  const commits = named.filter((c) => c.touchesChart);
  const changelog = changelogOf(
    commits.map((c) => c.commit),
    options.changelogTypes,
  );
  const current = input.currentVersion;
  const keep = (bump: Bump, reason: PlanReason): VersionDecision => ({ release: true, bump, nextVersion: current, reasons: [reason], changelog });
  // Configured once and left there, release-as applies only while it is ahead of what the chart has.
  const configured =
    options.releaseAs !== undefined && isAbove(options.releaseAs, current) && (input.previousVersion === undefined || isAbove(options.releaseAs, input.previousVersion))
      ? options.releaseAs
      : undefined;
  const releasedAs = (version: string): VersionDecision => ({
    release: true,
    bump: bumpBetween(current, version),
    nextVersion: version,
    reasons: [{ kind: 'release-as', message: `release-as: ${version} (.chartship.yaml)` }],
    changelog,
  });

  if (input.previousVersion === undefined) {
    return configured ? releasedAs(configured) : keep('none', { kind: 'first-release', message: `first release of ${current}` });
  }
  if (current !== input.previousVersion) {
    return keep(bumpBetween(input.previousVersion, current), {
      kind: 'manual-version',
      message: `version set by hand: ${input.previousVersion} → ${current}`,
    });
  }

  // Release-As is an explicit request, honoured from a commit that only names the chart too (an empty release commit).
  const releaseAs = named.find((c) => c.commit.releaseAs !== undefined)?.commit;
  const asked = releaseAs?.releaseAs;
  if (releaseAs && asked !== undefined && asked !== input.previousVersion) {
    const version = releaseAsVersion(asked);
    if (version === undefined) {
      throw new ChartshipError(`${JSON.stringify(asked)} in commit ${releaseAs.sha.slice(0, 7)} is not a SemVer version`, {
        field: 'Release-As',
        code: 'COMMIT_INVALID',
        hint: 'use Release-As: MAJOR.MINOR.PATCH',
      });
    }
    if (version !== input.previousVersion) {
      return {
        release: true,
        bump: bumpBetween(current, version),
        nextVersion: version,
        reasons: [{ kind: 'release-as', message: `Release-As: ${version}`, sha: releaseAs.sha }],
        changelog,
      };
    }
  }

  if (configured) return releasedAs(configured);

  const skipped: VersionDecision = { release: false, bump: 'none', nextVersion: current, reasons: [], changelog };
  if (options.versionBump === 'none') return skipped;
  const types = changelogTypes(options.changelogTypes);
  const found = commits.map((c) => levelOf(c, types, options.otherTypes ?? 'patch'));
  const levels = found.map((f) => f?.level);
  const level = levels.reduce<Level | undefined>(higher, undefined);
  if (!level) return skipped;
  // The deciding commit is the oldest one at the final level (commits come newest first): it is listed first.
  const deciding = levels.lastIndexOf(level);
  const reasons: PlanReason[] = [];
  commits.forEach(({ commit }, i) => {
    const own = found[i];
    if (!own) return;
    // A bump no type of the commit's set is said to come from the other-types setting: a history without Conventional
    // Commits releases every change as a patch, and the reader should see why and where to change it.
    const reason: PlanReason = { kind: 'commit', message: `${own.level}${own.byType ? '' : ' (other-types)'}: ${commit.header}`, sha: commit.sha };
    if (i === deciding) reasons.unshift(reason);
    else reasons.push(reason);
  });
  const next = nextVersion(current, level, options.prerelease, options);
  return { release: true, bump: next.bump, nextVersion: next.version, reasons, changelog, ...(next.note && { note: next.note }) };
}

/** A commit's level, and whether its type set it (or the other-types setting did). */
function levelOf({ commit, scopedElsewhere }: ChartCommit, types: ChangelogType[], otherTypes: 'patch' | 'none'): { level: Level; byType: boolean } | undefined {
  if (!scopedElsewhere) {
    if (commit.breaking) return { level: 'major', byType: true };
    const listed = types.find((t) => t.type === commit.type);
    if (listed?.hidden) return undefined;
    if (listed) return { level: commit.type === 'feat' ? 'minor' : 'patch', byType: true };
  }
  return otherTypes === 'patch' ? { level: 'patch', byType: false } : undefined;
}

/**
 * A revert and the commit it reverts cancel out when both are in the range; otherwise the revert is a change. Newest
 * first, so that a revert that is itself reverted (git's `Revert "Revert "feat: x""`, a change landed again) cancels
 * with that revert, and the commit it had reverted stands.
 */
function withoutReverted(commits: ChartCommit[]): ChartCommit[] {
  const cancelled = new Set<ChartCommit>();
  commits.forEach((c, i) => {
    const target = c.commit.reverts;
    if (!target || cancelled.has(c)) return;
    const undoes = ({ commit }: ChartCommit) => (target.sha ? commit.sha.startsWith(target.sha) || target.sha.startsWith(commit.sha) : withoutPr(commit.header) === target.header);
    const reverted = commits.slice(i + 1).find((older) => !cancelled.has(older) && undoes(older));
    if (reverted) cancelled.add(c).add(reverted);
  });
  return commits.filter((c) => !cancelled.has(c));
}
