/**
 * The hostile registry: a real registry whose answers the proxy in front turns hostile (huge and slow bodies,
 * redirects to other hosts, upload Locations on other hosts or schemes, token realms elsewhere or over plain
 * HTTP). chartship must fail cleanly or carry on, never leak credentials to another origin, and leave the
 * registry's storage consistent with what it reported.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openTarget } from '../../src/helm-oci/index.js';
import { startFlakyProxy, type FlakyProxy } from '../helpers/flaky-proxy.js';
import { makeServerCertificates } from '../helpers/registry-certs.js';
import { chartArchive } from '../helpers/registry-charts.js';
import { readStorage } from '../helpers/registry-storage.js';
import { startRegistry, type TestRegistry } from '../helpers/registry.js';
import { runScenario, type Figures, type Stage } from './harness.js';

/** Another origin: records what reaches it (and whether credentials came along), answers 404, or 201 to a PUT. */
interface Catcher {
  host: string;
  seen: { method: string; path: string; authorization: boolean }[];
  stop(): Promise<void>;
}

async function startCatcher(): Promise<Catcher> {
  const seen: Catcher['seen'] = [];
  const server: Server = createServer((req, res) => {
    seen.push({ method: req.method ?? '', path: req.url ?? '', authorization: req.headers.authorization !== undefined });
    req.resume();
    req.on('end', () => {
      res.writeHead(req.method === 'PUT' ? 201 : req.method === 'DELETE' ? 204 : 404);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    host: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

let stage: Stage;
let catcher: Catcher;

before(async () => {
  const registry = await startRegistry({ auth: 'htpasswd' });
  stage = { registry, proxy: await startFlakyProxy(registry.url), home: mkdtempSync(join(tmpdir(), 'chartship-hostile-home-')) };
  catcher = await startCatcher();
});
after(async () => {
  await stage.proxy.stop();
  await stage.registry.stop();
  await catcher.stop();
  rmSync(stage.home, { recursive: true, force: true });
});

function assertConsistent(figures: Figures): void {
  assert.deepEqual(figures.problems, [], 'storage: no manifest names a missing blob, every reported digest is the served one');
}

describe('hostile answers during a publish', () => {
  it('a manifest that never ends: the charts fail naming the limit, nothing is half-stored', async () => {
    const figures = await runScenario(stage, {
      name: 'endless manifest',
      charts: 2,
      maxRuns: 1,
      retry: { attempts: 1 },
      rules: [{ method: 'GET', path: /\/manifests\//, fault: { kind: 'endless' }, times: 100 }],
    });
    assert.equal(figures.leftOver.length, 2);
    for (const line of figures.leftOver) assert.match(line, /the manifest is larger than 4 MiB/);
    assertConsistent(figures);
  });

  it('a body trickling in: the charts fail by the idle timeout', async () => {
    const figures = await runScenario(stage, {
      name: 'trickle',
      charts: 2,
      maxRuns: 1,
      retry: { attempts: 1 },
      timeouts: { idleMs: 300 },
      rules: [{ method: 'GET', path: /\/manifests\//, fault: { kind: 'trickle', everyMs: 1000 }, times: 100 }],
    });
    assert.equal(figures.leftOver.length, 2);
    for (const line of figures.leftOver) assert.match(line, /nothing received for 300 ms \(the idle timeout\)/);
    assertConsistent(figures);
  });

  it('tag checks redirected to another host: followed without credentials, the charts still published', async () => {
    catcher.seen.length = 0;
    const figures = await runScenario(stage, {
      name: 'redirect elsewhere',
      charts: 2,
      maxRuns: 1,
      rules: [{ method: 'GET', path: /\/manifests\//, fault: { kind: 'redirect', status: 307, location: (path) => `http://${catcher.host}${path}` }, times: 2 }],
    });
    assert.deepEqual(figures.leftOver, []);
    assert.ok(catcher.seen.length >= 2, JSON.stringify(catcher.seen));
    assert.ok(catcher.seen.every((r) => !r.authorization), 'no credentials went to the other host');
    assertConsistent(figures);
  });

  it('upload Locations on another host: the bytes go there without credentials, and the manifest is refused cleanly', async () => {
    catcher.seen.length = 0;
    const figures = await runScenario(stage, {
      name: 'upload elsewhere',
      charts: 2,
      maxRuns: 1,
      rules: [{
        method: 'POST',
        path: /\/blobs\/uploads\//,
        fault: { kind: 'rewrite', headers: ({ headers }) => ({ location: String(headers['location']).replace(/^https?:\/\/[^/]+/, `http://${catcher.host}`) }) },
        times: 100,
      }],
    });
    assert.equal(figures.leftOver.length, 2);
    for (const line of figures.leftOver) assert.match(line, /MANIFEST_BLOB_UNKNOWN/);
    assert.ok(catcher.seen.some((r) => r.method === 'PUT'));
    assert.ok(catcher.seen.every((r) => !r.authorization), 'no credentials went to the other host');
    assertConsistent(figures);
    assert.equal([...readStorage(stage.registry.storageDir).tags.keys()].filter((t) => t.startsWith('faults-upload-elsewhere/')).length, 0, 'no tag was written');
  });

  it('upload Locations with another scheme are refused before any byte is sent', async () => {
    const figures = await runScenario(stage, {
      name: 'upload other scheme',
      charts: 2,
      maxRuns: 1,
      rules: [{ method: 'POST', path: /\/blobs\/uploads\//, fault: { kind: 'rewrite', headers: () => ({ location: 'ftp://127.0.0.1/upload' }) }, times: 100 }],
    });
    assert.equal(figures.leftOver.length, 2);
    for (const line of figures.leftOver) assert.match(line, /the upload Location points to the unsupported scheme ftp:/);
    assertConsistent(figures);
  });
});

describe('token realms', () => {
  let registry: TestRegistry;
  let front: FlakyProxy;
  let tokens: FlakyProxy;
  let caFile: string;
  const dir = mkdtempSync(join(tmpdir(), 'chartship-hostile-tls-'));

  before(async () => {
    registry = await startRegistry({ auth: 'token' });
    mkdirSync(join(dir, 'tls'));
    const certs = makeServerCertificates(join(dir, 'tls'));
    caFile = certs.caFile;
    // The registry as users reach it, over HTTPS; and the token server behind a proxy that records credentials.
    front = await startFlakyProxy(registry.url, { tls: certs });
    tokens = await startFlakyProxy(new URL(registry.realm!).origin);
  });
  after(async () => {
    await front?.stop();
    await tokens?.stop();
    await registry?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const challenge = (realm: string) => ({
    kind: 'rewrite' as const,
    headers: ({ status }: { status: number }): Record<string, string> => (status === 401 ? { 'www-authenticate': `Bearer realm="${realm}",service="chartship-test-registry"` } : {}),
  });

  it('an HTTPS registry whose realm is on another host over plain HTTP gets no credentials sent there', async () => {
    front.rules.push({ method: 'GET', path: /\/v2\//, fault: challenge(`http://${tokens.host}/token`), times: 100 });
    const target = openTarget(`oci://${front.host}/realm`, { caFile, username: registry.username, password: registry.password, env: {}, retry: { attempts: 1 } });
    try {
      await assert.rejects(target.pushChart({ archive: chartArchive({ name: 'realm', version: '1.0.0' }) }), /may not be sent to its plain-http token server/);
    } finally {
      await target.close();
      front.rules.length = 0;
    }
    assert.ok(tokens.log.length > 0, 'the token server was asked');
    assert.ok(tokens.log.every((r) => !r.authorization), 'anonymously');
    assert.deepEqual(readStorage(registry.storageDir).tags.size, 0);
  });

  it('a realm on another host (as auth.docker.io is for Docker Hub) is used, and the push is whole', async () => {
    tokens.log.length = 0;
    const plain = await startFlakyProxy(registry.url);
    try {
      plain.rules.push({ method: 'GET', path: /\/v2\//, fault: challenge(`http://${tokens.host}/token`), times: 100 });
      const target = openTarget(`oci://${plain.host}/realm`, { plainHttp: true, username: registry.username, password: registry.password, env: {} });
      try {
        const result = await target.pushChart({ archive: chartArchive({ name: 'elsewhere', version: '1.0.0' }) });
        assert.equal(result.status, 'pushed');
        const storage = readStorage(registry.storageDir);
        assert.equal(storage.tags.get('realm/elsewhere:1.0.0'), result.digest);
        assert.deepEqual(storage.problems, []);
      } finally {
        await target.close();
      }
    } finally {
      await plain.stop();
    }
    assert.ok(tokens.log.some((r) => r.authorization), 'the plain-HTTP registry\'s own realm gets the credentials, as the protocol says');
  });

  it('an upload Location that drops TLS is refused before any byte is sent', async () => {
    catcher.seen.length = 0;
    const basic = stage.registry;
    const tlsFront = await startFlakyProxy(basic.url, { tls: { certFile: join(dir, 'tls', 'server.crt'), keyFile: join(dir, 'tls', 'server.key') } });
    tlsFront.rules.push({
      method: 'POST',
      path: /\/blobs\/uploads\//,
      fault: { kind: 'rewrite', headers: ({ headers }) => ({ location: String(headers['location']).replace(/^https:\/\/[^/]+/, `http://${catcher.host}`) }) },
      times: 100,
    });
    const target = openTarget(`oci://${tlsFront.host}/downgrade`, { caFile, username: basic.username, password: basic.password, env: {}, retry: { attempts: 1 } });
    try {
      await assert.rejects(target.pushChart({ archive: chartArchive({ name: 'downgrade', version: '1.0.0' }) }), /the upload Location points to plain http:\/\/.*which would drop TLS/);
    } finally {
      await target.close();
      await tlsFront.stop();
    }
    assert.ok(tlsFront.injected.size > 0, 'the Location was rewritten');
    assert.deepEqual(catcher.seen, [], 'nothing went to the plain-HTTP host');
  });
});
