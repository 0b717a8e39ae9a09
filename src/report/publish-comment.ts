import type { ChartResult } from '../model/plan.js';
import { safeUrl, stickyMarker, type ReportContext } from './context.js';
import { COMMENT_LIMIT, fitBody } from './markdown.js';
import { provenanceSection } from './attestation.js';
import { footer, helmPullCommand, pullableRegistries, resultsSection } from './results.js';

function pullCommands(results: ChartResult[]): string[] {
  const commands = results.flatMap((result) => {
    const [registry] = pullableRegistries(result);
    return registry ? [helmPullCommand(registry, result.version)] : [];
  });
  return commands.length === 0 ? [] : ['', '```sh', ...commands, '```'];
}

/** The pull request comment after publishing: what went where, with digests, and what failed. */
export function renderPublishComment(results: ChartResult[], ctx: ReportContext): string {
  const lines = [stickyMarker(ctx.marker), '## chartship published', '', ...resultsSection(results, 'ref'), ...pullCommands(results), ...provenanceSection(results)];
  const runUrl = safeUrl(ctx.runUrl);
  lines.push('', footer('Published', runUrl));
  const note = `> [!NOTE]\n> This report was cut to fit GitHub's comment size limit${runUrl ? `; the [workflow run](${runUrl}) has all of it` : ''}.`;
  return fitBody(lines.join('\n'), COMMENT_LIMIT, note);
}
