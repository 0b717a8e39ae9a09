import assert from 'node:assert/strict';
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { openTarget } from '../../src/helm-oci/index.js';
import { silentLog } from '../../src/pipeline/log.js';
import { publish } from '../../src/pipeline/publish.js';
import { startFlakyProxy, type FlakyProxy } from '../helpers/flaky-proxy.js';
import { createRepo, type TestRepo } from '../helpers/git.js';
import { startRegistry, type TestRegistry } from '../helpers/registry.js';

let registry: TestRegistry;
let proxy: FlakyProxy;
let repo: TestRepo;

before(async () => {
  registry = await startRegistry({ auth: 'htpasswd' });
  proxy = await startFlakyProxy(registry.url);
  repo = createRepo();
  cpSync(join(import.meta.dirname, '..', '..', 'examples', 'charts'), join(repo.dir, 'charts'), { recursive: true });
  repo.commit('feat: the example charts');
});
after(async () => {
  await proxy?.stop();
  await registry?.stop();
  repo?.cleanup();
});

it('publishes every chart through a registry that fails, drops and throttles along the way', async () => {
  const unavailable = { kind: 'status', status: 503, headers: { 'retry-after': '0' } } as const;
  proxy.rules.push(
    { method: 'POST', path: /\/blobs\/uploads\//, fault: unavailable, times: 3 },
    { method: 'PUT', path: /\/blobs\/uploads\//, fault: { kind: 'drop' }, times: 2 },
    { method: 'GET', path: /\/manifests\//, fault: { kind: 'status', status: 429, headers: { 'retry-after': '0' } }, times: 2 },
    { method: 'PUT', path: /\/manifests\//, fault: { kind: 'status', status: 502 }, times: 2 },
  );
  const outcome = await publish(
    {
      cwd: repo.dir,
      targets: [`oci://${proxy.host}/charts`],
      target: { plainHttp: true, username: registry.username, password: registry.password, env: {}, retry: { baseDelayMs: 5 } },
    },
    silentLog,
  );
  assert.deepEqual(outcome.results.map((r) => `${r.name} ${r.status}`).sort(), ['common pushed', 'web pushed', 'worker pushed']);
  assert.deepEqual(proxy.rules.map((r) => r.times), [0, 0, 0, 0], 'every fault was met and survived');

  // What the results name is what the registry holds, read back past the proxy.
  const direct = openTarget(`oci://${registry.host}/charts`, { plainHttp: true, username: registry.username, password: registry.password, env: {} });
  try {
    for (const result of outcome.results) {
      assert.equal((await direct.inspectChart(result.name, result.version))?.digest, result.registries[0]?.digest, result.name);
    }
  } finally {
    await direct.close();
  }
});
