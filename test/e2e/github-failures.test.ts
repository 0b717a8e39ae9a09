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

  it('a release GitHub refuses fails the step (the chart stays published and in the outputs); the rerun creates it and passes', async () => {
    fx.github.state.failures.set('repos/create-release', { status: 502, message: 'Server Error', times: 3 });
    // The comment is a courtesy: a used-up rate limit there only warns.
    fx.github.state.failures.set('issues/list-comments', { status: 403, message: 'API rate limit exceeded', headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1900000000' }, times: 1 });
    const first = await push('first');
    assert.equal(first.status, 1, first.log);
    assert.match(first.log, /^::error::the charts are published, but release web-1\.0\.1 not created: GitHub API: creating release web-1\.0\.1 failed with HTTP 502: Server Error; rerun the job to create the release$/m);
    assert.match(first.log, /^::warning::PR comment: GitHub API: listing comments of #3 failed with HTTP 403: API rate limit exceeded \(GitHub's API rate limit is used up until 2030-03-17T17:46:40\.000Z\)$/m);
    assert.equal(first.outputs['released'], 'true');
    assert.match(first.outputs['web--digest'] ?? '', /^sha256:[0-9a-f]{64}$/);
    assert.equal(fx.github.state.releases.length, 0, "no release yet");

    fx.github.state.failures.clear();
    const rerun = await push('rerun');
    assert.equal(rerun.status, 0, rerun.log);
    assert.deepEqual(fx.github.state.releases.map((r) => r.tag_name), ['web-1.0.1']);
    assert.equal(rerun.outputs['web--digest'], first.outputs['web--digest']);
    assert.equal(fx.github.state.comments.filter((c) => c.issueNumber === 3).length, 1);
    assert.deepEqual(fx.github.violations, []);
  });
});
