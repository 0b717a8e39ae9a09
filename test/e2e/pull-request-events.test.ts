/**
 * Every event that runs for a pull request carries it in its payload (`pull_request_review` when someone approves,
 * `pull_request_review_comment`, `pull_request_target`), with its head checked out or named: a workflow that adds one
 * (to re-check on approval) must not publish the pull request's unmerged charts. Like `pull_request`, they only plan.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { it } from 'node:test';
import { runAction } from '../helpers/action.js';
import { registryFixture } from '../helpers/fixture.js';

const fx = registryFixture('pull-request-events');
const { repo, scratch } = fx;

it('a review, a review comment and a pull_request_target run plan the pull request and publish nothing', async () => {
  const base = repo.commit('chore: web', { 'charts/web/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 1.0.0\n' });
  const run = (name: string, event: { name: string; payload: object }, env: NodeJS.ProcessEnv = {}) =>
    runAction({ cwd: repo.dir, dir: join(scratch, name), inputs: { registry: `oci://${fx.registry.host}/team`, 'plain-http': 'true', policy: 'off', 'pr-comment': 'false' }, event, env: { GITHUB_REPOSITORY: 'acme/charts', ...env } });
  const first = await run('first', { name: 'push', payload: { before: '0000000000000000000000000000000000000000', after: base, ref: 'refs/heads/main' } });
  assert.equal(first.status, 0, first.log);
  const versions = () => fx.versions('team', 'web');
  assert.deepEqual(await versions(), ['1.0.0']);

  const head = repo.commit('feat(web): a config map', { 'charts/web/templates/cm.yaml': 'kind: ConfigMap\n' });
  const pullRequest = { number: 7, base: { sha: base, ref: 'main' }, head: { sha: head, ref: 'feature' } };
  const events: [string, object][] = [
    ['pull_request_review', { action: 'submitted', review: { state: 'approved' }, pull_request: pullRequest }],
    ['pull_request_review_comment', { action: 'created', comment: { body: 'lgtm' }, pull_request: pullRequest }],
    ['pull_request_target', { action: 'synchronize', number: 7, pull_request: pullRequest }],
  ];
  for (const [name, payload] of events) {
    const result = await run(name, { name, payload }, { GITHUB_REF: 'refs/pull/7/merge', GITHUB_SHA: head, GITHUB_HEAD_REF: 'feature', GITHUB_BASE_REF: 'main' });
    assert.equal(result.status, 0, `${name}:\n${result.log}`);
    assert.match(result.log, /Plan for [0-9a-f]{7}\.\.[0-9a-f]{7}: 1 of 1 charts to release/, name);
    assert.equal(result.outputs['pushed'], '0', name);
    assert.deepEqual((JSON.parse(result.outputs['charts'] ?? '[]') as { version: string; status: string }[]).map((c) => `${c.version} ${c.status}`), ['1.1.0 planned'], name);
    assert.deepEqual(await versions(), ['1.0.0'], `${name}: nothing published from the pull request`);
  }
});
