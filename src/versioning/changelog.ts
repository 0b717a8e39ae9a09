import type { ChangelogEntry } from '../model/plan.js';
import { groupChangelog, OTHER_SECTION, type ChangelogType } from '../model/changelog.js';
import type { ParsedCommit } from './commit.js';

export type { ChangelogType } from '../model/changelog.js';

/** The types that release without being configured, in the order their sections are shown. */
export const DEFAULT_CHANGELOG_TYPES: readonly ChangelogType[] = [
  { type: 'feat', section: 'Features' },
  { type: 'fix', section: 'Bug Fixes' },
  { type: 'perf', section: 'Performance' },
];

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
  if (commit.breakingNote) entry.breakingNote = commit.breakingNote;
  return entry;
}

/** Entries in group order: the order the plan stores and prints them in. */
export function sortChangelog(entries: ChangelogEntry[]): ChangelogEntry[] {
  return groupChangelog(entries).flatMap((g) => g.entries);
}

/** The defaults with the configured types laid over them: a type configured again keeps its place, a new one is added. */
export function changelogTypes(configured: readonly ChangelogType[] | undefined): ChangelogType[] {
  const merged = DEFAULT_CHANGELOG_TYPES.map((t) => ({ ...t }));
  for (const type of configured ?? []) {
    const at = merged.findIndex((t) => t.type === type.type);
    if (at === -1) merged.push({ ...type });
    else merged[at] = { ...merged[at], ...type };
  }
  return merged;
}

/**
 * The changelog of some commits. Without configured types, every commit, grouped as always; with them, hidden types
 * left out (unless breaking) and each entry given its section: breaking changes first, then the sections in the order
 * of the types, `Other` last.
 */
export function changelogOf(commits: ParsedCommit[], configured?: readonly ChangelogType[]): ChangelogEntry[] {
  if (!configured) return sortChangelog(commits.map(changelogEntry));
  const types = changelogTypes(configured);
  const rank = (entry: ChangelogEntry) => {
    if (entry.breaking) return -1;
    const at = types.findIndex((t) => t.type === entry.type);
    return at === -1 ? types.length : at;
  };
  return commits
    .filter((c) => c.breaking || !types.find((t) => t.type === c.type)?.hidden)
    .map((c) => ({ ...changelogEntry(c), section: types.find((t) => t.type === c.type)?.section ?? OTHER_SECTION }))
    .map((entry, order) => ({ entry, order }))
    .sort((a, b) => rank(a.entry) - rank(b.entry) || a.order - b.order)
    .map(({ entry }) => entry);
}
