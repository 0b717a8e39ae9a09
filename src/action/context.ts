import { readFileSync } from 'node:fs';
import type { EventContext } from '../pipeline/settings.js';

/** What the runner tells us about the run, read from the environment it sets (no @actions/github global state). */
export interface RunnerContext extends EventContext {
  repository: string;
  serverUrl: string;
  apiUrl: string;
  runUrl?: string;
  /** `GITHUB_RUN_ID`: which workflow run this is, to find the last successful one (pipeline/push-range.ts). */
  runId?: number;
  /** Branch to push version bumps to. */
  branch?: string;
}

interface EventPayload {
  before?: string;
  after?: string;
  number?: number;
  pull_request?: { number?: number; base?: { sha?: string }; head?: { sha?: string } };
  merge_group?: { base_sha?: string; head_sha?: string };
  repository?: { visibility?: string };
}

export function runnerContext(env: NodeJS.ProcessEnv): RunnerContext {
  const payload = readPayload(env['GITHUB_EVENT_PATH']);
  const eventName = env['GITHUB_EVENT_NAME'];
  const serverUrl = (env['GITHUB_SERVER_URL'] || 'https://github.com').replace(/\/$/, '');
  const repository = env['GITHUB_REPOSITORY'] ?? '';
  const runId = env['GITHUB_RUN_ID'];
  const pr = payload.pull_request;
  const context: RunnerContext = {
    eventName,
    sha: (pr?.head?.sha ?? env['GITHUB_SHA'] ?? 'HEAD') || 'HEAD',
    cwd: env['GITHUB_WORKSPACE'] || process.cwd(),
    repository,
    serverUrl,
    apiUrl: (env['GITHUB_API_URL'] || 'https://api.github.com').replace(/\/$/, ''),
    runUrl: runId && repository ? `${serverUrl}/${repository}/actions/runs/${runId}` : undefined,
    ...(runId && /^\d+$/.test(runId) ? { runId: Number(runId) } : {}),
    ...(typeof payload.repository?.visibility === 'string' ? { repositoryVisibility: payload.repository.visibility } : {}),
    branch: env['GITHUB_HEAD_REF'] || (env['GITHUB_REF']?.startsWith('refs/heads/') ? env['GITHUB_REF'].slice('refs/heads/'.length) : undefined),
  };
  if (pr) {
    context.base = pr.base?.sha;
    context.head = pr.head?.sha;
    context.pullRequest = pr.number ?? payload.number;
  } else if (eventName === 'push') {
    context.base = payload.before;
    context.head = payload.after;
  } else if (eventName === 'merge_group' && payload.merge_group) {
    // A merge queue's check of the queued pull requests on top of the base branch: what they add is base..head.
    context.base = payload.merge_group.base_sha;
    context.head = payload.merge_group.head_sha;
  }
  return context;
}

function readPayload(path: string | undefined): EventPayload {
  if (!path) return {};
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as EventPayload;
  } catch {
    return {};
  }
}
