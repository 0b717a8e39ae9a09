import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ChartshipError } from '../errors.js';
import { compilePathGlob, DEFAULT_CHART_GLOBS, discoverCharts, type DiscoveredChart } from '../charts/discover.js';
import { detectChanges } from '../changes/detect.js';
import { createGit, type Git } from '../changes/git.js';
import { requireCheckedOut, treeForHead } from '../changes/git-tree.js';
import type { CommitRecord } from '../changes/history.js';
import { editChartYaml } from '../versioning/chart-yaml.js';
import { parseCommit, type ParsedCommit } from '../versioning/commit.js';
import { decideVersion, type ChartCommit, type VersionDecision } from '../versioning/decide.js';
import { nextVersion } from '../versioning/next-version.js';
import { localDependencies, normalizeNamespace, raisedConstraint, topologicalOrder, type LocalDependency } from './plan-graph.js';
import type { ChartPlan, InvalidChart, Plan } from './types.js';

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
  const include = (options.charts?.length ? options.charts : DEFAULT_CHART_GLOBS).map(compilePathGlob);
  const invalid: InvalidChart[] = [];
  const tree = await treeForHead(git, root, options.head);
  const discovering = discoverCharts(root, {
    tree,
    charts: options.charts,
    exclude: options.exclude,
    skipDeprecated: options.skipDeprecated,
    // One broken Chart.yaml must not stop the release of every other chart.
    onInvalid: (chartYaml, error) => invalid.push(invalidChart(chartYaml, error)),
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

  const commitsFor = commitSelector(changes.commits, changes.inRange, changes.charts);
  const decisions = new Map<string, VersionDecision>();
  const warn = (chart: DiscoveredChart, note: string | undefined) => {
    if (note) options.onWarning?.(new ChartshipError(`${chart.name}: ${note}`, { file: chart.chartYaml, field: 'version', code: 'VERSION_NOT_STRICT' }));
  };
  for (const chart of charts) {
    const history = changes.charts.get(chart.name);
    const input = { chart: chart.name, currentVersion: chart.file.metadata.version, commits: commitsFor(chart.name, history?.touching ?? []) };
    const decision = decideVersion(history?.previousVersion === undefined ? input : { ...input, previousVersion: history.previousVersion }, options);
    decisions.set(chart.name, decision);
    warn(chart, decision.note);
  }

  const byName = new Map(charts.map((c) => [c.name, c]));
  const byPath = new Map(charts.map((c) => [c.path, c]));
  const namespaces = new Set((options.registryNamespaces ?? []).map(normalizeNamespace));
  const deps = new Map(charts.map((c) => [c.name, localDependencies(c, byPath, byName, namespaces)]));
  const order = topologicalOrder(
    charts.map((c) => c.name),
    new Map([...deps].map(([name, list]) => [name, list.map((d) => d.chart)])),
  );
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
    propagateDependencies(plan, deps.get(name) ?? [], planned, options.prerelease, (note) => warn(chart, note));
    if (plan.action === 'release') {
      const app = appVersionOf(plan, options.appVersion);
      if (app !== undefined) plan.nextAppVersion = app;
    }
    planned.set(name, plan);
  }

  const plan: Plan = { root, head: changes.head, charts: order.map((n) => planned.get(n) as ChartPlan), deleted: changes.deleted, invalid };
  if (changes.base) plan.base = changes.base;
  return plan;
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
  warn: (note: string | undefined) => void,
): void {
  for (const dep of deps) {
    const target = planned.get(dep.chart);
    if (!target || target.action !== 'release') continue;
    const raised = raisedConstraint(dep.version, target.nextVersion);
    const raise = raised === undefined ? '' : ` (dependency version ${dep.version} → ${raised})`;
    plan.reasons.push({ kind: 'dependency', chart: dep.chart, message: `depends on ${dep.chart} ${target.nextVersion}${raise}` });
    if (plan.action !== 'release') {
      const next = nextVersion(plan.currentVersion, 'patch', prerelease);
      warn(next.note);
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
  const root = plan.root;
  await requireCheckedOut(createGit(root), plan.head, 'writing the new versions');
  const next = new Map(plan.charts.filter((c) => c.action !== 'skipped').map((c) => [c.name, c.nextVersion]));
  const written: string[] = [];
  for (const chart of plan.charts) {
    if (chart.action === 'skipped') continue;
    const file = join(root, chart.chartYaml);
    const text = await readFile(file, 'utf8');
    const edits = chartYamlEdits(chart, text, next);
    const updated = editChartYaml(text, edits);
    if (updated === text) continue;
    await writeFile(file, updated);
    written.push(file);
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
