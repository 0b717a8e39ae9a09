import { describeError } from '../model/errors.js';
import type { Git } from '../changes/git.js';
import { mergeBase } from '../changes/refs.js';
import type { GitHubClient } from './github.js';
import type { Log } from './log.js';

/**
 * Where the range of a push's run starts: at the commit of the last successful run of its workflow on the branch when
 * that is older than the push's `before`, else at `before`. A push's commits are in no later push's range when its run
 * never ran (GitHub cancels the run pending in a concurrency group when another is queued) or failed and was not rerun;
 * without commit-bump or release tags nothing else records what was released. The wider range is safe: a chart it
 * releases already is found in the registries with the same content (unchanged).
 */
export async function pushRangeStart(options: { before: string; runId: number; branch: string; github: GitHubClient | undefined; git: Git; log: Log }): Promise<string> {
  const { before, log } = options;
  const risk = `the range starts at the push's before ${before.slice(0, 12)}: a push whose run was cancelled or failed is not released until its charts change again`;
  if (!options.github) {
    log.warning(`no github-token to read this workflow's runs (\`permissions: actions: read\`): ${risk}`);
    return before;
  }
  let last: { id: number; sha: string } | undefined;
  try {
    last = await options.github.lastSuccessfulPushRun(options.runId, options.branch);
  } catch (error) {
    log.warning(`${describeError(error)}: ${risk}`);
    return before;
  }
  // None yet, the push before (the usual case), or this run or a later push's (a rerun): the push's range is whole.
  if (!last || last.sha === before || !(await isAncestor(options.git, last.sha, before))) return before;
  log.info(`the range starts at ${last.sha.slice(0, 12)}, the commit of run ${last.id}, the last that passed on ${options.branch}, not at the push's ${before.slice(0, 12)}`);
  return last.sha;
}

/** Whether `older` is an ancestor of `newer`; a commit the clone cannot get (rewritten away) is not. */
async function isAncestor(git: Git, older: string, newer: string): Promise<boolean> {
  try {
    // Deepens a shallow clone as far as the two meet, as the range's own merge base would.
    return (await mergeBase(git, older, newer)).commit === older;
  } catch {
    return false;
  }
}
