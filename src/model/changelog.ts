import type { ChangelogEntry } from './plan.js';

/** A commit type in the changelog (`versioning.changelog-types`): its section title, or hidden (it neither releases a chart nor is listed). */
export interface ChangelogType {
  type: string;
  section?: string;
  hidden?: boolean;
}

/** The section of the types no section is set for. */
export const OTHER_SECTION = 'Other';

/**
 * The sections of a changelog without configured types, in reading order, for every place one is shown (the plan,
 * release notes, CHANGELOG.md, the release pull request): the titles are the default types' (`Bug Fixes` for fix, as
 * conventional-changelog writes it), and `Other` is the section configured types leave the rest in.
 */
const GROUPS: { title: string; test: (e: ChangelogEntry) => boolean }[] = [
  { title: 'Breaking changes', test: (e) => e.breaking },
  { title: 'Features', test: (e) => e.type === 'feat' },
  { title: 'Bug Fixes', test: (e) => e.type === 'fix' },
  { title: 'Performance', test: (e) => e.type === 'perf' },
  { title: 'Reverts', test: (e) => e.type === 'revert' },
  { title: OTHER_SECTION, test: () => true },
];

/**
 * Entries grouped by kind (breaking first, each entry once), newest first inside a group; with configured types, by
 * the sections they name.
 */
export function groupChangelog(entries: ChangelogEntry[]): { title: string; entries: ChangelogEntry[] }[] {
  if (entries.some((e) => e.section !== undefined)) return configuredGroups(entries);
  const groups = GROUPS.map((g) => ({ title: g.title, entries: [] as ChangelogEntry[] }));
  for (const entry of entries) {
    const index = GROUPS.findIndex((g) => g.test(entry));
    groups[index]?.entries.push(entry);
  }
  return groups.filter((g) => g.entries.length > 0);
}

/** Entries whose sections the configured changelog types named (already in order): breaking changes first, then each section. */
export function configuredGroups(entries: ChangelogEntry[]): { title: string; entries: ChangelogEntry[] }[] {
  const groups: { title: string; entries: ChangelogEntry[] }[] = [];
  for (const entry of entries) {
    const title = entry.breaking ? 'Breaking changes' : (entry.section ?? OTHER_SECTION);
    const group = groups.find((g) => g.title === title);
    if (group) group.entries.push(entry);
    else groups.push({ title, entries: [entry] });
  }
  return groups;
}

/**
 * An entry as a changelog shows it under `section`: under Other, its type leads the line as the commit wrote it (no
 * section title says it, and in a repository that writes `component: change`, not Conventional Commits, that "type"
 * is what the change is about).
 */
export function shownEntry(entry: ChangelogEntry, section: string): ChangelogEntry {
  if (section !== OTHER_SECTION || entry.breaking || entry.type === 'other') return entry;
  const { scope: _inHeader, ...rest } = entry;
  return { ...rest, subject: `${entry.type}${entry.scope ? `(${entry.scope})` : ''}: ${entry.subject}` };
}
