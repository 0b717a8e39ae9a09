import type { ChartResult } from '../pipeline/types.js';
import { renderChangelog } from './changelog.js';
import { safeUrl, type ReportContext } from './context.js';
import { RELEASE_LIMIT, fitBody, inline, table, tableCode } from './markdown.js';
import { footer, helmPullCommand, pullableRegistries } from './results.js';

/** The GitHub release notes of one chart version: changelog, where it was pushed, and how to pull (and verify) it. */
export function renderReleaseBody(result: ChartResult, ctx: ReportContext): string {
  const lines: string[] = [];
  if (result.previousVersion) lines.push(`Changes since ${inline(result.previousVersion, 100)}.`, '');
  lines.push(...renderChangelog(result.changelog, ctx, 3));

  const registries = pullableRegistries(result);
  if (registries.length > 0) {
    lines.push('', '### Install', '', '```sh', ...registries.map((registry) => helmPullCommand(registry, result.version)), '```');
    if (result.signed) {
      lines.push(
        '',
        'The chart is signed; to check its provenance file against your keyring:',
        '',
        '```sh',
        ...registries.map((registry) => helmPullCommand(registry, result.version, { keyring: ctx.keyring })),
        '```',
      );
    }
    lines.push(
      '',
      ...table(
        ['Registry', 'Reference', 'Digest'],
        registries.map((registry) => [inline(registry.registry, 300), tableCode(registry.ref, 300), tableCode(registry.digest, 100)]),
      ),
    );
  }

  const runUrl = safeUrl(ctx.runUrl);
  lines.push('', footer('Released', runUrl));
  const note = `> [!NOTE]\n> These notes were cut to fit GitHub's release size limit${runUrl ? `; the [workflow run](${runUrl}) has all of it` : ''}.`;
  return fitBody(lines.join('\n'), RELEASE_LIMIT, note);
}
