import type { ChangelogEntry } from '../model/plan.js';
import type { ParsedCommit } from './commit.js';

export function changelogEntry(commit: ParsedCommit): ChangelogEntry {
  const entry: ChangelogEntry = {
    type: commit.type,
    subject: commit.subject,
    sha: commit.sha,
    shortSha: commit.sha.slice(0, 7),
    breaking: commit.breaking,
  };
  if (commit.scopes.length > 0) entry.scope = commit.scopes.join(',');
  if (commit.pr !== undefined) entry.pr = commit.pr;
  return entry;
}

const GROUPS: { title: string; test: (e: ChangelogEntry) => boolean }[] = [
  { title: 'Breaking changes', test: (e) => e.breaking },
  { title: 'Features', test: (e) => e.type === 'feat' },
  { title: 'Bug fixes', test: (e) => e.type === 'fix' },
  { title: 'Performance', test: (e) => e.type === 'perf' },
  { title: 'Reverts', test: (e) => e.type === 'revert' },
  { title: 'Other changes', test: () => true },
];

/** Entries grouped by kind (breaking first), newest first inside a group. */
export function groupChangelog(entries: ChangelogEntry[]): { title: string; entries: ChangelogEntry[] }[] {
  const groups = GROUPS.map((g) => ({ title: g.title, entries: [] as ChangelogEntry[] }));
  for (const entry of entries) {
    const index = GROUPS.findIndex((g) => g.test(entry));
    groups[index]?.entries.push(entry);
  }
  return groups.filter((g) => g.entries.length > 0);
}

/** Entries in group order: the order the plan stores and prints them in. */
export function sortChangelog(entries: ChangelogEntry[]): ChangelogEntry[] {
  return groupChangelog(entries).flatMap((g) => g.entries);
}

export function renderChangelog(entries: ChangelogEntry[]): string {
  return groupChangelog(entries)
    .map((g) => {
      const lines = g.entries.map((e) => {
        const scope = e.scope ? `**${e.scope}:** ` : '';
        const pr = e.pr === undefined ? '' : ` (#${e.pr})`;
        return `- ${scope}${e.subject}${pr} (${e.shortSha})`;
      });
      return `### ${g.title}\n\n${lines.join('\n')}\n`;
    })
    .join('\n');
}
