import { configuredGroups } from '../model/changelog.js';
import type { ChangelogEntry } from '../model/plan.js';
import { commitLink, pullLink, type ReportContext } from './context.js';
import { inline } from './markdown.js';

export interface ChangelogSection {
  title: string;
  entries: ChangelogEntry[];
}

/**
 * Sections in reading order. Breaking changes come first and take their commits out of the type sections, so
 * each commit is listed once.
 */
const SECTIONS: { title: string; holds: (entry: ChangelogEntry) => boolean }[] = [
  { title: 'Breaking changes', holds: (e) => e.breaking },
  { title: 'Features', holds: (e) => e.type === 'feat' },
  { title: 'Bug Fixes', holds: (e) => e.type === 'fix' },
  { title: 'Performance', holds: (e) => e.type === 'perf' },
  { title: 'Other', holds: () => true },
];

export function groupChangelog(entries: ChangelogEntry[]): ChangelogSection[] {
  if (entries.some((e) => e.section !== undefined)) return configuredGroups(entries);
  const left = [...entries];
  const sections: ChangelogSection[] = [];
  for (const { title, holds } of SECTIONS) {
    const taken = left.filter(holds);
    if (taken.length === 0) continue;
    sections.push({ title, entries: taken });
    for (const entry of taken) left.splice(left.indexOf(entry), 1);
  }
  return sections;
}

/** `- **scope:** subject ([`abc1234`](…)) ([#12](…))` */
export function changelogLine(entry: ChangelogEntry, ctx: ReportContext): string {
  // The PR link is added explicitly; the `(#12)` GitHub appends to squash-merge subjects would repeat it.
  const subject = entry.pr === undefined ? entry.subject : entry.subject.replace(new RegExp(`\\s*\\(#${entry.pr}\\)\\s*$`), '');
  const scope = entry.scope ? `**${inline(entry.scope, 100)}:** ` : '';
  const links = [commitLink(ctx, entry.sha, entry.shortSha), entry.pr === undefined ? '' : pullLink(ctx, entry.pr)]
    .filter((link) => link !== '')
    .map((link) => `(${link})`)
    .join(' ');
  return `- ${scope}${inline(subject, 300)} ${links}`;
}

/** The grouped changelog as markdown lines, headings at the given level. */
export function renderChangelog(entries: ChangelogEntry[], ctx: ReportContext, headingLevel = 3): string[] {
  if (entries.length === 0) return ['_No notable changes._'];
  const hashes = '#'.repeat(headingLevel);
  const lines: string[] = [];
  for (const section of groupChangelog(entries)) {
    if (lines.length > 0) lines.push('');
    lines.push(`${hashes} ${section.title}`, '', ...section.entries.map((entry) => changelogLine(entry, ctx)));
  }
  return lines;
}
