import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ChartshipError } from '../../src/model/errors.js';
import type { GitHubClient } from '../../src/pipeline/github.js';
import { silentLog } from '../../src/pipeline/log.js';
import { decideRunKind, type RunModeContext } from '../../src/pipeline/release-mode.js';
import { resolveSettings } from '../../src/pipeline/settings.js';
import { createGitHubClient } from '../../src/report/github.js';
import { start, type GitHubApi } from '../helpers/github-api.js';

const SHA = 'c'.repeat(40);

describe('which run a push makes', () => {
  let api: GitHubApi;
  let github: GitHubClient;
  before(async () => {
    api = await start({ token: 't' });
    github = createGitHubClient({ token: 't', apiUrl: api.url, owner: 'acme', repo: 'charts' });
  });
  after(() => api.stop());

  const context = (over: Partial<RunModeContext>): RunModeContext => ({
    mode: 'release-pr',
    eventName: 'push',
    sha: SHA,
    branch: 'main',
    commitBump: false,
    releasePr: { branch: 'chartship/release', perChart: false },
    github,
    log: silentLog,
    ...over,
  });

  it('publish publishes, without asking GitHub anything', async () => {
    const before = api.requests.length;
    assert.deepEqual(await decideRunKind(context({ mode: 'publish', github: undefined })), { kind: 'publish' });
    assert.equal(api.requests.length, before);
  });

  it('a pull request, a merge queue, or a push to the release branch itself, only plans whatever the mode', async () => {
    const before = api.requests.length;
    assert.deepEqual(await decideRunKind(context({ eventName: 'pull_request' })), { kind: 'publish' });
    assert.deepEqual(await decideRunKind(context({ mode: 'auto', eventName: 'pull_request_target' })), { kind: 'publish' });
    assert.deepEqual(await decideRunKind(context({ eventName: 'pull_request_review' })), { kind: 'publish' });
    // A merge queue's temporary branch holds pull requests the queue may still drop: no release pull request from it.
    assert.deepEqual(await decideRunKind(context({ eventName: 'merge_group' })), { kind: 'publish' });
    assert.equal(api.requests.length, before, 'GitHub is not asked about release pull requests');
    assert.deepEqual(await decideRunKind(context({ branch: 'chartship/release' })), { kind: 'publish' });
    assert.deepEqual(await decideRunKind(context({ branch: 'chartship/release/web', releasePr: { branch: 'chartship/release', perChart: true } })), { kind: 'publish' });
  });

  it('a merged release pull request is released; a merged feature branch or a fork\'s branch of that name is not', async () => {
    api.state.commitPulls.set(SHA, [
      { number: 3, state: 'closed', merged: true, head: 'feature-x' },
      { number: 4, state: 'closed', merged: true, head: 'chartship/release', fork: true },
    ]);
    assert.deepEqual(await decideRunKind(context({})), { kind: 'release-pr' });
    api.state.commitPulls.get(SHA)!.push({ number: 5, state: 'closed', merged: true, head: 'chartship/release' });
    const run = await decideRunKind(context({ mode: 'auto', commitBump: true }));
    assert.equal(run.kind, 'release');
    assert.equal(run.kind === 'release' && run.pull.number, 5);
    api.state.commitPulls.delete(SHA);
  });

  it('release-pr and auto need a token', async () => {
    await assert.rejects(decideRunKind(context({ github: undefined })), (e: unknown) => e instanceof ChartshipError && e.field === 'mode');
  });

  it('auto: a branch whose protection cannot be read publishes (and warns)', async () => {
    api.state.failures.set('repos/get-branch', { status: 403, message: 'Resource not accessible by integration', times: 1 });
    const warnings: string[] = [];
    const run = await decideRunKind(context({ mode: 'auto', commitBump: true, log: { ...silentLog, warning: (m) => warnings.push(m) } }));
    assert.deepEqual(run, { kind: 'publish' });
    assert.match(warnings.join('\n'), /cannot tell whether main is protected/);
    assert.deepEqual(api.violations, []);
  });

  it('mode, release-pr and release-branch are checked, a typo with the closest value', () => {
    const refusal = (raw: Record<string, string>) => {
      try {
        resolveSettings({ registry: 'oci://r/x', ...raw }, { sha: 'HEAD', cwd: '/' });
      } catch (error) {
        assert.ok(error instanceof ChartshipError);
        return error.describe();
      }
      assert.fail('accepted');
    };
    assert.match(refusal({ mode: 'relase-pr' }), /mode: must be one of auto, publish, release-pr, got "relase-pr" \(did you mean "release-pr"\?\)/);
    assert.match(refusal({ 'release-pr': 'per-chat' }), /release-pr: must be one of single, per-chart.*did you mean "per-chart"/);
    assert.match(refusal({ 'release-branch': 'chartship release' }), /release-branch: "chartship release" is not a branch name git accepts/);
    const s = resolveSettings({ registry: 'oci://r/x', mode: 'auto', 'release-pr': 'per-chart', 'release-branch': 'bot/release' }, { sha: 'HEAD', cwd: '/' });
    assert.deepEqual([s.mode, s.releasePr], ['auto', { branch: 'bot/release', perChart: true }]);
  });
});
