import { ChartshipError } from '../model/errors.js';
import { isUnmergedChangeEvent } from '../pipeline/events.js';

/** What the CI system running the CLI says in its own variables. */
export interface CiSystem {
  name: string;
  /** The pull (merge) request the pipeline builds, when it builds one: unmerged code, which only plans. */
  changeRequest?: string;
  /** The commit built, and the range start the CI implies (a push's `before`), when it gives one. */
  sha?: string;
  base?: string;
  /** The branch pushed to: CI checkouts are mostly detached, and a tag or pull request build has none. */
  branch?: string;
  /** How this CI checks out the whole history with its tags. */
  history: string;
}

type Env = NodeJS.ProcessEnv;
const set = (value: string | undefined) => value || undefined;
const headsOf = (ref: string | undefined) => (ref?.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : undefined);

/**
 * Each CI by the variable that marks its jobs, as each documents its variables and checkout. GitLab's merged results
 * pipeline builds the merge of the request into the target's tip: from that tip only the request's own commits are
 * new (the diff base would count the target's newer commits as the request's too).
 */
const SYSTEMS: [string, (env: Env) => Omit<CiSystem, 'name'> | undefined][] = [
  ['GitLab CI', (env) => {
    if (!env['GITLAB_CI']) return undefined;
    const source = env['CI_PIPELINE_SOURCE'];
    const mr = source === 'merge_request_event' ? `merge request !${env['CI_MERGE_REQUEST_IID'] ?? '?'}` : source === 'external_pull_request_event' ? `pull request #${env['CI_EXTERNAL_PULL_REQUEST_IID'] ?? '?'}` : undefined;
    return {
      changeRequest: mr,
      sha: set(env['CI_COMMIT_SHA']),
      base: mr ? set(env['CI_MERGE_REQUEST_TARGET_BRANCH_SHA']) ?? set(env['CI_MERGE_REQUEST_DIFF_BASE_SHA']) : set(env['CI_COMMIT_BEFORE_SHA']),
      branch: set(env['CI_COMMIT_BRANCH']),
      history: 'set the job\'s variable GIT_DEPTH: 0',
    };
  }],
  ['GitHub Actions', (env) => env['GITHUB_ACTIONS'] === 'true' ? {
    changeRequest: isUnmergedChangeEvent(env['GITHUB_EVENT_NAME']) ? `${env['GITHUB_EVENT_NAME']} event` : undefined,
    sha: set(env['GITHUB_SHA']),
    branch: headsOf(env['GITHUB_REF']),
    history: 'actions/checkout with fetch-depth: 0',
  } : undefined],
  // A multibranch pipeline names the branch (PR-12 for a pull request); a freestyle job's git plugin, origin/main.
  ['Jenkins', (env) => env['JENKINS_URL'] ? {
    changeRequest: set(env['CHANGE_ID']) && `pull request ${env['CHANGE_ID']}`,
    sha: set(env['GIT_COMMIT']),
    base: set(env['GIT_PREVIOUS_SUCCESSFUL_COMMIT']),
    branch: env['CHANGE_ID'] ? undefined : set(env['BRANCH_NAME']) ?? set(env['GIT_BRANCH']?.replace(/^origin\//, '')),
    history: 'the git checkout\'s advanced clone behaviours: no shallow clone, and fetch tags',
  } : undefined],
  ['Bitbucket Pipelines', (env) => env['BITBUCKET_BUILD_NUMBER'] ? {
    changeRequest: set(env['BITBUCKET_PR_ID']) && `pull request #${env['BITBUCKET_PR_ID']}`,
    sha: set(env['BITBUCKET_COMMIT']),
    branch: set(env['BITBUCKET_BRANCH']),
    history: 'clone: depth: full in bitbucket-pipelines.yml',
  } : undefined],
  // BUILD_SOURCEBRANCHNAME is only the last segment of the branch (feature/x is "x"): the full ref says it all.
  ['Azure Pipelines', (env) => env['TF_BUILD'] ? {
    changeRequest: env['BUILD_REASON'] === 'PullRequest' ? `pull request ${env['SYSTEM_PULLREQUEST_PULLREQUESTNUMBER'] ?? env['SYSTEM_PULLREQUEST_PULLREQUESTID'] ?? ''}`.trim() : undefined,
    sha: set(env['BUILD_SOURCEVERSION']),
    branch: headsOf(env['BUILD_SOURCEBRANCH']),
    history: 'the checkout step with fetchDepth: 0 and fetchTags: true',
  } : undefined],
  ['CircleCI', (env) => env['CIRCLECI'] ? {
    changeRequest: set(env['CIRCLE_PULL_REQUEST']) && `pull request ${env['CIRCLE_PULL_REQUEST']}`,
    sha: set(env['CIRCLE_SHA1']),
    branch: set(env['CIRCLE_BRANCH']),
    history: 'the checkout step (a full clone), or git fetch --unshallow --tags after a shallow one',
  } : undefined],
  // A tag build names the tag as its branch too.
  ['Buildkite', (env) => env['BUILDKITE'] ? {
    changeRequest: set(env['BUILDKITE_PULL_REQUEST']) && env['BUILDKITE_PULL_REQUEST'] !== 'false' ? `pull request #${env['BUILDKITE_PULL_REQUEST']}` : undefined,
    sha: set(env['BUILDKITE_COMMIT']),
    branch: env['BUILDKITE_TAG'] ? undefined : set(env['BUILDKITE_BRANCH']),
    history: 'no --depth in BUILDKITE_GIT_CLONE_FLAGS or BUILDKITE_GIT_FETCH_FLAGS',
  } : undefined],
];

/** The CI system whose variables are set, if any (a plain shell, Tekton: none). */
export function ciSystem(env: Env): CiSystem | undefined {
  for (const [name, read] of SYSTEMS) {
    const found = read(env);
    if (found) return { name, ...found };
  }
  return undefined;
}

/** A clone too shallow (or missing the base) is fixed in the CI's own checkout settings: the hint names them. */
export function inCiTerms(error: unknown, env: Env): unknown {
  const ci = ciSystem(env);
  if (!ci || !(error instanceof ChartshipError) || !(error.code === 'GIT_SHALLOW' || (error.code === 'GIT_REF_UNKNOWN' && error.field === 'base'))) return error;
  const { file, field, line, column, code } = error;
  return new ChartshipError(error.message, { file, field, line, column, code, hint: `fetch the full history with its tags, in ${ci.name}: ${ci.history}`, cause: error });
}
