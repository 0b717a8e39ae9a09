import { failsPolicy, findingLocation, notCheckedByReason, type ChartPolicyResult, type PolicyFinding, type PolicyReport } from '../model/policy.js';
import { code, inline, prose, table, tableCode } from './markdown.js';

/** More rows than this make a comment unreadable; the rest are counted (the log and annotations have all). */
const MAX_ROWS = 100;

function counts(report: PolicyReport): { findings: number; errors: number; failing: ChartPolicyResult[] } {
  const findings = report.charts.reduce((n, c) => n + c.findings.length, 0);
  const errors = report.charts.reduce((n, c) => n + c.findings.filter((f) => f.severity === 'error').length, 0);
  return { findings, errors, failing: report.charts.filter((c) => failsPolicy(c, report.mode)) };
}

function headline(report: PolicyReport): string {
  const { findings, errors, failing } = counts(report);
  const checked = `${report.charts.length} chart${report.charts.length === 1 ? '' : 's'} checked (${report.mode === 'enforce' ? 'enforced' : 'warnings only'}${report.renderer ? `, rendered by ${report.renderer}` : ''})`;
  if (findings === 0) return `${checked}: no findings.`;
  const found = `${findings} finding${findings === 1 ? '' : 's'}, ${errors} error${errors === 1 ? '' : 's'}`;
  const blocked = failing.length > 0 ? `; failing: ${failing.map((c) => c.chart).join(', ')}` : '';
  return `${checked}: ${found}${blocked}.`;
}

/**
 * A finding's severity as this run treats it: an error of a policy that only warns is the rule's severity, but it
 * stops nothing, and the log has it as a warning. The table must not say otherwise.
 */
function severity(finding: PolicyFinding, mode: PolicyReport['mode']): string {
  if (finding.severity !== 'error') return 'warning';
  return mode === 'enforce' ? 'error' : 'error (not enforced)';
}

/** The policy section of the PR comment and the job summary: one row per finding, then what was not checked. */
export function renderPolicySection(report: PolicyReport): string[] {
  const lines = ['', '### Chart policy', '', inline(headline(report), 2000)];
  const rows = report.charts.flatMap((chart) =>
    chart.findings.map((f) => [tableCode(chart.chart, 200), tableCode(f.rule, 100), `${severity(f, report.mode) === 'error' ? '❌' : '⚠️'} ${severity(f, report.mode)}`, tableCode(findingLocation(f), 300), prose(f.message, 500, true)]),
  );
  if (rows.length > 0) {
    lines.push('', ...table(['Chart', 'Rule', 'Severity', 'Where', 'Finding'], rows.slice(0, MAX_ROWS)));
    if (rows.length > MAX_ROWS) lines.push('', `…and ${rows.length - MAX_ROWS} more findings (see the workflow log).`);
  }
  const skipped = notCheckedByReason(report);
  if (skipped.length > 0) {
    lines.push('', '**Not checked:**', '');
    for (const s of skipped) lines.push(`- ${s.rules.map((r) => code(r, 100)).join(', ')} for ${s.charts.map((c) => code(c, 200)).join(', ')}: ${prose(s.reason, 600)}`);
  }
  return lines;
}

/** The same as text, for the CLI. */
export function renderPolicyText(report: PolicyReport, options: { findings?: boolean } = {}): string {
  const lines = [headline(report)];
  // Where the log has just said each finding (the CLI's one output), the count is what is left to say.
  if (options.findings === false) return `${lines[0]}\n`;
  for (const chart of report.charts) {
    for (const f of chart.findings) lines.push(`${findingLocation(f)}: ${severity(f, report.mode)}: ${f.rule}: ${f.message}`);
  }
  for (const s of notCheckedByReason(report)) lines.push(`not checked: ${s.rules.join(', ')} for ${s.charts.join(', ')}: ${s.reason}`);
  return `${lines.join('\n')}\n`;
}
