import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createGit } from '../changes/git.js';
import { ChartshipError, inFile } from '../model/errors.js';
import { requireCheckedOut } from '../changes/git-tree.js';
import type { ChartPlan, Plan } from '../model/plan.js';
import { editChartYaml, readYaml, type ChartYamlEdits } from '../versioning/chart-yaml.js';
import { normalizeNamespace, raisedConstraint } from './plan-graph.js';
import type { ChartDependency } from '../model/metadata.js';
import { parseChartFiles } from '../charts/chartfile.js';
import { helmChartLock } from '../charts/helm-yaml.js';
import { parseChartLock, type ChartLock } from '../charts/lockfile.js';
import { updatedLock } from '../charts/lock-update.js';
import { holdForPutBack, keepAsWritten, putBack, type BumpedFile } from '../model/bumped-files.js';

/**
 * Writes the plan's version changes into each Chart.yaml it releases: version, appVersion, and dependency constraints
 * on released local charts that no longer admit their new version, with the lock that pins them. Returns the absolute
 * paths written.
 */
export async function applyPlan(plan: Plan): Promise<string[]> {
  const files = (await applyPlanEdits(plan)).map((edit) => edit.file);
  keepAsWritten(files);
  return files;
}

/**
 * Runs `body` with the plan's bumps written, then puts the files back: what packaging reads then is what a publish of
 * the plan packages (a dependent holds its dependencies at their new versions), for comparing it with what a registry
 * holds.
 */
export async function withPlanEdits<T>(plan: Plan, body: () => Promise<T>): Promise<T> {
  const edits = await applyPlanEdits(plan);
  try {
    return await body();
  } finally {
    await putBack(edits);
  }
}

/**
 * withPlanEdits, or, when the work tree is not at the plan's head (a dry run with --head elsewhere) and the bumps
 * cannot be written, `body` on the work tree as it is.
 */
export async function asPublished<T>(plan: Plan, body: () => Promise<T>): Promise<T> {
  let started = false;
  try {
    return await withPlanEdits(plan, () => ((started = true), body()));
  } catch (error) {
    if (started || !(error instanceof ChartshipError) || error.code !== 'HEAD_NOT_CHECKED_OUT') throw error;
    return body();
  }
}

/**
 * A plan's edits, worked out once: a publish may write them to compare its charts with a registry (withPlanEdits), put
 * the files back, then write them again to release, and editing a Chart.yaml costs far more than writing it.
 */
const edited = new WeakMap<Plan, Promise<ChartYamlEdit[]>>();

/**
 * As applyPlan, keeping each file's text from before, so a run that only publishes can put the work tree back: held
 * for that (bumped-files.ts) until it is put back or kept, even when the run is interrupted.
 */
export async function applyPlanEdits(plan: Plan): Promise<BumpedFile[]> {
  let pending = edited.get(plan);
  if (!pending) edited.set(plan, (pending = planEdits(plan)));
  const edits = await pending;
  const bumped = edits.map(({ file, before }) => ({ file, before }));
  holdForPutBack(bumped);
  await Promise.all(edits.map((edit) => writeFile(edit.file, edit.after)));
  return bumped;
}

/**
 * The Chart.yaml files (and requirements.yaml, and locks) the plan changes, before and after, without writing them (a release pull request commits
 * them). With `only`, just those charts' files: their constraints still follow every chart the plan releases (a
 * per-chart release pull request raises its chart's constraint on a dependency another one releases).
 */
export async function planEdits(plan: Plan, only?: ReadonlySet<string>): Promise<ChartYamlEdit[]> {
  const root = plan.root;
  await requireCheckedOut(createGit(root), plan.head, 'writing the new versions');
  const next = new Map(plan.charts.filter((c) => c.action !== 'skipped').map((c) => [c.name, c.nextVersion]));
  // What each local chart's Chart.yaml holds once the edits are written: a lock pins a file:// chart at that. An oci://
  // one where the plan publishes it is pinned only at a version the plan publishes: a skipped chart's Chart.yaml
  // version may be in no registry.
  const versionAfter = new Map(plan.charts.map((c) => [c.name, next.get(c.name) ?? c.releasedVersion ?? c.currentVersion]));
  const packaged = packagedDependencies(plan);
  const namespaces = new Set(plan.ociNamespaces);
  const pinOf = (dep: ChartDependency): string | undefined => {
    const repository = dep.repository ?? '';
    if (repository.startsWith('file://')) return versionAfter.get(dep.name);
    return repository.startsWith('oci://') && namespaces.has(normalizeNamespace(repository)) ? next.get(dep.name) : undefined;
  };
  const edits: ChartYamlEdit[] = [];
  for (const chart of plan.charts) {
    if ((chart.action === 'skipped' && !packaged.has(chart.name)) || (only && !only.has(chart.name))) continue;
    const file = join(root, chart.chartYaml);
    const text = await readFile(file, 'utf8');
    // helm reads requirements.yaml over Chart.yaml (a v1 chart's dependencies are there): a constraint is raised where
    // helm reads it from.
    const requirementsPath = join(chart.path, 'requirements.yaml');
    const requirements = await readIfPresent(join(root, requirementsPath));
    const requirementsEdits: ChartYamlEdits = { dependencies: [] };
    const raised: string[] = [];
    const updated = editIn(chart.chartYaml, () =>
      editChartYaml(text, (chartYaml) => {
        const edits = chartYamlEdits(chart, chartYaml, requirements === undefined ? undefined : editIn(requirementsPath, () => readYaml(requirements)), next, versionAfter, raised);
        requirementsEdits.dependencies = edits.inRequirements;
        return edits;
      }),
    );
    if (updated !== text) edits.push({ file, before: text, after: updated, raised });
    let requirementsAfter = requirements;
    if (requirements !== undefined && requirementsEdits.dependencies!.length > 0) {
      requirementsAfter = editIn(requirementsPath, () => editChartYaml(requirements, requirementsEdits));
      edits.push({ file: join(root, requirementsPath), before: requirements, after: requirementsAfter, raised: [] });
    }
    const lock = await lockEdit(root, chart, { chartYaml: [text, updated], requirements: [requirements, requirementsAfter] }, pinOf);
    if (lock) edits.push(lock);
  }
  return edits;
}

/**
 * The skipped charts with a release ahead of Chart.yaml that a released chart packages (its dependencies, theirs…):
 * their Chart.yaml is written at that release, so that the dependent carries them as released.
 */
function packagedDependencies(plan: Plan): Set<string> {
  const byName = new Map(plan.charts.map((c) => [c.name, c]));
  const seen = new Set<string>();
  const visit = (names: string[]): void => {
    for (const chart of names.flatMap((n) => byName.get(n) ?? [])) {
      if (chart.action !== 'skipped' || seen.has(chart.name)) continue;
      seen.add(chart.name);
      visit(chart.dependencies);
    }
  };
  visit(plan.charts.filter((c) => c.action !== 'skipped').flatMap((c) => c.dependencies));
  return new Set([...seen].filter((name) => byName.get(name)!.releasedVersion !== undefined));
}

/**
 * The chart's lock (requirements.lock over Chart.lock, as helm's loader reads them) rewritten as `helm dependency
 * update` would after these edits, when they change it: else `helm dependency build` refuses the dependent's committed
 * tree as out of sync, or finds a released local chart at a version its lock no longer names.
 */
async function lockEdit(
  root: string,
  chart: ChartPlan,
  texts: { chartYaml: [string, string]; requirements: [string | undefined, string | undefined] },
  pinOf: (dep: ChartDependency) => string | undefined,
): Promise<ChartYamlEdit | undefined> {
  let found: { path: string; text: string; lock: ChartLock } | undefined;
  for (const name of ['Chart.lock', 'requirements.lock']) {
    const path = join(chart.path, name);
    const text = await readIfPresent(join(root, path));
    if (text === undefined) continue;
    const lock = lockOrNone(text, path);
    if (lock === null) return undefined;
    found = lock && { path, text, lock };
  }
  if (!found) return undefined;
  const requirementsPath = join(chart.path, 'requirements.yaml');
  const read = (i: 0 | 1) => {
    const requirements = texts.requirements[i];
    return parseChartFiles({ text: texts.chartYaml[i], file: chart.chartYaml }, requirements === undefined ? undefined : { text: requirements, file: requirementsPath }).metadata;
  };
  const [before, after] = [read(0), read(1)];
  const updated = updatedLock(found.lock, {
    apiVersion: after.apiVersion,
    before: before.dependencies ?? [],
    after: after.dependencies ?? [],
    localVersion: (dep) => (chart.dependencies.includes(dep.name) ? pinOf(dep) : undefined),
  });
  return updated && { file: join(root, found.path), before: found.text, after: helmChartLock(updated), raised: [] };
}

/**
 * The lock, undefined for an empty one (no lock to helm), null for one helm cannot load: that chart fails where it is
 * packaged, naming the lock, and the others still publish.
 */
function lockOrNone(text: string, path: string): ChartLock | undefined | null {
  try {
    return parseChartLock(text, path);
  } catch (error) {
    if (error instanceof ChartshipError && error.code === 'CHART_LOCK_INVALID') return null;
    throw error;
  }
}

async function readIfPresent(file: string): Promise<string | undefined> {
  return readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
}

/** `edit()`, its errors naming `file` (relative to the repository) when they name none. */
function editIn<T>(file: string, edit: () => T): T {
  try {
    return edit();
  } catch (error) {
    throw inFile(error, file);
  }
}

export interface ChartYamlEdit {
  file: string;
  before: string;
  after: string;
  /** The dependencies whose constraint was raised to admit their new version. */
  raised: string[];
}

type RawDependency = { name?: string; version?: string; repository?: string } | null;

/**
 * The Chart.yaml edits for `chart`, and, in `inRequirements`, the constraints to raise in requirements.yaml instead:
 * helm decodes requirements.yaml over Chart.yaml item by item, so a dependency's version is read from requirements.yaml
 * when its item there sets one.
 */
function chartYamlEdits(chart: ChartPlan, chartYaml: unknown, requirements: unknown, next: Map<string, string>, versionAfter: Map<string, string>, raisedNames: string[]) {
  const listed = (doc: unknown): RawDependency[] => ((doc ?? {}) as { dependencies?: RawDependency[] }).dependencies ?? [];
  const own = listed(chartYaml);
  const overriding = listed(requirements);
  const dependencies: { index: number; version: string }[] = [];
  const inRequirements: { index: number; version: string }[] = [];
  for (let index = 0; index < Math.max(own.length, overriding.length); index++) {
    const dep = { ...own[index], ...overriding[index] };
    // A file:// chart is packaged as the repository has it, released now or before.
    const version = dep.name === undefined || !chart.dependencies.includes(dep.name) ? undefined : (dep.repository?.startsWith('file://') ? versionAfter : next).get(dep.name);
    if (version === undefined || /^https?:/.test(dep.repository ?? '')) continue;
    const raised = raisedConstraint(dep.version, version);
    if (raised === undefined) continue;
    (overriding[index]?.version !== undefined ? inRequirements : dependencies).push({ index, version: raised });
    raisedNames.push(dep.name!);
  }
  const edits: ChartYamlEdits & { dependencies: typeof dependencies; inRequirements: typeof inRequirements } = { dependencies, inRequirements };
  const version = chart.action === 'skipped' ? (chart.releasedVersion ?? chart.currentVersion) : chart.nextVersion;
  if (version !== chart.currentVersion) edits.version = version;
  if (chart.nextAppVersion !== undefined && chart.nextAppVersion !== chart.appVersion) edits.appVersion = chart.nextAppVersion;
  return edits;
}
