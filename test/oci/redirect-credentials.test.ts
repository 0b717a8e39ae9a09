/**
 * Credentials stay with the registry's origin, whatever a redirect leads to. `chartship pull` through the bundled
 * CLI against a real registry (Basic and Bearer) behind a proxy that sends blob GETs to "blob storage" on another
 * port with a signed query, as S3- and GCS-backed registries do.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { openTarget } from '../../src/helm-oci/index.js';
import { runBundledCli } from '../helpers/cli.js';
import { startFlakyProxy, type FlakyProxy } from '../helpers/flaky-proxy.js';
import { chartArchive } from '../helpers/registry-charts.js';
import { startRegistry, type TestRegistry } from '../helpers/registry.js';

const scratch = mkdtempSync(join(tmpdir(), 'chartship-redirects-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
const archive = chartArchive({ name: 'app', version: '1.0.0' });
const layer = `sha256:${createHash('sha256').update(archive).digest('hex')}`;
const blobs = new Map<string, Buffer>([[layer, archive]]);
/** The chart layer's GET (the config blob stays with the registry). */
const layerGet = new RegExp(`/redir/app/blobs/${layer}$`);

/** What a server on another origin was sent: its path and whether an Authorization header came with it. */
interface Seen {
  path: string;
  authorization: boolean;
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Blob storage: serves the blobs it holds at `/<digest>?X-Amz-Signature=…`; `refuse` answers 401 with a challenge. */
async function startStorage(refuse?: string): Promise<{ host: string; seen: Seen[]; server: Server }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    seen.push({ path: req.url ?? '', authorization: req.headers.authorization !== undefined });
    const digest = new URL(req.url ?? '/', 'http://storage').pathname.slice(1);
    if (refuse) {
      res.writeHead(401, { 'www-authenticate': refuse, 'content-type': 'application/xml' });
      res.end('<Error><Code>AccessDenied</Code></Error>');
      return;
    }
    const bytes = blobs.get(digest);
    res.writeHead(bytes ? 200 : 404);
    res.end(bytes);
  });
  return { host: await listen(server), seen, server };
}

const stop = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));

for (const auth of ['htpasswd', 'token'] as const) {
  describe(`a registry with ${auth === 'token' ? 'Bearer' : 'Basic'} auth that redirects blob GETs to storage on another origin`, () => {
    let registry: TestRegistry;
    let proxy: FlakyProxy;
    before(async () => {
      registry = await startRegistry({ auth });
      proxy = await startFlakyProxy(registry.url);
      const direct = openTarget(`oci://${registry.host}/redir`, { plainHttp: true, username: registry.username, password: registry.password, env: { HOME: scratch } });
      try {
        await direct.pushChart({ archive });
      } finally {
        await direct.close();
      }
    });
    after(async () => {
      await proxy?.stop();
      await registry?.stop();
    });
    afterEach(() => {
      proxy.rules.length = 0;
    });

    const pull = (destination: string) =>
      runBundledCli(['pull', `oci://${proxy.host}/redir/app`, '--version', '1.0.0', '--plain-http', '-d', destination], {
        cwd: scratch,
        env: { HOME: scratch, CHARTSHIP_USERNAME: registry.username, CHARTSHIP_PASSWORD: registry.password },
      });

    it('the chart comes from storage, and storage never gets the Authorization header', async () => {
      const storage = await startStorage();
      try {
        const signed = () => `http://${storage.host}/${layer}?X-Amz-Signature=abc&X-Amz-Expires=300`;
        proxy.rules.push({ method: 'GET', path: layerGet, fault: { kind: 'redirect', status: 307, location: signed }, times: 100 });
        const destination = join(scratch, `pulled-${auth}`);
        const run = await pull(destination);
        assert.equal(run.code, 0, run.stderr);
        assert.deepEqual(readFileSync(join(destination, 'app-1.0.0.tgz')), archive);
        assert.ok(storage.seen.length > 0, 'the chart layer came from storage');
        assert.deepEqual(storage.seen.filter((s) => s.authorization), [], 'storage got no credentials');
        assert.ok(proxy.log.some((e) => e.path.includes('/blobs/') && e.authorization), 'the registry itself got them');
      } finally {
        await stop(storage.server);
      }
    });

    it('a 401 from storage naming a token realm of its own: the credentials are not sent to that realm', async () => {
      const realm = { seen: [] as Seen[], server: createServer() };
      realm.server.on('request', (req, res) => {
        realm.seen.push({ path: req.url ?? '', authorization: req.headers.authorization !== undefined });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ token: 'from-the-storage-realm' }));
      });
      const realmHost = await listen(realm.server);
      const storage = await startStorage(`Bearer realm="http://${realmHost}/token",service="storage"`);
      try {
        proxy.rules.push({ method: 'GET', path: layerGet, fault: { kind: 'redirect', status: 307, location: () => `http://${storage.host}/${layer}?sig=1` }, times: 100 });
        const run = await pull(join(scratch, `refused-${auth}`));
        assert.equal(run.code, 1);
        // Told as the storage's refusal, not as a login to fix.
        assert.match(
          run.stderr.split('\n')[0] ?? '',
          new RegExp(`/v2/redir/app/blobs/${layer} failed with HTTP 401 HTTP_401: the registry redirected it to http://${storage.host.replaceAll('.', '\\.')}/${layer}\\?sig=REDACTED, which refused it \\(.*storage behind the registry refused`),
        );
        assert.doesNotMatch(run.stderr, /log in/);
        assert.deepEqual(realm.seen, [], 'the realm a redirect target named was never asked for a token');
        assert.deepEqual(storage.seen.filter((s) => s.authorization), []);
        assert.doesNotMatch(run.stderr, new RegExp(registry.password!));
      } finally {
        await stop(storage.server);
        await stop(realm.server);
      }
    });
  });
}
