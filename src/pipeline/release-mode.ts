import type { Git } from '../changes/git.js';
import { ChartshipError } from '../model/errors.js';
import { RELEASE_COMMIT } from '../model/release-commit.js';
import { isUnmergedChangeEvent } from './events.js';
import type { GitHubClient, PullRequest } from './github.js';
import type { Log } from './log.js';
import type { ReleasePrSettings, RunMode } from './settings-versioning.js';

/** What a run does: publish what changed (or only plan, on a pull request), open the release pull request, or publish the merged one. */
export type RunKind = { kind: 'publish' } | { kind: 'release-pr' } | { kind: 'release'; pull: PullRequest };

export interface RunModeContext {
  mode: RunMode;
  eventName?: string;
  sha: string;
  /** The branch pushed to. */
  branch?: string;
  commitBump: boolean;
  releasePr: ReleasePrSettings;
  github?: GitHubClient;
  /** The checkout, to find a merged release pull request whose own run never published it. */
  git?: Git;
  log: Log;
}

/** The plan of the run after a release pull request is merged: every chart at the version its Chart.yaml has, if unreleased. */
export const AS_WRITTEN = { asWritten: true, base: undefined, head: undefined, sinceTags: true } as const;

/** Whether `head` is a release pull request's branch: the branch, or with per-chart pull requests one below it. */
export function isReleaseBranch(head: string | undefined, settings: ReleasePrSettings): boolean {
  if (head === undefined) return false;
  return settings.perChart ? head.startsWith(`${settings.branch}/`) : head === settings.branch;
}

/**
 * `publish` always publishes. `release-pr` publishes the release pull request the pushed commit merged, else opens
 * or updates one. `auto` does the same, except that it publishes at once when nothing stands in the way: commit-bump
 * on (it records the versions) and a branch GitHub does not protect (the bump can be pushed). Pull requests and merge
 * queues only plan, whatever the mode; so do pushes to the release branch itself.
 */
export async function decideRunKind(context: RunModeContext): Promise<RunKind> {
  if (context.mode === 'publish') return { kind: 'publish' };
  if (isUnmergedChangeEvent(context.eventName) || isReleaseBranch(context.branch, context.releasePr)) return { kind: 'publish' };
  const github = context.github;
  if (!github) throw new ChartshipError('needs a GitHub token to open and find release pull requests', { field: 'mode', hint: 'set github-token, or mode: publish' });
  const merged = (await github.pullRequestsOfCommit(context.sha)).find((pull) => pull.merged && isReleaseBranch(pull.head, context.releasePr));
  if (merged) {
    context.log.info(`${context.sha.slice(0, 12)} merged release pull request #${merged.number}: publishing the versions it set`);
    return { kind: 'release', pull: merged };
  }
  const missed = context.git ? await unpublishedRelease(context.git, context.sha, github, context.releasePr) : undefined;
  if (missed) {
    context.log.warning(`release pull request #${missed.number} was merged, but its run did not publish it (cancelled while queued, or failed): publishing the versions it set now; the next run opens the release pull request of what came after`);
    return { kind: 'release', pull: missed };
  }
  if (context.mode === 'release-pr') return { kind: 'release-pr' };
  if (!context.commitBump) {
    context.log.info('mode auto: commit-bump is off, so the versions are recorded by a release pull request');
    return { kind: 'release-pr' };
  }
  if (!context.branch) return { kind: 'publish' };
  const protection = await github.branchProtection(context.branch);
  if (protection === 'protected') {
    context.log.info(`mode auto: ${context.branch} is protected, so the versions go through a release pull request`);
    return { kind: 'release-pr' };
  }
  if (protection === 'unknown') context.log.warning(`mode auto: cannot tell whether ${context.branch} is protected (the token may not read it); publishing and pushing the bump`);
  return { kind: 'publish' };
}

/**
 * The merged release pull request of the newest release commit before `sha` when no tag contains that commit yet: a
 * run that publishes creates the release tags at or after it, so none means its own run was cancelled (a queued run
 * is replaced by a newer push's, whatever cancel-in-progress says) or failed.
 */
async function unpublishedRelease(git: Git, sha: string, github: GitHubClient, settings: ReleasePrSettings): Promise<PullRequest | undefined> {
  // A basic regular expression, where the subject's parentheses are plain characters.
  const found = await git.run(['log', '-1', '--format=%H', `--grep=^${RELEASE_COMMIT}`, sha], { allowFailure: true });
  const commit = found.code === 0 ? found.stdout.trim() : '';
  if (!commit) return undefined;
  const tagged = await git.run(['tag', '--contains', commit], { allowFailure: true });
  if (tagged.code !== 0 || tagged.stdout.trim() !== '') return undefined;
  return (await github.pullRequestsOfCommit(commit)).find((pull) => pull.merged && isReleaseBranch(pull.head, settings));
}
