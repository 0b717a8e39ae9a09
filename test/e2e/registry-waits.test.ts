/**
 * A registry that makes chartship wait, as users meet it at concurrency > 1: a Retry-After is honoured and said in the
 * log (a pause in a CI log is explained), one asking for a day ends the retries at once and the error says so, and a
 * registry that stops answering costs the run one idle timeout, not one per chart and retry. Each time the other
 * charts go on, nothing is half-published, and a rerun completes what is left. The registry is real; the proxy in
 * front of it turns chosen answers hostile.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { silentLog } from '../../src/pipeline/log.js';
import { publish } from '../../src/pipeline/publish.js';
import { runBundledCli } from '../helpers/cli.js';
import { startBlackhole } from '../helpers/blackhole.js';
import { startFlakyProxy, type FlakyProxy } from '../helpers/flaky-proxy.js';
import { chartFiles, createRepo, type TestRepo } from '../helpers/git.js';
import { readStorage } from '../helpers/registry-storage.js';
import { startRegistry, type TestRegistry } from '../helpers/registry.js';

let registry: TestRegistry;
let proxy: FlakyProxy;
const home = mkdtempSync(join(tmpdir(), 'chartship-waits-home-'));
const repos: TestRepo[] = [];

before(async () => {
  registry = await startRegistry({ auth: 'htpasswd' });
  proxy = await startFlakyProxy(registry.url);
});
after(async () => {
  await proxy?.stop();
  await registry?.stop();
  for (const repo of repos) repo.cleanup();
  rmSync(home, { recursive: true, force: true });
});
afterEach(() => {
  proxy.rules.length = 0;
  proxy.log.length = 0;
});

function chartsRepo(count: number): TestRepo {
  const repo = createRepo('chartship-waits-');
  repos.push(repo);
  const files: Record<string, string> = {};
  for (let i = 0; i < count; i++) Object.assign(files, chartFiles(`charts/c${i}`, `c${i}`, '1.0.0'));
  repo.commit('feat: charts', files);
  return repo;
}

/** `chartship publish --json` through the proxy, as a user runs it. */
async function publishCli(repo: TestRepo, namespace: string) {
  const run = await runBundledCli(
    ['publish', '--cwd', repo.dir, '--registry', `oci://${proxy.host}/${namespace}`, '--plain-http', '--version-bump', 'none', '--policy', 'off', '--json'],
    { cwd: repo.dir, env: { HOME: home, CHARTSHIP_USERNAME: registry.username, CHARTSHIP_PASSWORD: registry.password } },
  );
  const outcome = JSON.parse(run.stdout) as { charts: { name: string; status: string; error?: string }[] };
  const status = Object.fromEntries(outcome.charts.map((c) => [c.name, c.status]));
  return { ...run, outcome, status };
}

/** Nothing half-published: no tag in `namespace` points at a manifest whose blobs the registry lacks. */
function assertWhole(namespace: string): void {
  assert.deepEqual(readStorage(registry.storageDir).problems.filter((p) => p.startsWith(`${namespace}/`)), []);
}

const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('Retry-After', () => {
  it('503 with Retry-After in seconds and as an HTTP date: waited out, and each wait said in the log with the request it is for', async () => {
    const repo = chartsRepo(4);
    proxy.rules.push(
      { method: 'PUT', path: /\/v2\/waits\/c1\/manifests\//, fault: { kind: 'status', status: 503, headers: { 'retry-after': '1' } }, times: 1 },
      {
        method: 'POST',
        path: /\/v2\/waits\/c2\/blobs\/uploads\//,
        fault: { kind: 'status', status: 429, headers: { 'retry-after': () => new Date(Date.now() + 2000).toUTCString() } },
        times: 1,
      },
    );
    const run = await publishCli(repo, 'waits');
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(run.status, { c0: 'pushed', c1: 'pushed', c2: 'pushed', c3: 'pushed' });
    const host = escaped(proxy.host);
    assert.match(run.stderr, new RegExp(`^PUT http://${host}/v2/waits/c1/manifests/1\\.0\\.0: HTTP 503; waiting 1 s, as the registry asks \\(Retry-After\\), before attempt 2 of 5$`, 'm'));
    assert.match(run.stderr, new RegExp(`^upload of sha256:[0-9a-f]{64} to ${host}/waits/c2: HTTP 429; waiting (?:\\d+ ms|\\d(?:\\.\\d)? s), as the registry asks \\(Retry-After\\), before attempt 2 of 10$`, 'm'));
    assertWhole('waits');
  });

  it('a Retry-After of a day ends the retries at once: the error says what was asked, the other charts go on, a rerun pushes only the one left', async () => {
    const repo = chartsRepo(4);
    proxy.rules.push({ method: 'PUT', path: /\/v2\/day\/c2\/manifests\//, fault: { kind: 'status', status: 503, headers: { 'retry-after': '86400' } }, times: 1 });
    const first = await publishCli(repo, 'day');
    assert.equal(first.code, 1);
    assert.deepEqual(first.status, { c0: 'pushed', c1: 'pushed', c2: 'failed', c3: 'pushed' });
    assert.equal(proxy.log.filter((e) => e.method === 'PUT' && e.path === '/v2/day/c2/manifests/1.0.0').length, 1, 'not tried again within the run');
    const error = first.outcome.charts.find((c) => c.name === 'c2')?.error ?? '';
    assert.match(error, /failed with HTTP 503 UNAVAILABLE: injected by the test proxy \(it asks to be tried again in 24 h\)/);
    assert.match(error, /come back in 24 h \(Retry-After\), longer than a run waits: run again after that/);
    assert.doesNotMatch(error, /through every retry/);
    assertWhole('day');

    proxy.log.length = 0;
    const rerun = await publishCli(repo, 'day');
    assert.equal(rerun.code, 0, rerun.stderr);
    assert.deepEqual(rerun.status, { c0: 'unchanged', c1: 'unchanged', c2: 'pushed', c3: 'unchanged' });
    assert.deepEqual(proxy.log.filter((e) => e.method === 'PUT' && e.path.includes('/manifests/')).map((e) => e.path), ['/v2/day/c2/manifests/1.0.0']);
    assertWhole('day');
  });

  it('a connection dropped on every attempt ends with the retries said, and the hint that a rerun completes it', async () => {
    const repo = chartsRepo(3);
    proxy.rules.push({ method: 'PUT', path: /\/v2\/drop\/c1\/manifests\//, fault: { kind: 'drop' }, times: 10 });
    const first = await publishCli(repo, 'drop');
    assert.equal(first.code, 1);
    assert.deepEqual(first.status, { c0: 'pushed', c1: 'failed', c2: 'pushed' });
    const error = first.outcome.charts.find((c) => c.name === 'c1')?.error ?? '';
    assert.match(error, /PUT http:\/\/[^ ]+\/v2\/drop\/c1\/manifests\/1\.0\.0: /);
    assert.match(error, new RegExp(`the connection to ${proxy.host.replace(/\./g, '\\.')} kept failing through every retry, as when the network or the server is down: run again once it is back`));
    assert.match(first.stderr, /before attempt 5 of 5/);
    assertWhole('drop');
    proxy.rules.length = 0;
    const rerun = await publishCli(repo, 'drop');
    assert.equal(rerun.code, 0, rerun.stderr);
    assert.deepEqual(rerun.status, { c0: 'unchanged', c1: 'pushed', c2: 'unchanged' });
  });
});

describe('a registry that stops answering', () => {
  it('at concurrency 4, the run waits one idle timeout, not one per chart and retry; every chart names host and request; a rerun completes them', async () => {
    const repo = chartsRepo(8);
    const namespace = 'mute';
    const target = { plainHttp: true, username: registry.username, password: registry.password, env: { HOME: home }, retry: { baseDelayMs: 5 }, timeouts: { idleMs: 400 } };
    const options = { cwd: repo.dir, targets: [`oci://${proxy.host}/${namespace}`], versionBump: 'none' as const, concurrency: 4, target };
    const first = await publish(
      {
        ...options,
        // The plan and the push check (an upload started and cancelled) are answered; from the first chart's push on,
        // the registry takes requests and answers none.
        onPlan: () => {
          for (const method of ['GET', 'HEAD', 'PUT']) proxy.rules.push({ method, path: new RegExp(`^/v2/${namespace}/`), fault: { kind: 'silent' }, times: 1000 });
          proxy.rules.push({ method: 'POST', path: new RegExp(`^/v2/${namespace}/.*\\?mount=`), fault: { kind: 'silent' }, times: 1000 });
        },
      },
      silentLog,
    );
    assert.deepEqual(first.results.map((r) => r.status), Array(8).fill('failed'));
    const unanswered = proxy.log.filter((e) => e.outcome === 'silent').length;
    // One per request in flight when it fell silent (4 charts, each uploading its 2 blobs at once); without the memory of
    // an unanswering registry, each of the 8 charts tried each blob 10 times, waiting the idle timeout every time.
    assert.ok(unanswered <= 4 * 2, `requests left unanswered: ${unanswered}`);
    for (const result of first.results) {
      assert.match(result.error ?? '', new RegExp(`${escaped(proxy.host)}/v2/${namespace}/${result.name}/`), result.error);
      assert.match(result.error ?? '', /nothing received for 400 ms \(the idle timeout\)|not sent, since 127\.0\.0\.1:\d+ stopped answering/, result.error);
    }
    assertWhole(namespace);

    proxy.rules.length = 0;
    const rerun = await publish(options, silentLog);
    assert.deepEqual(rerun.results.map((r) => r.status), Array(8).fill('pushed'));
    assertWhole(namespace);
  });
});

describe('a registry whose connections time out (a firewall dropping them)', () => {
  it('the run fails before anything is published, saying the host cannot be connected to and what to check, not that it stopped answering', async () => {
    const blackhole = await startBlackhole();
    try {
      const repo = chartsRepo(6);
      const target = { plainHttp: true, env: { HOME: home }, retry: { baseDelayMs: 5 }, timeouts: { connectMs: 300 } };
      const outcome = publish({ cwd: repo.dir, targets: [`oci://${blackhole.host}/charts`], versionBump: 'none', concurrency: 4, target }, silentLog);
      const error = (await outcome.then(
        () => assert.fail('published through a registry that cannot be connected to'),
        (e: unknown) => e,
      )) as Error & { hint?: string };
      assert.match(error.message, /nothing was published, because not every registry would take a push/);
      assert.match(error.message, new RegExp(`${escaped(blackhole.host)} cannot be connected to \\(requests to it got no connection within 300 ms, the connect timeout`), error.message);
      assert.doesNotMatch(error.message, /stopped answering|idle timeout/, error.message);
      assert.match(`${error.message} ${error.hint ?? ''}`, /firewall or a proxy setting/);
    } finally {
      await blackhole.stop();
    }
  });
});
