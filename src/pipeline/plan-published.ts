import { ChartshipError } from '../model/errors.js';
import type { ChartPlan, Plan } from '../model/plan.js';

export interface ContentDigests {
  configDigest: string;
  chartDigest: string;
}

/** What a target registry already holds; `openTarget(…).inspectChart` implements it. */
export interface PublishedState {
  inspect(name: string, version: string): Promise<ContentDigests | undefined>;
}

/** Digests of what would be pushed for a chart at its next version (packages it). */
export type DigestsOf = (chart: Pick<ChartPlan, 'path' | 'nextVersion' | 'nextAppVersion'>) => Promise<ContentDigests>;

export interface CheckPublishedOptions {
  /** Replace a published version whose content differs, instead of failing. */
  overwrite?: boolean;
  /** The target as the user wrote it, for messages. */
  target?: string;
}

/**
 * Marks charts whose next version the registry already holds with the same content as `unchanged`. The manifest digest
 * is not compared: it embeds a creation time, so config and chart-layer digests decide. Different content under a
 * published version is an error: registries are expected to be immutable per version.
 */
export async function checkPublished(plan: Plan, state: PublishedState, digestsOf: DigestsOf, options: CheckPublishedOptions = {}): Promise<Plan> {
  const charts = await Promise.all(
    plan.charts.map(async (chart): Promise<ChartPlan> => {
      if (chart.action !== 'release') return chart;
      const published = await state.inspect(chart.name, chart.nextVersion);
      if (!published) return chart;
      const local = await digestsOf(chart);
      if (local.configDigest === published.configDigest && local.chartDigest === published.chartDigest) {
        return { ...chart, action: 'unchanged' };
      }
      const where = options.target ? ` in ${options.target}` : '';
      if (options.overwrite) {
        return { ...chart, reasons: [...chart.reasons, { kind: 'forced', message: `overwrites ${chart.name} ${chart.nextVersion}${where} (content differs)` }] };
      }
      throw new ChartshipError(`${chart.name} ${chart.nextVersion} is already published${where} with different content`, {
        file: chart.chartYaml,
        field: 'version',
        code: 'VERSION_EXISTS',
        hint: unrecordedRelease(plan, chart) ?? 'published versions are immutable: bump the version, or enable overwrite',
      });
    }),
  );
  return { ...plan, charts };
}

/**
 * Why a chart went to a version a registry holds with other content, when that is because nothing told the plan where
 * its release was: no range (a push or pull request event's, or a base) and no release tag, so the version written in
 * Chart.yaml was taken as a first release. The chart changed since it was published (a second local run, a
 * workflow_dispatch): the way out is a base, not --overwrite.
 */
export function unrecordedRelease(plan: Pick<Plan, 'base'>, chart: Pick<ChartPlan, 'name' | 'nextVersion' | 'reasons'>): string | undefined {
  if (plan.base !== undefined || chart.reasons[0]?.kind !== 'first-release') return undefined;
  return (
    `no range and no release tag of ${chart.name} tell which commits came after ${chart.nextVersion}: pass the commit it was published from as the base (--base), ` +
    "or bump Chart.yaml's version; a release tag for each release tells the next run where it is (create-releases makes them; " +
    'commit-bump records bumped versions only, not one published as written)'
  );
}

