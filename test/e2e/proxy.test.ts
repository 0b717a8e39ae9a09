/**
 * Behind a corporate proxy: HTTPS_PROXY / HTTP_PROXY / NO_PROXY as helm and every runner read them, for registry
 * requests and for https:// chart-repository downloads alike (one transport). The proxy resolves `*.test` names
 * itself, so a request that skipped it cannot even resolve its host.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ChartshipError } from '../../src/model/errors.js';
import { type TargetOptions } from '../../src/oci/index.js';
import { openTarget } from '../../src/helm-oci/index.js';
import { runAction } from '../helpers/action.js';
import { runBundledCli } from '../helpers/cli.js';
import { startForwardProxy, type ForwardProxy } from '../helpers/forward-proxy.js';
import { start as startGitHubApi } from '../helpers/github-api.js';
import { chartFiles, createRepo, type TestRepo } from '../helpers/git.js';
import { makeServerCertificates } from '../helpers/registry-certs.js';
import { chartArchive } from '../helpers/registry-charts.js';
import { startRegistry, type TestRegistry } from '../helpers/registry.js';

const scratch = mkdtempSync(join(tmpdir(), 'chartship-proxy-'));
let registry: TestRegistry;
let plainRegistry: TestRegistry;
let proxy: ForwardProxy;
let registryName: string;

before(async () => {
  [registry, plainRegistry] = await Promise.all([
    startRegistry({ auth: 'htpasswd', tls: true, tlsNames: ['registry.test'] }),
    startRegistry({ auth: 'none' }),
  ]);
  proxy = await startForwardProxy({ hosts: { 'registry.test': '127.0.0.1', 'plain.test': '127.0.0.1', 'charts.test': '127.0.0.1', 'api.test': '127.0.0.1' } });
  registryName = `registry.test:${registry.host.split(':')[1]}`;
});
after(async () => {
  await proxy?.stop();
  await registry?.stop();
  await plainRegistry?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

function options(env: NodeJS.ProcessEnv): TargetOptions {
  return { caFile: registry.caFile, username: registry.username, password: registry.password, env: { HOME: scratch, ...env }, retry: { attempts: 1 } };
}

async function push(spec: string, targetOptions: TargetOptions, name: string) {
  const target = openTarget(spec, targetOptions);
  try {
    return await target.pushChart({ archive: chartArchive({ name, version: '1.0.0' }) });
  } finally {
    await target.close();
  }
}

describe('registry requests', () => {
  it('HTTPS_PROXY: the push tunnels through the proxy, with the registry CA applied inside the tunnel', async () => {
    const before = proxy.tunnels.get(registryName) ?? 0;
    const result = await push(`oci://${registryName}/proxied`, options({ HTTPS_PROXY: proxy.url }), 'tunnelled');
    assert.equal(result.status, 'pushed');
    assert.ok((proxy.tunnels.get(registryName) ?? 0) > before, `tunnels: ${JSON.stringify([...proxy.tunnels])}`);
  });

  it('lower-case https_proxy works too; HTTP_PROXY carries plain-HTTP registries', async () => {
    const before = proxy.tunnels.get(registryName) ?? 0;
    assert.equal((await push(`oci://${registryName}/proxied`, options({ https_proxy: proxy.url }), 'lower')).status, 'pushed');
    assert.ok((proxy.tunnels.get(registryName) ?? 0) > before);

    const plainName = `plain.test:${plainRegistry.host.split(':')[1]}`;
    const result = await push(`oci://${plainName}/proxied`, { plainHttp: true, env: { HTTP_PROXY: proxy.url }, retry: { attempts: 1 } }, 'plain');
    assert.equal(result.status, 'pushed');
    assert.ok((proxy.tunnels.get(plainName) ?? 0) > 0);
  });

  it('NO_PROXY is honoured: the request goes direct (and cannot resolve a name only the proxy knows)', async () => {
    const before = proxy.tunnels.get(registryName) ?? 0;
    for (const noProxy of ['registry.test', '.test', `registry.test:${registry.host.split(':')[1]}`, 'example.com,*.test']) {
      await assert.rejects(push(`oci://${registryName}/direct`, options({ HTTPS_PROXY: proxy.url, NO_PROXY: noProxy }), 'direct'), (error: unknown) => {
        assert.ok(error instanceof ChartshipError);
        assert.match(error.message, /ENOTFOUND registry\.test|getaddrinfo/, noProxy);
        return true;
      });
    }
    assert.equal(proxy.tunnels.get(registryName) ?? 0, before, 'nothing went through the proxy');
  });

  it('loopback registries never go through the proxy (as Go decides)', async () => {
    const tunnelsBefore = [...proxy.tunnels.values()].reduce((a, b) => a + b, 0);
    const result = await push(`oci://${plainRegistry.host}/loopback`, { plainHttp: true, env: { HTTP_PROXY: proxy.url, HTTPS_PROXY: proxy.url }, retry: { attempts: 1 } }, 'loop');
    assert.equal(result.status, 'pushed');
    assert.equal([...proxy.tunnels.values()].reduce((a, b) => a + b, 0), tunnelsBefore);
  });

  it('proxy credentials in the URL are sent to the proxy; a malformed proxy variable is named, its value is not echoed', async () => {
    const guarded = await startForwardProxy({ hosts: { 'registry.test': '127.0.0.1' }, credentials: { username: 'corp', password: 'proxy-secret' } });
    try {
      assert.equal((await push(`oci://${registryName}/guarded`, options({ HTTPS_PROXY: guarded.url }), 'guarded')).status, 'pushed');
      assert.ok((guarded.tunnels.get(registryName) ?? 0) > 0);
      assert.deepEqual(guarded.refused, []);
    } finally {
      await guarded.stop();
    }
    assert.throws(() => openTarget(`oci://${registryName}/bad`, options({ HTTPS_PROXY: 'http://user:s3cret@[bad' })), (error: unknown) => {
      assert.ok(error instanceof ChartshipError);
      assert.equal(error.code, 'PROXY_INVALID');
      assert.match(error.describe(), /^HTTPS_PROXY: is not a proxy URL/);
      assert.doesNotMatch(error.describe(), /s3cret/);
      return true;
    });
  });
});

describe('chart-repository downloads during `chartship publish` (a real process)', () => {
  let server: Server;
  let chartsName: string;
  let repo: TestRepo;
  const served: string[] = [];

  before(async () => {
    const dir = join(scratch, 'charts-tls');
    mkdirSync(dir, { recursive: true });
    const certs = makeServerCertificates(dir, ['charts.test']);
    const lib = chartArchive({ name: 'lib', version: '1.0.0' });
    const digest = createHash('sha256').update(lib).digest('hex');
    server = createServer({ cert: readFileSync(certs.certFile), key: readFileSync(certs.keyFile) }, (req, res) => {
      served.push(req.url ?? '');
      if (req.url === '/repo/index.yaml') {
        res.writeHead(200, { 'content-type': 'text/yaml' });
        res.end(`apiVersion: v1\nentries:\n  lib:\n    - version: 1.0.0\n      urls: [lib-1.0.0.tgz]\n      digest: ${digest}\n`);
      } else if (req.url === '/repo/lib-1.0.0.tgz') {
        res.writeHead(200, { 'content-type': 'application/gzip' });
        res.end(lib);
      } else {
        res.writeHead(404);
        res.end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    chartsName = `charts.test:${(server.address() as AddressInfo).port}`;
    // The runner trusts the chart repository's CA system-wide, as NODE_EXTRA_CA_CERTS does for node.
    writeFileSync(join(scratch, 'extra-ca.crt'), readFileSync(certs.caFile));
    repo = createRepo();
    repo.commit('feat: an app with a dependency from a chart repository', {
      ...chartFiles('charts/app', 'app', '1.0.0', `dependencies:\n  - name: lib\n    version: ^1.0.0\n    repository: https://${chartsName}/repo\n`),
    });
  });
  after(async () => {
    await new Promise((resolve) => server?.close(resolve));
    repo?.cleanup();
  });

  const publishChild = (env: NodeJS.ProcessEnv, namespace: string) =>
    runBundledCli(
      ['publish', '--cwd', repo.dir, '--registry', `oci://${registryName}/${namespace}`,
        '--ca-file', registry.caFile!, '--username', registry.username!, '--password-stdin', '--version-bump', 'none', '--json'],
      {
        cwd: scratch,
        env: { HOME: scratch, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', NODE_EXTRA_CA_CERTS: join(scratch, 'extra-ca.crt'), ...env },
        stdin: `${registry.password}\n`,
      },
    );

  it('index.yaml and the archive come through the proxy, like the registry requests', async () => {
    served.length = 0;
    const run = await publishChild({ HTTPS_PROXY: proxy.url }, 'deps');
    assert.equal(run.code, 0, run.stderr);
    assert.equal((JSON.parse(run.stdout) as { pushed: number }).pushed, 1);
    assert.deepEqual(served, ['/repo/index.yaml', '/repo/lib-1.0.0.tgz']);
    assert.ok((proxy.tunnels.get(chartsName) ?? 0) >= 1, `tunnels: ${JSON.stringify([...proxy.tunnels])}`);
    assert.ok((proxy.tunnels.get(registryName) ?? 0) >= 1);
  });

  it('NO_PROXY for the chart repository sends its download direct, and only it', async () => {
    const chartsBefore = proxy.tunnels.get(chartsName) ?? 0;
    const registryBefore = proxy.tunnels.get(registryName) ?? 0;
    const run = await publishChild({ HTTPS_PROXY: proxy.url, NO_PROXY: 'charts.test' }, 'deps-direct');
    assert.equal(run.code, 1);
    assert.match(run.stderr, new RegExp(`cannot download https://${chartsName.replace(/\./g, '\\.')}/repo/index\\.yaml: .*ENOTFOUND charts\\.test`));
    assert.equal(proxy.tunnels.get(chartsName) ?? 0, chartsBefore, 'the download skipped the proxy');
    assert.ok((proxy.tunnels.get(registryName) ?? 0) > registryBefore, 'the registry still went through it');
  });
});

describe('the action\'s GitHub API calls (Octokit on chartship\'s proxied fetch, the one undici)', () => {
  it('go through HTTPS_PROXY: the release is created through a tunnel to a host only the proxy can resolve', async () => {
    const github = await startGitHubApi({ token: 'ghs_proxytoken' });
    const repo = createRepo();
    try {
      const sha = repo.commit('feat: a chart', chartFiles('charts/solo', 'solo', '0.3.0'));
      const apiHost = `api.test:${new URL(github.url).port}`;
      const run = await runAction({
        cwd: repo.dir,
        dir: join(scratch, 'action-api'),
        env: { GITHUB_API_URL: github.url.replace(/127\.0\.0\.1:\d+/, apiHost), GITHUB_REPOSITORY: 'acme/charts', GITHUB_SHA: sha, HTTPS_PROXY: proxy.url, HTTP_PROXY: proxy.url },
        inputs: { registry: `oci-layout:${join(scratch, 'action-layout')}`, 'github-token': 'ghs_proxytoken', 'create-releases': 'true' },
      });
      assert.equal(run.status, 0, run.log);
      assert.deepEqual(github.state.releases.map((r) => r.tag_name), ['solo-0.3.0'], run.log);
      assert.ok((proxy.tunnels.get(apiHost) ?? 0) >= 1, `tunnels: ${JSON.stringify([...proxy.tunnels])}`);
    } finally {
      repo.cleanup();
      await github.stop();
    }
  });
});
