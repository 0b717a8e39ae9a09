import { groupChangelog, shownEntry } from '../model/changelog.js';
import type { ChangelogEntry } from '../model/plan.js';
import { commitLink, pullLink, type ReportContext } from './context.js';
import { inline } from './markdown.js';

/** `- **scope:** subject ([`abc1234`](…)) ([#12](…))` */
export function changelogLine(entry: ChangelogEntry, ctx: ReportContext): string {
  // The PR link is added explicitly; the `(#12)` GitHub appends to squash-merge subjects would repeat it.
  const subject = entry.pr === undefined ? entry.subject : entry.subject.replace(new RegExp(`\\s*\\(#${entry.pr}\\)\\s*$`), '');
  const scope = entry.scope ? `**${inline(entry.scope, 100)}:** ` : '';
  const links = [commitLink(ctx, entry.sha, entry.shortSha), entry.pr === undefined ? '' : pullLink(ctx, entry.pr)]
    .filter((link) => link !== '')
    .map((link) => `(${link})`)
    .join(' ');
  // What broke, in the words of the commit's footer, under the line: the subject alone rarely says what to change.
  const note = entry.breaking && entry.breakingNote ? `\n\n  ${inline(entry.breakingNote, 1000)}` : '';
  return `- ${scope}${inline(subject, 300)} ${links}${note}`;
}

/** The grouped changelog as markdown lines, headings at the given level. */
export function renderChangelog(entries: ChangelogEntry[], ctx: ReportContext, headingLevel = 3): string[] {
  if (entries.length === 0) return ['_No notable changes._'];
  const hashes = '#'.repeat(headingLevel);
  const lines: string[] = [];
  for (const section of groupChangelog(entries)) {
    if (lines.length > 0) lines.push('');
    lines.push(`${hashes} ${section.title}`, '', ...section.entries.map((entry) => changelogLine(shownEntry(entry, section.title), ctx)));
  }
  return lines;
}
