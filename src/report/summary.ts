import type { ChartResult, Plan } from '../model/plan.js';
import { safeUrl, type ReportContext } from './context.js';
import { SUMMARY_LIMIT, fitBody, inline, utf8Bytes } from './markdown.js';
import { provenanceSection } from './attestation.js';
import { planLines } from './plan-comment.js';
import { renderPolicySection } from './policy.js';
import { dryRunLine, resultsSection } from './results.js';
import type { PolicyReport } from '../model/policy.js';

/** The job summary: one table of everything published, then the failures. */
export function renderSummary(results: ChartResult[], ctx: ReportContext, policy?: PolicyReport): string {
  return fitSummary(['## chartship', '', ...resultsSection(results, 'registry'), ...provenanceSection(results), ...(policy ? renderPolicySection(policy) : [])], ctx);
}

/**
 * A dry run's job summary: its plan, cut to the summary's limit rather than the comment's, since the comment's note
 * sends readers here for what did not fit.
 */
export function renderPlanSummary(plan: Plan, ctx: ReportContext, policy?: PolicyReport, results?: ChartResult[]): string {
  return fitSummary(planLines(plan, ctx, policy, results && dryRunLine(results, inline)), ctx);
}

function fitSummary(lines: string[], ctx: ReportContext): string {
  const runUrl = safeUrl(ctx.runUrl);
  const note = `> [!NOTE]\n> This summary was cut to fit the runner's 1 MiB for a job summary: the \`charts\` JSON (the action's \`charts-file\`, the CLI's \`--json\`) has every chart${runUrl ? `, the [workflow run](${runUrl})'s log all of it` : ''}.`;
  return fitBody(lines.join('\n'), SUMMARY_LIMIT, note, utf8Bytes);
}
