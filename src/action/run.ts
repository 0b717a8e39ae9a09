import * as core from '@actions/core';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChartshipError, describeError } from '../model/errors.js';
import { mergedClassicIndex } from '../pipeline/classic-index-publish.js';
import { recordBumps, recordMergedBumps } from '../pipeline/commit-bump.js';
import { chartsOutput, chartsOutputValue, isPublished, matrixOutput, pushedCount, releaseOutputs } from '../pipeline/outputs.js';
import { createReleases, publish, type PublishOptions, type PublishOutcome } from '../pipeline/publish.js';
import { shownPath, type ChartResult, type Plan } from '../model/plan.js';
import { setShardOutputs, writeShardOutcome } from './shards.js';
import { writeStopped } from './stopped.js';
import { reportWhenStopped } from '../model/stopped-run.js';
import { mergeOutcomeFiles } from '../pipeline/outcome-files.js';
import { preparePolicy } from '../pipeline/policy.js';
import { applyVersioningConfig } from '../pipeline/settings-versioning.js';
import type { RunSettings } from '../pipeline/settings.js';
import type { Started } from './start.js';
import { createGit } from '../changes/git.js';
import { commentLine, type GitHubClient } from '../pipeline/github.js';
import { publishCommentOver, renderDryRunComment, renderPlanSummary, renderReleaseBody, renderSummary, stickyMarker, type ReportContext } from '../report/index.js';
import { actionAttestSettings } from './attest.js';
import type { RunnerContext } from './context.js';
import { withDependencyCache } from './dependency-cache.js';
import { lazyGitHubClient } from '../report/github-lazy.js';
import { proxiedFetch } from '../oci/proxy.js';
import { actionLog, failStep, warnShown } from './log.js';
import { runReleasePr } from './release-pr.js';
import { AS_WRITTEN, decideRunKind } from '../pipeline/release-mode.js';
import { pushRangeStart } from '../pipeline/push-range.js';
import { renderPlanDetails, renderPlanOverview, someOf } from '../report/plan-text.js';
import { CONFIG_FILE } from '../config/index.js';
import { loadConfig } from '../config/load.js';

/**
 * The action once its inputs are read and checked (start.ts): outputs and reports out. Everything in between is the
 * same pipeline the CLI runs. Throws what fails the step; the entry reports it.
 */
export async function proceed({ settings, context }: Started, env: NodeJS.ProcessEnv): Promise<void> {
  for (const notice of settings.notices) actionLog.warning(notice.message, { field: notice.field });
  settings.publish.target = { ...settings.publish.target, onSecret: (secret) => core.setSecret(secret), fallbackCredentials: ghcrFallback(settings, env) };
  const config = await loadConfig(join(context.cwd, CONFIG_FILE), CONFIG_FILE);
  settings.publish.policy = preparePolicy(settings.publish.policy, config, env);
  applyVersioningConfig(settings, config);
  const [owner = '', repo = ''] = context.repository.split('/');
  const github = settings.githubToken && owner ? lazyGitHubClient({ token: settings.githubToken, apiUrl: context.apiUrl, owner, repo, onRetry: (line) => actionLog.info(line), fetch: proxiedFetch() }) : undefined;
  const ctx: ReportContext = { serverUrl: context.serverUrl, repository: context.repository, runUrl: context.runUrl, marker: settings.commentId };
  const attest = actionAttestSettings(settings, env, context, github);

  if (settings.mergeOutcomes.length > 0) {
    await merge(settings, github, context, ctx, env);
    return;
  }
  // A shard's job publishes its charts only: releases, the comment and bump commits are the merge job's (a shard's
  // commit would race the others' to the branch).
  const shard = settings.publish.shard;
  const started = new Date();
  const run = await decideRunKind({ ...settings, eventName: context.eventName, sha: context.sha, branch: context.branch, github, git: createGit(context.cwd), log: actionLog });
  if (run.kind === 'release-pr' && github && !shard) return await runReleasePr(settings, github, context, ctx);
  // After a release pull request is merged: exactly the versions it set, released whatever create-releases says.
  const merged = run.kind === 'release' ? AS_WRITTEN : { base: await rangeStart(settings, context, github) };

  reportWhenStopped((charts, lines) => writeStopped(charts, lines, env['GITHUB_STEP_SUMMARY']));
  const cacheDir = join(env['RUNNER_TEMP'] || tmpdir(), 'chartship-dependencies');
  const outcome = await withDependencyCache(cacheDir, context.cwd, () =>
    publish(
      {
        ...settings.publish,
        ...merged,
        ...(context.branch ? { branch: context.branch } : {}),
        dependencyCacheDir: cacheDir,
        releases: shard ? undefined : releasesOf(settings, github, context, ctx, run.kind === 'release'),
        attest,
        onPlan: logPlan,
      },
      actionLog,
    ),
  );

  await setResultOutputs(outcome, env);
  if (settings.shards) setShardOutputs(outcome.plan, settings.shards);
  if (shard) await writeShardOutcome(shard, outcome, started, settings.outcomeFile, env);
  // A dry run (a pull request) publishes nothing: its summary is the plan, with the invalid charts in it.
  await core.summary.addRaw(outcome.dryRun ? renderPlanSummary(outcome.plan, ctx, outcome.policy, outcome.results) : renderSummary(outcome.results, ctx, outcome.policy), true).write();

  if (settings.prComment && github && !shard) await comment(github, run.kind === 'release' ? run.pull.number : settings.pullRequest, context, outcome, ctx);
  // Release tags record the bumps whatever the range: the next plan starts from the newest tag.
  if (!shard) await recordBumps(outcome, bumpRecording(settings, context));

  failUnlessPublished(outcome.results, outcome.classicIndex);
}

/**
 * A push's range as the event gives it, or reaching back to the last successful run of the workflow on the branch
 * (push-range.ts). A base the user set, and any other event, is taken as it is.
 */
async function rangeStart(settings: RunSettings, context: RunnerContext, github: GitHubClient | undefined): Promise<string | undefined> {
  const { base, eventBase } = settings.publish;
  if (context.eventName !== 'push' || !eventBase || !base || !context.branch || context.runId === undefined) return base;
  return pushRangeStart({ before: base, runId: context.runId, branch: context.branch, github, git: createGit(context.cwd), log: actionLog });
}

/**
 * ghcr.io with no login configured (no registry-auth line, username/password or credential file for it) logs in
 * with the workflow's token, as docker/login-action documents for GHCR (`username: ${{ github.actor }}`, `password:
 * ${{ secrets.GITHUB_TOKEN }}`); the log says so when it happens.
 */
function ghcrFallback(settings: RunSettings, env: NodeJS.ProcessEnv): NonNullable<PublishOptions['target']>['fallbackCredentials'] {
  if (!settings.githubToken) return undefined;
  return { 'ghcr.io': { username: env['GITHUB_ACTOR'] || 'github-actions', password: settings.githubToken, source: 'the github-token input (the workflow\'s GITHUB_TOKEN unless set)' } };
}

function releasesOf(settings: RunSettings, github: GitHubClient | undefined, context: RunnerContext, ctx: ReportContext, always: boolean): PublishOptions['releases'] {
  if (!settings.createReleases && !always) return undefined;
  if (!github) throw new ChartshipError('needs a GitHub token', { field: 'create-releases', hint: 'set github-token' });
  return { client: github, tagTemplate: settings.tagTemplate, makeLatest: settings.makeLatest, sha: context.sha, render: (result) => renderReleaseBody(result, ctx) };
}

/**
 * Fails the step when a chart failed, else when a release or the classic index could not be made (the charts are
 * published): a green run would not be rerun, and a rerun is what finishes them.
 */
function failUnlessPublished(results: ChartResult[], classicIndex: PublishOutcome['classicIndex']): void {
  const failed = results.filter((r) => r.status === 'failed');
  // A published chart carries an error only when its release could not be created (createReleases).
  const unreleased = results.filter((r) => isPublished(r) && r.error);
  // Charts of one name (a clash) are told apart by their paths.
  const shown = failed.map((r) => (failed.some((o) => o !== r && o.name === r.name) ? `${r.name} (${shownPath(r.path)})` : r.name));
  if (failed.length > 0) failStep(`${failed.length} chart(s) failed: ${someOf(shown)}; the job summary lists each with its error`);
  else if (unreleased.length > 0) failStep(`the charts are published, but ${someOf(unreleased.map((r) => r.error ?? ''), 3, '; ')}; rerun the job to create the release`);
  else if (classicIndex?.error) failStep(`the charts are published, but the classic index was not updated: ${classicIndex.error}`);
}

/**
 * The outputs a run and a merge of shard runs both give: JSON for fromJSON, and plain ones to branch on. The whole
 * `charts` JSON is also a file (`charts-file`): hundreds of charts in several registries make more than a job's
 * outputs may hold, and the output is then cut down to what it can hold.
 */
async function setResultOutputs({ plan, results }: Pick<PublishOutcome, 'plan' | 'results'>, env: NodeJS.ProcessEnv): Promise<void> {
  const file = join(await mkdtemp(join(env['RUNNER_TEMP'] || tmpdir(), 'chartship-')), 'charts.json');
  const json = JSON.stringify(chartsOutput(results));
  await writeFile(file, json);
  const charts = chartsOutputValue(results, json);
  if (!charts.whole) {
    actionLog.warning(
      `the charts output holds ${charts.value === '[]' ? 'no chart' : "each chart's name, version and status only"}: the whole of it is more than GitHub keeps of a job's outputs (1 MB); read it from the file the charts-file output names`,
    );
  }
  core.setOutput('charts', charts.value);
  core.setOutput('charts-file', file);
  core.setOutput('pushed', String(pushedCount(results)));
  core.setOutput('matrix', JSON.stringify(matrixOutput(plan)));
  for (const [name, value] of Object.entries(releaseOutputs(results))) core.setOutput(name, value);
}

/** Merge mode: the shards' outcomes become the releases, one summary, one comment and the outputs; nothing is pushed. */
async function merge(settings: RunSettings, github: GitHubClient | undefined, context: RunnerContext, ctx: ReportContext, env: NodeJS.ProcessEnv): Promise<void> {
  const merged = await mergeOutcomeFiles(settings.mergeOutcomes, context.cwd);
  const releases = releasesOf(settings, github, context, ctx, false);
  if (releases) await createReleases(merged.results, releases, actionLog);
  const classicIndex = await mergedClassicIndex(merged.results, { ...settings.publish, ...(releases ? { releases } : {}) }, actionLog);
  await setResultOutputs(merged, env);
  await core.summary.addRaw(renderSummary(merged.results, ctx, merged.policy), true).write();
  if (settings.prComment && github) await comment(github, settings.pullRequest, context, { plan: merged.plan, results: merged.results, dryRun: false }, ctx);
  await recordMergedBumps(merged, bumpRecording(settings, context));
  failUnlessPublished(merged.results, classicIndex);
}

/** How a run, or the merge of a sharded one, records its bumps: commit-bump, else the release tags, else a warning. */
function bumpRecording(settings: RunSettings, context: RunnerContext): Parameters<typeof recordBumps>[1] {
  return {
    commitBump: settings.commitBump,
    cwd: context.cwd,
    branch: () => Promise.resolve(context.branch),
    tagged: settings.createReleases,
    remedy: 'turn on commit-bump, or create-releases (its release tags record them)',
    log: actionLog,
  };
}

async function comment(
  github: GitHubClient,
  pullRequest: number | undefined,
  context: RunnerContext,
  outcome: Pick<PublishOutcome, 'plan' | 'results' | 'dryRun' | 'policy'>,
  ctx: ReportContext,
): Promise<void> {
  try {
    // On push events the comment goes to the PR that introduced the commit, if any.
    const number = pullRequest ?? (await github.pullRequestForCommit(context.sha));
    if (number === undefined) return;
    const marker = stickyMarker(ctx.marker);
    const posted = outcome.dryRun
      ? await github.upsertStickyComment(number, marker, renderDryRunComment(outcome.plan, ctx, outcome.policy, outcome.results))
      : await github.upsertStickyComment(number, marker, (found) => publishCommentOver(found, outcome.results, ctx));
    core.info(commentLine(number, posted));
  } catch (error) {
    // A comment is a courtesy: the charts are published either way, so this only warns.
    warnShown(`PR comment: ${describeError(error)}`);
  }
}

/** The plan's table in the log, and why each chart is released folded under it: a few lines a chart, hundreds of charts. */
function logPlan(plan: Plan, others?: number): void {
  core.info(renderPlanOverview(plan, others));
  const details = renderPlanDetails(plan);
  if (!details) return;
  const count = plan.charts.filter((c) => c.action !== 'skipped').length;
  core.startGroup(`Why each chart is released, with its changes (${count} chart${count === 1 ? '' : 's'})`);
  core.info(details);
  core.endGroup();
}
