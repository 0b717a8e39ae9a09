import semver from 'semver';
import type { ChartTarget } from '../helm-oci/index.js';
import { isStrictSemver } from '../model/helm-semver.js';
import type { ChartPlan, Plan } from '../model/plan.js';
import type { Listings } from './plan-held.js';
import { runGraph } from './schedule.js';

/**
 * A chart this run does not release whose current release (the highest version a target holds) some other target
 * lacks: a registry added to the list, or one that missed a release. A release tag or Chart.yaml says a version was
 * released somewhere, not that every target holds it; the targets' listings tell. The chart is copied there from a
 * target that holds it, as published (ChartPlan.missing): the same bytes under one version everywhere, also when the
 * chart changed since without a release. A target that cannot be listed is left as it is.
 */
export async function withMissing(plan: Plan, targets: ChartTarget[], seen: Listings): Promise<Plan> {
  if (targets.length < 2) return plan;
  const skipped = plan.charts.filter((c) => c.action === 'skipped');
  // Charts the plan did not ask about (unchanged) are listed now, quietly: an unreadable target makes it unknown.
  await runGraph(
    skipped.flatMap((c) => targets.filter((t) => !seen.listed(c.name, t)).map((t) => ({ id: `${t.spec} ${c.name}`, dependsOn: [], run: async () => seen.onListed(c.name, t, await t.listVersions(c.name, 'held')) }))),
    { limit: 8 },
  );
  const charts = plan.charts.map((chart): ChartPlan => {
    if (chart.action !== 'skipped') return chart;
    const lists = targets.map((t) => seen.listed(chart.name, t));
    const version = lists.flatMap((l) => [...(l ?? [])].filter(isStrictSemver)).sort(semver.rcompare)[0];
    const from = targets.find((_, i) => version !== undefined && lists[i]?.has(version));
    const to = targets.filter((_, i) => version !== undefined && lists[i] !== undefined && !lists[i].has(version));
    if (!version || !from || to.length === 0) return chart;
    const missing = { version, from: from.spec, to: to.map((t) => t.spec) };
    const message = `${version} is released in ${missing.from}, missing from ${missing.to.join(', ')}: copied there as published`;
    return { ...chart, missing, reasons: [{ kind: 'released', version, message }, ...chart.reasons] };
  });
  return { ...plan, charts };
}
