import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, test } from 'node:test';
import type { Clock } from '../../src/model/clock.js';
import { type TargetOptions } from '../../src/oci/index.js';
import { openTarget } from '../../src/helm-oci/index.js';
import { RegistryError } from '../../src/oci/errors.js';
import { RegistryStore } from '../../src/oci/registry-store.js';
import { chartArchive } from '../helpers/registry-charts.js';
import { startRegistry, type TestRegistry } from '../helpers/registry.js';
import { startFlakyProxy, type FlakyProxy, type Fault } from '../helpers/flaky-proxy.js';

let registry: TestRegistry;
let proxy: FlakyProxy;
let storage: Server;
let storageHost: string;
const storageSeen: { path: string; authorization: boolean }[] = [];
const storageBlobs = new Map<string, Buffer>();
let sleeps: number[] = [];

/** Retries without real waiting: the waits are recorded instead. */
const clock: Clock = {
  now: () => Date.now() + sleeps.reduce((a, b) => a + b, 0),
  sleep: (ms) => {
    sleeps.push(ms);
    return Promise.resolve();
  },
};

before(async () => {
  registry = await startRegistry({ auth: 'htpasswd' });
  proxy = await startFlakyProxy(registry.url);
  // "blob storage" on another port: must never see the registry's Authorization header
  storage = createServer((req, res) => {
    storageSeen.push({ path: req.url ?? '', authorization: req.headers.authorization !== undefined });
    const bytes = storageBlobs.get((req.url ?? '').slice(1));
    res.writeHead(bytes ? 200 : 404);
    res.end(bytes);
  });
  await new Promise<void>((resolve) => storage.listen(0, '127.0.0.1', resolve));
  storageHost = `127.0.0.1:${(storage.address() as AddressInfo).port}`;
});
after(async () => {
  await proxy?.stop();
  await new Promise((resolve) => storage?.close(resolve));
  await registry?.stop();
});
beforeEach(() => {
  proxy.rules.length = 0;
  proxy.log.length = 0;
  sleeps = [];
});

function options(extra: TargetOptions = {}): TargetOptions {
  return { plainHttp: true, username: registry.username, password: registry.password, env: {}, clock, retry: { baseDelayMs: 100 }, ...extra };
}

test('a blob PUT answered 503 + Retry-After restarts that upload with a new POST', async () => {
  proxy.rules.push({ method: 'PUT', path: /\/blobs\/uploads\//, fault: { kind: 'status', status: 503, headers: { 'retry-after': '2' } }, times: 1 });
  const target = openTarget(`oci://${proxy.host}/flaky`, options());
  try {
    const result = await target.pushChart({ archive: chartArchive({ name: 'put503', version: '1.0.0' }) });
    assert.equal(result.status, 'pushed');
  } finally {
    await target.close();
  }
  const uploads = proxy.log.filter((e) => /\/blobs\/uploads\//.test(e.path) && (e.method === 'POST' || e.outcome !== 'forwarded'));
  assert.deepEqual(uploads.map((e) => `${e.method} ${e.outcome}`).sort(), ['POST forwarded', 'POST forwarded', 'POST forwarded', 'PUT status 503'].sort());
  assert.ok(sleeps.includes(2000), `Retry-After honoured: ${JSON.stringify(sleeps)}`);
});

test('a dropped connection on the manifest PUT is retried', async () => {
  proxy.rules.push({ method: 'PUT', path: /\/manifests\//, fault: { kind: 'drop' }, times: 1 });
  const target = openTarget(`oci://${proxy.host}/flaky`, options());
  try {
    assert.equal((await target.pushChart({ archive: chartArchive({ name: 'dropped', version: '1.0.0' }) })).status, 'pushed');
    assert.equal(await target.inspectChart('dropped', '1.0.0').then((p) => p?.digest.startsWith('sha256:')), true);
  } finally {
    await target.close();
  }
  assert.deepEqual(proxy.log.filter((e) => e.path.includes('/manifests/') && e.method === 'PUT').map((e) => e.outcome), ['drop', 'forwarded']);
  assert.equal(sleeps.length, 1);
});

test('a tag the registry does not serve right after storing it is looked for again, not reported gone', async () => {
  // Reads that lag writes: the read-back after the manifest PUT misses the tag twice, then finds it.
  const unknown: Fault = { kind: 'status', status: 404, errors: [{ code: 'MANIFEST_UNKNOWN', message: 'manifest unknown' }] };
  proxy.rules.push({ method: 'HEAD', path: /\/lagging\/manifests\/1\.0\.0$/, fault: unknown, times: 2 });
  const target = openTarget(`oci://${proxy.host}/flaky`, options());
  try {
    const pushed = await target.pushChart({ archive: chartArchive({ name: 'lagging', version: '1.0.0' }) });
    assert.equal(pushed.status, 'pushed');
    assert.equal((await target.inspectChart('lagging', '1.0.0'))?.digest, pushed.digest);
  } finally {
    await target.close();
  }
  assert.deepEqual(proxy.log.filter((e) => e.method === 'HEAD' && e.path.includes('/lagging/manifests/')).map((e) => e.outcome), ['status 404', 'status 404', 'forwarded']);
  assert.deepEqual(sleeps, [250, 1250]);

  // A tag that stays away (deleted by another run) is reported so, after the same two looks.
  sleeps = [];
  proxy.rules.push({ method: 'HEAD', path: /\/gone\/manifests\/1\.0\.0$/, fault: unknown, times: 3 });
  const again = openTarget(`oci://${proxy.host}/flaky`, options());
  try {
    await assert.rejects(again.pushChart({ archive: chartArchive({ name: 'gone', version: '1.0.0' }) }), (error: Error & { code?: string }) => {
      assert.equal(error.code, 'TAG_RACE');
      assert.match(error.message, /disappeared right after the push/);
      return true;
    });
  } finally {
    await again.close();
  }
  assert.deepEqual(sleeps, [250, 1250]);
});

test('a persistent 5xx gives up after the policy attempts with a RegistryError', async () => {
  proxy.rules.push({ method: 'GET', path: /\/manifests\//, fault: { kind: 'status', status: 502 }, times: 100 });
  const target = openTarget(`oci://${proxy.host}/flaky`, options({ retry: { attempts: 3, baseDelayMs: 10 } }));
  try {
    await assert.rejects(target.pushChart({ archive: chartArchive({ name: 'down', version: '1.0.0' }) }), (error: unknown) => {
      assert.ok(error instanceof RegistryError);
      assert.equal(error.status, 502);
      assert.equal(error.code, 'UNAVAILABLE');
      // The user reads what failed where, and that it was retried and what to do.
      assert.match(error.describe(), new RegExp(`GET http://${proxy.host.replaceAll('.', '\\.')}/v2/flaky/down/manifests/1\\.0\\.0 failed with HTTP 502 UNAVAILABLE`));
      assert.match(error.hint ?? '', /kept failing .* through every retry: run again once it recovers/);
      return true;
    });
  } finally {
    await target.close();
  }
  assert.equal(proxy.log.filter((e) => e.method === 'GET').length, 3);
  assert.equal(sleeps.length, 2);
});

test('a redirect to another origin is followed without credentials', async () => {
  const store = new RegistryStore(`oci://${proxy.host}/flaky`, options());
  try {
    const bytes = Buffer.from('redirected blob');
    const { createHash } = await import('node:crypto');
    const digest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
    storageBlobs.set(digest, bytes);
    assert.equal(await store.client.blobExists('flaky/redirect', digest), false); // learns Basic auth from the 401
    proxy.rules.push({ method: 'GET', path: /\/blobs\/sha256:/, fault: { kind: 'redirect', status: 307, location: () => `http://${storageHost}/${digest}` }, times: 1 });
    assert.deepEqual(await store.getBlob('flaky/redirect', digest), bytes);
    const atProxy = proxy.log.filter((e) => e.path.includes('/blobs/sha256:'));
    assert.equal(atProxy.at(-1)?.authorization, true, 'the registry itself got credentials');
    assert.deepEqual(storageSeen, [{ path: `/${digest}`, authorization: false }]);
  } finally {
    await store.close();
  }
});
