import { ChartshipError } from '../model/errors.js';
import { readChartYaml } from '../charts/chartfile-core.js';
import { withYamlReader } from '../charts/go-decode.js';
import { defaultHelmignore, parseHelmignore, type HelmIgnore } from '../charts/helmignore.js';
import { workTree, type SourceTree } from '../charts/source-tree.js';
import { chartLinks, linkedCharts, type ChartLink } from './chart-links.js';
import { readBlobs, type Git } from './git.js';
import { readHistory, walkRange, type CommitRecord } from './history.js';
import { readFilesAt } from './tree-files.js';
import { ensureFullHistory, fetchRemoteTags, isShallow, listTags, listTagsShallow, mergeBase, mergeBaseOfWalk, resolveCommit, tryMergeBase, unknownHead, type Repository } from './refs.js';
import { DEFAULT_TAG_TEMPLATE, latestReleaseTags, otherTagTemplate } from './tags.js';

export interface TrackedChart {
  name: string;
  /** Directory relative to the repository root. */
  path: string;
  /** Its Chart.yaml as read, and the version helm reads there: a base with the same text has that version too. */
  text?: string;
  file?: { metadata: { version: string } };
}

export interface DetectOptions {
  git: Git;
  /** Repository root (where .helmignore files are read from); may be a promise, as the charts may. */
  root: string | Promise<string>;
  /** May be a promise: history reading starts while charts are still being discovered. */
  charts: TrackedChart[] | Promise<TrackedChart[]>;
  head?: string;
  /** Pull request base or push `before`: the range is merge-base(base, head)..head for every chart. */
  base?: string;
  /** Without base: each chart's range starts at its newest release tag. */
  tagTemplate?: string;
  /** Whether a directory that disappeared was a chart the globs select (only those are reported deleted). */
  isChartDir: (path: string) => boolean;
  /** Where the charts' .helmignore files are read (default: the work tree at root). */
  tree?: SourceTree | Promise<SourceTree>;
  /** What openRepository finds out for `head`, perhaps still finding it: spares asking git again. */
  repository?: Promise<Repository>;
}

export interface ChartHistory {
  /** Commit the chart's range starts from; undefined when it has no release yet (since-tags mode). */
  since?: string;
  previousVersion?: string;
  releaseTag?: string;
  /** The newest release tag of the chart, whatever the range. */
  lastRelease?: { tag: string; version: string };
  /** Directory at the start of the range, when the chart was moved inside it. */
  previousPath?: string;
  /** What its symbolic links reach elsewhere in the repository (chart-links.ts): their changes are the chart's. */
  linked?: string[];
  /** Indexes into `commits` of commits in range that change the chart's packaged files, newest first. */
  touching: number[];
}

export interface Changes {
  base?: string;
  head: string;
  /** Every commit of the window (a superset of each chart's range), newest first. */
  commits: CommitRecord[];
  charts: Map<string, ChartHistory>;
  /** Whether commit `index` lies in the named chart's range. */
  inRange: (chart: string, index: number) => boolean;
  deleted: { name: string; path: string }[];
  /** Charts whose files cannot be read as helm would (a .helmignore pattern error): they fail, the others go on. */
  invalid: { name: string; error: ChartshipError }[];
  /** What the history read may be missing, for the plan to warn of. */
  warnings: ChartshipError[];
}

/** Finds, with a handful of git calls for any number of charts, which commits changed which chart. */
export async function detectChanges(options: DetectOptions): Promise<Changes> {
  const { git } = options;
  const headRev = options.head ?? 'HEAD';
  const base = options.base && !/^0+$/.test(options.base) ? options.base : undefined;
  const invalid: { name: string; error: ChartshipError }[] = [];
  const warnings: ChartshipError[] = [];

  // Git work that does not need the chart list starts first, so it overlaps with discovery when that is a promise.
  // Release tags matter with a base too: no chart may be planned at or below its newest release. They are listed
  // beside the merge base, and again if finding it fetched (a fetch brings tags along).
  const tagsNow = listTags(git);
  tagsNow.catch(() => undefined);
  // With openRepository running too, the range's commits are listed at once, beside it: what head reaches and base does
  // not is exactly what head reaches and the merge base does not, so the walk need not wait for the merge base. Its
  // boundary usually names the merge base too (mergeBaseOfWalk), which spares a git process (and a fork of this one);
  // else `git merge-base` is asked after it. The walk is taken only when the merge base is the answer and the clone is
  // whole (a shallow one is deepened first).
  const quickRange = base && options.repository ? walkRange(git, [headRev, `^${base}`]) : undefined;
  quickRange?.catch(() => undefined);
  // A repository git cannot open fails here, first, as it did before anything else was asked.
  const known = await options.repository;
  let mergeBaseSha: string | undefined;
  let head: string | undefined;
  let fetched: boolean;
  let bySha: boolean | undefined;
  const quickBase = quickRange?.then(
    (walk) => mergeBaseOfWalk(walk, known?.commit) ?? tryMergeBase(git, base!, headRev),
    () => undefined,
  );
  if (base) {
    ({ commit: mergeBaseSha, head, fetched, bySha } = await mergeBase(git, base, headRev, quickBase && { commit: quickBase, head: known?.commit, shallow: known?.shallow }));
  } else {
    fetched = await ensureFullHistory(git, known?.shallow, known?.commit ?? headRev);
    if (!fetched) head = known?.commit;
  }
  // With a base, the clone may still be shallow (deepened only as far as the merge base): its tags may be a few. Deepened
  // by the range's ends alone, it fetched no tag: the remote's are listed as a shallow clone's are.
  const mayBeShallow = base !== undefined && (known === undefined || known.shallow || fetched);
  const shallow = mayBeShallow && (bySha === true || (await isShallow(git)));
  // A whole clone without a tag may be a checkout that fetched none (Jenkins' multibranch default): with a base too,
  // its remote's are fetched, or a chart could be planned at or below its newest release.
  let tagsFetched = false;
  if (!shallow && !fetched && (await tagsNow).length === 0) {
    const tags = await fetchRemoteTags(git);
    // Only tags fetched change what the clone holds: with no remote to ask, the tags read stand.
    tagsFetched = tags.fetched;
    if (tags.failure !== undefined) warnings.push(new ChartshipError(`the clone has no tags, and its remote's could not be fetched (${tags.failure}): a chart released before is planned as never released; check out the tags with the history`, { code: 'TAGS_MISSING' }));
  }
  const tagRefs = shallow ? await listTagsShallow(git, fetched ? undefined : await tagsNow) : fetched || tagsFetched ? await listTags(git) : await tagsNow;
  head ??= await resolveCommit(git, headRev);
  if (!head) throw unknownHead(headRev);
  const listed = quickRange && !fetched && known?.shallow === false && (await quickBase) === mergeBaseSha ? quickRange.then((walk) => walk.commits) : undefined;
  const early = mergeBaseSha ? readHistory(git, [head, `^${mergeBaseSha}`], removesChartYaml, listed) : undefined;
  early?.catch(() => undefined);

  const trackedCharts = await options.charts;
  const template = options.tagTemplate ?? DEFAULT_TAG_TEMPLATE;
  const tags = latestReleaseTags(tagRefs, template, trackedCharts.map((c) => c.name));
  const other = !mergeBaseSha && tags.size === 0 ? otherTagTemplate(tagRefs, template, trackedCharts.map((c) => c.name)) : undefined;
  if (other) {
    warnings.push(
      new ChartshipError(`no tag reads as a release under the tag template ${template}, while tags such as ${other.example} read as ${other.template}: every chart is planned as never released`, {
        code: 'TAGS_OTHER_TEMPLATE',
        hint: `if those are the releases, set the release tag template to ${other.template}: --release-tag-template, or the action's release-tag-template input`,
      }),
    );
  }
  const since = rangeStarts(trackedCharts, mergeBaseSha, tags);

  const starts = [...new Set([...since.values()].map((s) => s.commit).filter((c): c is string => c !== undefined))];
  const timeOf = new Map(tagRefs.map((t) => [t.commit, t.time]));
  // The charts' Chart.yaml at the base, read while git log runs (those that moved are read again at their old path).
  const atBase = mergeBaseSha ? readFilesAt(git, mergeBaseSha, trackedCharts.map((c) => chartYamlPath(c.path))) : undefined;
  atBase?.catch(() => undefined);
  const windowed = mergeBaseSha === undefined ? windowStart(git, head, starts, (sha) => timeOf.get(sha)) : undefined;
  // What needs no window is read while git finds it (a second on 10,000 release tags, with the main thread idle).
  const ignoresRead = (async () => loadHelmignores((await options.tree) ?? workTree(await options.root), trackedCharts, (name, error) => invalid.push({ name, error })))();
  const linksRead = starts.length === 0 && !mergeBaseSha ? Promise.resolve([]) : chartLinks(git, head, trackedCharts);
  for (const pending of [ignoresRead, linksRead]) pending.catch(() => undefined);
  const windowBase = mergeBaseSha ?? (await windowed);
  const [commits, ignoreList, links] = await Promise.all([
    early ?? (starts.length === 0 ? Promise.resolve([]) : readHistory(git, windowBase ? [head, `^${windowBase}`] : [head], removesChartYaml)),
    ignoresRead,
    linksRead,
  ]);
  const inRange = reachability(commits, since, windowBase, await offBranchStarts(git, head, starts, commits, windowBase));
  const kept = links.filter((l) => !ignoreList.get(l.chart)?.ignores(l.link, false));
  const removedNames = await namesOfRemoved(git, commits);
  const { touching, previousPath, vanished } = attributeCommits(commits, trackedCharts, ignoreList, inRange, options.isChartDir, kept, removedNames);
  const charts = chartHistories(trackedCharts, since, tags, touching, previousPath);
  for (const link of kept) {
    const history = charts.get(link.chart);
    if (history && !history.linked?.includes(link.target)) (history.linked ??= []).push(link.target);
  }
  if (mergeBaseSha && atBase) await readBaseVersions(git, mergeBaseSha, trackedCharts, charts, await atBase);

  const result: Changes = { head, commits, charts, inRange, deleted: await deletedCharts(git, commits, vanished, windowBase), invalid, warnings };
  if (mergeBaseSha) result.base = mergeBaseSha;
  return result;
}

type RangeStart = { commit?: string; version?: string; tag?: string };

/** Where each chart's range starts: the merge base for all (a pull request, a push), else each one's newest release tag. */
function rangeStarts(charts: TrackedChart[], mergeBaseSha: string | undefined, tags: ReturnType<typeof latestReleaseTags>): Map<string, RangeStart> {
  return new Map(
    charts.map((chart): [string, RangeStart] => {
      if (mergeBaseSha) return [chart.name, { commit: mergeBaseSha }];
      const tag = tags.get(chart.name);
      return [chart.name, tag ? { commit: tag.commit, version: tag.version, tag: tag.tag } : {}];
    }),
  );
}

/**
 * Which commits touch which chart (a file under its directory that its .helmignore keeps), walking back from the
 * newest: renames of a Chart.yaml carry a chart to its older path, and a chart directory whose Chart.yaml went away
 * is remembered as vanished (it may have been deleted in the range).
 */
function attributeCommits(
  commits: CommitRecord[],
  trackedCharts: TrackedChart[],
  ignores: Map<string, HelmIgnore>,
  inRange: (chart: string, index: number) => boolean,
  isChartDir: (dir: string) => boolean,
  links: ChartLink[],
  removedNames: Map<string, string>,
) {
  // Directory → chart; grows with older paths as renames are met walking back in time (newest commit first).
  const chartAt = new Map(trackedCharts.map((c) => [c.path, c]));
  // The same few files change again and again (values.yaml, templates): each path is looked up once until a rename
  // adds a directory.
  let owners = new Map<string, TrackedChart | null>();
  const owner = (file: string): TrackedChart | undefined => {
    let found = owners.get(file);
    if (found === undefined) {
      found = lookUpOwner(file) ?? null;
      owners.set(file, found);
    }
    return found ?? undefined;
  };
  const lookUpOwner = (file: string): TrackedChart | undefined => {
    for (let dir = parentDir(file); dir !== undefined; dir = dir === '' ? undefined : parentDir(dir)) {
      const chart = chartAt.get(dir);
      if (!chart) continue;
      return ignores.get(chart.name)?.ignores(dir === '' ? file : file.slice(dir.length + 1), false) ? undefined : chart;
    }
    return undefined;
  };

  const byName = new Map(trackedCharts.map((c) => [c.name, c]));
  // A file elsewhere that charts link to changes them too (a helper they share).
  const linkedTo = new Map<string, TrackedChart[]>();
  const linkers = (file: string): TrackedChart[] => {
    if (links.length === 0) return [];
    let found = linkedTo.get(file);
    if (!found) {
      found = linkedCharts(links, file).map((name) => byName.get(name)!);
      linkedTo.set(file, found);
    }
    return found;
  };
  const touching = new Map<string, number[]>(trackedCharts.map((c) => [c.name, []]));
  const previousPath = new Map<string, string>();
  const vanished = new Map<string, number>();
  commits.forEach((commit, index) => {
    const hit = new Set<TrackedChart>();
    for (const change of commit.files) {
      for (const path of change.from === undefined ? [change.path] : [change.path, change.from]) {
        const chart = owner(path);
        if (chart) hit.add(chart);
        for (const linker of linkers(path)) hit.add(linker);
      }
      const gone = change.status === 'D' ? change.path : change.status === 'R' ? change.from : undefined;
      if (gone === undefined || !isChartYaml(gone)) continue;
      const dir = parentDir(gone) ?? '';
      // A move git saw as a rename, or one it did not (Chart.yaml edited too much on the way): the chart of that name.
      const renamedTo = change.status === 'R' && isChartYaml(change.path) ? chartAt.get(parentDir(change.path) ?? '') : undefined;
      const named = change.status === 'D' ? byName.get(removedNames.get(`${commit.sha}:${gone}`) ?? '') : undefined;
      const movedTo = renamedTo ?? (named && named.path !== dir ? named : undefined);
      if (movedTo && !chartAt.has(dir)) {
        chartAt.set(dir, movedTo);
        owners = new Map();
        if (inRange(movedTo.name, index)) previousPath.set(movedTo.name, dir);
      } else if (!chartAt.has(dir) && isChartDir(dir) && !vanished.has(dir)) {
        vanished.set(dir, index);
      }
    }
    for (const chart of hit) if (inRange(chart.name, index)) touching.get(chart.name)?.push(index);
  });
  return { touching, previousPath, vanished };
}

/**
 * The chart names in the Chart.yaml files commits removed (`SHA:PATH` → name) where git saw no rename: a chart moved
 * with its Chart.yaml edited past git's rename similarity is found again by its name.
 */
async function namesOfRemoved(git: Git, commits: CommitRecord[]): Promise<Map<string, string>> {
  const removed = commits.flatMap((c) => c.files.filter((f) => f.status === 'D' && isChartYaml(f.path)).map((f) => ({ sha: c.sha, path: f.path })));
  const texts = await readBlobs(git, removed.map((r) => `${r.sha}^:${r.path}`));
  const names = new Map<string, string>();
  for (const [i, r] of removed.entries()) {
    const name = await nameOf(texts[i]);
    if (name !== undefined) names.set(`${r.sha}:${r.path}`, name);
  }
  return names;
}

/** Each chart's history: its range start, the commits touching it, its last release, an older path. */
function chartHistories(
  trackedCharts: TrackedChart[],
  since: Map<string, RangeStart>,
  tags: ReturnType<typeof latestReleaseTags>,
  touching: Map<string, number[]>,
  previousPath: Map<string, string>,
): Map<string, ChartHistory> {
  const charts = new Map<string, ChartHistory>();
  for (const chart of trackedCharts) {
    const s = since.get(chart.name) ?? {};
    const history: ChartHistory = { touching: touching.get(chart.name) ?? [] };
    if (s.commit) history.since = s.commit;
    if (s.version) history.previousVersion = s.version;
    if (s.tag) history.releaseTag = s.tag;
    const latest = tags.get(chart.name);
    if (latest) history.lastRelease = { tag: latest.tag, version: latest.version };
    const moved = previousPath.get(chart.name);
    if (moved !== undefined) history.previousPath = moved;
    charts.set(chart.name, history);
  }
  return charts;
}

/**
 * The oldest commit any chart's range needs: the common ancestor of every range start and head. Newest start first:
 * git folds the octopus pairwise, and in that order each step walks only from one start to the next older one (oldest
 * first, every step walks the whole history again: minutes on 10,000 tags).
 */
async function windowStart(git: Git, head: string, starts: string[], timeOf: (sha: string) => number | undefined): Promise<string | undefined> {
  if (starts.length <= 1) return starts[0];
  const newestFirst = [...starts].sort((a, b) => (timeOf(b) || 0) - (timeOf(a) || 0));
  const out = await git.run(['merge-base', '--octopus', head, ...newestFirst], { allowFailure: true });
  return out.code === 0 ? out.stdout.trim() || undefined : undefined;
}

/**
 * Release tags on commits head does not reach (a hotfix tagged on a maintenance branch): what such a start reaches of
 * the window is what its merge bases with head reach, so those commits stand in for it.
 */
async function offBranchStarts(git: Git, head: string, starts: string[], commits: CommitRecord[], windowBase: string | undefined): Promise<Map<string, string[]>> {
  const standIns = new Map<string, string[]>();
  // A plan from one base (a push's range) has no other start: the window of 100,000 commits is not indexed for it.
  const others = starts.filter((sha) => sha !== windowBase);
  if (others.length === 0) return standIns;
  const inWindow = new Set(commits.map((c) => c.sha));
  const off = others.filter((sha) => !inWindow.has(sha));
  // A few git processes at a time: every chart of a monorepo may have been released from such a branch.
  for (let at = 0; at < off.length; at += 8) {
    await Promise.all(
      off.slice(at, at + 8).map(async (sha) => {
        const out = await git.run(['merge-base', '--all', head, sha], { allowFailure: true });
        standIns.set(sha, out.stdout.split('\n').filter((b) => inWindow.has(b)));
      }),
    );
  }
  return standIns;
}

/**
 * Ranges differ per chart when each starts at its own release tag. One bit per distinct start, pushed from children
 * to parents in topological order, marks what each start reaches: a commit is in a chart's range unless its start
 * reaches it. A start outside the window reaches it through its stand-ins (offBranchStarts), if any.
 */
function reachability(
  commits: CommitRecord[],
  since: Map<string, { commit?: string }>,
  windowBase: string | undefined,
  standIns: Map<string, string[]> = new Map(),
): (chart: string, index: number) => boolean {
  const distinct = [...new Set([...since.values()].map((s) => s.commit).filter((c): c is string => c !== undefined))];
  if (distinct.length === 1 && distinct[0] === windowBase) return (chart) => since.get(chart)?.commit !== undefined;
  const indexOf = new Map(commits.map((c, i) => [c.sha, i]));
  // Where each start's bit is set: at the start, or at its stand-ins; the first of them (children first) orders it.
  const seeds = new Map(distinct.map((sha) => [sha, (indexOf.has(sha) ? [sha] : (standIns.get(sha) ?? [])).map((s) => indexOf.get(s)!).sort((a, b) => a - b)]));
  // Bits in the order the starts appear (children first): a commit is reached only by starts at or before it, so
  // its row holds bits in its first `used[i]` words only, and the rest is never touched (half the work, on average).
  const starts = distinct.filter((sha) => seeds.get(sha)!.length > 0).sort((a, b) => seeds.get(a)![0]! - seeds.get(b)![0]!);
  const words = Math.max(1, Math.ceil(starts.length / 32));
  const bits = new Uint32Array(commits.length * words);
  const used = new Uint32Array(commits.length);
  const bitOf = new Map(starts.map((sha, k) => [sha, k]));
  for (const [k, sha] of starts.entries()) for (const i of seeds.get(sha)!) bits[i * words + (k >>> 5)]! |= 1 << (k & 31);
  let k = 0;
  for (let i = 0; i < commits.length; i++) {
    while (k < starts.length && seeds.get(starts[k]!)![0] === i) k++;
    used[i] = Math.ceil(k / 32);
  }
  for (let i = 0; i < commits.length; i++) {
    const n = used[i]!;
    if (n === 0) continue;
    for (const parent of commits[i]!.parents) {
      const p = indexOf.get(parent);
      if (p === undefined) continue;
      const from = i * words;
      const to = p * words;
      for (let w = 0; w < n; w++) bits[to + w]! |= bits[from + w]!;
    }
  }
  return (chart, index) => {
    const start = since.get(chart)?.commit;
    if (start === undefined) return false;
    // A start outside the window without stand-ins in it (the window's base itself) reaches nothing in it.
    const k = bitOf.get(start);
    if (k === undefined) return true;
    return (bits[index * words + (k >>> 5)]! & (1 << (k & 31))) === 0;
  };
}

/**
 * Renames matter only where a Chart.yaml went away (it may have moved, taking its chart along): elsewhere a rename's
 * two paths are the deletion and addition git reports without detection, and they touch the same charts.
 */
function removesChartYaml(commit: CommitRecord): boolean {
  return commit.files.some((f) => f.status === 'D' && isChartYaml(f.path));
}

function isChartYaml(path: string): boolean {
  return path === 'Chart.yaml' || path.endsWith('/Chart.yaml');
}

function parentDir(path: string): string | undefined {
  if (path === '') return undefined;
  const slash = path.lastIndexOf('/');
  return slash === -1 ? '' : path.slice(0, slash);
}

/** A .helmignore with a bad pattern fails its chart only: it is reported, and helm's defaults stand in meanwhile. */
async function loadHelmignores(tree: SourceTree, charts: TrackedChart[], onInvalid: (chart: string, error: ChartshipError) => void): Promise<Map<string, HelmIgnore>> {
  const files = charts.map((c) => (c.path === '' ? '.helmignore' : `${c.path}/.helmignore`));
  const texts = await tree.read(files);
  return new Map(
    charts.map((c, i): [string, HelmIgnore] => {
      const text = texts[i];
      if (text === undefined) return [c.name, defaultHelmignore()];
      try {
        return [c.name, parseHelmignore(text, files[i])];
      } catch (error) {
        if (!(error instanceof ChartshipError)) throw error;
        onInvalid(c.name, error);
        return [c.name, defaultHelmignore()];
      }
    }),
  );
}

/** The version each chart had at the base, looked up under its path at that time (it may have moved since). */
async function readBaseVersions(git: Git, baseSha: string, charts: TrackedChart[], histories: Map<string, ChartHistory>, atCurrentPaths: (string | undefined)[]): Promise<void> {
  const texts = [...atCurrentPaths];
  const moved = charts.flatMap((c, i) => {
    const path = histories.get(c.name)?.previousPath;
    return path === undefined ? [] : [{ i, path }];
  });
  const movedTexts = await readBlobs(git, moved.map((m) => chartYamlAt(baseSha, m.path)));
  moved.forEach((m, k) => (texts[m.i] = movedTexts[k]));
  for (const [i, chart] of charts.entries()) {
    // Most charts' Chart.yaml is the same at the base: no need to read it again (10,000 YAML parses on a monorepo).
    const version = texts[i] !== undefined && texts[i] === chart.text && chart.file ? chart.file.metadata.version : await versionOf(texts[i]);
    const history = histories.get(chart.name);
    if (history && version) history.previousVersion = version;
  }
}

function chartYamlAt(commit: string, dir: string): string {
  return `${commit}:${chartYamlPath(dir)}`;
}

function chartYamlPath(dir: string): string {
  return `${dir === '' ? '' : `${dir}/`}Chart.yaml`;
}

/** Charts whose Chart.yaml disappeared and that existed at the start of the window (not added and removed inside it). */
async function deletedCharts(
  git: Git,
  commits: CommitRecord[],
  vanished: Map<string, number>,
  windowBase: string | undefined,
): Promise<{ name: string; path: string }[]> {
  const dirs = [...vanished.keys()].sort();
  const texts = await readBlobs(
    git,
    dirs.map((dir) => chartYamlAt(windowBase ?? `${commits[vanished.get(dir) ?? 0]?.sha}^`, dir)),
  );
  const deleted: { name: string; path: string }[] = [];
  for (const [i, dir] of dirs.entries()) {
    const text = texts[i];
    if (text === undefined) continue;
    deleted.push({ name: (await nameOf(text)) ?? dir.split('/').pop() ?? dir, path: dir });
  }
  return deleted;
}

/** A Chart.yaml field as helm reads it (an unquoted `version: 1.0` is "1"); undefined when it cannot be read. */
async function field(text: string | undefined, key: string): Promise<string | undefined> {
  if (text === undefined) return undefined;
  try {
    const value = (await withYamlReader(() => readChartYaml(text, 'Chart.yaml'))).raw[key];
    return typeof value === 'string' && value !== '' ? value : undefined;
  } catch {
    return undefined;
  }
}

const versionOf = (text: string | undefined) => field(text, 'version');
const nameOf = (text: string | undefined) => field(text, 'name');
