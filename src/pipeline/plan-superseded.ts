import { changedAheadOf } from '../changes/branch-ahead.js';
import type { Git } from '../changes/git.js';
import type { ChartTarget } from '../helm-oci/index.js';
import type { ChartPlan, Plan } from '../model/plan.js';
import type { HoldsVersion } from './plan-held.js';

export interface SupersededOptions {
  git: Git;
  /** The branch the run publishes; its remote-tracking tip tells whether newer commits exist. */
  branch?: string;
  targets: ChartTarget[];
  holds: HoldsVersion;
  /** The date this run's archive of a chart carries (its last commit), as the published one carries its own. */
  archiveDate: (chart: ChartPlan) => Promise<Date>;
}

/**
 * The charts this run would publish above a version that newer commits published: an old run re-run ("re-run failed
 * jobs") after the next push's run released the chart. Its plan starts from that version and goes past it, so its
 * older content would become the newest version and undo the newer commits. Both must hold: the branch has moved
 * on past this run's commit with commits changing the chart, and the published archive is dated after this run's
 * (its chart's last commit is later). A queued run behind the tip is not caught: what it goes past is older.
 * Returns why, per chart.
 */
export async function supersededCharts(plan: Plan, options: SupersededOptions): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const above = plan.charts
    .map((chart) => ({ chart, from: chart.reasons.find((r) => r.kind === 'released')?.version }))
    .filter((a): a is { chart: ChartPlan; from: string } => a.chart.action === 'release' && a.from !== undefined && a.from !== a.chart.nextVersion)
    .map((a) => ({ ...a, holder: options.targets.find((t) => options.holds({ name: a.chart.name, nextVersion: a.from }, t)) }))
    .filter((a): a is { chart: ChartPlan; from: string; holder: ChartTarget } => a.holder !== undefined);
  if (above.length === 0) return found;
  // A chart changes with what its links reach, as with its own directory.
  const pathsOf = (chart: ChartPlan) => [chart.path, ...(chart.linked ?? [])];
  const ahead = await changedAheadOf(options.git, plan.head, options.branch, above.flatMap((a) => pathsOf(a.chart)));
  for (const { chart, from, holder } of above.filter((a) => pathsOf(a.chart).some((p) => ahead.has(p)))) {
    const published = Date.parse((await holder.inspectChart(chart.name, from))?.created ?? '');
    if (!(published > (await options.archiveDate(chart)).getTime())) continue;
    found.set(
      chart.name,
      `${chart.name} ${from} in ${holder.spec} was published from commits after ${plan.head.slice(0, 7)}, which ${options.branch} has moved past: ` +
        `publishing this older ${chart.name} as ${chart.nextVersion} would undo them, so it is left out (the run of the branch's newest commit publishes it)`,
    );
  }
  return found;
}

/** The plan with these charts, and every chart released that depends on one of them, not released. */
export function leaveOut(plan: Plan, why: Map<string, string>): Plan {
  const out = new Map(why);
  // Dependents come after their dependencies in a plan's order.
  for (const chart of plan.charts) {
    const blocked = chart.dependencies.find((d) => out.has(d));
    if (!out.has(chart.name) && blocked && chart.action === 'release') out.set(chart.name, `${chart.name} depends on ${blocked}, which is left out`);
  }
  return {
    ...plan,
    charts: plan.charts.map((c) => (out.has(c.name) ? { ...c, action: 'skipped', reasons: [...c.reasons, { kind: 'released', message: out.get(c.name)! }] } : c)),
  };
}
