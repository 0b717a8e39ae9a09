// chartship migrate against classic repositories shaped as they are in the wild, beyond what `helm repo index`
// writes: an index served gzip-compressed without being asked, JSON, versions listed twice, a .prov that is not one.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { readChartArchive } from '../../src/charts/archive.js';
import { provenanceBody } from '../../src/sign/index.js';
import { runBundledCli } from '../helpers/cli.js';
import { GpgHome, type GpgKey } from '../helpers/gpg.js';
import { HELM_MAJORS, isolatedHelm } from '../helpers/helm.js';
import { chartArchive } from '../helpers/registry-charts.js';
import { startRegistry, type TestRegistry } from '../helpers/registry.js';

const scratch = mkdtempSync(join(tmpdir(), 'chartship-migrate-wild-'));
const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const migrateCli = (args: string[]) => runBundledCli(['migrate', ...args], { cwd: scratch, env: { HOME: scratch } });

interface Route {
  body: Buffer;
  headers?: Record<string, string>;
}

/** A static server on 127.0.0.1 answering each path with what `routes` holds (404 otherwise), whatever was asked. */
async function serve(routes: Map<string, Route>): Promise<{ origin: string; paths: string[]; server: Server }> {
  const paths: string[] = [];
  const server = createServer((req, res) => {
    paths.push(req.url ?? '');
    const route = routes.get(new URL(req.url ?? '/', 'http://127.0.0.1').pathname);
    if (!route) {
      res.writeHead(404);
      res.end('not found');
      return;
    }
    res.writeHead(200, route.headers ?? {});
    res.end(route.body);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, paths, server };
}

const entry = (name: string, version: string, archive: Buffer, url: string) => ({ apiVersion: 'v2', name, version, description: 'A test chart', type: 'application', urls: [url], digest: sha(archive), created: '2021-03-04T05:06:07.123456789Z' });

describe('chartship migrate from repositories shaped as in the wild', () => {
  let registry: TestRegistry;
  let gpg: GpgHome;
  let key: GpgKey;
  const keyring = join(scratch, 'pubring.gpg');

  before(async () => {
    registry = await startRegistry();
    gpg = await GpgHome.create();
    key = await gpg.generateKey({ name: 'Repo Signer', algo: 'rsa3072' });
    writeFileSync(keyring, await gpg.exportKeyring([key.fingerprint]));
  });
  after(async () => {
    await registry?.stop();
    await gpg?.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('reads an index.yaml sent gzip-compressed unasked (Content-Encoding: gzip), and one written as JSON', async () => {
    const archive = chartArchive({ name: 'zipped', version: '1.0.0' });
    const index = { apiVersion: 'v1', entries: { zipped: [entry('zipped', '1.0.0', archive, 'zipped-1.0.0.tgz')] }, generated: '2021-03-04T05:06:07Z' };
    const routes = new Map<string, Route>([
      ['/gz/index.yaml', { body: gzipSync(Buffer.from(JSON.stringify(index))), headers: { 'content-type': 'application/x-yaml', 'content-encoding': 'gzip' } }],
      ['/gz/zipped-1.0.0.tgz', { body: archive }],
    ]);
    const repo = await serve(routes);
    try {
      const result = await migrateCli([`${repo.origin}/gz/index.yaml`, `oci://${registry.host}/gz`, '--plain-http']);
      assert.equal(result.code, 0, result.stdout + result.stderr);
      assert.match(result.stdout, /^zipped\s+1\.0\.0\s+copied\s+sha256:[0-9a-f]{64}$/m);
    } finally {
      repo.server.close();
    }
  });

  it('a version listed twice (merged history, a re-upload) is copied once, from the entry helm resolves (the first), with a warning; a rerun copies nothing', async () => {
    const first = chartArchive({ name: 'twice', version: '1.0.0' });
    const reupload = chartArchive({ name: 'twice', version: '1.0.0', extra: 'description: uploaded again\n' });
    const other = chartArchive({ name: 'twice', version: '0.9.0' });
    const index = {
      apiVersion: 'v1',
      entries: {
        twice: [entry('twice', '1.0.0', first, 'a/twice-1.0.0.tgz'), entry('twice', '0.9.0', other, 'a/twice-0.9.0.tgz'), entry('twice', '1.0.0', reupload, 'b/twice-1.0.0.tgz')],
      },
    };
    const routes = new Map<string, Route>([
      ['/dup/index.yaml', { body: Buffer.from(JSON.stringify(index)) }],
      ['/dup/a/twice-1.0.0.tgz', { body: first }],
      ['/dup/b/twice-1.0.0.tgz', { body: reupload }],
      ['/dup/a/twice-0.9.0.tgz', { body: other }],
    ]);
    const repo = await serve(routes);
    try {
      const result = await migrateCli([`${repo.origin}/dup`, `oci://${registry.host}/dup`, '--plain-http', '--concurrency', '1']);
      assert.equal(result.code, 0, result.stdout + result.stderr);
      assert.match(result.stderr, /twice 1\.0\.0 is listed more than once in the index: copying the first \(a\/twice-1\.0\.0\.tgz\)/);
      assert.match(result.stdout, /copied 2, already there 0, failed 0 \(of 2\)/);
      assert.ok(!repo.paths.some((p) => p.startsWith('/dup/b/')), 'the second entry is not downloaded');
      const out = join(scratch, 'dup-pulled');
      mkdirSync(out);
      const helm = isolatedHelm(4);
      try {
        await helm.run(['pull', `oci://${registry.host}/dup/twice`, '--version', '1.0.0', '--plain-http', '-d', out]);
      } finally {
        helm.cleanup();
      }
      assert.deepEqual(readFileSync(join(out, 'twice-1.0.0.tgz')), first);
      const again = await migrateCli([`${repo.origin}/dup`, `oci://${registry.host}/dup`, '--plain-http']);
      assert.equal(again.code, 0, again.stdout + again.stderr);
      assert.match(again.stdout, /copied 0, already there 2, failed 0 \(of 2\)/);
    } finally {
      repo.server.close();
    }
  });

  it('a version the registry holds as another archive fails saying it is left as it is, with no hint at flags migrate lacks', async () => {
    const held = join(scratch, 'held-1.0.0.tgz');
    writeFileSync(held, chartArchive({ name: 'held', version: '1.0.0', extra: 'description: packaged again\n' }));
    const pushed = await runBundledCli(['push', held, `oci://${registry.host}/held`, '--plain-http'], { cwd: scratch, env: { HOME: scratch } });
    assert.equal(pushed.code, 0, pushed.stderr);
    const archive = chartArchive({ name: 'held', version: '1.0.0' });
    const index = { apiVersion: 'v1', entries: { held: [entry('held', '1.0.0', archive, 'held-1.0.0.tgz')] } };
    const repo = await serve(new Map<string, Route>([['/held/index.yaml', { body: Buffer.from(JSON.stringify(index)) }], ['/held/held-1.0.0.tgz', { body: archive }]]));
    try {
      const result = await migrateCli([`${repo.origin}/held`, `oci://${registry.host}/held`, '--plain-http']);
      assert.equal(result.code, 1, result.stdout + result.stderr);
      assert.match(result.stdout, /^held\s+1\.0\.0\s+failed\s+.*held:1\.0\.0 already exists with different content \(sha256:[0-9a-f]{64}\), not the repository's archive: left as it is \(migrate never replaces/m);
      assert.doesNotMatch(result.stdout + result.stderr, /--overwrite|bump the version/);
    } finally {
      repo.server.close();
    }
  });

  it('a .prov that is no provenance of its archive (a 200 error page, another version\'s .prov) fails that version naming the .prov URL, token redacted; the signed ones pass helm pull --verify', async () => {
    const signed = chartArchive({ name: 'prov', version: '1.0.0' });
    const page = chartArchive({ name: 'prov', version: '1.1.0' });
    const stale = chartArchive({ name: 'prov', version: '1.2.0' });
    const sign = async (archive: Buffer, file: string) => gpg.clearsign(key, provenanceBody((await readChartArchive(archive, file)).metadata, file, archive));
    const good = await sign(signed, 'prov-1.0.0.tgz');
    const index = {
      apiVersion: 'v1',
      entries: {
        prov: [
          entry('prov', '1.2.0', stale, 'prov-1.2.0.tgz?token=sekrit-token'),
          entry('prov', '1.1.0', page, 'prov-1.1.0.tgz'),
          entry('prov', '1.0.0', signed, 'prov-1.0.0.tgz'),
        ],
      },
    };
    const routes = new Map<string, Route>([
      ['/p/index.yaml', { body: Buffer.from(JSON.stringify(index)) }],
      ['/p/prov-1.0.0.tgz', { body: signed }],
      ['/p/prov-1.0.0.tgz.prov', { body: Buffer.from(good) }],
      ['/p/prov-1.1.0.tgz', { body: page }],
      ['/p/prov-1.1.0.tgz.prov', { body: Buffer.from('<html><body>Page not found</body></html>\n'), headers: { 'content-type': 'text/html' } }],
      ['/p/prov-1.2.0.tgz', { body: stale }],
      ['/p/prov-1.2.0.tgz.prov', { body: Buffer.from(good) }],
    ]);
    const repo = await serve(routes);
    try {
      const result = await migrateCli([`${repo.origin}/p/index.yaml`, `oci://${registry.host}/p`, '--plain-http']);
      assert.equal(result.code, 1, result.stdout + result.stderr);
      assert.match(result.stdout, /^prov\s+1\.0\.0\s+copied\s+sha256:[0-9a-f]{64} \(signed\)$/m);
      assert.match(result.stdout, /^prov\s+1\.1\.0\s+failed\s+.*\/p\/prov-1\.1\.0\.tgz\.prov: not a PGP signed message/m);
      assert.match(result.stdout, /^prov\s+1\.2\.0\s+failed\s+.*\/p\/prov-1\.2\.0\.tgz\.prov\?token=REDACTED: the \.prov has no hash for a file named "prov-1\.2\.0\.tgz"/m);
      assert.doesNotMatch(result.stdout + result.stderr, /sekrit/);
      assert.match(result.stdout, /copied 1, already there 0, failed 2 \(of 3\)/);
      for (const major of HELM_MAJORS) {
        const helm = isolatedHelm(major);
        const out = join(scratch, `prov-pulled-${major}`);
        mkdirSync(out);
        try {
          assert.match(await helm.run(['pull', `oci://${registry.host}/p/prov`, '--version', '1.0.0', '--plain-http', '-d', out, '--verify', '--keyring', keyring]), /Signed by: Repo Signer/);
          await assert.rejects(helm.run(['pull', `oci://${registry.host}/p/prov`, '--version', '1.1.0', '--plain-http', '-d', out]), /not found/);
        } finally {
          helm.cleanup();
        }
      }
    } finally {
      repo.server.close();
    }
  });

  it('an archive behind a URL with a token (a signed release-asset link) that fails to read or is another chart is reported with the URL, the token redacted', async () => {
    const swapped = chartArchive({ name: 'other', version: '1.0.0' });
    const broken = Buffer.from('<html>rate limited</html>');
    const fine = chartArchive({ name: 'tok', version: '0.1.0' });
    const index = {
      apiVersion: 'v1',
      entries: {
        tok: [
          entry('tok', '2.0.0', broken, 'dl/tok-2.0.0.tgz?token=sekrit-two&X-Amz-Signature=sekrit-sig'),
          entry('tok', '1.0.0', swapped, 'dl/tok-1.0.0.tgz?token=sekrit-one'),
          entry('tok', '0.1.0', fine, 'dl/tok-0.1.0.tgz?token=sekrit-zero'),
        ],
      },
    };
    const routes = new Map<string, Route>([
      ['/t/index.yaml', { body: Buffer.from(JSON.stringify(index)) }],
      ['/t/dl/tok-2.0.0.tgz', { body: broken }],
      ['/t/dl/tok-1.0.0.tgz', { body: swapped }],
      ['/t/dl/tok-0.1.0.tgz', { body: fine }],
    ]);
    const repo = await serve(routes);
    try {
      const result = await migrateCli([`${repo.origin}/t/index.yaml`, `oci://${registry.host}/t`, '--plain-http']);
      assert.equal(result.code, 1, result.stdout + result.stderr);
      assert.match(result.stdout, /^tok\s+1\.0\.0\s+failed\s+.*\/t\/dl\/tok-1\.0\.0\.tgz\?token=REDACTED: the archive is chart other 1\.0\.0/m);
      assert.match(result.stdout, /^tok\s+2\.0\.0\s+failed\s+.*\/t\/dl\/tok-2\.0\.0\.tgz\?token=REDACTED&X-Amz-Signature=REDACTED/m);
      assert.match(result.stdout, /^tok\s+0\.1\.0\s+copied\s/m);
      // `.prov` goes on the path, the token stays the query: appended after it, a server reading the token would
      // answer with the archive again.
      assert.ok(repo.paths.includes('/t/dl/tok-0.1.0.tgz.prov?token=sekrit-zero'), repo.paths.join('\n'));
      assert.doesNotMatch(result.stdout + result.stderr, /sekrit/);
    } finally {
      repo.server.close();
    }
  });
});
