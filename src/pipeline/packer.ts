import { join } from 'node:path';
import type { CommitTimeOf } from '../changes/commit-time.js';
import type { Git } from '../changes/git.js';
import type { ChartPlan, Plan } from '../model/plan.js';
import type { PackagedChart } from '../package/index.js';
import type { DependencyOptions } from '../resolve/dependencies.js';
import { chartCommitTimes, packageChart } from './package.js';

/** Packages a chart of a plan, with the plan's bumps written, as a publish pushes it. */
export type PackChart = (plan: Plan, chart: Pick<ChartPlan, 'path' | 'nextVersion' | 'nextAppVersion'>) => Promise<PackagedChart>;

/**
 * One run's packaging: the dates of every chart come from one git history pass, and a chart is packaged once per plan.
 * Comparing a chart with what a registry holds (planPublished) packages it as it would be pushed; when the plan it was
 * compared for is the one released, the push takes that archive instead of packaging it again. A plan made again may
 * move a chart's dependencies, so its charts are packaged anew.
 */
export function chartPacker(options: { sourceDate?: Date; git?: Git; dependencies: DependencyOptions }): PackChart {
  let commitTime: CommitTimeOf | undefined;
  let packed: { plan: Plan; charts: Map<string, Promise<PackagedChart>> } | undefined;
  return (plan, chart) => {
    commitTime ??= chartCommitTimes(plan.root, plan.charts.map((c) => c.path), options.git);
    if (packed?.plan !== plan) packed = { plan, charts: new Map() };
    let archive = packed.charts.get(chart.path);
    if (!archive) {
      // The versions are in the bumped Chart.yaml; given again, they hold where the bumps could not be written (a dry
      // run with --head elsewhere). helm writes Chart.yaml anew from what it read either way, so the bytes are the same.
      archive = packageChart(join(plan.root, chart.path), {
        version: chart.nextVersion,
        ...(chart.nextAppVersion === undefined ? {} : { appVersion: chart.nextAppVersion }),
        ...(options.sourceDate ? { sourceDate: options.sourceDate } : {}),
        commitTime,
        dependencies: options.dependencies,
      });
      packed.charts.set(chart.path, archive);
    }
    return archive;
  };
}
