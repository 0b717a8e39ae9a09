import semver from 'semver';
import { createGit } from '../changes/git.js';
import { requireCheckedOut } from '../changes/git-tree.js';
import { ChartshipError, describeError } from '../model/errors.js';
import { isStrictSemver } from '../model/helm-semver.js';
import type { Plan } from '../model/plan.js';
import { isRefusal, type TargetOptions } from '../oci/index.js';
import { openTarget, type ChartTarget } from '../helm-oci/index.js';
import { chartPacker, digestsOf } from './packer.js';
import { checkPublished, type PublishedState } from './plan-published.js';
import { createPlan, type PlanOptions } from './plan.js';
import type { ReleasedVersion } from './plan-floors.js';
import { isAbove } from '../versioning/next-version.js';
import { withPlanEdits } from './plan-edits.js';
import { withLine } from './locate.js';
import { heldDiffering, listings, planPublished, sayHeld } from './plan-held.js';
import { withMissing } from './plan-missing.js';

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
  // Per chart, what every target lists (absent when one could not be listed).
  const lists = new Map<string, string[][]>();
  const unreadable = new Set<string>();
  const tally = new Map(targets.map((t) => [t.spec, { listed: 0, refused: 0 }]));
  const unpublishable = (chart: string) => targets.map((t) => t.repositoryProblem(chart)).find((p) => p !== undefined);
  const publishedVersion = async (chart: string) => {
    let best: ReleasedVersion | undefined;
    const all: string[][] = [];
    for (const target of targets) {
      if (unreadable.has(target.spec)) continue;
      const seen = tally.get(target.spec)!;
      let versions: string[];
      try {
        // Every version the registry holds, `v1.42.1` too: a chart at such a version is held, not a first release
        // again on each run. Only strict SemVer sets how high the plan must go, as helm resolves versions.
        versions = await target.listVersions(chart, 'held');
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
      all.push(versions);
      const top = versions.filter(isStrictSemver).sort(semver.rcompare)[0];
      if (top && (!best || semver.gt(top, best.version))) best = { version: top, where: target.spec };
    }
    if (all.length === targets.length) lists.set(chart, all);
    return best;
  };
  // A plan made again (planPublished) asks about the same charts: each is listed once.
  const asked = new Map<string, Promise<ReleasedVersion | undefined>>();
  const once = (chart: string) => asked.get(chart) ?? asked.set(chart, publishedVersion(chart)).get(chart)!;
  // Whether no target holds `version` of a chart, nor any above it, for one the plan would otherwise not ask
  // about (unchanged): asked quietly, since registries answer a repository that does not exist yet with a refusal
  // (Docker Hub, Quay: 401), and it neither warns nor counts towards a target being unreadable; anything but every
  // target listing is "not known". A version above it ends the listing: the chart has moved past Chart.yaml.
  const unpublished = async (chart: string, version: string): Promise<boolean> => {
    const above = (versions: string[]) => versions.some((v) => isAbove(v, version));
    let found: string[][] | undefined = [];
    if (asked.has(chart)) {
      await asked.get(chart);
      found = lists.get(chart);
    } else {
      for (const target of targets) {
        if (unreadable.has(target.spec)) return false;
        try {
          const versions = await target.listVersions(chart, 'held');
          onListed?.(chart, target, versions);
          if (above(versions)) return false;
          found.push(versions);
        } catch {
          return false;
        }
      }
    }
    if (!found || above(found.flat())) return false;
    // Held by some targets only, it is copied to the others as published (plan-missing.ts), not packaged again.
    return !found.some((versions) => versions.includes(version));
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
    const pack = chartPacker(options.env === undefined ? {} : { env: options.env });
    if (!options.overwrite) {
      plan = await planPublished(plan, (known) => createPlan({ ...planOptions, ...known }), targets, seen.holds, (p, charts) => heldDiffering(p, charts, targets, seen.holds, pack));
    }
    const planned = await withMissing(sayHeld(plan, targets, seen.holds), targets, seen);
    return await withPlanEdits(planned, async () => {
      let checked = planned;
      try {
        for (const target of targets) checked = await checkPublished(checked, publishedStateOf(target), digestsOf(pack, planned), { overwrite: options.overwrite, target: target.spec });
      } catch (error) {
        // Named at its line, as publish --dry-run names it.
        throw error instanceof ChartshipError && error.code === 'VERSION_EXISTS' ? await withLine(planned.root, error) : error;
      }
      return checked;
    });
  } finally {
    await Promise.all(targets.map((t) => t.close()));
  }
}
