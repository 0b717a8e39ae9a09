import { shownPath, type ChartPlan, type ChartResult, type Plan, type PlanReason } from '../model/plan.js';
import { renderChangelog } from './changelog.js';
import { commitLink, safeUrl, stickyMarker, type ReportContext } from './context.js';
import { COMMENT_LIMIT, code, escapeHtml, fitBody, inline, prose, rowsLeftOut, table, tableCode } from './markdown.js';
import { renderPolicySection } from './policy.js';
import { footer, inTheSummary, plannedRegistries } from './results.js';
import type { PolicyReport } from '../model/policy.js';

/** More reasons than this make a row unreadable; the rest are counted. */
const MAX_REASONS = 5;

function reasonText(reason: PlanReason, ctx: ReportContext): string {
  const sha = reason.sha ? `${commitLink(ctx, reason.sha)} ` : '';
  const chart = reason.kind === 'dependency' && reason.chart && !reason.message.includes(reason.chart) ? ` (${tableCode(reason.chart, 200)})` : '';
  return `${sha}${inline(reason.message, 200)}${chart}`;
}

function reasonsCell(chart: ChartPlan, ctx: ReportContext): string {
  const shown = chart.reasons.slice(0, MAX_REASONS).map((reason) => reasonText(reason, ctx));
  const more = chart.reasons.length - shown.length;
  if (more > 0) shown.push(`…and ${more} more`);
  return shown.join('<br>');
}

function versionCell(chart: ChartPlan): string {
  const next = `**${inline(chart.nextVersion, 100)}**`;
  const from = chart.previousVersion ?? chart.currentVersion;
  return from === chart.nextVersion ? `${next} (new)` : `${inline(from, 100)} → ${next}`;
}

function namesList(names: string[]): string {
  return names.length === 0 ? '—' : names.map((name) => tableCode(name, 200)).join(', ');
}

/**
 * The pull request comment: what merging this would release, and why. `intro` (a release pull request's body says what
 * merging it does) goes below the heading, inside the limit: GitHub refuses the whole body when it is longer. Too long
 * for GitHub (hundreds of charts, long changelogs), the table loses its reasons, dependents and changelogs, so the
 * sections after it (invalid charts, policy) still show, and the note says where the rest is.
 */
export function renderPlanComment(plan: Plan, ctx: ReportContext, policy?: PolicyReport, intro?: string): string {
  const full = planLines(plan, ctx, policy, intro).join('\n');
  if (full.length <= COMMENT_LIMIT) return full;
  const where = inTheSummary(safeUrl(ctx.runUrl));
  const left = `> [!NOTE]\n> GitHub takes ${COMMENT_LIMIT.toLocaleString('en')} characters in a comment: why each chart is released, its dependents and its changelog are left out here; ${where} has them.`;
  const names = plan.charts.filter((chart) => chart.action === 'release').map((chart) => chart.name);
  return fitBody(planLines(plan, ctx, policy, intro, left).join('\n'), COMMENT_LIMIT, (kept) =>
    `> [!NOTE]\n> Cut to fit GitHub's comment size limit: ${rowsLeftOut(kept, names)} of ${names.length} charts to release are not listed here, nor what follows them; ${where} has all of it.`,
  );
}

/** A dry run's comment on a pull request: its plan, under the registries the charts to release would go to. */
export function renderDryRunComment(plan: Plan, ctx: ReportContext, policy: PolicyReport | undefined, results: ChartResult[]): string {
  const to = plannedRegistries(results, inline);
  return renderPlanComment(plan, ctx, policy, to && `Registries: ${to}`);
}

/**
 * The plan as markdown lines, uncut: the comment and the job summary fit it to their own limits. With `compact` (the
 * note saying so), one short row per chart and no changelogs.
 */
export function planLines(plan: Plan, ctx: ReportContext, policy?: PolicyReport, intro?: string, compact?: string): string[] {
  const releasing = plan.charts.filter((chart) => chart.action === 'release');
  const unchanged = plan.charts.filter((chart) => chart.action === 'unchanged');
  const skipped = plan.charts.filter((chart) => chart.action === 'skipped');
  const lines = [stickyMarker(ctx.marker), '## chartship release plan', '', ...(intro ? [intro, ''] : []), ...(compact ? [compact, ''] : [])];

  if (releasing.length === 0) {
    lines.push('No chart will be released.');
  } else {
    const count = releasing.length === 1 ? '1 chart' : `${releasing.length} charts`;
    lines.push(`${count} will be released when this is merged:`, '');
    const row = (chart: ChartPlan) => [tableCode(chart.name, 200) + (chart.deprecated ? ' (deprecated)' : ''), versionCell(chart), inline(chart.bump, 20)];
    lines.push(
      ...(compact
        ? table(['Chart', 'Version', 'Bump'], releasing.map(row))
        : table(['Chart', 'Version', 'Bump', 'Why', 'Dependents'], releasing.map((chart) => [...row(chart), reasonsCell(chart, ctx), namesList(chart.dependents)]))),
    );
    for (const chart of compact ? [] : releasing.filter((c) => c.changelog.length > 0)) {
      const entries = chart.changelog.length === 1 ? '1 commit' : `${chart.changelog.length} commits`;
      lines.push(
        '',
        '<details>',
        `<summary>Changelog of <code>${escapeHtml(chart.name)}</code> ${escapeHtml(chart.nextVersion)} (${entries})</summary>`,
        '',
        ...renderChangelog(chart.changelog, ctx, 4),
        '',
        '</details>',
      );
    }
  }

  if (unchanged.length > 0) {
    lines.push('', `**Already published with the same content:** ${unchanged.map((c) => `${code(c.name, 200)} ${inline(c.currentVersion, 100)}`).join(', ')}`);
  }
  if (skipped.length > 0) {
    lines.push('', `**No changes:** ${skipped.map((c) => code(c.name, 200)).join(', ')}`);
  }
  if (plan.deleted.length > 0) {
    lines.push('', '### Deleted charts', '', 'These chart directories were removed. Versions already published stay in the registry.', '');
    lines.push(...plan.deleted.map((chart) => `- ${code(chart.name, 200)} (${code(shownPath(chart.path), 300)})`));
  }

  if (plan.invalid.length > 0) {
    lines.push('', '### Charts that cannot be published', '', 'Fix these files; the other charts are released without them.', '');
    lines.push(...plan.invalid.map((chart) => `- ${code((chart.file ?? chart.chartYaml) + (chart.line ? `:${chart.line}` : ''), 300)}: ${prose(`${chart.field ? `${chart.field}: ` : ''}${chart.message}`)}`));
  }

  if (policy) lines.push(...renderPolicySection(policy));

  lines.push('', footer(`Planned for ${commitLink(ctx, plan.head)}`, safeUrl(ctx.runUrl)));
  return lines;
}
