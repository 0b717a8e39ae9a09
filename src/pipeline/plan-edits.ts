import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createGit } from '../changes/git.js';
import { ChartshipError, inFile } from '../model/errors.js';
import { requireCheckedOut } from '../changes/git-tree.js';
import type { ChartPlan, Plan } from '../model/plan.js';
import { editChartYaml, readYaml, type ChartYamlEdits } from '../versioning/chart-yaml.js';
import { raisedConstraint } from './plan-graph.js';

/**
 * Writes the plan's version changes into each Chart.yaml it releases: version, appVersion, and dependency constraints
 * on released local charts that no longer admit their new version. Returns the absolute paths written.
 */
export async function applyPlan(plan: Plan): Promise<string[]> {
  return (await applyPlanEdits(plan)).map((edit) => edit.file);
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
    await Promise.all(edits.map((edit) => writeFile(edit.file, edit.before)));
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

/** As applyPlan, keeping each file's text from before, so a run that only publishes can put the work tree back. */
export async function applyPlanEdits(plan: Plan): Promise<{ file: string; before: string }[]> {
  let pending = edited.get(plan);
  if (!pending) edited.set(plan, (pending = planEdits(plan)));
  const edits = await pending;
  await Promise.all(edits.map((edit) => writeFile(edit.file, edit.after)));
  return edits.map(({ file, before }) => ({ file, before }));
}

/**
 * The Chart.yaml files the plan changes, before and after, without writing them (a release pull request commits
 * them). With `only`, just those charts' files: their constraints still follow every chart the plan releases (a
 * per-chart release pull request raises its chart's constraint on a dependency another one releases).
 */
export async function planEdits(plan: Plan, only?: ReadonlySet<string>): Promise<ChartYamlEdit[]> {
  const root = plan.root;
  await requireCheckedOut(createGit(root), plan.head, 'writing the new versions');
  const next = new Map(plan.charts.filter((c) => c.action !== 'skipped').map((c) => [c.name, c.nextVersion]));
  const edits: ChartYamlEdit[] = [];
  for (const chart of plan.charts) {
    if (chart.action === 'skipped' || (only && !only.has(chart.name))) continue;
    const file = join(root, chart.chartYaml);
    const text = await readFile(file, 'utf8');
    // helm reads requirements.yaml over Chart.yaml (a v1 chart's dependencies are there): a constraint is raised where
    // helm reads it from.
    const requirementsPath = join(chart.path, 'requirements.yaml');
    const requirements = await readFile(join(root, requirementsPath), 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw error;
    });
    const requirementsEdits: ChartYamlEdits = { dependencies: [] };
    const raised: string[] = [];
    const updated = editIn(chart.chartYaml, () =>
      editChartYaml(text, (chartYaml) => {
        const edits = chartYamlEdits(chart, chartYaml, requirements === undefined ? undefined : editIn(requirementsPath, () => readYaml(requirements)), next, raised);
        requirementsEdits.dependencies = edits.inRequirements;
        return edits;
      }),
    );
    if (updated !== text) edits.push({ file, before: text, after: updated, raised });
    if (requirements !== undefined && requirementsEdits.dependencies!.length > 0) {
      const after = editIn(requirementsPath, () => editChartYaml(requirements, requirementsEdits));
      edits.push({ file: join(root, requirementsPath), before: requirements, after, raised: [] });
    }
  }
  return edits;
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
function chartYamlEdits(chart: ChartPlan, chartYaml: unknown, requirements: unknown, next: Map<string, string>, raisedNames: string[]) {
  const listed = (doc: unknown): RawDependency[] => ((doc ?? {}) as { dependencies?: RawDependency[] }).dependencies ?? [];
  const own = listed(chartYaml);
  const overriding = listed(requirements);
  const dependencies: { index: number; version: string }[] = [];
  const inRequirements: { index: number; version: string }[] = [];
  for (let index = 0; index < Math.max(own.length, overriding.length); index++) {
    const dep = { ...own[index], ...overriding[index] };
    const version = dep.name === undefined || !chart.dependencies.includes(dep.name) ? undefined : next.get(dep.name);
    if (version === undefined || /^https?:/.test(dep.repository ?? '')) continue;
    const raised = raisedConstraint(dep.version, version);
    if (raised === undefined) continue;
    (overriding[index]?.version !== undefined ? inRequirements : dependencies).push({ index, version: raised });
    raisedNames.push(dep.name!);
  }
  const edits: ChartYamlEdits & { dependencies: typeof dependencies; inRequirements: typeof inRequirements } = { dependencies, inRequirements };
  if (chart.nextVersion !== chart.currentVersion) edits.version = chart.nextVersion;
  if (chart.nextAppVersion !== undefined && chart.nextAppVersion !== chart.appVersion) edits.appVersion = chart.nextAppVersion;
  return edits;
}
