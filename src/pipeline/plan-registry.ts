import { join } from 'node:path';
import semver from 'semver';
import { createGit } from '../changes/git.js';
import { requireCheckedOut } from '../changes/git-tree.js';
import { describeError } from '../model/errors.js';
import type { Plan } from '../model/plan.js';
import { isRefusal, type TargetOptions } from '../oci/index.js';
import { buildChartArtifact, openTarget, type ChartTarget } from '../helm-oci/index.js';
import { chartCommitTimes, packageChart } from './package.js';
import { checkPublished, type ContentDigests, type DigestsOf, type PublishedState } from './plan-published.js';
import { createPlan, type PlanOptions, type ReleasedVersion } from './plan.js';

/**
 * Digests of what publishing would push: the chart packaged at its next version, once however many targets ask (the
 * dates of all `charts`, paths in the repository, come from one git history pass). Only the config and chart-layer
 * digests are compared, so the creation time given to the artifact does not matter.
 */
export function packagedDigests(root: string, charts: string[], env?: NodeJS.ProcessEnv): DigestsOf {
  const commitTime = chartCommitTimes(root, charts);
  const packaged = new Map<string, Promise<ContentDigests>>();
  return (chart) => {
    const key = JSON.stringify([chart.path, chart.nextVersion, chart.nextAppVersion ?? null]);
    let digests = packaged.get(key);
    if (!digests) {
      digests = packageChart(join(root, chart.path), {
        version: chart.nextVersion,
        ...(chart.nextAppVersion === undefined ? {} : { appVersion: chart.nextAppVersion }),
        ...(env === undefined ? {} : { env }),
        commitTime,
      }).then((p) => {
        const artifact = buildChartArtifact({ archive: p.archive, metadata: p.metadata, created: p.sourceDate });
        return { configDigest: artifact.config.digest, chartDigest: artifact.chart.digest };
      });
      packaged.set(key, digests);
    }
    return digests;
  };
}

export function publishedStateOf(target: ChartTarget): PublishedState {
  return { inspect: (name, version) => target.inspectChart(name, version) };
}

/** Refusals after which a target where no chart could be listed counts as unreadable, rather than each chart alone. */
const REFUSALS_BEFORE_UNREADABLE = 4;

/**
 * What the plan asks the targets: whether a chart can have a repository in each (a name that cannot fails that chart
 * alone, and no target is asked about it), and the highest version of a chart any target holds.
 *
 * A listing the registry refuses (401, 403) is about that chart's repository when others list: a package the token
 * may not read (GHCR's package created by another repository) leaves that one chart's plan to Chart.yaml and the
 * release tags, with a warning, and every other chart still plans against what the target holds. A target that does
 * not answer, or refuses the first charts and lists none (a fork's pull request has no credentials), is left out with
 * one warning.
 */
export function targetsForPlan(
  targets: ChartTarget[],
  warn: (message: string) => void,
  onListed?: (chart: string, target: ChartTarget, versions: string[]) => void,
): Pick<PlanOptions, 'unpublishable' | 'publishedVersion'> {
  if (targets.length === 0) return {};
  const unreadable = new Set<string>();
  const tally = new Map(targets.map((t) => [t.spec, { listed: 0, refused: 0 }]));
  const unpublishable = (chart: string) => targets.map((t) => t.repositoryProblem(chart)).find((p) => p !== undefined);
  const publishedVersion = async (chart: string) => {
    let best: ReleasedVersion | undefined;
    for (const target of targets) {
      if (unreadable.has(target.spec)) continue;
      const seen = tally.get(target.spec)!;
      let versions: string[];
      try {
        versions = await target.listVersions(chart);
        seen.listed++;
        onListed?.(chart, target, versions);
      } catch (error) {
        if (isRefusal(error) && (seen.listed > 0 || ++seen.refused < REFUSALS_BEFORE_UNREADABLE)) {
          warn(`could not list the published versions of ${chart} in ${target.spec}: ${describeError(error)} (its plan rests on Chart.yaml and the release tags)`);
        } else if (!unreadable.has(target.spec)) {
          warn(`could not list the published versions in ${target.spec}: ${describeError(error)}`);
          unreadable.add(target.spec);
        }
        continue;
      }
      const top = versions.filter((v) => semver.valid(v)).sort(semver.rcompare)[0];
      if (top && (!best || semver.gt(top, best.version))) best = { version: top, where: target.spec };
    }
    return best;
  };
  return { unpublishable, publishedVersion };
}

export interface RegistryPlanOptions extends PlanOptions {
  /** `oci://HOST/NS` targets to plan against. */
  registries: string[];
  target?: TargetOptions;
  /** Accept a published version with different content (it will be replaced) instead of failing. */
  overwrite?: boolean;
  /** Where SOURCE_DATE_EPOCH is read from when packaging to compare. */
  env?: NodeJS.ProcessEnv;
  warn: (message: string) => void;
}

/**
 * The plan as the registries see it: no version at or below one they hold, and a chart whose next version a registry
 * holds with the same content is unchanged (with other content, an error). Packages the charts to compare them, so
 * the work tree must be at the plan's head.
 */
export async function planAgainstRegistries(options: RegistryPlanOptions): Promise<Plan> {
  const targets = options.registries.map((spec) => openTarget(spec, options.target));
  try {
    let plan = await createPlan({ ...options, ...targetsForPlan(targets, options.warn) });
    if (targets.length === 0) return plan;
    await requireCheckedOut(options.git ?? createGit(options.cwd), plan.head, '--registry (it packages the charts to compare them)');
    const digestsOf = packagedDigests(plan.root, plan.charts.map((c) => c.path), options.env);
    for (const target of targets) plan = await checkPublished(plan, publishedStateOf(target), digestsOf, { overwrite: options.overwrite, target: target.spec });
    return plan;
  } finally {
    await Promise.all(targets.map((t) => t.close()));
  }
}
