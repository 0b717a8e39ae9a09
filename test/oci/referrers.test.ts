import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openTarget, type ChartTarget } from '../../src/helm-oci/index.js';
import { referrersTag } from '../../src/oci/referrers.js';
import { RegistryStore } from '../../src/oci/registry-store.js';
import { chartArchive, readReferrers } from '../helpers/registry-charts.js';
import { startReferrersFront, type ReferrersFront } from '../helpers/referrers-front.js';
import { startRegistry, type TestRegistry } from '../helpers/registry.js';
import { skopeoRaw } from './skopeo.js';

const sha = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;
const BUNDLE = 'application/vnd.dev.sigstore.bundle.v0.3+json';
const artifact = (text: string, annotations: Record<string, string> = {}) => ({ artifactType: BUNDLE, mediaType: BUNDLE, bytes: Buffer.from(text), annotations });

interface ManifestJson {
  mediaType?: string;
  artifactType?: string;
  config: { mediaType: string; digest: string; size: number };
  layers: { mediaType: string; digest: string; size: number }[];
  subject?: { mediaType: string; digest: string; size: number };
  annotations?: Record<string, string>;
}

describe('referrers on distribution 2.8 (no referrers API): the referrers tag schema', () => {
  let registry: TestRegistry;
  let target: ChartTarget;
  before(async () => {
    registry = await startRegistry({ auth: 'none' });
    target = openTarget(`oci://${registry.host}/charts`, { plainHttp: true });
  });
  after(async () => {
    await target?.close();
    await registry?.stop();
  });

  it('stores the artifact with subject, artifactType and the empty config, and lists it in the sha256-<hex> tag (read back with skopeo)', async () => {
    const pushed = await target.pushChart({ archive: chartArchive({ name: 'web', version: '1.0.0' }) });
    const first = await target.attach('web', pushed, artifact('{"bundle":1}', { 'dev.sigstore.bundle.content': 'dsse-envelope' }));
    assert.equal(first.via, 'referrers-tag');

    const raw = await skopeoRaw(`docker://${registry.host}/charts/web@${first.digest}`, ['--tls-verify=false']);
    assert.equal(sha(raw), first.digest);
    const manifest = JSON.parse(raw.toString()) as ManifestJson;
    assert.equal(manifest.mediaType, 'application/vnd.oci.image.manifest.v1+json');
    assert.equal(manifest.artifactType, BUNDLE);
    assert.deepEqual(manifest.config, { mediaType: 'application/vnd.oci.empty.v1+json', digest: sha(Buffer.from('{}')), size: 2 });
    assert.deepEqual(manifest.layers, [{ mediaType: BUNDLE, digest: sha(Buffer.from('{"bundle":1}')), size: 12 }]);
    const chartManifest = await skopeoRaw(`docker://${registry.host}/charts/web:1.0.0`, ['--tls-verify=false']);
    assert.deepEqual(manifest.subject, { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: sha(chartManifest), size: chartManifest.length });
    assert.deepEqual(manifest.annotations, { 'dev.sigstore.bundle.content': 'dsse-envelope' });

    const tag = referrersTag(pushed.digest);
    assert.match(tag, /^sha256-[a-f0-9]{64}$/);
    const index = JSON.parse((await skopeoRaw(`docker://${registry.host}/charts/web:${tag}`, ['--tls-verify=false'])).toString()) as { mediaType: string; manifests: object[] };
    assert.equal(index.mediaType, 'application/vnd.oci.image.index.v1+json');
    assert.deepEqual(index.manifests, [
      { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: first.digest, size: raw.length, artifactType: BUNDLE, annotations: { 'dev.sigstore.bundle.content': 'dsse-envelope' } },
    ]);
    // The referrers tag is no chart version.
    assert.deepEqual(await target.listVersions('web'), ['1.0.0']);
  });

  it('adds a second referrer to the index and keeps the first (read-modify-write); attaching the same one again changes nothing', async () => {
    const pushed = await target.pushChart({ archive: chartArchive({ name: 'api', version: '2.0.0' }) });
    const one = await target.attach('api', pushed, artifact('one'));
    const two = await target.attach('api', pushed, artifact('two'));
    const again = await target.attach('api', pushed, artifact('one'));
    assert.equal(again.digest, one.digest);
    const found = await readReferrers(target, 'api', pushed.digest, BUNDLE);
    assert.deepEqual(found.map((r) => r.descriptor.digest).sort(), [one.digest, two.digest].sort());
    assert.deepEqual(found.map((r) => r.layer.toString()).sort(), ['one', 'two']);
    for (const r of found) assert.equal(r.subject, pushed.digest);
    assert.deepEqual(await readReferrers(target, 'api', pushed.digest, 'application/other'), [], 'filtered by artifact type');
  });

  it('a chart without referrers has none', async () => {
    const pushed = await target.pushChart({ archive: chartArchive({ name: 'lone', version: '0.1.0' }) });
    assert.deepEqual(await readReferrers(target, 'lone', pushed.digest, BUNDLE), []);
  });
});

describe('referrers on a registry with the referrers API', () => {
  let registry: TestRegistry;
  let front: ReferrersFront;
  let target: ChartTarget;
  before(async () => {
    registry = await startRegistry({ auth: 'none' });
    front = await startReferrersFront(registry.url);
    target = openTarget(`oci://${front.host}/charts`, { plainHttp: true });
  });
  after(async () => {
    await target?.close();
    await front?.stop();
    await registry?.stop();
  });

  it('trusts the registry to index the subject (OCI-Subject) and writes no referrers tag', async () => {
    const pushed = await target.pushChart({ archive: chartArchive({ name: 'web', version: '1.0.0' }) });
    const attached = await target.attach('web', pushed, artifact('{"bundle":2}'));
    assert.equal(attached.via, 'referrers-api');
    const tags = (await (await fetch(`${registry.url}/v2/charts/web/tags/list`)).json()) as { tags: string[] };
    assert.deepEqual(tags.tags, ['1.0.0'], 'no sha256-<hex> tag');
    const found = await readReferrers(target, 'web', pushed.digest, BUNDLE);
    assert.deepEqual(found.map((r) => r.descriptor.digest), [attached.digest]);
    assert.ok(front.referrersCalls.some((call) => call.startsWith(`GET /v2/charts/web/referrers/${pushed.digest}`)));
  });
});

describe('a registry that gains the referrers API after referrers were stored under the tag schema (distribution 2.8 -> 3, Harbor 2.9)', () => {
  let registry: TestRegistry;
  let front: ReferrersFront;
  let before28: ChartTarget;
  let upgraded: ChartTarget;
  before(async () => {
    registry = await startRegistry({ auth: 'none' });
    front = await startReferrersFront(registry.url);
    // The same storage, reached first without the API (the registry itself), then with it (the front).
    before28 = openTarget(`oci://${registry.host}/charts`, { plainHttp: true });
    upgraded = openTarget(`oci://${front.host}/charts`, { plainHttp: true });
  });
  after(async () => {
    await before28?.close();
    await upgraded?.close();
    await front?.stop();
    await registry?.stop();
  });

  it('still finds what the sha256-<hex> tag lists, at one GET of the tag beside the API call', async () => {
    const pushed = await before28.pushChart({ archive: chartArchive({ name: 'web', version: '1.0.0' }) });
    const old = await before28.attach('web', pushed, artifact('before the upgrade'));
    assert.equal(old.via, 'referrers-tag');
    await registry.reset();
    const found = await readReferrers(upgraded, 'web', pushed.digest, BUNDLE);
    assert.deepEqual(found.map((r) => [r.descriptor.digest, r.layer.toString()]), [[old.digest, 'before the upgrade']]);
    assert.deepEqual(front.referrersCalls, [`GET /v2/charts/web/referrers/${pushed.digest}`]);
    const tagReads = (await registry.settle()).filter((r) => r.path === `/v2/charts/web/manifests/${referrersTag(pushed.digest)}`);
    assert.deepEqual(tagReads.map((r) => `${r.method} ${r.status}`), ['GET 200']);
  });

  it('lists each referrer once: those only the tag lists, those both list, those only the API knows', async () => {
    const pushed = await before28.pushChart({ archive: chartArchive({ name: 'api', version: '1.0.0' }) });
    const tagOnly = await before28.attach('api', pushed, artifact('tag only'));
    const both = await before28.attach('api', pushed, artifact('both'));
    // Pushed again through the upgraded registry: now the API indexes it as well.
    const again = await upgraded.attach('api', pushed, artifact('both'));
    const apiOnly = await upgraded.attach('api', pushed, artifact('api only'));
    assert.deepEqual([again.digest, again.via, apiOnly.via], [both.digest, 'referrers-api', 'referrers-api']);
    const listed = await upgraded.listReferrers('api', pushed.digest, BUNDLE);
    assert.deepEqual(listed.map((d) => d.digest).sort(), [tagOnly.digest, both.digest, apiOnly.digest].sort());
  });

  it('a chart with neither lists none (the tag answers 404)', async () => {
    const pushed = await upgraded.pushChart({ archive: chartArchive({ name: 'lone', version: '0.1.0' }) });
    await registry.reset();
    assert.deepEqual(await upgraded.listReferrers('lone', pushed.digest, BUNDLE), []);
    const tagReads = (await registry.settle()).filter((r) => r.path === `/v2/charts/lone/manifests/${referrersTag(pushed.digest)}`);
    assert.deepEqual(tagReads.map((r) => `${r.method} ${r.status}`), ['GET 404']);
  });
});

describe('referrers on a registry that pages its referrers list (Link: rel="next")', () => {
  let registry: TestRegistry;
  let front: ReferrersFront;
  let target: ChartTarget;
  before(async () => {
    registry = await startRegistry({ auth: 'none' });
    front = await startReferrersFront(registry.url, { pageSize: 2 });
    target = openTarget(`oci://${front.host}/charts`, { plainHttp: true });
  });
  after(async () => {
    await target?.close();
    await front?.stop();
    await registry?.stop();
  });

  it('reads every page: the referrers past the first page are listed too', async () => {
    const pushed = await target.pushChart({ archive: chartArchive({ name: 'web', version: '1.0.0' }) });
    const attached = [];
    for (const text of ['a', 'b', 'c', 'd', 'e']) attached.push(await target.attach('web', pushed, artifact(text)));
    const listed = await target.listReferrers('web', pushed.digest, BUNDLE);
    assert.deepEqual(listed.map((d) => d.digest).sort(), attached.map((a) => a.digest).sort());
    const pages = front.referrersCalls.filter((call) => call.startsWith(`GET /v2/charts/web/referrers/${pushed.digest}`));
    assert.deepEqual(pages.map((call) => new URL(call.slice(4), 'http://x').search), ['', '?offset=2', '?offset=4']);
  });
});

describe('a registry without the referrers API that answers its path with a web page', () => {
  it('is taken as having no referrers API at once (one request), not retried as a garbled index', async () => {
    const seen: string[] = [];
    const server = createServer((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!doctype html><title>Registry</title>');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const store = new RegistryStore(`oci://127.0.0.1:${(server.address() as AddressInfo).port}/charts`, { plainHttp: true, retry: { baseDelayMs: 1 } });
    const subject = sha(Buffer.from('chart manifest'));
    try {
      assert.equal(await store.referrersIndex('charts/web', subject), undefined);
      assert.deepEqual(seen, [`GET /v2/charts/web/referrers/${subject}`]);
    } finally {
      await store.close();
      server.close();
    }
  });
});

describe('referrers in an OCI image layout', () => {
  const dir = mkdtempSync(join(tmpdir(), 'chartship-referrers-layout-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('stores the referrer as a blob and lists it under the referrers tag in index.json', async () => {
    const target = openTarget(`oci-layout:${dir}`);
    const pushed = await target.pushChart({ archive: chartArchive({ name: 'web', version: '1.0.0' }) });
    const attached = await target.attach('web', pushed, artifact('layout'));
    assert.equal(attached.via, 'referrers-tag');
    const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as { manifests: { digest: string; annotations?: Record<string, string> }[] };
    const tagged = index.manifests.find((m) => m.annotations?.['org.opencontainers.image.ref.name'] === `web:${referrersTag(pushed.digest)}`);
    assert.ok(tagged, JSON.stringify(index));
    const listed = JSON.parse(readFileSync(join(dir, 'blobs', 'sha256', tagged.digest.slice(7)), 'utf8')) as { manifests: { digest: string }[] };
    assert.deepEqual(listed.manifests.map((m) => m.digest), [attached.digest]);
    const found = await readReferrers(target, 'web', pushed.digest, BUNDLE);
    assert.deepEqual(found.map((r) => r.layer.toString()), ['layout']);
    await target.close();
  });
});
