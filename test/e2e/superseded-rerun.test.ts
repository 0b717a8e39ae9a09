/**
 * "Re-run failed jobs" on an old run, after the next push's run published: the old run's commit is behind the branch,
 * and the version it would go past holds the newer commits' chart. Publishing the older chart above it would make it
 * the newest version and undo them, so the chart is left out, with a warning saying why. The branch as
 * actions/checkout leaves it (fetch-depth: 0): refs/remotes/origin/main at the newest commit.
 */
import assert from 'node:assert/strict';
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import { registryFixture } from '../helpers/fixture.js';
import { runAction } from '../helpers/action.js';
import { createRepo } from '../helpers/git.js';

const fx = registryFixture('superseded');
const { repo, scratch } = fx;

let runs = 0;
async function push(from: string, to: string): Promise<{ rows: string[]; log: string }> {
  repo.git('checkout', '-q', '--detach', to);
  const run = await runAction({
    cwd: repo.dir,
    dir: join(scratch, `run-${++runs}`),
    inputs: { registry: `oci://${fx.registry.host}/team`, 'plain-http': 'true', policy: 'off' },
    event: { name: 'push', payload: { before: from, after: to, ref: 'refs/heads/main' } },
    env: { GITHUB_REF: 'refs/heads/main', GITHUB_SHA: to },
  });
  assert.equal(run.status, 0, run.log);
  return { rows: (JSON.parse(run.outputs['charts'] ?? '[]') as { name: string; version: string; status: string }[]).map((r) => `${r.name} ${r.version} ${r.status}`), log: run.log };
}
const versions = (chart = 'web') => fx.versions('team', chart);

it('an old run re-run after a newer one published leaves its older chart out instead of publishing it as the newest version', async () => {
  const c0 = repo.commit('chore: web', { 'charts/web/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 1.0.0\n', 'charts/web/values.yaml': 'replicas: 1\n' });
  repo.commit('chore: web is published', {});
  const published = await push(c0, repo.git('rev-parse', 'HEAD'));
  assert.deepEqual(published.rows, ['web 1.0.0 pushed'], 'the first run publishes web as it is');

  const c1 = repo.commit('fix(web): two replicas', { 'charts/web/values.yaml': 'replicas: 2\n' });
  const c2 = repo.commit('fix(web): three replicas', { 'charts/web/values.yaml': 'replicas: 3\n' });
  repo.git('update-ref', 'refs/remotes/origin/main', c2);
  // The run for c1 failed (a registry outage); the run for c2 published.
  assert.deepEqual((await push(c1, c2)).rows, ['web 1.0.1 pushed']);

  // "Re-run failed jobs" on c1's run: the branch is at c2, whose web is 1.0.1.
  const rerun = await push(repo.git('rev-parse', `${c1}~1`), c1);
  assert.deepEqual(rerun.rows, ['web 1.0.0 skipped']);
  assert.match(rerun.log, /::warning::web 1\.0\.1 in oci:\/\/\S+ was published from commits after [0-9a-f]{7}, which main has moved past: publishing this older web as 1\.0\.2 would undo them/);
  assert.deepEqual(await versions(), ['1.0.0', '1.0.1'], 'nothing older published above 1.0.1');

  // The run of the branch's newest commit, re-run, finds its chart published.
  assert.deepEqual((await push(c1, c2)).rows, ['web 1.0.1 unchanged']);
});

it('the same when the newer commits changed only a file the chart links to', async () => {
  repo.git('checkout', '-q', 'main');
  repo.write('shared/_name.tpl', '{{- define "name" -}}a{{- end -}}\n');
  repo.write('charts/api/Chart.yaml', 'apiVersion: v2\nname: api\nversion: 1.0.0\n');
  symlinkSync('../../shared/_name.tpl', join(repo.dir, 'charts/api/name.tpl'));
  const c0 = repo.commit('chore: api, with a shared helper');
  const first = await push(repo.git('rev-parse', `${c0}~1`), c0);
  assert.ok(first.rows.includes('api 1.0.0 pushed'), first.rows.join(', '));

  repo.git('checkout', '-q', 'main');
  const c1 = repo.commit('fix: b', { 'shared/_name.tpl': '{{- define "name" -}}b{{- end -}}\n' });
  const c2 = repo.commit('fix: c', { 'shared/_name.tpl': '{{- define "name" -}}c{{- end -}}\n' });
  repo.git('update-ref', 'refs/remotes/origin/main', c2);
  assert.ok((await push(c1, c2)).rows.includes('api 1.0.1 pushed'));

  const rerun = await push(c0, c1);
  assert.ok(rerun.rows.includes('api 1.0.0 skipped'), rerun.rows.join(', '));
  assert.match(rerun.log, /::warning::api 1\.0\.1 in oci:\/\/\S+ was published from commits after [0-9a-f]{7}, which main has moved past/);
  assert.deepEqual(await versions('api'), ['1.0.0', '1.0.1']);
});

it('a push whose "before" the repository does not have (a force push) plans from the release tags and the registry, saying why', async () => {
  const forced = createRepo('chartship-forced-');
  try {
    const c0 = forced.commit('chore: solo', { 'charts/solo/Chart.yaml': 'apiVersion: v2\nname: solo\nversion: 1.0.0\n' });
    const run = (before: string, after: string) =>
      runAction({
        cwd: forced.dir,
        dir: join(scratch, `forced-${++runs}`),
        inputs: { registry: `oci://${fx.registry.host}/forced`, 'plain-http': 'true', policy: 'off' },
        event: { name: 'push', payload: { before, after, ref: 'refs/heads/main' } },
      });
    assert.equal((await run('0000000000000000000000000000000000000000', c0)).status, 0);
    // History rewritten and pushed with a new version: the event's "before" names a commit no clone has.
    const c1 = forced.commit('feat: solo 1.1.0', { 'charts/solo/Chart.yaml': 'apiVersion: v2\nname: solo\nversion: 1.1.0\n', 'charts/solo/values.yaml': 'a: 1\n' });
    const after = await run('f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0', c1);
    assert.equal(after.status, 0, after.log);
    assert.match(after.log, /::warning::base: the event's base f0f0f0f0f0f0 is not in the repository/);
    assert.deepEqual((JSON.parse(after.outputs['charts'] ?? '[]') as { name: string; version: string; status: string }[]).map((r) => `${r.name} ${r.version} ${r.status}`), ['solo 1.1.0 pushed']);
  } finally {
    forced.cleanup();
  }
});
