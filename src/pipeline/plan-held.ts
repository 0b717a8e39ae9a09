import type { ChartTarget } from '../helm-oci/index.js';
import type { ChartPlan, Plan } from '../model/plan.js';
import type { DigestsOf } from './plan-published.js';
import type { PlanOptions } from './plan.js';
import { asPublished } from './plan-edits.js';
import { digestsOf, type PackChart } from './packer.js';

/** Whether a target listed a chart's planned version when the plan asked it (no request: the listing is kept). */
export type HoldsVersion = (chart: Pick<ChartPlan, 'name' | 'nextVersion'>, target: ChartTarget) => boolean;

/** Keeps what each target listed per chart (targetsForPlan's onListed) and answers HoldsVersion from it. */
export interface Listings {
  onListed: (chart: string, target: ChartTarget, versions: string[]) => void;
  holds: HoldsVersion;
  /** What a target listed of a chart, undefined when it was not asked (or could not answer). */
  listed: (chart: string, target: ChartTarget) => ReadonlySet<string> | undefined;
}

export function listings(): Listings {
  const listed = new Map<ChartTarget, Map<string, Set<string>>>();
  return {
    onListed: (chart, target, versions) => listed.set(target, (listed.get(target) ?? new Map<string, Set<string>>()).set(chart, new Set(versions))),
    holds: (chart, target) => listed.get(target)?.get(chart.name)?.has(chart.nextVersion) === true,
    listed: (chart, target) => listed.get(target)?.get(chart),
  };
}

/** The charts the plan bumped (not set by hand, not Release-As) to a version some target lists. */
export function bumpedOntoHeld(plan: Plan, targets: ChartTarget[], holds: HoldsVersion): ChartPlan[] {
  return plan.charts.filter((c) => c.action === 'release' && c.nextVersion !== c.currentVersion && !c.reasons.some((r) => r.kind === 'release-as') && targets.some((t) => holds(c, t)));
}

/**
 * Of `charts`, each planned at a version some target holds, those it holds with other content than `digestsOf` gives.
 * A chart that cannot be packaged, or a target that cannot be read, leaves the chart as planned: its release, one chart
 * alone, reports that (a plan does not fail for every chart over one).
 */
export async function heldWithOtherContent(charts: ChartPlan[], targets: ChartTarget[], holds: HoldsVersion, digestsOf: DigestsOf): Promise<Set<string>> {
  const differing = new Set<string>();
  await Promise.all(
    charts.map(async (chart) => {
      try {
        const local = await digestsOf(chart);
        for (const target of targets.filter((t) => holds(chart, t))) {
          const published = await target.inspectChart(chart.name, chart.nextVersion);
          if (published && (published.configDigest !== local.configDigest || published.chartDigest !== local.chartDigest)) differing.add(chart.name);
        }
      } catch {
        // Left as planned: see above.
      }
    }),
  );
  return differing;
}

/** Bounds the rounds of planPublished: each moves a chart at most from rerun to past, so a few suffice. */
const PUBLISHED_ROUNDS = 8;

/**
 * The plan once it agrees with what the targets hold. Chart.yaml may lag behind the versions published (bumps nothing
 * recorded: no commit-bump, no release tag read by a push's range), so a bump from it can land on or below a version
 * a target holds, and only content tells what that version is:
 * - the content this run would publish there: a rerun of the range that published it, which stays at that version
 *   (the push finds it unchanged) instead of publishing the same changes again under a new one;
 * - other content: the release of an earlier range, which this range's commits come after, so the bump starts from it.
 * Charts bumped below a held version are first planned at it (`republished`); those whose content there differs, like
 * those bumped onto a held version with other content, then start from it (`pastPublished`). `differing` names, of the
 * charts given, those a target holds with other content, packaged as the caller would publish the plan.
 */
export async function planPublished(
  plan: Plan,
  again: (known: Pick<PlanOptions, 'pastPublished' | 'republished'>) => Promise<Plan>,
  targets: ChartTarget[],
  holds: HoldsVersion,
  differing: (plan: Plan, charts: ChartPlan[]) => Promise<Set<string>>,
): Promise<Plan> {
  const pastPublished = new Set<string>();
  const republished = new Set<string>();
  for (let round = 0; round < PUBLISHED_ROUNDS; round++) {
    const below = plan.charts.filter((c) => {
      const from = c.reasons.find((r) => r.kind === 'released')?.version;
      return c.action === 'release' && from !== undefined && from !== c.nextVersion && !republished.has(c.name) && !pastPublished.has(c.name) && targets.some((t) => holds({ name: c.name, nextVersion: from }, t));
    });
    if (below.length === 0) {
      const held = bumpedOntoHeld(plan, targets, holds);
      const found = held.length === 0 ? [] : [...(await differing(plan, held))].filter((name) => !pastPublished.has(name));
      if (found.length === 0) return plan;
      for (const name of found) {
        pastPublished.add(name);
        republished.delete(name);
      }
    } else for (const chart of below) republished.add(chart.name);
    plan = await again({ pastPublished, republished });
  }
  return plan;
}

/** heldWithOtherContent, with the charts packaged as the plan publishes them (asPublished, the run's packer). */
export function heldDiffering(plan: Plan, charts: ChartPlan[], targets: ChartTarget[], holds: HoldsVersion, pack: PackChart): Promise<Set<string>> {
  return asPublished(plan, () => heldWithOtherContent(charts, targets, holds, digestsOf(pack, plan)));
}

/**
 * Without a range or a release tag a chart's version is "a first release" only as far as git tells; when every target
 * lists it already (a second local run, a workflow_dispatch), the plan says so instead of promising a first release
 * that the push then reports unchanged, or refuses as other content.
 */
export function sayHeld(plan: Plan, targets: ChartTarget[], holds: HoldsVersion): Plan {
  const charts = plan.charts.map((chart): ChartPlan => {
    const [first, ...rest] = chart.reasons;
    if (chart.action === 'skipped' || first?.kind !== 'first-release' || chart.firstPublication || !targets.every((t) => holds(chart, t))) return chart;
    const message = `no release tag: ${chart.nextVersion} as Chart.yaml has it, which ${targets.length === 1 ? 'the target holds' : 'every target holds'} already`;
    return { ...chart, held: true, reasons: [{ ...first, message }, ...rest] };
  });
  return { ...plan, charts };
}
