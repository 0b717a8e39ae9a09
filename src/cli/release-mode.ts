import { createGit } from '../changes/git.js';
import { checkedOutBranch, resolveCommit } from '../changes/refs.js';
import { ChartshipError } from '../model/errors.js';
import { commentLine, type GitHubClient } from '../pipeline/github.js';
import type { Log } from '../pipeline/log.js';
import type { PublishOptions, PublishOutcome } from '../pipeline/publish.js';
import { AS_WRITTEN, decideRunKind, type RunKind } from '../pipeline/release-mode.js';
import { releasePullRequests } from '../pipeline/release-pr.js';
import type { RunSettings } from '../pipeline/settings.js';
import { lazyGitHubClient } from '../report/github-lazy.js';
import { proxiedFetch } from '../oci/proxy.js';
import { publishCommentOver, renderReleaseBody, stickyMarker, type ReportContext } from '../report/index.js';
import type { CliIO } from './io.js';
import { namedBranch } from './settings.js';

export interface CliRun {
  run: RunKind;
  github?: GitHubClient;
  sha: string;
  branch?: string;
  report: ReportContext;
}

/**
 * What `publish --mode` does outside the action: GitHub is reached with CHARTSHIP_GITHUB_TOKEN (or GITHUB_TOKEN) for
 * the repository GITHUB_REPOSITORY names, at GITHUB_API_URL (default api.github.com). `--mode publish` (the
 * default) needs none of it.
 */
export async function cliRunKind(settings: RunSettings, io: CliIO, cwd: string, event: { eventName?: string }, log: Log): Promise<CliRun> {
  const env = io.env;
  const repository = env['GITHUB_REPOSITORY'] ?? '';
  const report: ReportContext = { serverUrl: (env['GITHUB_SERVER_URL'] || 'https://github.com').replace(/\/$/, ''), repository };
  if (settings.mode === 'publish') return { run: { kind: 'publish' }, sha: 'HEAD', report };
  const token = settings.githubToken ?? env['GITHUB_TOKEN'];
  const [owner = '', repo = ''] = repository.split('/');
  if (!token || !owner || !repo) {
    throw new ChartshipError(`--mode ${settings.mode} needs GitHub: set CHARTSHIP_GITHUB_TOKEN (or GITHUB_TOKEN) and GITHUB_REPOSITORY=OWNER/REPO`, { field: 'mode' });
  }
  const github = lazyGitHubClient({ token, apiUrl: (env['GITHUB_API_URL'] || 'https://api.github.com').replace(/\/$/, ''), owner, repo, onRetry: (line) => log.info(line), fetch: proxiedFetch(env) });
  const git = createGit(cwd);
  const sha = await resolveCommit(git, 'HEAD');
  if (!sha) throw new ChartshipError('has no commit checked out', { field: 'cwd' });
  const branch = namedBranch(env) ?? (await checkedOutBranch(git));
  const run = await decideRunKind({ ...settings, eventName: event.eventName ?? 'push', sha, branch, github, git, log });
  return { run, github, sha, ...(branch ? { branch } : {}), report };
}

/** The publish options of the run after a release pull request is merged: as written, and released on GitHub. */
export function releasedAsWritten(cli: CliRun, settings: RunSettings): Partial<PublishOptions> {
  if (cli.run.kind !== 'release' || !cli.github) return {};
  return { ...AS_WRITTEN, releases: { client: cli.github, tagTemplate: settings.tagTemplate, sha: cli.sha, render: (result) => renderReleaseBody(result, cli.report) } };
}

/** The digests, commented on the merged release pull request. */
export async function commentReleased(cli: CliRun, outcome: PublishOutcome, log: Log): Promise<void> {
  if (cli.run.kind !== 'release' || !cli.github) return;
  const number = cli.run.pull.number;
  const posted = await cli.github.upsertStickyComment(number, stickyMarker(), (found) => publishCommentOver(found, outcome.results, cli.report));
  log.info(commentLine(number, posted));
}

/** Opens, updates or closes the release pull request(s); prints what it did, as JSON with --json. */
export async function releasePrCommand(cli: CliRun, settings: RunSettings, io: CliIO, json: boolean, log: Log): Promise<number> {
  if (!cli.branch || !cli.github) throw new ChartshipError('needs the branch to open a release pull request into: check one out, or set CI_COMMIT_BRANCH', { field: 'mode' });
  const outcome = await releasePullRequests({ ...settings.releasePr, publish: settings.publish, github: cli.github, base: cli.branch, sha: cli.sha, report: cli.report }, log);
  const pulls = outcome.pulls.map((pull) => ({ number: pull.number, url: pull.url, created: pull.created }));
  if (json) io.stdout(`${JSON.stringify({ releasePr: pulls, closed: outcome.closed, kept: outcome.kept.map((pull) => pull.head), plan: outcome.plan }, null, 2)}\n`);
  else {
    for (const pull of outcome.pulls) io.stdout(`${pull.created ? 'opened' : 'updated'} release pull request #${pull.number}: ${pull.url}\n`);
    for (const number of outcome.closed) io.stdout(`closed release pull request #${number}: nothing left to release\n`);
    if (outcome.pulls.length === 0 && outcome.closed.length === 0) io.stdout('nothing to release\n');
  }
  return outcome.plan.invalid.length > 0 ? 1 : 0;
}
