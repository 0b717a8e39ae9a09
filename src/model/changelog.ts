import type { ChangelogEntry } from './plan.js';

/** A commit type in the changelog (`versioning.changelog-types`): its section title, or hidden (it neither releases a chart nor is listed). */
export interface ChangelogType {
  type: string;
  section?: string;
  hidden?: boolean;
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
    const title = entry.breaking ? 'Breaking changes' : (entry.section ?? 'Other');
    const group = groups.find((g) => g.title === title);
    if (group) group.entries.push(entry);
    else groups.push({ title, entries: [entry] });
  }
  return groups;
}
