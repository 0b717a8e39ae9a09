import { BOT_IDENTITY, createGit, pushRefusal, type Git } from '../changes/git.js';
import { checkedOutBranch } from '../changes/refs.js';
import { ChartshipError } from '../model/errors.js';
import type { Log } from './log.js';
import { applyPlanEdits } from './plan-edits.js';
import { keepAsWritten, putBackHeld } from '../model/bumped-files.js';
import type { PublishOutcome } from './publish.js';
import type { ChartResult, Plan } from '../model/plan.js';
import { RELEASE_COMMIT } from '../model/release-commit.js';

/** What recording the bumps reads of a run: what it planned and wrote, and how each chart fared. */
type BumpedRun = Pick<PublishOutcome, 'plan' | 'results' | 'dryRun' | 'written'>;

/** Commits the Chart.yaml bumps and pushes them, so the next run starts from the released versions. */
export async function commitBump(options: { cwd: string; files: string[]; results: ChartResult[]; branch?: string; git?: Git }): Promise<string | undefined> {
  if (options.files.length === 0) return undefined;
  if (!options.branch) throw new ChartshipError('cannot push the version bump: no branch (detached HEAD)', { field: 'commit-bump' });
  const git = options.git ?? createGit(options.cwd);
  const released = options.results.filter((r) => r.status === 'pushed').map((r) => `${r.name} ${r.version}`);
  // `[skip ci]` keeps the bump from starting another run.
  const message = `${RELEASE_COMMIT}${released.join(', ') || 'update chart versions'} [skip ci]`;
  await git.run(['add', '--', ...options.files]);
  await git.run(['-c', `user.name=${BOT_IDENTITY.name}`, '-c', `user.email=${BOT_IDENTITY.email}`, 'commit', '-m', message, '--', ...options.files]);
  keepAsWritten(options.files);
  const pushed = await git.run(['push', 'origin', `HEAD:refs/heads/${options.branch}`], { allowFailure: true });
  if (pushed.code !== 0) throw bumpNotPushed(options.branch, pushed.stderr);
  return (await git.run(['rev-parse', 'HEAD'])).stdout.trim();
}

/** A refused push of the bump commit. The charts are published by then: the message says so, and what lets the next run push. */
function bumpNotPushed(branch: string, stderr: string): ChartshipError {
  return new ChartshipError(`the charts are published, but the commit of their version bumps was not pushed to ${branch}: ${pushRefusal(stderr) ?? 'git push failed'}`, {
    field: 'commit-bump',
    code: 'GIT_PUSH_FAILED',
    hint: 'the job needs a token that may push to the branch (GitHub Actions: permissions: contents: write, or mode: auto where the branch is protected; GitLab: CI_JOB_TOKEN may not push, so give origin a project access token), or leave commit-bump off and tag each release',
  });
}

/** The branch a version bump goes to: the one the CI names, else the one checked out in `cwd`. */
export async function branchToPush(named: string | undefined, cwd: string, git: Git = createGit(cwd)): Promise<string | undefined> {
  return named ?? (await checkedOutBranch(git));
}

/**
 * After a publish: commit the bumps only when every chart made it. A partial bump pushed to the branch would
 * record versions that were never published, and a rerun (which starts from the same commit) finishes the job.
 */
export async function commitReleasedBumps(outcome: BumpedRun, options: { cwd: string; branch?: string; log: Log }): Promise<void> {
  if (outcome.dryRun || outcome.written.length === 0) return;
  if (outcome.results.some((r) => r.status === 'failed')) {
    // Left in the work tree, they would read as versions set by hand to a rerun in this checkout.
    await putBackHeld(outcome.written);
    options.log.warning('version bumps not committed because a chart failed (the work tree is put back as it was); a rerun publishes the rest and commits them');
    return;
  }
  const sha = await commitBump({ cwd: options.cwd, files: outcome.written, results: outcome.results, branch: options.branch });
  if (sha) options.log.info(`committed the version bumps as ${sha}`);
}

/**
 * A bump that is neither committed nor tagged lives only in the registry: a push's plan finds it there (planPublished),
 * but a run with no range (workflow_dispatch, a local run) computes versions from the same Chart.yaml again and,
 * without a release tag to start from, misses changes. Say so, once, naming the charts, with the remedy the caller has
 * to offer (a front end names only settings that exist there and are off).
 */
export function warnForgottenBumps(outcome: BumpedRun, options: { commitBump: boolean; tagged: boolean; remedy: string; log: Log }): void {
  if (outcome.dryRun || options.commitBump || options.tagged) return;
  const bumped = outcome.plan.charts.filter((c) => c.action === 'release' && c.nextVersion !== c.currentVersion);
  if (bumped.length === 0) return;
  const list = bumped.map((c) => `${c.name} ${c.currentVersion} → ${c.nextVersion}`).join(', ');
  options.log.warning(`published bumped versions (${list}) without recording them: ${options.remedy}, so that a run without a push's range starts from them too`);
}

/**
 * What a run leaves behind of its version bumps: committed and pushed when asked (and everything was published),
 * else a warning when nothing else records them. `branch` is asked only when a commit is to be pushed.
 */
export async function recordBumps(outcome: BumpedRun, options: RecordOptions): Promise<void> {
  if (options.commitBump) await commitReleasedBumps(outcome, { cwd: options.cwd, branch: await options.branch(), log: options.log });
  warnForgottenBumps(outcome, options);
}

interface RecordOptions {
  commitBump: boolean;
  cwd: string;
  branch: () => Promise<string | undefined>;
  tagged: boolean;
  remedy: string;
  log: Log;
}

/**
 * The merge of sharded runs records the bumps as one run would. Each shard left its work tree as it found it (a
 * shard's commit would race the others' to the branch, with every chart's bumps in each); the merge's checkout of
 * the same commit gets the merged plan's edits and commits them once, when every shard published everything.
 */
export async function recordMergedBumps(merged: { plan: Plan; results: ChartResult[] }, options: RecordOptions): Promise<void> {
  const written = options.commitBump ? (await applyPlanEdits({ ...merged.plan, root: options.cwd })).map((edit) => edit.file) : [];
  await recordBumps({ ...merged, dryRun: false, written }, options);
}
