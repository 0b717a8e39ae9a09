import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runAction } from '../helpers/action.js';
import { registryFixture } from '../helpers/fixture.js';
import { chartFiles } from '../helpers/git.js';

// GitHub's API failing after the charts are pushed: what the step, its outputs and a rerun make of it.

describe('the GitHub API failing after the charts are pushed', () => {
  let base = '';
  let head = '';
  const fx = registryFixture('github-failures', { auth: 'none' }, {
    githubToken: 'ghs_failuretoken',
    setup: ({ repo }) => {
      base = repo.commit('chore: add web', chartFiles('charts/web', 'web', '1.0.0'));
      head = repo.commit('fix(web): two replicas', { 'charts/web/values.yaml': 'replicas: 2\n' });
      fx.github.state.commitPulls.set(head, [{ number: 3, state: 'closed', merged: true }]);
    },
  });
  const { repo, scratch } = fx;

  function push(name: string) {
    return runAction({
      cwd: repo.dir,
      dir: join(scratch, name),
      event: { name: 'push', payload: { before: base, after: head } },
      env: { GITHUB_SHA: head, GITHUB_REF: 'refs/heads/main', GITHUB_REPOSITORY: 'acme/charts', GITHUB_API_URL: fx.github.url, GITHUB_RUN_ID: '9' },
      inputs: { registry: `oci://${fx.registry.host}/charts`, 'plain-http': 'true', 'create-releases': 'true', 'github-token': 'ghs_failuretoken', charts: 'charts/*' },
    });
  }

  /** A fresh start for each test: the chart stays pushed (a rerun reports it unchanged and releases it). */
  function forget() {
    const { state } = fx.github;
    state.failures.clear();
    state.releases.length = 0;
    state.comments.length = 0;
    fx.github.requests.length = 0;
  }
  const calls = (operationId: string) => fx.github.requests.filter((r) => r.operationId === operationId).length;
  /** What every run that passes leaves: the one release, the one sticky comment, and only requests GitHub knows. */
  function releasedOnce() {
    assert.deepEqual(fx.github.state.releases.map((r) => r.tag_name), ['web-1.0.1'], 'one release');
    assert.equal(fx.github.state.comments.filter((c) => c.issueNumber === 3).length, 1, 'one sticky comment');
    assert.deepEqual(fx.github.violations, []);
  }
  const retryLines = (log: string) => log.split('\n').filter((line) => /^GitHub API: .*before attempt \d of \d$/.test(line));

  it('a release GitHub keeps failing fails the step (the chart stays published and in the outputs); the rerun creates it and passes', async () => {
    forget();
    fx.github.state.failures.set('repos/create-release', { status: 502, message: 'Server Error' });
    // The comment is a courtesy: a used-up rate limit there only warns, and one that resets in years is not waited for.
    fx.github.state.failures.set('issues/list-comments', { status: 403, message: 'API rate limit exceeded', headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1900000000' }, times: 1 });
    const first = await push('first');
    assert.equal(first.status, 1, first.log);
    assert.match(first.log, /^::error::the charts are published, but release web-1\.0\.1 not created: GitHub API: creating release web-1\.0\.1 failed with HTTP 502: Server Error; rerun the job to create the release$/m);
    assert.match(first.log, /^::warning::PR comment: GitHub API: listing comments of #3 failed with HTTP 403: API rate limit exceeded \(GitHub's API rate limit is used up until 2030-03-17T17:46:40\.000Z\)$/m);
    // Tried a bounded number of times, each said in the log; the release is looked up before each try.
    assert.equal(calls('repos/create-release'), 4);
    assert.equal(calls('repos/get-release-by-tag'), 4);
    assert.deepEqual(
      retryLines(first.log).map((line) => line.replace(/waiting \d+(\.\d)? m?s/, 'waiting N')),
      [2, 3, 4].map((n) => `GitHub API: creating release web-1.0.1: HTTP 502; waiting N before attempt ${n} of 4`),
    );
    assert.equal(calls('issues/list-comments'), 1, 'a rate limit that resets in years is not waited for');
    assert.ok(!first.log.replace('::add-mask::ghs_failuretoken', '').includes('ghs_failuretoken'), 'the token is only masked, never printed');
    assert.equal(first.outputs['released'], 'true');
    assert.match(first.outputs['web--digest'] ?? '', /^sha256:[0-9a-f]{64}$/);
    assert.equal(fx.github.state.releases.length, 0, "no release yet");

    fx.github.state.failures.clear();
    const rerun = await push('rerun');
    assert.equal(rerun.status, 0, rerun.log);
    assert.equal(rerun.outputs['web--digest'], first.outputs['web--digest']);
    releasedOnce();
  });

  it('a 502 twice, then the release is created once and the step passes', async () => {
    forget();
    fx.github.state.failures.set('repos/create-release', { status: 502, message: 'Server Error', times: 2 });
    const run = await push('twice');
    assert.equal(run.status, 0, run.log);
    assert.match(run.log, /^created release web-1\.0\.1: /m);
    assert.equal(retryLines(run.log).length, 2, run.log);
    assert.equal(calls('repos/create-release'), 3);
    releasedOnce();
  });

  it('creates GitHub made but did not confirm (a 502, a dropped connection) are found, not made twice', async () => {
    forget();
    fx.github.state.failures.set('repos/create-release', { status: 502, message: 'Server Error', times: 1, afterEffect: true });
    fx.github.state.failures.set('issues/create-comment', { status: 502, message: 'Server Error', times: 1, afterEffect: true, drop: true });
    const run = await push('made');
    assert.equal(run.status, 0, run.log);
    releasedOnce();
    assert.equal(calls('repos/create-release'), 1, 'the second attempt found the release by its tag');
    assert.equal(calls('issues/create-comment'), 1, 'the second attempt found the comment by its marker');
    assert.match(run.log, /^GitHub API: creating release web-1\.0\.1: HTTP 502; waiting \d+ ms before attempt 2 of 4$/m);
    assert.match(run.log, /^GitHub API: commenting on #3: no answer \(.+\); waiting \d+ ms before attempt 2 of 4$/m);
    assert.match(run.log, /^created release web-1\.0\.1: /m);
  });

  it('a secondary rate limit (429 with Retry-After) and a primary one that resets in a second are waited for', async () => {
    forget();
    fx.github.state.failures.set('repos/create-release', { status: 429, message: 'You have exceeded a secondary rate limit', headers: { 'retry-after': '1' }, times: 1 });
    const reset = String(Math.ceil(Date.now() / 1000) + 1);
    fx.github.state.failures.set('issues/list-comments', { status: 403, message: 'API rate limit exceeded', headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset }, times: 1 });
    const run = await push('limited');
    assert.equal(run.status, 0, run.log);
    assert.match(run.log, /^GitHub API: creating release web-1\.0\.1: HTTP 429; waiting 1 s, as GitHub asks \(Retry-After\), before attempt 2 of 4$/m);
    assert.match(run.log, /^GitHub API: listing comments of #3: HTTP 403; waiting (\d+ ms|[12](\.\d)? s), as GitHub asks \(x-ratelimit-reset\), before attempt 2 of 4$/m);
    assert.doesNotMatch(run.log, /::warning::PR comment/);
    releasedOnce();
  });

  it('a 4xx other than a rate limit is not retried', async () => {
    forget();
    fx.github.state.failures.set('repos/create-release', { status: 403, message: 'Resource not accessible by integration', times: 1 });
    const run = await push('refused');
    assert.equal(run.status, 1, run.log);
    assert.match(run.log, /^::error::the charts are published, but release web-1\.0\.1 not created: GitHub API: creating release web-1\.0\.1 failed with HTTP 403: Resource not accessible by integration \(give the workflow `permissions: contents: write`\); rerun the job to create the release$/m);
    assert.equal(calls('repos/create-release'), 1);
    assert.deepEqual(retryLines(run.log), []);
  });
});
