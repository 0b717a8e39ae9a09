import semverCompare from 'semver/functions/compare.js';
import { ChartshipError } from '../model/errors.js';
import { compilePathGlob, DEFAULT_CHART_GLOBS, discoverCharts, type DiscoveredChart } from '../charts/discover.js';
import type { ChartSelector } from '../config/index.js';
import { detectChanges, type ChartHistory } from '../changes/detect.js';
import { createGit, type Git } from '../changes/git.js';
import { openRepository } from '../changes/refs.js';
import { treeForHead } from '../changes/git-tree.js';
import { decideVersion, type VersionDecision } from '../versioning/decide.js';
import { asSemver, bumpBetween, nextVersion } from '../versioning/next-version.js';
import { commitSelector } from './plan-commits.js';
import { localDependencies, normalizeNamespace, raisedConstraint, topologicalOrder, type LocalDependency } from './plan-graph.js';
import { invalidChart, refusedNames, unplannable } from './plan-invalid.js';
import { checkPatternsMatch, checkSelectors, everyChart } from './plan-selectors.js';
import { runGraph } from './schedule.js';
import { writtenDecision } from './plan-as-written.js';
import type { AppVersionPolicy, ChartVersioning } from './versioning-rules.js';
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
  appVersion?: AppVersionPolicy;
  /** Release exactly the charts whose Chart.yaml version is not released yet, at that version (plan-as-written.ts). */
  asWritten?: boolean;
  /** Per-chart versioning (.chartship.yaml's `versioning:`), laid over the options above. */
  rulesFor?: (chart: { name: string; path: string }) => ChartVersioning;
  /** oci://host/ns targets, to recognise dependencies on charts of this repository published there. */
  registryNamespaces?: string[];
  /** .chartship.yaml's `charts:` entries: one that selects no chart is a typo (a name fails, a glob warns), as is such an `exclude`. */
  selectors?: ChartSelector[];
  /** Why a chart cannot be published to the targets at all (its name makes no repository there), or undefined. */
  unpublishable?: (chart: string) => string | undefined;
  /** The highest version of a chart the targets hold, and where: no plan goes at or below it. */
  publishedVersion?: (chart: string) => Promise<ReleasedVersion | undefined>;
  /**
   * Charts whose bumped version a target already holds with other content: a release of an earlier range that nothing
   * recorded, which this range's commits come after. Reaching that version, they start again from it (the same version
   * with the same content is a rerun of that range, and stays; see planPublished).
   */
  pastPublished?: ReadonlySet<string>;
  /**
   * Charts whose bump lands below a released version that holds what this run would publish at it: a rerun of the
   * range that published it. They stay at that version (and the push finds it unchanged) instead of going past it.
   */
  republished?: ReadonlySet<string>;
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
  const { root, patterns, charts, changes, invalid, found, tree } = await readRepository(options);
  await checkSelectors(options, { charts, dirs: found }, () => everyChart(root, tree), options.onWarning);
  const commitsFor = commitSelector(changes.commits, changes.inRange, changes.charts);
  const commitsOf = (chart: DiscoveredChart) => commitsFor(chart.name, changes.charts.get(chart.name)?.touching ?? []);
  const warn = (chart: DiscoveredChart, note: string | undefined) => {
    if (note) options.onWarning?.(new ChartshipError(`${chart.name}: ${note}`, { file: chart.chartYaml, field: 'version', code: 'VERSION_NOT_STRICT' }));
  };
  const byName = new Map(charts.map((c) => [c.name, c]));
  const byPath = new Map(charts.map((c) => [c.path, c]));
  const namespaces = new Set((options.registryNamespaces ?? []).map(normalizeNamespace));
  const deps = new Map(charts.map((c) => [c.name, localDependencies(c, byPath, byName, namespaces)]));
  const rulesOf = (chart: DiscoveredChart): PlanOptions & ChartVersioning => ({ ...options, ...options.rulesFor?.(chart) });
  // A chart the targets cannot hold fails alone, before any target is asked about it.
  const refused = refusedNames(charts, options.unpublishable);
  const isRefused = new Set(refused.map((r) => r.name));

  const decisions = new Map(
    charts.map((chart) => {
      const history = changes.charts.get(chart.name);
      const input = { chart: chart.name, currentVersion: chart.file.metadata.version, commits: commitsOf(chart) };
      const decision = decideVersion(history?.previousVersion === undefined ? input : { ...input, previousVersion: history.previousVersion }, rulesOf(chart));
      warn(chart, decision.note);
      return [chart.name, decision] as const;
    }),
  );
  // The registries are asked only about charts that can be released: changed ones, and those a dependency can pull in.
  const candidates = (options.asWritten ? charts : charts.filter((c) => decisions.get(c.name)!.release || (deps.get(c.name)?.length ?? 0) > 0)).filter((c) => !isRefused.has(c.name));
  const published = await publishedVersions(candidates, options.publishedVersion);
  if (options.asWritten) {
    for (const chart of charts) decisions.set(chart.name, writtenDecision(chart.file.metadata.version, decisions.get(chart.name)!, changes.charts.get(chart.name), published.get(chart.name)));
  }
  const floors = releasedFloors(charts, changes.charts, published);
  for (const [name, floor] of options.asWritten ? [] : floors) {
    const decision = decisions.get(name)!;
    // Never a version below one already released or published: start again from the highest of them. The same
    // version is a rerun when its content is the same; with other content, this range comes after it (pastPublished).
    if (decision.release && options.republished?.has(name) && compareVersions(decision.nextVersion, floor.version) < 0) {
      decisions.set(name, { ...decision, nextVersion: floor.version, bump: bumpBetween(floor.written, floor.version), reasons: [republishedAt(floor), ...decision.reasons] });
    } else if (decision.release && below(decision.nextVersion, floor.version, options.pastPublished?.has(name))) {
      const start = asSemver(floor.version).version;
      const restarted = decideVersion({ chart: name, currentVersion: start, previousVersion: start, commits: commitsOf(byName.get(name)!) }, rulesOf(byName.get(name)!));
      restarted.reasons.unshift(startedFrom(floor));
      decisions.set(name, restarted);
    }
  }

  // One chart that cannot be planned fails alone (with its dependents, for a cycle): the others are still released.
  const failed = unplannable(charts, deps, [...changes.invalid, ...refused], invalid);
  const kept = charts.map((c) => c.name).filter((name) => !failed.has(name));
  const order = topologicalOrder(kept, new Map([...deps].map(([name, list]) => [name, list.map((d) => d.chart).filter((dep) => !failed.has(dep))])));
  const dependents = new Map<string, string[]>(charts.map((c) => [c.name, []]));
  for (const name of order) for (const d of deps.get(name) ?? []) dependents.get(d.chart)?.push(name);

  // Dependencies first, so a dependent sees the final next version of everything it needs.
  const planned = new Map<string, ChartPlan>();
  for (const name of order) {
    const chart = byName.get(name)!;
    const plan = chartPlan(chart, decisions.get(name)!, changes.charts.get(name), dependents.get(name) ?? [], deps.get(name) ?? []);
    const floor = floors.get(name);
    const atFloor = floor && { ...floor, past: options.pastPublished?.has(name), rerun: options.republished?.has(name) };
    if (!options.asWritten) propagateDependencies(plan, deps.get(name) ?? [], planned, rulesOf(chart).prerelease, atFloor, (note) => warn(chart, note));
    if (plan.action === 'release' && !options.asWritten) {
      const app = appVersionOf(plan, rulesOf(chart).appVersion);
      if (app !== undefined) plan.nextAppVersion = app;
    }
    planned.set(name, plan);
  }

  const plan: Plan = { root, head: changes.head, patterns, charts: order.map((n) => planned.get(n)!), deleted: changes.deleted, invalid };
  if (changes.base) plan.base = changes.base;
  return plan;
}

/**
 * The charts (from the work tree, or head's tree in git) and what changed them: discovery and change detection run
 * together, since detection needs the charts only late. A Chart.yaml that cannot be read is put on `invalid`.
 */
async function readRepository(options: PlanOptions) {
  const git = options.git ?? createGit(options.cwd);
  // The root is known only once git has answered, but detection's first git calls need none of it: they start beside.
  const repository = openRepository(git, options.head ?? 'HEAD');
  const root = repository.then((r) => r.root);
  const patterns = options.charts?.length ? options.charts : DEFAULT_CHART_GLOBS;
  const include = patterns.map(compilePathGlob);
  const invalid: InvalidChart[] = [];
  let found: string[] = [];
  const tree = root.then((dir) => treeForHead(git, dir, options.head));
  const discovering = tree.then(async (from) =>
    discoverCharts(await root, {
      tree: from,
      charts: options.charts,
      exclude: options.exclude,
      skipDeprecated: options.skipDeprecated,
      // One broken Chart.yaml must not stop the release of every other chart.
      onInvalid: (chartYaml, error) => invalid.push(invalidChart(chartYaml, error)),
      onFound: (dirs) => (found = dirs),
    }),
  );
  // Handled below (detectChanges awaits the repository first); this only keeps them from counting as unhandled meanwhile.
  for (const pending of [repository, root, tree, discovering]) pending.catch(() => undefined);
  const changes = await detectChanges({
    git,
    root,
    charts: discovering,
    head: options.head,
    base: options.sinceTags ? undefined : options.base,
    tagTemplate: options.tagTemplate,
    isChartDir: (dir) => include.some((g) => g.matches(dir)),
    tree,
    repository,
  });
  const charts = await discovering;
  checkPatternsMatch(patterns, include, found, changes.deleted, await root);
  return { root: await root, patterns, charts, changes, invalid, found, tree: await tree };
}

/** For each chart released (tagged, or published in a target) at a version ahead of its Chart.yaml: that version. */
function releasedFloors(charts: DiscoveredChart[], histories: Map<string, ChartHistory>, published: Map<string, ReleasedVersion>): Map<string, Floor> {
  const floors = new Map<string, Floor>();
  for (const chart of charts) {
    const history = histories.get(chart.name);
    const written = chart.file.metadata.version;
    const tag = history?.lastRelease ? { version: history.lastRelease.version, where: `release tag ${history.lastRelease.tag}` } : undefined;
    const ahead = [tag, published.get(chart.name)].reduce<ReleasedVersion | undefined>(
      (best, r) => (r && compareVersions(r.version, best?.version ?? written) > 0 ? r : best),
      undefined,
    );
    if (ahead) floors.set(chart.name, { ...ahead, written });
  }
  return floors;
}

/** A chart's entry in the plan as its own commits decide it, before its dependencies are taken into account. */
function chartPlan(chart: DiscoveredChart, decision: VersionDecision, history: ChartHistory | undefined, dependents: string[], deps: LocalDependency[]): ChartPlan {
  const { metadata } = chart.file;
  const plan: ChartPlan = {
    name: chart.name,
    path: chart.path,
    chartYaml: chart.chartYaml,
    currentVersion: metadata.version,
    nextVersion: decision.nextVersion,
    bump: decision.bump,
    action: decision.release ? 'release' : 'skipped',
    reasons: [...decision.reasons],
    dependents: [...new Set(dependents)],
    dependencies: [...new Set(deps.map((d) => d.chart))],
    changelog: decision.changelog,
  };
  if (history?.previousVersion !== undefined) plan.previousVersion = history.previousVersion;
  if (metadata.appVersion !== undefined) plan.appVersion = metadata.appVersion;
  if (metadata.deprecated !== undefined) plan.deprecated = metadata.deprecated;
  if (history?.previousPath !== undefined && plan.action === 'release') {
    plan.reasons.push({ kind: 'commit', message: `moved from ${history.previousPath || '.'}` });
  }
  return plan;
}

/** Versions ordered as helm reads them (`v1.0` is 1.0.0). */
function compareVersions(a: string, b: string): number {
  return semverCompare(asSemver(a).version, asSemver(b).version);
}

/** A released version ahead of Chart.yaml. */
interface Floor extends ReleasedVersion {
  written: string;
}

function startedFrom(floor: Floor): PlanReason {
  return { kind: 'released', version: floor.version, message: `Chart.yaml has ${floor.written}, but ${floor.version} is already released (${floor.where}): starting from ${floor.version}` };
}

function republishedAt(floor: Floor): PlanReason {
  return { kind: 'released', version: floor.version, message: `Chart.yaml has ${floor.written}, but ${floor.version} (${floor.where}) already holds these changes: a rerun` };
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

/** A dependency being released releases its dependents too (a patch at least) with constraints that admit it. */
function propagateDependencies(
  plan: ChartPlan,
  deps: LocalDependency[],
  planned: Map<string, ChartPlan>,
  prerelease: string | undefined,
  floor: (Floor & { past?: boolean; rerun?: boolean }) | undefined,
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
      if (floor?.rerun && compareVersions(next.version, floor.version) < 0) {
        next = { version: floor.version, bump: bumpBetween(floor.written, floor.version) };
        if (!plan.reasons.some((r) => r.kind === 'released')) plan.reasons.unshift(republishedAt(floor));
      } else if (floor && below(next.version, floor.version, floor.past)) {
        next = nextVersion(floor.version, 'patch', prerelease);
        if (!plan.reasons.some((r) => r.kind === 'released')) plan.reasons.unshift(startedFrom(floor));
      }
      plan.action = 'release';
      plan.nextVersion = next.version;
      plan.bump = next.bump;
    }
  }
}

/** Whether a planned version must start again from a released one: below it, or at it when the run is past it. */
function below(version: string, floor: string, pastFloor: boolean | undefined): boolean {
  const order = compareVersions(version, floor);
  return order < 0 || (order === 0 && pastFloor === true);
}

function appVersionOf(plan: ChartPlan, policy: PlanOptions['appVersion']): string | undefined {
  if (policy === undefined || policy === 'keep') return undefined;
  return policy === 'follow' ? plan.nextVersion : policy.value;
}

