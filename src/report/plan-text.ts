import { locationText } from '../model/errors.js';
import { groupChangelog, shownEntry } from '../model/changelog.js';
import { shownPath, type ChangelogEntry, type ChartPlan, type InvalidChart, type Plan } from '../model/plan.js';
import { textTable } from './text-table.js';

/** The plan as text: the CLI prints it, the action logs it. */
export function renderPlan(plan: Plan, written: string[] = [], others?: number): string {
  const details = renderPlanDetails(plan, written);
  return `${renderPlanOverview(plan, others)}${details ? `\n${details}` : ''}`;
}

/**
 * The plan's head line and its table (one row a chart), with the charts deleted and those that cannot be planned. A
 * shard's job shows its own charts only, and counts the `others` the plan publishes in other shards and waves.
 */
export function renderPlanOverview(plan: Plan, others?: number): string {
  const lines: string[] = [];
  const releasing = plan.charts.filter((c) => c.action === 'release');
  const held = releasing.filter((c) => c.held).length;
  // A rerun without a range plans its charts again; the count says at once that the targets hold them already.
  const compared = held > 0 ? ` (${held === releasing.length ? 'all' : held} at a version the targets hold already: compared, not pushed again when the same)` : '';
  const copies = plan.charts.filter((c) => c.missing).length;
  const copied = copies > 0 ? `, ${copies} to copy to the registries missing their release` : '';
  lines.push(`Plan for ${describeRange(plan)}: ${releasing.length} of ${plan.charts.length} charts to release${compared}${copied}`, '');
  if (others !== undefined) lines.push(`${others} more chart(s) in other shards and waves`, '');
  const rows = [['NAME', 'PATH', 'CURRENT', 'NEXT', 'BUMP', 'ACTION', 'WHY'], ...plan.charts.map(row)];
  lines.push(...textTable(rows));
  for (const deleted of plan.deleted) lines.push('', `deleted: ${deleted.name} (${shownPath(deleted.path)}) — not published`);
  for (const chart of plan.invalid) lines.push('', `invalid: ${describeInvalid(chart)} — not published`);
  const unchanged = others === undefined && nothingChanged(plan);
  if (unchanged) lines.push('', unchanged);
  return `${lines.join('\n')}\n`;
}

/**
 * Why each chart is released, with its changelog, and the files written; empty when there is none. A few lines a
 * chart: the action logs them folded, under the table (hundreds of charts would bury it).
 */
export function renderPlanDetails(plan: Plan, written: string[] = []): string {
  const lines: string[] = [];
  for (const chart of plan.charts.filter((c) => c.action !== 'skipped')) {
    lines.push('', `${chart.name} ${chart.currentVersion} → ${chart.nextVersion}`);
    for (const reason of chart.reasons) lines.push(`  - ${reason.message}${reason.sha ? ` (${reason.sha.slice(0, 7)})` : ''}`);
    if (chart.dependents.length > 0) lines.push(`  dependents: ${chart.dependents.join(', ')}`);
    if (chart.changelog.length > 0) lines.push('', ...renderChangelogText(chart.changelog).trimEnd().split('\n').map((l) => (l ? `  ${l}` : l)));
  }
  if (written.length > 0) lines.push('', 'written:', ...written.map((f) => `  ${f}`));
  // Each block starts with its blank line; the first is the separator renderPlan puts back.
  return lines.length > 0 ? `${lines.slice(1).join('\n')}\n` : '';
}

function row(chart: ChartPlan): string[] {
  const why = chart.reasons[0];
  const more = chart.reasons.length > 1 ? ` (+${chart.reasons.length - 1})` : '';
  const [next, action] = chart.missing ? [chart.missing.version, 'copy'] : [chart.nextVersion, chart.action];
  return [chart.name, shownPath(chart.path), chart.currentVersion, next, chart.bump, action, why ? `${why.message}${more}` : ''];
}

/** The range the plan compared, as a user reads it. */
export function describeRange(plan: Plan): string {
  return plan.base ? `${plan.base.slice(0, 7)}..${plan.head.slice(0, 7)}` : `each chart's last release tag..${plan.head.slice(0, 7)}`;
}

/**
 * When nothing is to be published: which charts were looked at, so "nothing happened" can be told from "looked in
 * the wrong place". undefined when some chart is to be published.
 */
export function nothingChanged(plan: Plan): string | undefined {
  if (plan.charts.some((c) => c.action !== 'skipped' || c.missing) || plan.invalid.length > 0) return undefined;
  const names = plan.charts.map((c) => c.name);
  const shown = someOf(names);
  const globs = plan.patterns.join(', ');
  return `no chart changed in ${describeRange(plan)}: looked at ${names.length} chart${names.length === 1 ? '' : 's'} matching ${globs}${names.length ? ` (${shown})` : ''}`;
}

/** `a, b, c and 580 more`: a list a log line can carry whatever the number of charts. */
export function someOf(items: string[], max = 20, separator = ', '): string {
  return items.length > max ? `${items.slice(0, max).join(separator)} and ${items.length - max} more` : items.join(separator);
}

/** `file:line:column: field: message`, the one line that locates an invalid chart. */
export function describeInvalid(chart: InvalidChart): string {
  const where = locationText({ file: chart.file ?? chart.chartYaml, line: chart.line, column: chart.column });
  return `${where}: ${chart.field ? `${chart.field}: ` : ''}${chart.message}`;
}

/** The changelog as plain text, grouped by kind: `### Features` and `- **scope:** subject (#12) (abc1234)` lines. */
export function renderChangelogText(entries: ChangelogEntry[]): string {
  return groupChangelog(entries)
    .map((g) => {
      const lines = g.entries.map((entry) => {
        const e = shownEntry(entry, g.title);
        const scope = e.scope ? `**${e.scope}:** ` : '';
        const pr = e.pr === undefined ? '' : ` (#${e.pr})`;
        return `- ${scope}${e.subject}${pr} (${e.shortSha})`;
      });
      return `### ${g.title}\n\n${lines.join('\n')}\n`;
    })
    .join('\n');
}
