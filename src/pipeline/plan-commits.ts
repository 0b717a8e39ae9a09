import type { CommitRecord } from '../changes/history.js';
import { isReleaseCommit } from '../model/release-commit.js';
import { parseCommit, type ParsedCommit } from '../versioning/commit.js';
import type { ChartCommit } from '../versioning/decide.js';

/**
 * The commits deciding one chart's version: those changing its files, and those naming it as their scope inside its
 * range. A commit that changes several charts and names some of them in its scope is theirs: for the others it is
 * marked `scopedElsewhere`. A release commit is none of its charts'. Messages are parsed once, and only for commits that can matter to some chart.
 */
export function commitSelector(commits: CommitRecord[], inRange: (chart: string, index: number) => boolean, histories: Map<string, { touching: number[] }>) {
  const touchedBy = new Map<number, Set<string>>();
  for (const [name, history] of histories) for (const i of history.touching) touchedBy.set(i, (touchedBy.get(i) ?? new Set()).add(name));
  const parsed = new Map<number, ParsedCommit>();
  const parse = (index: number): ParsedCommit => {
    let commit = parsed.get(index);
    if (!commit) {
      const record = commits[index] as CommitRecord;
      commit = parseCommit(record.sha, record.message);
      parsed.set(index, commit);
    }
    return commit;
  };
  const byScope = new Map<string, number[]>();
  commits.forEach((record, index) => {
    const scope = /^\w+\(([^)]*)\)!?:/.exec(record.message)?.[1];
    if (!scope) return;
    // Scopes are not case sensitive (Conventional Commits §16): `fix(Web)` names `web`.
    for (const name of scope.split(',').map((s) => s.trim().toLowerCase())) {
      const list = byScope.get(name) ?? [];
      list.push(index);
      byScope.set(name, list);
    }
  });
  return (chart: string, touching: number[]): ChartCommit[] => {
    const touched = new Set(touching);
    const indexes = new Set([...touching, ...(byScope.get(chart.toLowerCase()) ?? []).filter((i) => inRange(chart, i))]);
    return [...indexes]
      .filter((i) => !isReleaseCommit(commits[i] as CommitRecord))
      .sort((a, b) => a - b)
      .map((i) => {
        const commit = parse(i);
        const charts = touchedBy.get(i);
        const named = (name: string) => commit.scopes.some((s) => s.toLowerCase() === name.toLowerCase());
        const scopedElsewhere = !named(chart) && [...(charts ?? [])].some(named);
        return { commit, touchesChart: touched.has(i), ...(scopedElsewhere && { scopedElsewhere }) };
      });
  };
}
