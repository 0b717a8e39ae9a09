import { readFile, realpath } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { BOT_IDENTITY, createGit, type Git } from '../changes/git.js';
import { DEFAULT_TAG_TEMPLATE } from '../changes/tags.js';
import { commitFiles, deleteBranch, forcePush, remoteBranch } from '../changes/release-branch.js';
import { ChartshipError } from '../model/errors.js';
import type { ChartPlan, Plan } from '../model/plan.js';
import type { PolicyReport } from '../model/policy.js';
import type { ReportContext } from '../report/context.js';
import { releasePrTitle, renderChangelogSection, renderReleasePrBody } from '../report/release-pr.js';
import { sameText } from '../report/same-text.js';
import { addChangelogSection } from '../versioning/changelog-file.js';
import type { GitHubClient, PullRequest } from './github.js';
import type { Log } from './log.js';
import { planEdits } from './plan-edits.js';
import { publish, releaseTag, type PublishOptions } from './publish.js';
import type { ReleasePrSettings } from './settings-versioning.js';

export interface ReleasePrOptions extends ReleasePrSettings {
  publish: PublishOptions;
  github: GitHubClient;
  /** The branch the release pull requests go into (the one pushed to). */
  base: string;
  /** The commit the release branch starts from: the pushed one, checked out. */
  sha: string;
  report: ReportContext;
  remote?: string;
  git?: Git;
}

export interface ReleasePrOutcome {
  plan: Plan;
  policy?: PolicyReport;
  /** The release pull requests opened or updated, and whether each was opened now. */
  pulls: (PullRequest & { created: boolean })[];
  /** Release pull requests closed because nothing is left to release in them. */
  closed: number[];
  /** Open release pull requests left as they are because someone else committed to their branch. */
  kept: PullRequest[];
}

/**
 * Instead of publishing: the release plan (since each chart's last release tag, compared with the registries)
 * written to a branch as the version bumps, the dependents' constraints and each chart's CHANGELOG.md section, one
 * commit on top of `sha`, force-pushed, and a pull request into `base` whose body is the plan. A release pull request
 * with nothing left to release is closed and its branch deleted.
 */
export async function releasePullRequests(options: ReleasePrOptions, log: Log): Promise<ReleasePrOutcome> {
  const { plan, policy } = await publish(
    { ...options.publish, dryRun: true, base: undefined, head: undefined, sinceTags: true, releases: undefined, classicIndex: undefined },
    log,
  );
  const git = options.git ?? createGit(plan.root);
  const remote = options.remote ?? 'origin';
  const releasing = plan.charts.filter((c) => c.action === 'release');
  const groups = options.perChart
    ? releasing.map((chart) => ({ branch: `${options.branch}/${chart.name}`, charts: [chart] }))
    : releasing.length > 0
      ? [{ branch: options.branch, charts: releasing }]
      : [];
  // Only this branch's release pull requests are this run's to update or close: a workflow that runs on pushes to
  // several branches would otherwise close main's, or force-push a maintenance branch's commits into it.
  const listed = await options.github.openPullRequests(options.branch, { prefix: options.perChart });
  const open = listed.filter((pull) => pull.base === options.base);
  const taken = listed.find((pull) => pull.base !== options.base && groups.some((g) => g.branch === pull.head));
  if (taken) {
    throw new ChartshipError(`${taken.head} is the branch of release pull request #${taken.number} into ${taken.base}, so it cannot also hold the release of ${options.base}`, {
      field: 'release-branch',
      code: 'RELEASE_BRANCH_TAKEN',
      hint: 'give each branch its own release branch, e.g. release-branch: chartship/release-<branch> in the workflow of that branch',
    });
  }
  const outcome: ReleasePrOutcome = { plan, ...(policy ? { policy } : {}), pulls: [], closed: [], kept: [] };
  // The day (UTC) of the commit the release is cut from, not the clock's: a re-run writes the same branch.
  const day = new Date(Number((await git.run(['log', '-1', '--format=%ct', options.sha])).stdout) * 1000).toISOString().slice(0, 10);

  for (const group of groups) {
    const existing = open.find((pull) => pull.head === group.branch);
    const state = await remoteBranch(git, remote, group.branch, options.sha);
    if (existing && state?.authors.some((email) => email !== BOT_IDENTITY.email)) {
      log.warning(`${group.branch} has commits by others, so it is left as it is: merge #${existing.number} (its versions are published as written), or close it to have it written again`);
      outcome.kept.push(existing);
      continue;
    }
    const only = onlyThese(plan, group.charts);
    const title = releasePrTitle(group.charts);
    const { files, raised } = await releaseFiles(git, plan, group.charts, options.report, day, options.publish.tagTemplate ?? DEFAULT_TAG_TEMPLATE);
    const built = await commitFiles(git, { parent: options.sha, files, message: title, identity: BOT_IDENTITY });
    if (state?.tree === built.tree && state.parents.length === 1 && state.parents[0] === options.sha) log.info(`${group.branch} is up to date`);
    else {
      await forcePush(git, remote, group.branch, built.commit);
      log.info(`pushed ${group.branch} (${built.commit.slice(0, 12)}): ${title}`);
    }
    const body = renderReleasePrBody(only, options.report, policy, raisedElsewhere(raised, group.charts, groups));
    if (existing) {
      // A rerun, or a push that changed nothing of the release, finds it as it would write it: an edit would only
      // spend a call of the rate limit and add a line to its history.
      const current = existing.title === title && sameText(existing.body, body);
      if (!current) await options.github.updatePullRequest(existing.number, { title, body });
      outcome.pulls.push({ ...existing, title, body, created: false });
      log.info(`${current ? 'release pull request is up to date' : 'updated release pull request'} #${existing.number}: ${existing.url}`);
    } else {
      const pull = await openPullRequest(options.github, { head: group.branch, base: options.base, title, body });
      outcome.pulls.push(pull);
      log.info(`${pull.created ? 'opened' : 'updated'} release pull request #${pull.number}: ${pull.url}`);
    }
  }

  for (const stale of open.filter((pull) => !groups.some((g) => g.branch === pull.head))) {
    await options.github.updatePullRequest(stale.number, { state: 'closed' });
    await deleteBranch(git, remote, stale.head!);
    outcome.closed.push(stale.number);
    log.info(`closed release pull request #${stale.number}: nothing in it is left to release`);
  }
  return outcome;
}

/**
 * Opens the pull request; when GitHub answers 422 because another run (without the workflow's concurrency group)
 * opened it since this one looked, updates that one instead of failing.
 */
async function openPullRequest(github: GitHubClient, request: { head: string; base: string; title: string; body: string }): Promise<PullRequest & { created: boolean }> {
  try {
    return { ...(await github.createPullRequest(request)), created: true };
  } catch (error) {
    const opened = error instanceof ChartshipError && error.code === 'GITHUB_422' ? (await github.openPullRequests(request.head)).find((pull) => pull.base === request.base) : undefined;
    if (!opened) throw error;
    await github.updatePullRequest(opened.number, { title: request.title, body: request.body });
    return { ...opened, title: request.title, body: request.body, created: false };
  }
}

/**
 * The plan of one release pull request: `charts` released, and none of the charts other release pull requests release
 * (per chart, they are its siblings, not charts without changes).
 */
function onlyThese(plan: Plan, charts: ChartPlan[]): Plan {
  return { ...plan, charts: plan.charts.filter((c) => charts.includes(c) || c.action !== 'release') };
}

/**
 * The charts of other release pull requests whose new versions these charts' raised constraints admit, and no older
 * one: those are merged (and published) first.
 */
function raisedElsewhere(raised: string[], charts: ChartPlan[], groups: { charts: ChartPlan[] }[]): string[] {
  const here = new Set(charts.map((c) => c.name));
  const elsewhere = new Set(groups.flatMap((g) => g.charts.map((c) => c.name)).filter((name) => !here.has(name)));
  return [...new Set(raised.filter((name) => elsewhere.has(name)))].sort();
}

/**
 * Repository path → new text: `charts`' Chart.yaml edits in the plan and a CHANGELOG.md section dated `day` for each
 * (its release tag made by `tagTemplate`); and the dependencies whose constraints the edits raise.
 */
async function releaseFiles(git: Git, plan: Plan, charts: ChartPlan[], ctx: ReportContext, day: string, tagTemplate: string): Promise<{ files: Map<string, string>; raised: string[] }> {
  const top = await realpath((await git.run(['rev-parse', '--show-toplevel'])).stdout.trim());
  const root = await realpath(plan.root);
  const path = (file: string) => relative(top, join(root, relative(plan.root, file))).split('\\').join('/');
  const files = new Map<string, string>();
  const raised: string[] = [];
  for (const edit of await planEdits(plan, new Set(charts.map((c) => c.name)))) {
    files.set(path(edit.file), edit.after);
    raised.push(...edit.raised);
  }
  for (const chart of charts) {
    const file = join(plan.root, chart.path, 'CHANGELOG.md');
    const text = await readFile(file, 'utf8').catch(() => undefined);
    files.set(path(file), addChangelogSection(text, chart.nextVersion, renderChangelogSection(chart, ctx, day, releaseTag(tagTemplate, chart.name, chart.nextVersion))));
  }
  return { files, raised };
}
