import type { ChartResult } from '../model/plan.js';
import { safeUrl, type ReportContext } from './context.js';
import { SUMMARY_LIMIT, fitBody } from './markdown.js';
import { provenanceSection } from './attestation.js';
import { renderPolicySection } from './policy.js';
import { resultsSection } from './results.js';
import type { PolicyReport } from '../model/policy.js';

/** The job summary: one table of everything published, then the failures. */
export function renderSummary(results: ChartResult[], ctx: ReportContext, policy?: PolicyReport): string {
  const lines = ['## chartship', '', ...resultsSection(results, 'registry'), ...provenanceSection(results), ...(policy ? renderPolicySection(policy) : [])];
  const runUrl = safeUrl(ctx.runUrl);
  const note = `> [!NOTE]\n> This summary was cut to fit the job summary size limit${runUrl ? `; see the [workflow run](${runUrl}) logs` : ''}.`;
  return fitBody(lines.join('\n'), SUMMARY_LIMIT, note);
}
