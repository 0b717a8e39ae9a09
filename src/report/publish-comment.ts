import type { ChartResult, RegistryResult } from '../model/plan.js';
import { safeUrl, stickyMarker, type ReportContext } from './context.js';
import { COMMENT_LIMIT, fitBody, rowsLeftOut, tableCode } from './markdown.js';
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

/**
 * The comment after publishing, over the one found (`found`): a chart this run skipped as released already (a re-run
 * of a merge's failed jobs, or of all of them) keeps the rows that comment shows of that version, digests included.
 * With nothing of this run's own to show, the comment stays as it is (undefined: none is made).
 */
export function publishCommentOver(found: string | undefined, results: ChartResult[], ctx: ReportContext): string | undefined {
  if (results.every((r) => r.status === 'skipped')) return undefined;
  return renderPublishComment(
    results.map((r) => (r.status === 'skipped' && found ? (shownBefore(r, found) ?? r) : r)),
    ctx,
  );
}

/** `result`'s version as a comment shows it pushed or unchanged, read back from its rows (`| chart | version | status | ref | digest |`). */
function shownBefore(result: ChartResult, comment: string): ChartResult | undefined {
  const start = `| ${tableCode(result.name, 200)} | `;
  let release: ChartResult['release'];
  const registries = comment.split('\n').flatMap((line): RegistryResult[] => {
    const [version = '', label = '', ref = '', digest = ''] = line.startsWith(start) ? line.slice(start.length, -2).split(' | ') : [];
    const status = /pushed|unchanged/.exec(label)?.[0] as 'pushed' | 'unchanged' | undefined;
    const [, shown = version, url] = /^\[(.*)\]\((.*)\)$/.exec(version) ?? [];
    if (!status || shown !== result.version || ref[0] !== '`') return [];
    if (url) release = { tag: '', url };
    return [{ registry: '', ref: ref.slice(1, -1), digest: digest.slice(1, -1), status }];
  });
  return registries.length > 0 ? { ...result, status: registries.some((r) => r.status === 'pushed') ? 'pushed' : 'unchanged', registries, ...(release && { release }) } : undefined;
}
