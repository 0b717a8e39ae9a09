import { createGit } from '../changes/git.js';
import type { ChartTarget } from '../helm-oci/index.js';
import { ChartshipError, describeError } from '../model/errors.js';
import type { Plan } from '../model/plan.js';
import type { Log } from './log.js';
import { digestsOf, type PackChart } from './packer.js';
import { withLine } from './locate.js';
import { asPublished } from './plan-edits.js';
import { heldDiffering, planPublished, sayHeld, type Listings } from './plan-held.js';
import { checkPublished, createPlan, type PlanOptions } from './plan.js';
import { publishedStateOf, targetsForPlan } from './plan-registry.js';
import { leaveOut, supersededCharts } from './plan-superseded.js';
import { withMissing } from './plan-missing.js';

/** What a publish plans with (publish.ts's PublishOptions adds what it publishes with). */
export interface PublishPlanOptions extends PlanOptions {
  /** `oci://HOST/NS` or `oci-layout:DIR`, one or more. */
  targets: string[];
  /** Replace a published version whose content differs, instead of failing. */
  overwrite?: boolean;
  dryRun?: boolean;
  /** The branch a push publishes, to tell a run of a commit it has moved past (see supersededCharts). */
  branch?: string;
}

/**
 * The plan of a publish as its targets see it: planned against what they list, reconciled with the versions they hold
 * (planPublished), then, for a dry run, checked for versions taken with other content (checkTargets), and for a
 * publish, without the charts an old run would publish over newer ones (supersededCharts).
 */
export async function planForPublish(options: PublishPlanOptions, targets: ChartTarget[], seen: Listings, pack: PackChart, log: Log): Promise<Plan> {
  const planOptions = {
    ...options,
    registryNamespaces: options.targets,
    ...targetsForPlan(targets, (message) => log.warning(message), seen.onListed),
    onWarning: (w: ChartshipError) => log.warning(w.withHint(), w),
  };
  let plan = await createPlan(planOptions);
  if (!options.overwrite) {
    plan = await planPublished(plan, (known) => createPlan({ ...planOptions, ...known }), targets, seen.holds, (p, charts) => heldDiffering(p, charts, targets, seen.holds, pack));
  }
  plan = await withMissing(sayHeld(plan, targets, seen.holds), targets, seen);
  if (options.dryRun) return checkTargets(plan, targets, options, pack, log);
  const planned = plan;
  const superseded = await supersededCharts(planned, {
    git: options.git ?? createGit(planned.root),
    branch: options.branch,
    targets,
    holds: seen.holds,
    archiveDate: async (c) => (await asPublished(planned, () => pack(planned, c))).sourceDate,
  });
  for (const why of superseded.values()) log.warning(why);
  return superseded.size > 0 ? leaveOut(planned, superseded) : planned;
}

/**
 * A plan only tells what would change; on a pull request the registry also tells whether a planned version is taken
 * already (a forgotten bump), which is worth failing the check for. A registry that cannot be asked (a fork's PR has
 * no credentials) only warns.
 */
async function checkTargets(plan: Plan, targets: ChartTarget[], options: PublishPlanOptions, pack: PackChart, log: Log): Promise<Plan> {
  const digests = digestsOf(pack, plan);
  return asPublished(plan, async () => {
    for (const target of targets) {
      try {
        plan = await checkPublished(plan, publishedStateOf(target), digests, { overwrite: options.overwrite, target: target.spec });
      } catch (error) {
        if (error instanceof ChartshipError && error.code === 'VERSION_EXISTS') throw await withLine(plan.root, error);
        log.warning(`could not compare the plan with ${target.spec}: ${describeError(error)}`);
      }
    }
    return plan;
  });
}
