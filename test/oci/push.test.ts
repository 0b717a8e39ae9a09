import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHash } from 'node:crypto';
import diagnostics from 'node:diagnostics_channel';
import { after, before, test } from 'node:test';
import { ChartshipError } from '../../src/model/errors.js';
import { openTarget, type ChartTarget } from '../../src/helm-oci/index.js';
import { RegistryClient } from '../../src/oci/registry.js';
import { RegistryStore } from '../../src/oci/registry-store.js';
import { chartArchive } from '../helpers/registry-charts.js';
import { startRegistry, type TestRegistry } from '../helpers/registry.js';
import { skopeoRaw } from './skopeo.js';

let registry: TestRegistry;
let target: ChartTarget;
const sha = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

before(async () => {
  registry = await startRegistry({ auth: 'none' });
  target = openTarget(`oci://${registry.host}/charts/team`, { plainHttp: true });
});
after(async () => {
  await target?.close();
  await registry?.stop();
});

async function blob(repository: string, digest: string): Promise<Buffer> {
  const response = await fetch(`${registry.url}/v2/${repository}/blobs/${digest}`);
  assert.equal(response.status, 200);
  return Buffer.from(await response.arrayBuffer());
}

test('push: manifest, config and layers read back with skopeo and plain blob GETs', async () => {
  const archive = chartArchive({
    name: 'webapp',
    version: '1.2.3+build.5',
    extra: 'appVersion: "2.0"\nhome: https://example.com/<x>&y\nmaintainers:\n  - name: Ann\n    email: ann@example.com\nannotations:\n  team: platform\n',
    mtime: new Date('2024-02-03T04:05:06Z'),
  });
  const prov = Buffer.from('-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA512\n\nfake\n');
  const result = await target.pushChart({ archive, prov });
  assert.equal(result.status, 'pushed');
  assert.equal(result.ref, `${registry.host}/charts/team/webapp:1.2.3_build.5`);
  assert.equal(target.display, `${registry.host}/charts/team`);

  const raw = await skopeoRaw(`docker://${registry.host}/charts/team/webapp:1.2.3_build.5`, ['--tls-verify=false']);
  assert.equal(sha(raw), result.digest, 'the returned digest is the digest of what the registry serves');
  const manifest = JSON.parse(raw.toString()) as {
    schemaVersion: number; mediaType?: string;
    config: { mediaType: string; digest: string; size: number };
    layers: { mediaType: string; digest: string; size: number }[];
    annotations: Record<string, string>;
  };
  assert.equal(manifest.schemaVersion, 2);
  assert.equal(manifest.mediaType, undefined, 'helm writes no top-level mediaType');
  assert.deepEqual(Object.keys(manifest), ['schemaVersion', 'config', 'layers', 'annotations']);
  assert.equal(manifest.config.mediaType, 'application/vnd.cncf.helm.config.v1+json');
  const layerTypes = new Map(manifest.layers.map((l) => [l.mediaType, l]));
  assert.equal(layerTypes.get('application/vnd.cncf.helm.chart.content.v1.tar+gzip')?.digest, sha(archive));
  assert.equal(layerTypes.get('application/vnd.cncf.helm.chart.provenance.v1.prov')?.digest, sha(prov));
  assert.deepEqual(manifest.layers.map((l) => l.digest), manifest.layers.map((l) => l.digest).sort(), 'layers sorted by digest');
  assert.equal(result.provDigest, sha(prov));
  assert.deepEqual(manifest.annotations, {
    'org.opencontainers.image.authors': 'Ann (ann@example.com)',
    'org.opencontainers.image.created': '2024-02-03T04:05:06Z',
    'org.opencontainers.image.description': 'A test chart',
    'org.opencontainers.image.title': 'webapp',
    'org.opencontainers.image.url': 'https://example.com/<x>&y',
    'org.opencontainers.image.version': '1.2.3+build.5',
    team: 'platform',
  });

  const config = await blob('charts/team/webapp', manifest.config.digest);
  assert.equal(
    config.toString(),
    '{"name":"webapp","home":"https://example.com/\\u003cx\\u003e\\u0026y","version":"1.2.3+build.5","description":"A test chart",' +
      '"maintainers":[{"name":"Ann","email":"ann@example.com"}],"apiVersion":"v2","appVersion":"2.0","annotations":{"team":"platform"},"type":"application"}',
  );
  assert.equal(manifest.config.size, config.length);
  assert.deepEqual(await blob('charts/team/webapp', sha(archive)), archive);

  // read side of the same API
  assert.deepEqual(await target.inspectChart('webapp', '1.2.3+build.5'), {
    digest: result.digest, size: raw.length, configDigest: manifest.config.digest, chartDigest: sha(archive), provDigest: sha(prov),
    created: manifest.annotations['org.opencontainers.image.created'],
  });
  assert.equal(result.size, raw.length, 'the size a descriptor of the manifest needs');
  const pulled = await target.pullChart('webapp', '1.2.3+build.5');
  assert.deepEqual(pulled.archive, archive);
  assert.deepEqual(pulled.prov, prov);
  assert.equal(await target.inspectChart('webapp', '9.9.9'), undefined);
});

test('the manifest digest is reproducible for the same archive', async () => {
  const archive = chartArchive({ name: 'repro', version: '0.1.0' });
  const first = await target.pushChart({ archive });
  const other = openTarget(`oci://${registry.host}/elsewhere`, { plainHttp: true });
  try {
    const second = await other.pushChart({ archive });
    assert.equal(second.digest, first.digest);
  } finally {
    await other.close();
  }
});

test('re-pushing the same content is one request and uploads nothing', async () => {
  const archive = chartArchive({ name: 'idem', version: '1.0.0' });
  const before = target.stats().requests;
  await registry.reset();
  const first = await target.pushChart({ archive });
  assert.equal(target.stats().requests - before, 8, 'unsigned new chart: tag check, 2 x (POST + PUT), tag re-check, manifest PUT, read-back HEAD');
  const seenFirst = await registry.settle();
  assert.equal(seenFirst.filter((r) => r.method === 'PUT').length, 3);

  await registry.reset();
  const again = await target.pushChart({ archive });
  assert.equal(again.status, 'unchanged');
  assert.equal(again.digest, first.digest);
  const seen = await registry.settle();
  assert.deepEqual(seen.map((r) => `${r.method} ${r.path}`), ['GET /v2/charts/team/idem/manifests/1.0.0']);
  assert.equal(target.stats().requests - before, 9);
});

test('a HEAD does not close its connection (a push ends with one)', async () => {
  // undici closes a connection after every HEAD unless told otherwise: 100 charts pushed opened 100 connections more
  // than they needed, each a TCP handshake on both sides.
  await target.pushChart({ archive: chartArchive({ name: 'keepalive', version: '1.0.0' }) });
  const store = new RegistryStore(`oci://${registry.host}/charts/team`, { plainHttp: true });
  let connected = 0;
  const count = () => connected++;
  diagnostics.subscribe('undici:client:connected', count);
  try {
    for (let i = 0; i < 10; i++) assert.match((await store.client.headManifest('charts/team/keepalive', '1.0.0')) ?? '', /^sha256:/);
  } finally {
    diagnostics.unsubscribe('undici:client:connected', count);
    await store.close();
  }
  assert.ok(connected <= 2, `10 HEADs one after another opened ${connected} connections`);
});

test('a version the listing did not hold is pushed without asking for its tag first; a push made since is still seen', async () => {
  const listed = openTarget(`oci://${registry.host}/charts/team`, { plainHttp: true });
  const other = openTarget(`oci://${registry.host}/charts/team`, { plainHttp: true });
  try {
    await other.pushChart({ archive: chartArchive({ name: 'unlisted', version: '1.0.0' }) });
    assert.deepEqual(await listed.listVersions('unlisted'), ['1.0.0']);
    await registry.reset();
    const pushed = await listed.pushChart({ archive: chartArchive({ name: 'unlisted', version: '1.1.0' }) });
    assert.equal(pushed.status, 'pushed');
    const seen = (await registry.settle()).map((r) => `${r.method} ${r.path.replace(/uploads\/.*/, 'uploads/…')}`);
    assert.deepEqual(seen.filter((r) => r.startsWith('GET')), ['GET /v2/charts/team/unlisted/manifests/1.1.0'], 'only the re-check after the upload');
    assert.equal(seen.length, 7, seen.join('\n'));

    // Another run pushes 1.2.0 (other content) after this one listed the tags: the re-check refuses to go on.
    await other.pushChart({ archive: chartArchive({ name: 'unlisted', version: '1.2.0', files: { 'templates/other.yaml': 'kind: Secret\n' } }) });
    await assert.rejects(listed.pushChart({ archive: chartArchive({ name: 'unlisted', version: '1.2.0' }) }), (error: ChartshipError) => error.code === 'TAG_RACE');
    // A version the listing held is asked for first, as before: the same content is unchanged.
    assert.equal((await listed.pushChart({ archive: chartArchive({ name: 'unlisted', version: '1.0.0' }) })).status, 'unchanged');
  } finally {
    await Promise.all([listed.close(), other.close()]);
  }
});

test('a tag inspectChart found missing is pushed without asking for it again; a push made since is still seen', async () => {
  // migrate inspects every version before copying it: a second look at the same missing tag was a request per version.
  const inspecting = openTarget(`oci://${registry.host}/charts/team`, { plainHttp: true });
  const other = openTarget(`oci://${registry.host}/charts/team`, { plainHttp: true });
  try {
    assert.equal(await inspecting.inspectChart('inspected', '1.0.0'), undefined);
    await registry.reset();
    assert.equal((await inspecting.pushChart({ archive: chartArchive({ name: 'inspected', version: '1.0.0' }) })).status, 'pushed');
    const seen = (await registry.settle()).map((r) => `${r.method} ${r.path}`);
    assert.deepEqual(seen.filter((r) => r.startsWith('GET')), ['GET /v2/charts/team/inspected/manifests/1.0.0'], `only the re-check after the upload:\n${seen.join('\n')}`);

    // Another run pushes other content after this one inspected the tag: the re-check refuses to go on.
    assert.equal(await inspecting.inspectChart('inspected', '2.0.0'), undefined);
    await other.pushChart({ archive: chartArchive({ name: 'inspected', version: '2.0.0', files: { 'templates/other.yaml': 'kind: Secret\n' } }) });
    await assert.rejects(inspecting.pushChart({ archive: chartArchive({ name: 'inspected', version: '2.0.0' }) }), (error: ChartshipError) => error.code === 'TAG_RACE');
  } finally {
    await Promise.all([inspecting.close(), other.close()]);
  }
});

test('different content under an existing version is refused, then replaced with overwrite', async () => {
  const original = chartArchive({ name: 'immut', version: '1.0.0' });
  const changed = chartArchive({ name: 'immut', version: '1.0.0', files: { 'templates/new.yaml': 'kind: Secret\n' } });
  const first = await target.pushChart({ archive: original });
  await registry.reset();
  await assert.rejects(target.pushChart({ archive: changed }), (error: unknown) => {
    assert.ok(error instanceof ChartshipError);
    assert.equal(error.code, 'TAG_EXISTS');
    assert.match(error.describe(), /--overwrite/);
    return true;
  });
  assert.deepEqual((await registry.settle()).map((r) => r.method), ['GET'], 'nothing uploaded when refused');
  const replaced = await target.pushChart({ archive: changed }, { overwrite: true });
  assert.equal(replaced.status, 'overwritten');
  assert.notEqual(replaced.digest, first.digest);
  // the config blob is unchanged and known from the old manifest: only the chart layer is uploaded
  const puts = (await registry.settle()).filter((r) => r.method === 'PUT');
  assert.equal(puts.length, 2);
  assert.equal((await target.inspectChart('immut', '1.0.0'))?.digest, replaced.digest);

  // a new signature over the same chart leaves the published one in place, unless overwrite replaces it
  const resigned = await target.pushChart({ archive: changed, prov: Buffer.from('sig') });
  assert.equal(resigned.status, 'unchanged');
  assert.equal(resigned.digest, replaced.digest);
  assert.equal(resigned.provDigest, undefined, 'reports the published (absent) signature, not ours');
  const signed = await target.pushChart({ archive: changed, prov: Buffer.from('sig') }, { overwrite: true });
  assert.equal(signed.status, 'overwritten');
  assert.equal(signed.provDigest, sha(Buffer.from('sig')));
});

test('a bad archive uploads nothing', async () => {
  await registry.reset();
  await assert.rejects(target.pushChart({ archive: Buffer.from('nope'), label: 'bad.tgz' }), (error: unknown) => {
    assert.ok(error instanceof ChartshipError);
    assert.match(error.describe(), /^bad\.tgz: not a gzip archive/);
    return true;
  });
  await assert.rejects(target.pushChart({ archive: chartArchive({ name: 'Bad', version: '1.0.0' }) }), (error: unknown) => {
    assert.ok(error instanceof ChartshipError);
    assert.match(error.describe(), /lowercase/);
    return true;
  });
  assert.deepEqual(await registry.settle(), []);
});

test('listVersions turns _ back into + and skips non-SemVer tags; held versions include those helm pushes as written', async () => {
  for (const version of ['0.1.0', '0.2.0-rc.1', '0.2.0+meta', 'v0.3.0']) await target.pushChart({ archive: chartArchive({ name: 'listed', version }) });
  // a non-chart tag
  const raw = await skopeoRaw(`docker://${registry.host}/charts/team/listed:0.1.0`, ['--tls-verify=false']);
  const put = await fetch(`${registry.url}/v2/charts/team/listed/manifests/latest`, {
    method: 'PUT', headers: { 'content-type': 'application/vnd.oci.image.manifest.v1+json' }, body: raw,
  });
  assert.equal(put.status, 201);
  assert.deepEqual((await target.listVersions('listed')).sort(), ['0.1.0', '0.2.0+meta', '0.2.0-rc.1']);
  // `v0.3.0` is a version helm packages and pushes, but its registry client leaves it out when resolving a range.
  assert.deepEqual((await target.listVersions('listed', 'held')).sort(), ['0.1.0', '0.2.0+meta', '0.2.0-rc.1', 'v0.3.0']);
  assert.deepEqual(await target.listVersions('never-pushed'), []);
});

test('listTags follows Link headers page by page', async () => {
  for (const version of ['1.0.0', '1.1.0', '1.2.0', '2.0.0', '2.1.0']) await target.pushChart({ archive: chartArchive({ name: 'paged', version }) });
  // distribution 2.8 answers every tag at once; GHCR, Harbor and distribution 3 page them. This proxy pages the
  // real registry's answer the way they do (`n`, `last`, a relative `Link` to the next page).
  const pager = createServer((req, res) => void pageTags(req, res));
  async function pageTags(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://pager');
    const answer = await fetch(`${registry.url}${url.pathname}`);
    const all = ((await answer.json()) as { name: string; tags: string[] }).tags.sort();
    const n = Number(url.searchParams.get('n') ?? all.length);
    const after = url.searchParams.get('last');
    const rest = after ? all.filter((t) => t > after) : all;
    const page = rest.slice(0, n);
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (rest.length > n) headers['link'] = `<${url.pathname}?n=${n}&last=${page[page.length - 1]}>; rel="next"`;
    res.writeHead(200, headers).end(JSON.stringify({ name: 'charts/team/paged', tags: page }));
    seen.push(url.search);
  }
  const seen: string[] = [];
  await new Promise<void>((resolve) => pager.listen(0, '127.0.0.1', resolve));
  const store = new RegistryStore(`oci://127.0.0.1:${(pager.address() as AddressInfo).port}/charts`, { plainHttp: true });
  try {
    const tags = await store.client.listTags('charts/team/paged', 'pull', 2);
    assert.deepEqual(tags, ['1.0.0', '1.1.0', '1.2.0', '2.0.0', '2.1.0']);
    assert.deepEqual(seen, ['?n=2', '?n=2&last=1.1.0', '?n=2&last=2.0.0']);
  } finally {
    await store.close();
    pager.close();
  }
});

test('a Link header that leads back to a page already read fails the listing at once, rather than reading it 10,000 times', async () => {
  // A registry that ignores `last` answers every page with the first one, and the same Link to the next.
  const seen: string[] = [];
  const looping = createServer((req, res) => {
    seen.push(req.url ?? '');
    res.writeHead(200, { 'content-type': 'application/json', link: '</v2/charts/looped/tags/list?n=2&last=1.1.0>; rel="next"' });
    res.end(JSON.stringify({ name: 'charts/looped', tags: ['1.0.0', '1.1.0'] }));
  });
  await new Promise<void>((resolve) => looping.listen(0, '127.0.0.1', resolve));
  const host = `127.0.0.1:${(looping.address() as AddressInfo).port}`;
  const store = new RegistryStore(`oci://${host}/charts`, { plainHttp: true });
  try {
    await assert.rejects(store.client.listTags('charts/looped', 'pull', 2), (error: unknown) => {
      assert.ok(error instanceof ChartshipError);
      assert.equal(error.code, 'TAG_LIST_INVALID');
      assert.match(error.describe(), new RegExp(`GET http://${host.replaceAll('.', '\\.')}/v2/charts/looped/tags/list\\?n=2&last=1\\.1\\.0: the Link header leads back to a page of the tag list already read`));
      assert.match(error.describe(), /ignores `last`/);
      return true;
    });
    assert.deepEqual(seen, ['/v2/charts/looped/tags/list?n=2', '/v2/charts/looped/tags/list?n=2&last=1.1.0']);
  } finally {
    await store.close();
    looping.close();
  }
});

test('a Link to a next page off http(s) fails the listing, naming the Link, instead of being requested', async () => {
  const seen: string[] = [];
  const pager = createServer((req, res) => {
    seen.push(req.url ?? '');
    res.writeHead(200, { 'content-type': 'application/json', link: '<file:///etc/passwd>; rel="next"' });
    res.end(JSON.stringify({ name: 'charts/odd', tags: ['1.0.0'] }));
  });
  await new Promise<void>((resolve) => pager.listen(0, '127.0.0.1', resolve));
  const store = new RegistryStore(`oci://127.0.0.1:${(pager.address() as AddressInfo).port}/charts`, { plainHttp: true });
  try {
    await assert.rejects(store.client.listTags('charts/odd', 'pull', 2), (error: unknown) => {
      assert.ok(error instanceof ChartshipError);
      assert.equal(error.code, 'REDIRECT_INVALID');
      assert.match(error.message, /the Link to the next page points to the unsupported scheme file:/);
      return true;
    });
    assert.deepEqual(seen, ['/v2/charts/odd/tags/list?n=2']);
  } finally {
    await store.close();
    pager.close();
  }
});

test("a manifest naming a blob the registry lacks is refused in the registry's words, naming that blob (the error's detail)", async () => {
  const store = new RegistryStore(`oci://${registry.host}/charts`, { plainHttp: true });
  try {
    const config = Buffer.from('{"name":"lacking","version":"0.1.0"}');
    await store.putBlobs('charts/lacking', [{ mediaType: 'application/vnd.cncf.helm.config.v1+json', digest: sha(config), size: config.length, bytes: config }]);
    const missing = sha(Buffer.from('never uploaded'));
    const manifest = Buffer.from(JSON.stringify({
      schemaVersion: 2,
      config: { mediaType: 'application/vnd.cncf.helm.config.v1+json', digest: sha(config), size: config.length },
      layers: [{ mediaType: 'application/vnd.cncf.helm.chart.content.v1.tar+gzip', digest: missing, size: 14 }],
    }));
    await assert.rejects(store.putManifest('charts/lacking', '0.1.0', 'application/vnd.oci.image.manifest.v1+json', manifest), (error: unknown) => {
      assert.ok(error instanceof ChartshipError);
      assert.equal(error.code, 'MANIFEST_BLOB_UNKNOWN');
      assert.match(error.message, new RegExp(`blob unknown to registry: ${missing}$`));
      return true;
    });
  } finally {
    await store.close();
  }
});

test("the upload Location's query is kept byte for byte, digest= added after it (a registry may sign the query's very bytes)", async () => {
  const location = '/v2/charts/signed/blobs/uploads/u1?_state=a%2Fb%3D%3D&flag&sig=x~y%20z';
  const bytes = Buffer.from('signed upload');
  const puts: string[] = [];
  const server = createServer((req, res) => {
    req.resume();
    if (req.method === 'POST') return void res.writeHead(202, { location, 'content-length': '0' }).end();
    puts.push(req.url ?? '');
    if (req.url === `${location}&digest=${sha(bytes)}`) return void res.writeHead(201, { 'docker-content-digest': sha(bytes), 'content-length': '0' }).end();
    res.writeHead(400, { 'content-type': 'application/json' }).end('{"errors":[{"code":"BLOB_UPLOAD_INVALID","message":"the upload URL was altered"}]}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const store = new RegistryStore(`oci://127.0.0.1:${(server.address() as AddressInfo).port}/charts`, { plainHttp: true });
  try {
    assert.equal(await store.client.uploadBlob('charts/signed', sha(bytes), bytes), 'uploaded');
    assert.deepEqual(puts, [`${location}&digest=${sha(bytes)}`]);
  } finally {
    await store.close();
    server.close();
  }
});

test('uploadBlob mounts a blob the repository already has (one request, no bytes)', async () => {
  const store = new RegistryStore(`oci://${registry.host}/charts`, { plainHttp: true });
  try {
    const client: RegistryClient = store.client;
    const bytes = Buffer.from('blob content');
    assert.equal(await client.blobExists('charts/mount', sha(bytes)), false);
    assert.equal(await client.uploadBlob('charts/mount', sha(bytes), bytes), 'uploaded');
    const before = store.stats();
    assert.equal(await client.uploadBlob('charts/mount', sha(bytes), bytes), 'mounted');
    assert.equal(store.stats().requests - before.requests, 1);
    assert.equal(store.stats().bytesUploaded, before.bytesUploaded);
    assert.equal(await client.blobExists('charts/mount', sha(bytes)), true);
    await assert.rejects(client.uploadBlob('charts/mount', sha(Buffer.from('other')), bytes), (error: unknown) => {
      assert.ok(error instanceof ChartshipError);
      assert.equal(error.code, 'DIGEST_INVALID');
      assert.doesNotMatch(error.message, /_state=[^R]/, 'upload state is redacted');
      return true;
    });
  } finally {
    await store.close();
  }
});
