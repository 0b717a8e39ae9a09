import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import semver from 'semver';
import { parse as parseYaml } from 'yaml';
import { ChartshipError } from '../model/errors.js';
import { compilePathGlob, DEFAULT_CHART_GLOBS, discoverCharts, type DiscoveredChart, type Glob } from '../charts/discover.js';
import { detectChanges } from '../changes/detect.js';
import { createGit, type Git } from '../changes/git.js';
import { requireCheckedOut, treeForHead } from '../changes/git-tree.js';
import type { CommitRecord } from '../changes/history.js';
import { editChartYaml } from '../versioning/chart-yaml.js';
import { parseCommit, type ParsedCommit } from '../versioning/commit.js';
import { decideVersion, type ChartCommit, type VersionDecision } from '../versioning/decide.js';
import { asSemver, nextVersion } from '../versioning/next-version.js';
import { dependencyCycles, localDependencies, normalizeNamespace, raisedConstraint, topologicalOrder, type LocalDependency } from './plan-graph.js';
import { runGraph } from './schedule.js';
import type { ChartPlan, InvalidChart, Plan, PlanReason } from '../model/plan.js';

export interface PlanOptions {
  cwd: string;
  charts?: string[];
  exclude?: string[];
  skipDeprecated?: boolean;
  base?: string;
  head?: string;
  sinceTags?: boolean;
  tagTemplate?: string;
  prerelease?: string;
  versionBump?: 'conventional' | 'none';
  otherTypes?: 'patch' | 'none';
  appVersion?: 'keep' | 'follow' | { value: string };
  /** oci://host/ns targets, to recognise dependencies on charts of this repository published there. */
  registryNamespaces?: string[];
  /** The highest version of a chart the targets hold, and where: no plan goes at or below it. */
  publishedVersion?: (chart: string) => Promise<ReleasedVersion | undefined>;
  git?: Git;
  /** Told what the plan had to read its own way (a version that is not SemVer 2, bumped as helm reads it). */
  onWarning?: (warning: ChartshipError) => void;
}

export { checkPublished, type PublishedState, type DigestsOf, type ContentDigests } from './plan-published.js';

/**
 * Which charts change and to which versions. Reads git history, and the charts from the work tree (from head's
 * tree in git when the work tree is checked out elsewhere); writes nothing.
 */
export async function createPlan(options: PlanOptions): Promise<Plan> {
  const git = options.git ?? createGit(options.cwd);
  const root = await repositoryRoot(git);
  const patterns = options.charts?.length ? options.charts : DEFAULT_CHART_GLOBS;
  const include = patterns.map(compilePathGlob);
  const invalid: InvalidChart[] = [];
  let found: string[] = [];
  const tree = await treeForHead(git, root, options.head);
  const discovering = discoverCharts(root, {
    tree,
    charts: options.charts,
    exclude: options.exclude,
    skipDeprecated: options.skipDeprecated,
    // One broken Chart.yaml must not stop the release of every other chart.
    onInvalid: (chartYaml, error) => invalid.push(invalidChart(chartYaml, error)),
    onFound: (dirs) => (found = dirs),
  });
  // Handled below; this only keeps a discovery error from counting as unhandled while git runs.
  discovering.catch(() => undefined);
  const changes = await detectChanges({
    git,
    root,
    charts: discovering,
    head: options.head,
    base: options.sinceTags ? undefined : options.base,
    tagTemplate: options.tagTemplate,
    isChartDir: (dir) => include.some((g) => g.matches(dir)),
    tree,
  });
  const charts = await discovering;
  checkPatternsMatch(patterns, include, found, changes.deleted, root);

  const commitsFor = commitSelector(changes.commits, changes.inRange, changes.charts);
  const warn = (chart: DiscoveredChart, note: string | undefined) => {
    if (note) options.onWarning?.(new ChartshipError(`${chart.name}: ${note}`, { file: chart.chartYaml, field: 'version', code: 'VERSION_NOT_STRICT' }));
  };
  const byName = new Map(charts.map((c) => [c.name, c]));
  const byPath = new Map(charts.map((c) => [c.path, c]));
  const namespaces = new Set((options.registryNamespaces ?? []).map(normalizeNamespace));
  const deps = new Map(charts.map((c) => [c.name, localDependencies(c, byPath, byName, namespaces)]));

  const decide = (chart: DiscoveredChart): VersionDecision => {
    const history = changes.charts.get(chart.name);
    const input = { chart: chart.name, currentVersion: chart.file.metadata.version, commits: commitsFor(chart.name, history?.touching ?? []) };
    return decideVersion(history?.previousVersion === undefined ? input : { ...input, previousVersion: history.previousVersion }, options);
  };
  const decisions = new Map(
    charts.map((chart) => {
      const decision = decide(chart);
      warn(chart, decision.note);
      return [chart.name, decision] as const;
    }),
  );
  // The registries are asked only about charts that can be released: changed ones, and those a dependency can pull in.
  const candidates = charts.filter((c) => decisions.get(c.name)!.release || (deps.get(c.name)?.length ?? 0) > 0);
  const published = await publishedVersions(candidates, options.publishedVersion);
  const floors = new Map<string, Floor>();
  for (const chart of charts) {
    const history = changes.charts.get(chart.name);
    const written = chart.file.metadata.version;
    const tag = history?.lastRelease ? { version: history.lastRelease.version, where: `release tag ${history.lastRelease.tag}` } : undefined;
    const ahead = [tag, published.get(chart.name)].reduce<ReleasedVersion | undefined>(
      (best, r) => (r && compareVersions(r.version, best?.version ?? written) > 0 ? r : best),
      undefined,
    );
    if (!ahead) continue;
    floors.set(chart.name, { ...ahead, written });
    // Never a version below one already released or published: start again from the highest of them. (The same
    // version is left to the registry check: with the same content it is a rerun, with other content an error.)
    const decision = decisions.get(chart.name)!;
    if (decision.release && compareVersions(decision.nextVersion, ahead.version) < 0) {
      const floor = asSemver(ahead.version).version;
      const input = { chart: chart.name, currentVersion: floor, previousVersion: floor, commits: commitsFor(chart.name, history?.touching ?? []) };
      const restarted = decideVersion(input, options);
      restarted.reasons.unshift(startedFrom(floors.get(chart.name)!));
      decisions.set(chart.name, restarted);
    }
  }

  // One chart that cannot be planned fails alone (with its dependents, for a cycle): the others are still released.
  const failed = unplannable(charts, deps, changes.invalid, invalid);
  const kept = charts.map((c) => c.name).filter((name) => !failed.has(name));
  const order = topologicalOrder(kept, new Map([...deps].map(([name, list]) => [name, list.map((d) => d.chart).filter((dep) => !failed.has(dep))])));
  const dependents = new Map<string, string[]>(charts.map((c) => [c.name, []]));
  for (const name of order) for (const d of deps.get(name) ?? []) dependents.get(d.chart)?.push(name);

  // Dependencies first, so a dependent sees the final next version of everything it needs.
  const planned = new Map<string, ChartPlan>();
  for (const name of order) {
    const chart = byName.get(name) as DiscoveredChart;
    const decision = decisions.get(name) as VersionDecision;
    const history = changes.charts.get(name);
    const plan: ChartPlan = {
      name,
      path: chart.path,
      chartYaml: chart.chartYaml,
      currentVersion: chart.file.metadata.version,
      nextVersion: decision.nextVersion,
      bump: decision.bump,
      action: decision.release ? 'release' : 'skipped',
      reasons: [...decision.reasons],
      dependents: [...new Set(dependents.get(name))],
      dependencies: [...new Set((deps.get(name) ?? []).map((d) => d.chart))],
      changelog: decision.changelog,
    };
    if (history?.previousVersion !== undefined) plan.previousVersion = history.previousVersion;
    if (chart.file.metadata.appVersion !== undefined) plan.appVersion = chart.file.metadata.appVersion;
    if (chart.file.metadata.deprecated !== undefined) plan.deprecated = chart.file.metadata.deprecated;
    if (history?.previousPath !== undefined && plan.action === 'release') {
      plan.reasons.push({ kind: 'commit', message: `moved from ${history.previousPath || '.'}` });
    }
    propagateDependencies(plan, deps.get(name) ?? [], planned, options.prerelease, floors.get(name), (note) => warn(chart, note));
    if (plan.action === 'release') {
      const app = appVersionOf(plan, options.appVersion);
      if (app !== undefined) plan.nextAppVersion = app;
    }
    planned.set(name, plan);
  }

  const plan: Plan = { root, head: changes.head, patterns, charts: order.map((n) => planned.get(n) as ChartPlan), deleted: changes.deleted, invalid };
  if (changes.base) plan.base = changes.base;
  return plan;
}

/** Versions ordered as helm reads them (`v1.0` is 1.0.0). */
function compareVersions(a: string, b: string): number {
  return semver.compare(asSemver(a).version, asSemver(b).version);
}

/** A released version ahead of Chart.yaml. */
interface Floor extends ReleasedVersion {
  written: string;
}

function startedFrom(floor: Floor): PlanReason {
  return { kind: 'released', message: `Chart.yaml has ${floor.written}, but ${floor.version} is already released (${floor.where}): starting from ${floor.version}` };
}

export interface ReleasedVersion {
  version: string;
  /** Where it was found, for the plan's reason: `release tag web-0.5.0`, `oci://ghcr.io/acme/charts`. */
  where: string;
}

async function publishedVersions(charts: DiscoveredChart[], lookup: PlanOptions['publishedVersion']): Promise<Map<string, ReleasedVersion>> {
  const found = new Map<string, ReleasedVersion>();
  if (!lookup) return found;
  const outcomes = await runGraph(
    charts.map((chart) => ({ id: chart.name, dependsOn: [], run: () => lookup(chart.name) })),
    { limit: 8 },
  );
  for (const [name, outcome] of outcomes) {
    if (outcome.state === 'failed') throw outcome.error;
    if (outcome.state === 'done' && outcome.value) found.set(name, outcome.value);
  }
  return found;
}

/**
 * A glob that selects no chart directory is a typo or a wrong root, never a quiet "nothing changed": it fails the run
 * naming the input and the globs. A chart deleted in the range still counts as matched (its deletion is reported).
 */
function checkPatternsMatch(patterns: string[], globs: Glob[], found: string[], deleted: { path: string }[], root: string): void {
  const unmatched = patterns.filter((_, i) => !found.some((dir) => globs[i]!.matches(dir)) && !deleted.some((d) => globs[i]!.matches(d.path)));
  if (unmatched.length === 0) return;
  const list = unmatched.map((p) => JSON.stringify(p)).join(', ');
  throw new ChartshipError(`${list} ${unmatched.length === 1 ? 'matches' : 'match'} no chart directory (of ${patterns.map((p) => JSON.stringify(p)).join(', ')})`, {
    field: 'charts',
    code: 'CONFIG_INVALID',
    hint: `a chart directory holds a Chart.yaml; globs are relative to the repository root ${root}, e.g. charts/*, and ** spans directories`,
  });
}

/**
 * Charts left out of the plan and reported as failed: those whose .helmignore cannot be read (change detection found
 * its pattern error), the members of a dependency cycle, and every chart that depends on one. Returns their names.
 */
function unplannable(charts: DiscoveredChart[], deps: Map<string, LocalDependency[]>, broken: { name: string; error: ChartshipError }[], invalid: InvalidChart[]): Set<string> {
  const byName = new Map(charts.map((c) => [c.name, c]));
  const failed = new Set<string>();
  const add = (chart: DiscoveredChart, entry: Omit<InvalidChart, 'path' | 'chartYaml' | 'name' | 'version'>) => {
    failed.add(chart.name);
    invalid.push({ path: chart.path, chartYaml: chart.chartYaml, name: chart.name, version: chart.file.metadata.version, ...entry });
  };
  for (const { name, error } of broken) {
    const chart = byName.get(name);
    if (chart) add(chart, { ...locationOf(error), message: error.hint ? `${error.message} (${error.hint})` : error.message });
  }
  const dependsOn = new Map([...deps].map(([name, list]) => [name, list.map((d) => d.chart)]));
  const { cycles, blocked } = dependencyCycles(charts.map((c) => c.name).filter((n) => !failed.has(n)), dependsOn);
  // A dependency entry's place in Chart.yaml, so the annotation lands on the line to change.
  const entryOf = (chart: DiscoveredChart, dep: string) => {
    const index = deps.get(chart.name)?.find((d) => d.chart === dep)?.index;
    const at = index === undefined ? undefined : chart.file.locate(['dependencies', index]);
    return { field: `dependencies[${index}]`, ...(at ? { line: at.line, column: at.column } : {}) };
  };
  for (const cycle of cycles) {
    const path = cycle.join(' → ');
    cycle.slice(0, -1).forEach((name, i) => add(byName.get(name)!, { ...entryOf(byName.get(name)!, cycle[i + 1]!), message: `dependency cycle: ${path}` }));
  }
  for (const [name, via] of blocked) {
    const chart = byName.get(name)!;
    add(chart, { ...entryOf(chart, via), message: `depends on ${via}, which is part of a dependency cycle or depends on one` });
  }
  return failed;
}

function locationOf(error: ChartshipError): Pick<InvalidChart, 'file' | 'field' | 'line' | 'column'> {
  return {
    ...(error.file !== undefined ? { file: error.file } : {}),
    ...(error.field !== undefined ? { field: error.field } : {}),
    ...(error.line !== undefined ? { line: error.line } : {}),
    ...(error.column !== undefined ? { column: error.column } : {}),
  };
}

function invalidChart(chartYaml: string, error: ChartshipError): InvalidChart {
  const chart: InvalidChart = { path: chartYaml.replace(/\/?Chart\.yaml$/, ''), chartYaml, message: error.message };
  if (error.field !== undefined) chart.field = error.field;
  if (error.line !== undefined) chart.line = error.line;
  if (error.column !== undefined) chart.column = error.column;
  return chart;
}

/** A dependency being released releases its dependents too (a patch at least) with constraints that admit it. */
function propagateDependencies(
  plan: ChartPlan,
  deps: LocalDependency[],
  planned: Map<string, ChartPlan>,
  prerelease: string | undefined,
  floor: Floor | undefined,
  warn: (note: string | undefined) => void,
): void {
  for (const dep of deps) {
    const target = planned.get(dep.chart);
    if (!target || target.action !== 'release') continue;
    const raised = raisedConstraint(dep.version, target.nextVersion);
    const raise = raised === undefined ? '' : ` (dependency version ${dep.version} → ${raised})`;
    plan.reasons.push({ kind: 'dependency', chart: dep.chart, message: `depends on ${dep.chart} ${target.nextVersion}${raise}` });
    if (plan.action !== 'release') {
      // Not released itself, its next version is where it stands (Chart.yaml, or a release ahead of it).
      let next = nextVersion(plan.nextVersion, 'patch', prerelease);
      warn(next.note);
      if (floor && compareVersions(next.version, floor.version) < 0) {
        next = nextVersion(floor.version, 'patch', prerelease);
        if (!plan.reasons.some((r) => r.kind === 'released')) plan.reasons.unshift(startedFrom(floor));
      }
      plan.action = 'release';
      plan.nextVersion = next.version;
      plan.bump = next.bump;
    }
  }
}

function appVersionOf(plan: ChartPlan, policy: PlanOptions['appVersion']): string | undefined {
  if (policy === undefined || policy === 'keep') return undefined;
  return policy === 'follow' ? plan.nextVersion : policy.value;
}

/**
 * The commits deciding one chart's version: those changing its files, and those naming it as their scope inside its
 * range. A commit that changes several charts and names some of them in its scope is theirs: for the others it is
 * marked `scopedElsewhere`. Messages are parsed once, and only for commits that can matter to some chart.
 */
function commitSelector(commits: CommitRecord[], inRange: (chart: string, index: number) => boolean, histories: Map<string, { touching: number[] }>) {
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
    for (const name of scope.split(',').map((s) => s.trim())) {
      const list = byScope.get(name) ?? [];
      list.push(index);
      byScope.set(name, list);
    }
  });
  return (chart: string, touching: number[]): ChartCommit[] => {
    const touched = new Set(touching);
    const indexes = new Set([...touching, ...(byScope.get(chart) ?? []).filter((i) => inRange(chart, i))]);
    return [...indexes]
      .sort((a, b) => a - b)
      .map((i) => {
        const commit = parse(i);
        const charts = touchedBy.get(i);
        const scopedElsewhere = !commit.scopes.includes(chart) && commit.scopes.some((s) => charts?.has(s));
        return { commit, touchesChart: touched.has(i), ...(scopedElsewhere && { scopedElsewhere }) };
      });
  };
}

async function repositoryRoot(git: Git): Promise<string> {
  return (await git.run(['rev-parse', '--show-toplevel'])).stdout.trim();
}

/**
 * Writes the plan's version changes into each Chart.yaml it releases: version, appVersion, and dependency constraints
 * on released local charts that no longer admit their new version. Returns the absolute paths written.
 */
export async function applyPlan(plan: Plan): Promise<string[]> {
  return (await applyPlanEdits(plan)).map((edit) => edit.file);
}

/** As applyPlan, keeping each file's text from before, so a run that only publishes can put the work tree back. */
export async function applyPlanEdits(plan: Plan): Promise<{ file: string; before: string }[]> {
  const root = plan.root;
  await requireCheckedOut(createGit(root), plan.head, 'writing the new versions');
  const next = new Map(plan.charts.filter((c) => c.action !== 'skipped').map((c) => [c.name, c.nextVersion]));
  const written: { file: string; before: string }[] = [];
  for (const chart of plan.charts) {
    if (chart.action === 'skipped') continue;
    const file = join(root, chart.chartYaml);
    const text = await readFile(file, 'utf8');
    const edits = chartYamlEdits(chart, text, next);
    const updated = editChartYaml(text, edits);
    if (updated === text) continue;
    await writeFile(file, updated);
    written.push({ file, before: text });
  }
  return written;
}

function chartYamlEdits(chart: ChartPlan, text: string, next: Map<string, string>) {
  const raw = parseYaml(text.replace(/^\uFEFF/, '')) as { dependencies?: { name?: string; version?: string; repository?: string }[] };
  const dependencies: { index: number; version: string }[] = [];
  (raw.dependencies ?? []).forEach((dep, index) => {
    const version = dep.name === undefined || !chart.dependencies.includes(dep.name) ? undefined : next.get(dep.name);
    if (version === undefined || /^https?:/.test(dep.repository ?? '')) return;
    const raised = raisedConstraint(dep.version, version);
    if (raised !== undefined) dependencies.push({ index, version: raised });
  });
  const edits: { version?: string; appVersion?: string; dependencies: typeof dependencies } = { dependencies };
  if (chart.nextVersion !== chart.currentVersion) edits.version = chart.nextVersion;
  if (chart.nextAppVersion !== undefined && chart.nextAppVersion !== chart.appVersion) edits.appVersion = chart.nextAppVersion;
  return edits;
}
