import type { ChartPlan, Plan } from '../model/plan.js';
import type { PolicyReport } from '../model/policy.js';
import { RELEASE_COMMIT } from '../model/release-commit.js';
import { renderChangelog } from './changelog.js';
import { compareUrl, type ReportContext } from './context.js';
import { inline } from './markdown.js';
import { renderPlanComment } from './plan-comment.js';

/** The marker of a release pull request's body, so it is never mistaken for the sticky plan comment. */
export const RELEASE_PR_MARKER = 'chartship-release-pr';

/** `chore(release): web 1.2.0, api 2.0.1`: GitHub cuts titles at 256 characters, so a long list is counted instead. */
export function releasePrTitle(charts: ChartPlan[]): string {
  const listed = `${RELEASE_COMMIT}${charts.map((c) => `${c.name} ${c.nextVersion}`).join(', ')}`;
  return listed.length <= 200 ? listed : `${RELEASE_COMMIT}${charts.length} charts`;
}

/** The body: the release plan, the same table as the pull-request comment, and what merging does. */
export function renderReleasePrBody(plan: Plan, ctx: ReportContext, policy?: PolicyReport, mergeAfter: string[] = []): string {
  const intro = [
    'Merging this pull request publishes the charts below at these versions, creates their releases and comments',
    'their digests here. chartship keeps it up to date (the branch is force-pushed); a version edited by hand in a',
    'Chart.yaml here is the version that is published.',
    // A per-chart release pull request raises its constraints on dependencies other ones release.
    ...(mergeAfter.length > 0 ? [`Merge it after the release pull request${mergeAfter.length > 1 ? 's' : ''} of ${mergeAfter.map((n) => `\`${n}\``).join(', ')}: its constraints admit only the versions ${mergeAfter.length > 1 ? 'those set' : 'that one sets'}.`] : []),
  ].join(' ');
  return renderPlanComment(plan, { ...ctx, marker: RELEASE_PR_MARKER }, policy, intro);
}

/**
 * A chart's CHANGELOG.md section for the version the release pull request sets (to be tagged `tag`), dated `day`, its
 * version linked to the diff since the previous release tag, as release-please heads its own; a first release has no
 * previous tag, and its version no link.
 */
export function renderChangelogSection(chart: ChartPlan, ctx: ReportContext, day: string, tag: string): string {
  const body = chart.changelog.length > 0 ? renderChangelog(chart.changelog, ctx, 3) : chart.reasons.map((reason) => `- ${inline(reason.message, 300)}`);
  const version = chart.previousTag ? `[${chart.nextVersion}](${compareUrl(ctx, chart.previousTag, tag)})` : chart.nextVersion;
  return [`## ${version} (${day})`, '', ...body, ''].join('\n');
}
