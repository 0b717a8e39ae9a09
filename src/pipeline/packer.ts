import { join } from 'node:path';
import type { CommitTimeOf } from '../changes/commit-time.js';
import type { Git } from '../changes/git.js';
import { buildChartArtifact } from '../helm-oci/index.js';
import type { ChartPlan, Plan } from '../model/plan.js';
import type { PackagedChart } from '../package/index.js';
import { chartCommitTimes, packageChart, type PackageOptions } from './package.js';
import type { ContentDigests, DigestsOf } from './plan-published.js';

type Planned = Pick<ChartPlan, 'path' | 'nextVersion' | 'nextAppVersion'>;
type Packaging = Pick<PackageOptions, 'env' | 'sourceDate' | 'dependencies'>;

/** Packages a chart of a plan, with the plan's bumps written, as a publish pushes it. */
export type PackChart = (plan: Plan, chart: Planned) => Promise<PackagedChart>;

/**
 * A chart packaged at its planned version. The versions are in the bumped Chart.yaml when the bumps are written;
 * given again they hold where they could not be (a dry run with --head elsewhere, lint), and since helm writes
 * Chart.yaml anew from what it read, the bytes are the same either way.
 */
function packagePlanned(root: string, chart: Planned, commitTime: CommitTimeOf, options: Packaging): Promise<PackagedChart> {
  return packageChart(join(root, chart.path), {
    version: chart.nextVersion,
    ...(chart.nextAppVersion === undefined ? {} : { appVersion: chart.nextAppVersion }),
    ...options,
    commitTime,
    repository: root,
  });
}

/**
 * One run's packaging: the dates of every chart come from one git history pass, and a chart is packaged once per plan.
 * Comparing a chart with what a registry holds (planPublished) packages it as it would be pushed; when the plan it was
 * compared for is the one released, the push takes that archive instead of packaging it again. A plan made again may
 * move a chart's dependencies, so its charts are packaged anew.
 */
export function chartPacker(options: Packaging & { git?: Git } = {}): PackChart {
  const { git, ...packaging } = options;
  let commitTime: CommitTimeOf | undefined;
  let packed: { plan: Plan; charts: Map<string, Promise<PackagedChart>> } | undefined;
  return (plan, chart) => {
    commitTime ??= chartCommitTimes(plan.root, plan.charts.map((c) => c.path), git);
    if (packed?.plan !== plan) packed = { plan, charts: new Map() };
    let archive = packed.charts.get(chart.path);
    if (!archive) packed.charts.set(chart.path, (archive = packagePlanned(plan.root, chart, commitTime, packaging)));
    return archive;
  };
}

/** The digests of a plan's charts as `pack` packages them. */
export function digestsOf(pack: PackChart, plan: Plan): DigestsOf {
  return async (chart) => contentDigests(await pack(plan, chart));
}

/**
 * Digests of what publishing would push, for charts outside a plan (lint): each chart packaged at the version asked,
 * once however often it is asked (the dates of all `charts`, paths in the repository, come from one git history pass).
 */
export function packagedDigests(root: string, charts: string[], options: Packaging = {}): DigestsOf {
  const commitTime = chartCommitTimes(root, charts);
  const packaged = new Map<string, Promise<ContentDigests>>();
  return (chart) => {
    const key = JSON.stringify([chart.path, chart.nextVersion, chart.nextAppVersion ?? null]);
    let digests = packaged.get(key);
    if (!digests) packaged.set(key, (digests = packagePlanned(root, chart, commitTime, options).then(contentDigests)));
    return digests;
  };
}

/** The config and chart-layer digests a packaged chart is pushed with: only these are compared, so the creation time given does not matter. */
export function contentDigests(packaged: PackagedChart): ContentDigests {
  const artifact = buildChartArtifact({ archive: packaged.archive, metadata: packaged.metadata, created: packaged.sourceDate });
  return { configDigest: artifact.config.digest, chartDigest: artifact.chart.digest };
}
