/**
 * A registry that takes a chart's blobs and then refuses its manifest with 403 (Harbor's quota, a project's
 * policy): the login is not at fault, and the message must not send the user to fix it. Through the bundled CLI at
 * concurrency > 1, against a real registry behind a proxy that refuses one chart's manifest: the other charts go
 * on, nothing is half-published, and a rerun pushes only the refused one.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { runBundledCli } from '../helpers/cli.js';
import { startFlakyProxy, type FlakyProxy } from '../helpers/flaky-proxy.js';
import { chartFiles, createRepo, type TestRepo } from '../helpers/git.js';
import { readStorage } from '../helpers/registry-storage.js';
import { startRegistry, type TestRegistry } from '../helpers/registry.js';

let registry: TestRegistry;
let proxy: FlakyProxy;
let repo: TestRepo;
const home = mkdtempSync(join(tmpdir(), 'chartship-refused-home-'));

before(async () => {
  registry = await startRegistry({ auth: 'htpasswd' });
  proxy = await startFlakyProxy(registry.url);
  repo = createRepo('chartship-refused-');
  repo.commit('feat: charts', { ...chartFiles('charts/api', 'api', '1.0.0'), ...chartFiles('charts/web', 'web', '1.0.0'), ...chartFiles('charts/db', 'db', '1.0.0') });
});
after(async () => {
  await proxy?.stop();
  await registry?.stop();
  repo?.cleanup();
  rmSync(home, { recursive: true, force: true });
});

async function publishCli() {
  const run = await runBundledCli(
    ['publish', '--cwd', repo.dir, '--registry', `oci://${proxy.host}/refused`, '--plain-http', '--version-bump', 'none', '--policy', 'off', '--json'],
    { cwd: repo.dir, env: { HOME: home, CHARTSHIP_USERNAME: registry.username, CHARTSHIP_PASSWORD: registry.password } },
  );
  const outcome = JSON.parse(run.stdout) as { charts: { name: string; status: string; error?: string }[] };
  return { ...run, outcome, status: Object.fromEntries(outcome.charts.map((c) => [c.name, c.status])) };
}

it('a 403 on the manifest PUT after the blobs went in names the registry\'s words and a policy, not missing rights; a rerun completes it', async () => {
  const quota = 'adding 1.2 KiB of storage resource, which when updated to current usage of 10 GiB will exceed the configured upper limit of 10 GiB.';
  proxy.rules.push({ method: 'PUT', path: /^\/v2\/refused\/web\/manifests\//, fault: { kind: 'status', status: 403, errors: [{ code: 'DENIED', message: quota }] }, times: 1 });
  const first = await publishCli();
  assert.equal(first.code, 1);
  assert.deepEqual(first.status, { api: 'pushed', db: 'pushed', web: 'failed' });
  const error = first.outcome.charts.find((c) => c.name === 'web')?.error ?? '';
  assert.match(error, new RegExp(`PUT http://${proxy.host.replaceAll('.', '\\.')}/v2/refused/web/manifests/1\\.0\\.0 failed with HTTP 403 DENIED: ${quota.replaceAll('.', '\\.')}`));
  assert.match(error, /took the chart's blobs but refused its manifest/);
  assert.doesNotMatch(error, /lack push permission/);
  assert.equal(readStorage(registry.storageDir).tags.get('refused/web:1.0.0'), undefined, 'no tag for the refused chart');
  assert.deepEqual(readStorage(registry.storageDir).problems, []);

  proxy.log.length = 0;
  const rerun = await publishCli();
  assert.equal(rerun.code, 0, rerun.stderr);
  assert.deepEqual(rerun.status, { api: 'unchanged', db: 'unchanged', web: 'pushed' });
  assert.deepEqual(proxy.log.filter((e) => e.method === 'PUT' && e.path.includes('/manifests/')).map((e) => e.path), ['/v2/refused/web/manifests/1.0.0']);
  assert.deepEqual(readStorage(registry.storageDir).problems, []);
});
