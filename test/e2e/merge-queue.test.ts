/**
 * A merge queue's run (`on: merge_group`), which repositories with a queue must add for a required check: it checks
 * the queued pull requests on a temporary branch before they are merged. It only plans, as a pull request's run does,
 * over the queue's range, and publishes nothing; the push of the merge publishes.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { it } from 'node:test';
import { runAction } from '../helpers/action.js';
import { registryFixture } from '../helpers/fixture.js';

const fx = registryFixture('merge-queue');
const { repo, scratch } = fx;

it('a merge_group run plans the queued change and publishes nothing; the push after the merge publishes it', async () => {
  const base = repo.commit('chore: web', { 'charts/web/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 1.0.0\n', 'charts/api/Chart.yaml': 'apiVersion: v2\nname: api\nversion: 2.0.0\n' });
  const run = (name: string, event: { name: string; payload: object }, env: NodeJS.ProcessEnv = {}) =>
    runAction({ cwd: repo.dir, dir: join(scratch, name), inputs: { registry: `oci://${fx.registry.host}/team`, 'plain-http': 'true', policy: 'off', 'pr-comment': 'false' }, event, env: { GITHUB_REPOSITORY: 'acme/charts', ...env } });
  const first = await run('first', { name: 'push', payload: { before: '0000000000000000000000000000000000000000', after: base, ref: 'refs/heads/main' } });
  assert.equal(first.status, 0, first.log);

  const queued = repo.commit('feat(web): a config map', { 'charts/web/templates/cm.yaml': 'kind: ConfigMap\n' });
  const queue = await run(
    'queue',
    { name: 'merge_group', payload: { merge_group: { base_sha: base, head_sha: queued, base_ref: 'refs/heads/main', head_ref: 'refs/heads/gh-readonly-queue/main/pr-7-abc' } } },
    { GITHUB_REF: 'refs/heads/gh-readonly-queue/main/pr-7-abc', GITHUB_SHA: queued },
  );
  assert.equal(queue.status, 0, queue.log);
  assert.match(queue.log, /Plan for [0-9a-f]{7}\.\.[0-9a-f]{7}: 1 of 2 charts to release/);
  // The table in view, and why each chart is released folded under it: a few lines a chart, hundreds of charts.
  const group = /^::group::Why each chart is released, with its changes \(1 chart\)\n([\s\S]*?)^::endgroup::$/m.exec(queue.log);
  assert.ok(group, queue.log);
  assert.match(queue.log.slice(0, group.index), /^web +charts\/web +1\.0\.0 +1\.1\.0 +minor +/m);
  assert.match(group[1]!, /^web 1\.0\.0 → 1\.1\.0\n {2}- minor: feat\(web\): a config map/m);
  const rows = (outputs: Record<string, string>) => (JSON.parse(outputs['charts'] ?? '[]') as { name: string; version: string; status: string }[]).map((r) => `${r.name} ${r.version} ${r.status}`).sort();
  // A dry run's outputs: the versions planned, nothing pushed.
  assert.deepEqual(rows(queue.outputs), ['api 2.0.0 skipped', 'web 1.1.0 planned']);
  assert.equal(queue.outputs['pushed'], '0');
  const versions = () => fx.versions('team', 'web');
  assert.deepEqual(await versions(), ['1.0.0'], 'nothing published from the queue');

  const merged = await run('merged', { name: 'push', payload: { before: base, after: queued, ref: 'refs/heads/main' } });
  assert.equal(merged.status, 0, merged.log);
  assert.deepEqual(await versions(), ['1.0.0', '1.1.0']);
});
