import { ChartshipError } from '../model/errors.js';
import { parseChartFiles, type ChartFile } from './chartfile-core.js';
import { withYamlReader } from './go-decode.js';
import { compileGlob, GlobSyntaxError } from './glob.js';
import { workTree, type SourceTree } from './source-tree.js';

export const DEFAULT_CHART_GLOBS = ['charts/*'];

/**
 * How long reading charts holds the main thread between two turns of the event loop: each turn takes in one pipe's
 * worth (64 kB) of what git wrote, and a range's listing of 100,000 commits is 4 MB.
 */
const TURN_MS = 2;

export interface DiscoverOptions {
  /** Globs of chart directories relative to root (`*`, `?`, `[…]` inside a segment; `**` for any depth). */
  charts?: string[];
  /** Chart names or directory globs to leave out. A pattern without `/` matches the name or the directory's base name. */
  exclude?: string[];
  skipDeprecated?: boolean;
  /**
   * Called for a chart whose Chart.yaml is invalid, or whose name another chart has, which is then left out; without
   * it, discovery throws. `read`: the chart, when its Chart.yaml could be read (a clash), so it is named as it is.
   */
  onInvalid?: (chartYaml: string, error: ChartshipError, read?: DiscoveredChart) => void;
  /** Told every chart directory the globs matched, before exclusion and validation. */
  onFound?: (dirs: string[]) => void;
  /** Where to read from (default: the work tree at root). */
  tree?: SourceTree;
}

export interface DiscoveredChart {
  name: string;
  /** Directory relative to root, `/`-separated. */
  path: string;
  chartYaml: string;
  text: string;
  file: ChartFile;
}

/** Finds every chart directory the globs select, sorted by path. */
export async function discoverCharts(root: string, options: DiscoverOptions = {}): Promise<DiscoveredChart[]> {
  const include = (options.charts?.length ? options.charts : DEFAULT_CHART_GLOBS).map(compilePathGlob);
  const exclude = (options.exclude ?? []).map((pattern) => ({ pattern, glob: compilePathGlob(pattern), byName: !pattern.includes('/') }));
  const tree = options.tree ?? workTree(root);
  const dirs: string[] = [];
  const withRequirements = new Set<string>();
  await walk(tree, '', include, dirs, withRequirements);
  dirs.sort();
  options.onFound?.(dirs);

  // helm reads a chart's requirements.yaml over its Chart.yaml: its dependencies count for the local graph too. Only
  // the listed ones are read (trying 10,000 files that are not there costs more than reading the charts).
  const prefix = (dir: string) => (dir === '' ? '' : `${dir}/`);
  const requirementsOf = dirs.filter((dir) => withRequirements.has(dir));
  const texts = await tree.read([...dirs.map((dir) => `${prefix(dir)}Chart.yaml`), ...requirementsOf.map((dir) => `${prefix(dir)}requirements.yaml`)]);
  const requirementsText = new Map(requirementsOf.map((dir, i) => [dir, texts[dirs.length + i]]));
  const charts: DiscoveredChart[] = [];
  let turn = performance.now();
  for (const [i, dir] of dirs.entries()) {
    // Reading 10,000 charts takes the main thread a second: git work started beside (a range's listing, which the
    // diffs of its commits wait for) is answered in between, so that those diffs start while the charts are read.
    if (performance.now() - turn > TURN_MS) {
      await new Promise((resolve) => setImmediate(resolve));
      turn = performance.now();
    }
    const chartYaml = `${prefix(dir)}Chart.yaml`;
    const text = texts[i] ?? '';
    const requirements = requirementsText.get(dir);
    try {
      const file = await withYamlReader(() =>
        parseChartFiles({ text, file: chartYaml }, requirements === undefined ? undefined : { text: requirements, file: `${prefix(dir)}requirements.yaml` }),
      );
      charts.push({ name: file.metadata.name, path: dir, chartYaml, text, file });
    } catch (error) {
      if (!(error instanceof ChartshipError) || !options.onInvalid) throw error;
      // Excluding a broken chart by its directory leaves it out instead of reporting it.
      if (exclude.some((e) => e.glob.matches(e.byName ? (dir.split('/').pop() ?? '') : dir))) continue;
      options.onInvalid(chartYaml, error);
    }
  }
  const excluded = exclude.map((e) => chartMatcher(e.pattern, e.glob));
  const selected = charts.filter((chart) => {
    if (options.skipDeprecated && chart.file.metadata.deprecated) return false;
    return !excluded.some((matches) => matches(chart));
  });

  // Every clash at once: a monorepo with several would otherwise need one run per clash to find them all.
  const byName = new Map<string, DiscoveredChart[]>();
  for (const chart of selected) {
    const same = byName.get(chart.name);
    if (same) same.push(chart);
    else byName.set(chart.name, [chart]);
  }
  const clashes = [...byName].filter(([, same]) => same.length > 1);
  if (clashes.length === 0) return selected;
  const used = (name: string, same: DiscoveredChart[]) => `chart name ${JSON.stringify(name)} is used by ${same.length === 2 ? 'both ' : ''}${same.map((c) => c.path).join(same.length === 2 ? ' and ' : ', ')}`;
  const hint = (count: number) => `chart names must be unique: they name the repository in the registry; exclude all but one of ${count === 1 ? 'them' : 'each'}`;
  const onInvalid = options.onInvalid;
  if (!onInvalid) {
    throw new ChartshipError(clashes.map(([name, same]) => used(name, same)).join('; '), { file: clashes[0]![1][1]!.chartYaml, field: 'name', code: 'CHART_NAME_CONFLICT', hint: hint(clashes.length) });
  }
  // Like a broken Chart.yaml, a clash stops only the charts in it (which of them is meant cannot be told): each is
  // reported at its own name line, and the other charts go on.
  for (const [name, same] of clashes) {
    // The plan keeps an invalid chart's message alone, so what to do is said in it.
    const message = `${used(name, same)}: ${hint(1)}`;
    for (const chart of same) {
      const at = chart.file.locate(['name']);
      onInvalid(chart.chartYaml, new ChartshipError(message, { file: chart.chartYaml, line: at?.line, column: at?.column, field: 'name', code: 'CHART_NAME_CONFLICT' }), chart);
    }
  }
  const clashing = new Set(clashes.flatMap(([, same]) => same));
  return selected.filter((chart) => !clashing.has(chart));
}

async function walk(tree: SourceTree, rel: string, globs: Glob[], found: string[], withRequirements: Set<string>): Promise<void> {
  const entries = await tree.list(rel);
  if (!entries) return;
  const isChart = globs.some((g) => g.matches(rel)) && entries.some((e) => e.name === 'Chart.yaml' && !e.directory);
  if (isChart) {
    found.push(rel);
    if (entries.some((e) => e.name === 'requirements.yaml')) withRequirements.add(rel);
  }
  // What lies inside a chart is part of it (its vendored subcharts in charts/, test fixtures): `**` does not reach in
  // there, only a glob that names such a directory segment by segment does.
  const within = isChart ? globs.filter((g) => !g.spansDirectories) : globs;
  const below: Promise<void>[] = [];
  for (const entry of entries) {
    // Hidden directories (.git, .github) and installed packages never hold charts users publish.
    if (!entry.directory || entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const child = rel === '' ? entry.name : `${rel}/${entry.name}`;
    if (within.some((g) => g.couldContain(child))) below.push(walk(tree, child, within, found, withRequirements));
  }
  await Promise.all(below);
}

export interface Glob {
  matches(path: string): boolean;
  /** Whether it holds `**`, which spans any number of directories. */
  spansDirectories: boolean;
  /** Whether `path` or something below it can match: lets the walk skip whole subtrees. */
  couldContain(path: string): boolean;
}

type Segment = RegExp | '**';

/**
 * Path globs: `/` separates segments, `**` spans any number of them, and each other segment is a Go filepath.Match
 * pattern (the syntax helm users already know from .helmignore).
 */
/**
 * Which charts a pattern names, as `exclude` and the `charts:` entries of .chartship.yaml read it: with a `/`, a glob
 * of chart directories; without, a glob of chart names or of directory base names.
 */
export function chartMatcher(pattern: string, glob: Glob = compilePathGlob(pattern)): (chart: { name: string; path: string }) => boolean {
  if (pattern.includes('/')) return (chart) => glob.matches(chart.path);
  return (chart) => glob.matches(chart.name) || glob.matches(chart.path.split('/').pop() ?? '');
}

export function compilePathGlob(pattern: string): Glob {
  // `.` (or `./`) is the repository root itself: a repository whose one chart is at its top.
  const relative = pattern === '.' || pattern === './' ? '' : pattern.replace(/^\.\//, '');
  const segments: Segment[] = relative === ''
    ? []
    : relative
        .split('/')
        .filter((s, i, all) => s !== '' || all.length === 1)
        .map((s) => (s === '**' ? '**' : segmentRegExp(s, pattern)));
  const split = (path: string) => (path === '' ? [] : path.split('/'));
  return {
    spansDirectories: segments.includes('**'),
    matches: (path) => matchSegments(segments, 0, split(path), 0, false),
    couldContain: (path) => matchSegments(segments, 0, split(path), 0, true),
  };
}

function matchSegments(pattern: Segment[], pi: number, path: string[], si: number, prefix: boolean): boolean {
  if (si === path.length) return prefix || pattern.slice(pi).every((p) => p === '**');
  const segment = pattern[pi];
  if (segment === undefined) return false;
  if (segment === '**') return matchSegments(pattern, pi + 1, path, si, prefix) || matchSegments(pattern, pi, path, si + 1, prefix);
  return segment.test(path[si] as string) && matchSegments(pattern, pi + 1, path, si + 1, prefix);
}

function segmentRegExp(segment: string, pattern: string): RegExp {
  try {
    return compileGlob(segment);
  } catch (error) {
    if (!(error instanceof GlobSyntaxError)) throw error;
    throw new ChartshipError(`bad glob ${JSON.stringify(pattern)}: ${error.message}`, { code: 'CONFIG_INVALID', field: 'charts' });
  }
}
