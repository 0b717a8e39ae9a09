import { ChartshipError } from '../model/errors.js';
import { compilePathGlob, DEFAULT_CHART_GLOBS, discoverCharts, type DiscoveredChart, type Glob } from '../charts/discover.js';
import type { ChartSelector } from '../config/index.js';
import { detectChanges, type ChartHistory } from '../changes/detect.js';
import { abortable, createGit, type Git } from '../changes/git.js';
import { openRepository, type Repository } from '../changes/refs.js';
import { treeForHead } from '../changes/git-tree.js';
import { decideVersion, type VersionDecision } from '../versioning/decide.js';
import { asSemver, isAbove, nextVersion } from '../versioning/next-version.js';
import { onFloor, releasedFloors, rerunAt, startedFrom, type Floor, type ReleasedVersion } from './plan-floors.js';
import { commitSelector } from './plan-commits.js';
import { localDependencies, normalizeNamespace, raisedConstraint, topologicalOrder, type LocalDependency } from './plan-graph.js';
import { invalidChart, refusedNames, unplannable } from './plan-invalid.js';
import { chartDirsAt, checkPatternsMatch, checkSelectors, everyChart } from './plan-selectors.js';
import { runGraph } from './schedule.js';
import { writtenDecision } from './plan-as-written.js';
import type { AppVersionPolicy, ChartVersioning } from './versioning-rules.js';
import type { Bump, ChartPlan, InvalidChart, Plan } from '../model/plan.js';

export interface PlanOptions {
  cwd: string;
  charts?: string[];
  exclude?: string[];
  skipDeprecated?: boolean;
  base?: string;
  head?: string;
  sinceTags?: boolean;
  /**
   * `base` is the CI event's (a push's `before`), not one the user named: when the repository does not have it (a force
   * push rewrote it away), the plan starts from each chart's release tag and the registries instead of failing.
   */
  eventBase?: boolean;
  tagTemplate?: string;
  prerelease?: string;
  versionBump?: 'conventional' | 'none';
  otherTypes?: 'patch' | 'none';
  appVersion?: AppVersionPolicy;
  /** Release exactly the charts whose Chart.yaml version is not released yet, at that version (plan-as-written.ts). */
  asWritten?: boolean;
  /** Per-chart versioning (.chartship.yaml's `versioning:`), laid over the options above. */
  rulesFor?: (chart: { name: string; path: string }) => ChartVersioning;
  /** The publish targets: the oci://host/ns ones recognise dependencies on charts of this repository published there. */
  registryNamespaces?: string[];
  /** .chartship.yaml's `charts:` entries: one that selects no chart is a typo (a name fails, a glob warns), as is such an `exclude`. */
  selectors?: ChartSelector[];
  /** Why a chart cannot be published to the targets at all (its name makes no repository there), or undefined. */
  unpublishable?: (chart: string) => string | undefined;
  /**
   * Whether every target lists a chart and none holds `version` (Chart.yaml's) or a version above it: such a
   * chart is released at that version though the range did not change it (the first run after adding the workflow
   * publishes the charts already there, as chart-releaser's first run does; a run after one that was cancelled, or
   * failed, publishes the version bumped by hand or committed that the other did not). A target that cannot be listed
   * makes it unknown, and the chart waits.
   */
  unpublished?: (chart: string, version: string) => Promise<boolean>;
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
  const namespaces = new Set((options.registryNamespaces ?? []).filter((t) => t.startsWith('oci://')).map(normalizeNamespace));
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
  // The registries are asked only about charts that can be released (changed ones, and those a dependency can pull
  // in) and about dependencies, which a dependent released now packages at the version last published.
  const depended = new Set([...deps.values()].flat().map((d) => d.chart));
  const candidates = (options.asWritten ? charts : charts.filter((c) => decisions.get(c.name)!.release || (deps.get(c.name)?.length ?? 0) > 0 || depended.has(c.name))).filter((c) => !isRefused.has(c.name));
  const published = await askEach(candidates, options.publishedVersion);
  // With a range, a chart nothing releases whose Chart.yaml version no release tag reaches may be at a version the
  // targets lack (never released; bumped by hand or committed in a push whose run was cancelled): unless a
  // dependency's release does (below), it is published as it is. Asked after the charts above, so their listings
  // decide whether a target is readable at all.
  const untagged = (c: DiscoveredChart, tag = changes.charts.get(c.name)?.lastRelease) => !tag || isAbove(c.file.metadata.version, tag.version);
  const notReleased = charts.filter((c) => !isRefused.has(c.name) && !decisions.get(c.name)!.release && untagged(c));
  const unpublished =
    options.asWritten || changes.base === undefined
      ? new Map<string, true>()
      : await askEach(notReleased, options.unpublished && (async (chart) => (await options.unpublished!(chart, byName.get(chart)!.file.metadata.version)) || undefined));
  // Published for the first time, unchanged: what its dependents package of it is what they packaged before.
  const firstPublished = new Set<string>();
  if (options.asWritten) {
    for (const chart of charts) decisions.set(chart.name, writtenDecision(chart.file.metadata.version, decisions.get(chart.name)!, changes.charts.get(chart.name), published.get(chart.name)));
  }
  const floors = releasedFloors(charts, changes.charts, published, options);
  for (const [name, floor] of options.asWritten ? [] : floors) {
    const decision = decisions.get(name)!;
    if (!decision.release) continue;
    // Never below a released version: start again from it, or, for a rerun of what published it, stay at it.
    const verdict = onFloor(decision.nextVersion, floor);
    if (verdict === 'rerun') {
      const { reason, ...at } = rerunAt(floor);
      decisions.set(name, { ...decision, ...at, reasons: [reason, ...decision.reasons] });
    } else if (verdict === 'restart') {
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
    const changedDeps = (deps.get(name) ?? []).filter((d) => !firstPublished.has(d.chart));
    if (!options.asWritten) propagateDependencies(plan, changedDeps, planned, rulesOf(chart).prerelease, floors.get(name), (note) => warn(chart, note));
    if (plan.action !== 'release' && unpublished.has(name)) {
      publishFirst(plan);
      firstPublished.add(name);
    }
    const floor = floors.get(name);
    if (plan.action === 'skipped' && floor && !options.asWritten) plan.releasedVersion = floor.version;
    if (plan.action === 'release' && !options.asWritten) {
      const app = appVersionOf(plan, rulesOf(chart).appVersion);
      if (app !== undefined) plan.nextAppVersion = app;
    }
    planned.set(name, plan);
  }

  const plan: Plan = { root, head: changes.head, patterns, charts: order.map((n) => planned.get(n)!), deleted: changes.deleted, invalid };
  if (changes.base) plan.base = changes.base;
  if (namespaces.size > 0) plan.ociNamespaces = [...namespaces];
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
  let listed = (): void => undefined;
  const walked = new Promise<void>((resolve) => (listed = resolve));
  const tree = repository.then((r) => treeForHead(git, r.root, options.head, r.commit));
  const discovering = tree.then(async (from) =>
    discoverCharts(await root, {
      tree: from,
      charts: options.charts,
      exclude: options.exclude,
      skipDeprecated: options.skipDeprecated,
      // One broken Chart.yaml must not stop the release of every other chart.
      onInvalid: (chartYaml, error, read) => invalid.push(invalidChart(chartYaml, error, read)),
      onFound: (dirs) => {
        found = dirs;
        listed();
      },
    }),
  );
  // Handled below (detectChanges awaits the repository first); this only keeps them from counting as unhandled meanwhile.
  for (const pending of [repository, root, tree, discovering]) pending.catch(() => undefined);
  const base = options.sinceTags ? undefined : options.base;
  const every = async () => everyChart(await root, await tree);
  // A glob that matches no chart fails as soon as the chart directories are listed, without waiting for the history
  // (seconds on a big repository), which is read beside and ended; unless the base had a chart the glob matches: the
  // range may have deleted that one, which only the history tells (checked again below). A head git does not know yet
  // (none committed, or to be fetched) is detection's to report.
  let atBase: Promise<string[]> | undefined;
  const hadAtBase = async (glob: Glob) => (await (atBase ??= chartDirsAt(git, base, await root))).some((dir) => glob.matches(dir));
  const checked = Promise.race([walked, discovering]).then(async () => {
    if ((await repository).commit) await checkPatternsMatch(patterns, include, found, hadAtBase, await root, every);
  });
  const typo = new AbortController();
  checked.catch(() => typo.abort(new Error('a charts glob matched no chart')));
  const history = abortable(git, typo.signal);
  const detect = (base: string | undefined, known?: Promise<Repository>) =>
    detectChanges({ git: history, root, charts: discovering, head: options.head, base, tagTemplate: options.tagTemplate, isChartDir: (dir) => include.some((g) => g.matches(dir)), tree, ...(known && { repository: known }) });
  const detected = detect(base, repository).catch((error: unknown) => {
    if (!options.eventBase || !(error instanceof ChartshipError) || error.code !== 'GIT_REF_UNKNOWN' || error.field !== 'base') throw error;
    options.onWarning?.(
      new ChartshipError(`the event's base ${base?.slice(0, 12) ?? ''} is not in the repository (a force push rewrote it away?): each chart is planned from its newest release tag, and from what the registries hold`, { field: 'base', code: 'BASE_MISSING' }),
    );
    // Looking for the base may have unshallowed the clone: what openRepository saw of it is out of date.
    return detect(undefined);
  });
  const [changes] = await Promise.all([detected, checked]);
  for (const warning of changes.warnings) options.onWarning?.(warning);
  const charts = await discovering;
  const [dir, from] = [await root, await tree];
  await checkPatternsMatch(patterns, include, found, (glob) => changes.deleted.some((d) => glob.matches(d.path)), dir, every);
  return { root: dir, patterns, charts, changes, invalid, found, tree: from };
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
  if (history?.releaseTag !== undefined) plan.previousTag = history.releaseTag;
  if (history?.linked) plan.linked = history.linked;
  if (metadata.appVersion !== undefined) plan.appVersion = metadata.appVersion;
  if (metadata.deprecated !== undefined) plan.deprecated = metadata.deprecated;
  if (history?.previousPath !== undefined && plan.action === 'release') {
    plan.reasons.push({ kind: 'commit', message: `moved from ${history.previousPath || '.'}` });
  }
  return plan;
}

/** A chart nothing releases whose version the targets lack: released as Chart.yaml has it (see PlanOptions.unpublished). */
function publishFirst(plan: ChartPlan): void {
  plan.action = 'release';
  plan.bump = 'none';
  plan.nextVersion = plan.currentVersion;
  plan.firstPublication = true;
  plan.reasons.unshift({ kind: 'first-release', message: `first release of ${plan.currentVersion}: no registry holds it yet` });
}

/** Asks `lookup` about each chart, a few at once (each may be a request to every target); undefined answers drop. */
async function askEach<T>(charts: DiscoveredChart[], lookup: ((chart: string) => Promise<T | undefined>) | undefined): Promise<Map<string, T>> {
  const found = new Map<string, T>();
  if (!lookup) return found;
  const outcomes = await runGraph(
    charts.map((chart) => ({ id: chart.name, dependsOn: [], run: () => lookup(chart.name) })),
    { limit: 8 },
  );
  for (const [name, outcome] of outcomes) {
    if (outcome.state === 'failed') throw outcome.error;
    if (outcome.state === 'done' && outcome.value !== undefined) found.set(name, outcome.value);
  }
  return found;
}

/**
 * A dependency being released releases its dependents too (a patch at least) with constraints that admit it; so does a
 * `file://` one released before at a version the dependent's constraint does not admit (a per-chart release pull
 * request of the dependency merged first): helm would not build the dependent until its constraint is raised.
 */
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
    if (!target) continue;
    const raised = raisedConstraint(dep.version, target.nextVersion);
    if (target.action !== 'release' && !(dep.file && raised !== undefined)) continue;
    const raise = raised === undefined ? '' : ` (dependency version ${dep.version} → ${raised})`;
    plan.reasons.push({ kind: 'dependency', chart: dep.chart, message: `depends on ${dep.chart} ${target.nextVersion}${raise}` });
    if (plan.action !== 'release') {
      // Not released itself, its next version is where it stands (Chart.yaml, or a release ahead of it).
      let next = nextVersion(plan.nextVersion, 'patch', prerelease);
      warn(next.note);
      const verdict = onFloor(next.version, floor);
      if (verdict && floor) {
        const { reason, ...at } = verdict === 'rerun' ? rerunAt(floor) : { ...nextVersionFrom(floor, prerelease), reason: startedFrom(floor) };
        next = { version: at.nextVersion, bump: at.bump };
        if (!plan.reasons.some((r) => r.kind === 'released')) plan.reasons.unshift(reason);
      }
      plan.action = 'release';
      plan.nextVersion = next.version;
      plan.bump = next.bump;
    }
  }
}

/** The patch after a released version, for a dependent started again from it. */
function nextVersionFrom(floor: Floor, prerelease: string | undefined): { nextVersion: string; bump: Bump } {
  const next = nextVersion(floor.version, 'patch', prerelease);
  return { nextVersion: next.version, bump: next.bump };
}

function appVersionOf(plan: ChartPlan, policy: PlanOptions['appVersion']): string | undefined {
  if (policy === undefined || policy === 'keep') return undefined;
  return policy === 'follow' ? plan.nextVersion : policy.value;
}

