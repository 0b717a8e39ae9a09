import type { ChartResult } from '../pipeline/types.js';
import { safeUrl, type ReportContext } from './context.js';
import { SUMMARY_LIMIT, fitBody, table } from './markdown.js';
import { countByStatus, failureLine, failures, resultRows } from './results.js';

/** The job summary: one table of everything published, then the failures. */
export function renderSummary(results: ChartResult[], ctx: ReportContext): string {
  const lines = ['## chartship', ''];
  if (results.length === 0) {
    lines.push('No chart was released.');
  } else {
    lines.push(countByStatus(results), '');
    lines.push(...table(['Chart', 'Version', 'Status', 'Registry', 'Digest'], resultRows(results, 'registry')));
    const failed = failures(results);
    if (failed.length > 0) lines.push('', '### Failures', '', ...failed.map(failureLine));
  }
  const runUrl = safeUrl(ctx.runUrl);
  const note = `> [!NOTE]\n> This summary was cut to fit the job summary size limit${runUrl ? `; see the [workflow run](${runUrl}) logs` : ''}.`;
  return fitBody(lines.join('\n'), SUMMARY_LIMIT, note);
}
