import * as core from '@actions/core';
import { ChartshipError } from '../model/errors.js';
import type { GitHubClient } from '../pipeline/github.js';
import { releaseOutputs } from '../pipeline/outputs.js';
import { releasePullRequests } from '../pipeline/release-pr.js';
import type { RunSettings } from '../pipeline/settings.js';
import { renderPlanSummary, type ReportContext } from '../report/index.js';
import { someOf } from '../report/plan-text.js';
import type { RunnerContext } from './context.js';
import { actionLog, failStep } from './log.js';

/** The run that opens, updates or closes the release pull request(s) instead of publishing; its outputs and summary. */
export async function runReleasePr(settings: RunSettings, github: GitHubClient, context: RunnerContext, ctx: ReportContext): Promise<void> {
  if (!context.branch) throw new ChartshipError('needs the branch that was pushed to open a release pull request into it', { field: 'mode', hint: 'run on push events' });
  const outcome = await releasePullRequests(
    { ...settings.releasePr, publish: settings.publish, github, base: context.branch, sha: context.sha, report: ctx },
    actionLog,
  );
  for (const [name, value] of Object.entries(releaseOutputs([]))) core.setOutput(name, value);
  // One left as it is (someone committed to its branch) is still open, and is still the release pull request.
  core.setOutput('release-pr', [...outcome.pulls, ...outcome.kept].map((pull) => pull.number).join(' '));
  const links = [
    ...outcome.pulls.map((pull) => `- ${pull.created ? 'opened' : 'updated'} [#${pull.number}](${pull.url})`),
    ...outcome.kept.map((pull) => `- left [#${pull.number}](${pull.url}) as it is: its branch has commits by others`),
  ];
  const closed = outcome.closed.map((number) => `- closed #${number}: nothing left to release`);
  // The whole plan: the pull request's body is cut to GitHub's 65,536 characters, and its note sends readers here.
  await core.summary.addRaw([...links, ...closed, '', renderPlanSummary(outcome.plan, ctx, outcome.policy)].join('\n'), true).write();
  for (const chart of outcome.plan.invalid) actionLog.error(chart.message, { file: chart.file ?? chart.chartYaml, field: chart.field, line: chart.line, column: chart.column });
  if (outcome.plan.invalid.length > 0) failStep(`${outcome.plan.invalid.length} chart(s) are invalid: ${someOf(outcome.plan.invalid.map((c) => c.name ?? c.path))}`);
}
