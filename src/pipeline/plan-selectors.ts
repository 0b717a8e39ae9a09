import { chartMatcher, discoverCharts, type DiscoveredChart, type Glob } from '../charts/discover.js';
import type { SourceTree } from '../charts/source-tree.js';
import { didYouMean, type ChartSelector } from '../config/index.js';
import { ChartshipError } from '../model/errors.js';
import { commitTree } from '../changes/git-tree.js';
import type { Git } from '../changes/git.js';
import { resolveCommit } from '../changes/refs.js';

// What the run's globs and names select: each must select a chart, since one that selects none is a typo that would
// otherwise pass without a word (a chart published that was meant to be held back, a setting applied to nothing).

/** Charts as discovery found them: the ones read, and every directory the globs matched. */
export interface ChartSet {
  charts: DiscoveredChart[];
  dirs: string[];
}

/**
 * Every chart of the repository, for a selector that selects none of the run's (a run given some of the charts, as a
 * workflow per chart is). Another part of the repository may hold charts a run would refuse (two of one name, say):
 * their directories still count.
 */
export async function everyChart(root: string, tree: SourceTree): Promise<ChartSet> {
  let dirs: string[] = [];
  const charts = await discoverCharts(root, { tree, charts: ['**'], onInvalid: () => undefined, onFound: (found) => (dirs = found) }).catch(() => []);
  return { charts, dirs };
}

/**
 * An `exclude` entry or a `charts:` entry of .chartship.yaml that selects no chart of the repository (read, or left
 * out by `exclude` or the run's `charts` globs): a chart name is a typo that would hold back nothing or leave its
 * settings unapplied (a prerelease channel, a policy exemption), and fails at its line with the closest name; a glob
 * may be written ahead of its charts, and is a warning.
 */
export async function checkSelectors(
  options: { exclude?: string[]; selectors?: ChartSelector[] },
  selected: ChartSet,
  inRepository: () => Promise<ChartSet>,
  onWarning: ((warning: ChartshipError) => void) | undefined,
): Promise<void> {
  const base = (dir: string) => dir.split('/').pop() ?? '';
  const selectsIn = (set: ChartSet, selects: (chart: { name: string; path: string }) => boolean) =>
    set.charts.some(selects) || set.dirs.some((dir) => selects({ name: base(dir), path: dir }));
  // `exclude` selects charts too: a name there that selects none would publish the chart it meant to hold back.
  const selectors: ChartSelector[] = [...(options.exclude ?? []).map((match) => ({ match, field: 'exclude', unmatched: 'it leaves out none' })), ...(options.selectors ?? [])];
  let all: Promise<ChartSet> | undefined;
  for (const { match, field, at, unmatched = 'its settings apply to none' } of selectors) {
    const selects = chartMatcher(match);
    if (selectsIn(selected, selects)) continue;
    const repository = await (all ??= inRepository());
    if (selectsIn(repository, selects)) continue;
    const where = { field, code: 'CONFIG_INVALID', ...(at ?? {}) };
    if (/[*?[\\]/.test(match)) {
      onWarning?.(new ChartshipError(`${JSON.stringify(match)} matches no chart: ${unmatched}`, where));
      continue;
    }
    const names = match.includes('/') ? repository.dirs : [...new Set([...repository.charts.map((c) => c.name), ...repository.dirs.map(base)])];
    const guess = didYouMean(match, names);
    throw new ChartshipError(`${JSON.stringify(match)} names no chart`, { ...where, hint: guess ? `did you mean ${JSON.stringify(guess)}?` : `the charts are ${names.slice(0, 10).join(', ')}${names.length > 10 ? ', …' : ''}` });
  }
}

/**
 * A glob that selects no chart directory is a typo or a wrong root, never a quiet "nothing changed": it fails the run
 * naming the input and the globs. One that matches a chart `deleted` says the range deleted still counts as matched
 * (its deletion is reported).
 */
export async function checkPatternsMatch(
  patterns: string[],
  globs: Glob[],
  found: string[],
  deleted: (glob: Glob) => boolean | Promise<boolean>,
  root: string,
  inRepository: () => Promise<ChartSet>,
): Promise<void> {
  const unmatched: string[] = [];
  for (const [i, glob] of globs.entries()) if (!found.some((dir) => glob.matches(dir)) && !(await deleted(glob))) unmatched.push(patterns[i]!);
  if (unmatched.length === 0) return;
  const list = unmatched.map((p) => JSON.stringify(p)).join(', ');
  // The charts are often elsewhere (helm/, deploy/charts/): say where, as the globs that would find them.
  const elsewhere = (await inRepository()).dirs;
  throw new ChartshipError(`${list} ${unmatched.length === 1 ? 'matches' : 'match'} no chart directory (of ${patterns.map((p) => JSON.stringify(p)).join(', ')})`, {
    field: 'charts',
    code: 'CONFIG_INVALID',
    hint: elsewhere.length > 0 ? chartsAt(elsewhere) : `a chart directory holds a Chart.yaml; globs are relative to the repository root ${root}, e.g. charts/*; ** spans directories, and . is the root itself`,
  });
}

/** Where the repository's charts are, as a hint: `the charts are in helm/a, helm/b: charts: helm/*`. */
function chartsAt(dirs: string[]): string {
  const SHOWN = 5;
  const globs = [...new Set(dirs.map((dir) => (dir === '' ? '.' : dir.includes('/') ? `${dir.slice(0, dir.lastIndexOf('/'))}/*` : '*')))];
  const named = dirs.slice(0, SHOWN).map((dir) => dir || '.').join(', ') + (dirs.length > SHOWN ? ` and ${dirs.length - SHOWN} more` : '');
  return `the repository's Chart.yaml files are in ${named}: e.g. charts: ${globs.slice(0, SHOWN).join(', ')}`;
}


/** The chart directories of `rev`'s tree, none when the clone does not have it. */
export async function chartDirsAt(git: Git, rev: string | undefined, root: string): Promise<string[]> {
  const commit = rev === undefined ? undefined : await resolveCommit(git, rev);
  return commit ? (await everyChart(root, await commitTree(git, commit))).dirs : [];
}
