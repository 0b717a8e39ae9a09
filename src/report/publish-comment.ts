import type { ChartResult } from '../model/plan.js';
import { safeUrl, stickyMarker, type ReportContext } from './context.js';
import { COMMENT_LIMIT, fitBody, rowsLeftOut } from './markdown.js';
import { provenanceSection } from './attestation.js';
import { compactResultsSection, footer, helmPullCommand, inTheSummary, pullableRegistries, resultsSection } from './results.js';

function pullCommands(results: ChartResult[]): string[] {
  const commands = results.flatMap((result) => {
    const [registry] = pullableRegistries(result);
    return registry ? [helmPullCommand(registry, result.version)] : [];
  });
  return commands.length === 0 ? [] : ['', '```sh', ...commands, '```'];
}

/**
 * The pull request comment after publishing: what went where, with digests, and what failed. Too long for GitHub
 * (hundreds of charts, several registries), it keeps one row per chart and the failures, and says where the rest is.
 */
export function renderPublishComment(results: ChartResult[], ctx: ReportContext): string {
  const runUrl = safeUrl(ctx.runUrl);
  const head = [stickyMarker(ctx.marker), '## chartship published', ''];
  const end = ['', footer('Published', runUrl)];
  const full = [...head, ...resultsSection(results, 'ref'), ...pullCommands(results), ...provenanceSection(results), ...end].join('\n');
  if (full.length <= COMMENT_LIMIT) return full;
  const where = inTheSummary(runUrl);
  const left = `> [!NOTE]\n> GitHub takes ${COMMENT_LIMIT.toLocaleString('en')} characters in a comment: the registry references, digests and pull commands are left out here; ${where} has them.`;
  const names = results.map((r) => r.name);
  return fitBody([...head, left, '', ...compactResultsSection(results), ...end].join('\n'), COMMENT_LIMIT, (kept) =>
    `> [!NOTE]\n> Cut to fit GitHub's comment size limit: ${rowsLeftOut(kept, names)} of ${names.length} charts are not listed here; ${where} lists every one.`,
  );
}
