import { join } from 'node:path';
import semver from 'semver';
import { createGit } from '../changes/git.js';
import { requireCheckedOut } from '../changes/git-tree.js';
import { describeError } from '../model/errors.js';
import type { ChartPlan, Plan } from '../model/plan.js';
import { isRefusal, type TargetOptions } from '../oci/index.js';
import { buildChartArtifact, openTarget, type ChartTarget } from '../helm-oci/index.js';
import { chartCommitTimes, packageChart, type PackageOptions } from './package.js';
import type { PackagedChart } from '../package/index.js';
import { checkPublished, type ContentDigests, type DigestsOf, type PublishedState } from './plan-published.js';
import { createPlan, type PlanOptions } from './plan.js';
import type { ReleasedVersion } from './plan-floors.js';
import { withPlanEdits } from './plan-edits.js';

/**
 * Digests of what publishing would push: the chart packaged at its next version, once however many targets ask (the
 * dates of all `charts`, paths in the repository, come from one git history pass). Only the config and chart-layer
 * digests are compared, so the creation time given to the artifact does not matter.
 */
export function packagedDigests(root: string, charts: string[], options: Pick<PackageOptions, 'env' | 'sourceDate' | 'dependencies'> = {}): DigestsOf {
  const commitTime = chartCommitTimes(root, charts);
  const packaged = new Map<string, Promise<ContentDigests>>();
  return (chart) => {
    const key = JSON.stringify([chart.path, chart.nextVersion, chart.nextAppVersion ?? null]);
    let digests = packaged.get(key);
    if (!digests) {
      digests = packageChart(join(root, chart.path), {
        version: chart.nextVersion,
        ...(chart.nextAppVersion === undefined ? {} : { appVersion: chart.nextAppVersion }),
        ...options,
        commitTime,
      }).then(contentDigests);
      packaged.set(key, digests);
    }
    return digests;
  };
}

/** Whether a target listed a chart's planned version when the plan asked it (no request: the listing is kept). */
export type HoldsVersion = (chart: Pick<ChartPlan, 'name' | 'nextVersion'>, target: ChartTarget) => boolean;

/** Keeps what each target listed per chart (targetsForPlan's onListed) and answers HoldsVersion from it. */
export function listings(): { onListed: (chart: string, target: ChartTarget, versions: string[]) => void; holds: HoldsVersion } {
  const listed = new Map<ChartTarget, Map<string, Set<string>>>();
  return {
    onListed: (chart, target, versions) => listed.set(target, (listed.get(target) ?? new Map<string, Set<string>>()).set(chart, new Set(versions))),
    holds: (chart, target) => listed.get(target)?.get(chart.name)?.has(chart.nextVersion) === true,
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

/** The config and chart-layer digests a packaged chart is pushed with (the creation time given does not matter). */
export function contentDigests(packaged: PackagedChart): ContentDigests {
  const artifact = buildChartArtifact({ archive: packaged.archive, metadata: packaged.metadata, created: packaged.sourceDate });
  return { configDigest: artifact.config.digest, chartDigest: artifact.chart.digest };
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
): Pick<PlanOptions, 'unpublishable' | 'publishedVersion' | 'unpublished'> {
  if (targets.length === 0) return {};
  // Charts every target listed, and none holds at any version.
  const none = new Set<string>();
  const unreadable = new Set<string>();
  const tally = new Map(targets.map((t) => [t.spec, { listed: 0, refused: 0 }]));
  const unpublishable = (chart: string) => targets.map((t) => t.repositoryProblem(chart)).find((p) => p !== undefined);
  const publishedVersion = async (chart: string) => {
    let best: ReleasedVersion | undefined;
    let empty = 0;
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
      if (versions.length === 0) empty++;
      const top = versions.filter((v) => semver.valid(v)).sort(semver.rcompare)[0];
      if (top && (!best || semver.gt(top, best.version))) best = { version: top, where: target.spec };
    }
    if (empty === targets.length) none.add(chart);
    return best;
  };
  // A plan made again (planPublished) asks about the same charts: each is listed once.
  const asked = new Map<string, Promise<ReleasedVersion | undefined>>();
  const once = (chart: string) => asked.get(chart) ?? asked.set(chart, publishedVersion(chart)).get(chart)!;
  // Whether no target holds a chart, for one the plan would otherwise not ask about (unchanged): asked quietly, since
  // registries answer a repository that does not exist yet with a refusal (Docker Hub, Quay: 401), and it neither
  // warns nor counts towards a target being unreadable; anything but every target listing nothing is "not known".
  const unpublished = async (chart: string): Promise<boolean> => {
    if (asked.has(chart)) return (await asked.get(chart), none.has(chart));
    for (const target of targets) {
      if (unreadable.has(target.spec)) return false;
      try {
        const versions = await target.listVersions(chart);
        onListed?.(chart, target, versions);
        if (versions.length > 0) return false;
      } catch {
        return false;
      }
    }
    return true;
  };
  return { unpublishable, publishedVersion: once, unpublished };
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
    const seen = listings();
    const planOptions = { ...options, ...targetsForPlan(targets, options.warn, seen.onListed) };
    let plan = await createPlan(planOptions);
    if (targets.length === 0) return plan;
    await requireCheckedOut(options.git ?? createGit(options.cwd), plan.head, '--registry (it packages the charts to compare them)');
    // Compared as a publish would package them: with the plan's bumps written (withPlanEdits), then put back.
    const digestsOf = (p: Plan) => packagedDigests(p.root, p.charts.map((c) => c.path), options.env === undefined ? {} : { env: options.env });
    if (!options.overwrite) {
      plan = await planPublished(plan, (known) => createPlan({ ...planOptions, ...known }), targets, seen.holds, (p, charts) => withPlanEdits(p, () => heldWithOtherContent(charts, targets, seen.holds, digestsOf(p))));
    }
    const planned = plan;
    const digests = digestsOf(planned);
    return await withPlanEdits(planned, async () => {
      let checked = planned;
      for (const target of targets) checked = await checkPublished(checked, publishedStateOf(target), digests, { overwrite: options.overwrite, target: target.spec });
      return checked;
    });
  } finally {
    await Promise.all(targets.map((t) => t.close()));
  }
}
