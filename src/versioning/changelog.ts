import type { ChangelogEntry } from '../model/plan.js';
import { groupChangelog } from '../model/changelog.js';
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

/** Entries in group order: the order the plan stores and prints them in. */
export function sortChangelog(entries: ChangelogEntry[]): ChangelogEntry[] {
  return groupChangelog(entries).flatMap((g) => g.entries);
}
