/**
 * Basic-auth registries (Nexus, Artifactory, self-hosted distribution) under concurrency: every request of a run
 * starts before the first 401 is answered, and all of them must converge on the one Basic answer. A real
 * docker-registry with htpasswd, at 1, 4 and 16 at once: publish (one client for many charts), `chartship push`
 * (real processes) and oci:// dependency pulls during packaging.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openTarget } from '../../src/helm-oci/index.js';
import { silentLog } from '../../src/pipeline/log.js';
import { publish } from '../../src/pipeline/publish.js';
import { runBundledCli } from '../helpers/cli.js';
import { chartFiles, createRepo } from '../helpers/git.js';
import { chartArchive } from '../helpers/registry-charts.js';
import { startRegistry, type RequestLogEntry, type TestRegistry } from '../helpers/registry.js';
import { skopeoRaw } from '../oci/skopeo.js';

const CHARTS = 16;
let registry: TestRegistry;
const scratch = mkdtempSync(join(tmpdir(), 'chartship-basic-'));

before(async () => {
  registry = await startRegistry({ auth: 'htpasswd' });
});
after(async () => {
  await registry?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

function credentials() {
  return { plainHttp: true, username: registry.username, password: registry.password, env: { HOME: scratch } };
}

/**
 * The requests a registry answered 401, but for the DELETE that cancels the push check's upload: distribution's token
 * auth wants more for it than a push grants, and chartship sends it as a courtesy, taking the 401 as the answer.
 */
function challenged(requests: RequestLogEntry[]): string[] {
  return requests.filter((r) => r.status === 401 && r.method !== 'DELETE').map((r) => `${r.method} ${r.status}`);
}

/** What the registry serves for each name:version, as skopeo reads it (one at a time: the checker is not under test). */
async function served(namespace: string, charts: { name: string; version: string }[]): Promise<string[]> {
  const digests: string[] = [];
  for (const c of charts) {
    const raw = await skopeoRaw(`docker://${registry.host}/${namespace}/${c.name}:${c.version}`, ['--tls-verify=false', '--creds', `${registry.username}:${registry.password}`]);
    digests.push(`sha256:${createHash('sha256').update(raw).digest('hex')}`);
  }
  return digests;
}

describe('publish against htpasswd', () => {
  for (const concurrency of [1, 4, 16]) {
    it(`${CHARTS} charts at concurrency ${concurrency}: every chart pushed in one run`, async () => {
      const repo = createRepo();
      try {
        const files: Record<string, string> = {};
        for (let i = 0; i < CHARTS; i++) Object.assign(files, chartFiles(`charts/c${i}`, `c${i}`, '1.0.0'));
        repo.commit('feat: many charts', files);
        const namespace = `publish-${concurrency}`;
        await registry.settle();
        await registry.reset();
        const outcome = await publish({ cwd: repo.dir, targets: [`oci://${registry.host}/${namespace}`], target: credentials(), concurrency }, silentLog);
        assert.deepEqual(outcome.results.filter((r) => r.status !== 'pushed').map((r) => `${r.name}: ${r.error}`), []);
        // The first request learns that the registry wants Basic; the others wait for it and send it up front.
        assert.deepEqual(challenged(await registry.settle()), ['GET 401'], 'one 401 in the run');
        assert.equal(outcome.results.length, CHARTS);
        const digests = await served(namespace, outcome.results);
        assert.deepEqual(digests, outcome.results.map((r) => r.registries[0]?.digest), 'the reported digests are the served ones');
      } finally {
        repo.cleanup();
      }
    });
  }
});

describe('publish against a token server (distribution token auth), all at once', () => {
  let tokenRegistry: TestRegistry;
  before(async () => {
    tokenRegistry = await startRegistry({ auth: 'token' });
  });
  after(() => tokenRegistry?.stop());

  it(`${CHARTS} charts at concurrency ${CHARTS}: every chart pushed, each token asked for once`, async () => {
    const repo = createRepo();
    try {
      const files: Record<string, string> = {};
      for (let i = 0; i < CHARTS; i++) Object.assign(files, chartFiles(`charts/t${i}`, `t${i}`, '1.0.0'));
      repo.commit('feat: many charts', files);
      const target = { plainHttp: true, username: tokenRegistry.username, password: tokenRegistry.password, env: { HOME: scratch } };
      await tokenRegistry.settle();
      await tokenRegistry.reset();
      const outcome = await publish({ cwd: repo.dir, targets: [`oci://${tokenRegistry.host}/tokens`], target, concurrency: CHARTS }, silentLog);
      const tokens = tokenRegistry.tokenRequests();
      // The first request learns the token realm; the others wait for it and come with their tokens.
      assert.deepEqual(challenged(await tokenRegistry.settle()), ['GET 401'], 'one 401 in the run');
      assert.deepEqual(outcome.results.filter((r) => r.status !== 'pushed').map((r) => `${r.name}: ${r.error}`), []);
      assert.equal(outcome.results.length, CHARTS);
      // Concurrent 401s for one repository share one token fetch, and no request retires a token the others still use.
      const asked = new Map<string, number>();
      for (const t of tokens) asked.set(t.scopes.join(' '), (asked.get(t.scopes.join(' ')) ?? 0) + 1);
      assert.deepEqual([...asked].filter(([, n]) => n > 1), [], 'a token asked for more than once');
      // The plan's read asks for the push token too (test/e2e/token-scopes.test.ts): one token per chart.
      assert.equal(asked.size, CHARTS, 'pull,push per chart, for the plan and the push');
      for (const r of outcome.results) {
        const raw = await skopeoRaw(`docker://${tokenRegistry.host}/tokens/${r.name}:${r.version}`, ['--tls-verify=false', '--creds', `${tokenRegistry.username}:${tokenRegistry.password}`]);
        assert.equal(`sha256:${createHash('sha256').update(raw).digest('hex')}`, r.registries[0]?.digest, r.name);
      }
    } finally {
      repo.cleanup();
    }
  });
});

describe('chartship push against htpasswd', () => {
  const push = (file: string, namespace: string) =>
    runBundledCli(['push', file, `oci://${registry.host}/${namespace}`, '--plain-http', '--username', registry.username!, '--password-stdin'], {
      cwd: scratch,
      env: { HOME: scratch },
      stdin: `${registry.password}\n`,
    });

  for (const concurrency of [1, 4, 16]) {
    it(`${concurrency} processes pushing at once (signed charts: three blobs each) all succeed`, async () => {
      const namespace = `push-${concurrency}`;
      const charts = Array.from({ length: concurrency }, (_, i) => ({ name: `p${i}`, version: '1.0.0' }));
      const files = charts.map((c) => {
        const file = join(scratch, `${namespace}-${c.name}-1.0.0.tgz`);
        writeFileSync(file, chartArchive(c));
        writeFileSync(`${file}.prov`, `provenance of ${c.name}`);
        return file;
      });
      const runs = await Promise.all(files.map((f) => push(f, namespace)));
      assert.deepEqual(runs.map((r) => `${r.code} ${r.stderr}`), runs.map(() => '0 '));
      const printed = runs.map((r) => /Digest: (sha256:[a-f0-9]{64})/.exec(r.stdout)?.[1]);
      assert.deepEqual(await served(namespace, charts), printed);
    });
  }
});

describe('oci:// dependency pulls against htpasswd', () => {
  before(async () => {
    const libs = openTarget(`oci://${registry.host}/deps`, credentials());
    try {
      await libs.pushChart({ archive: chartArchive({ name: 'lib', version: '1.2.0' }) });
    } finally {
      await libs.close();
    }
  });

  for (const concurrency of [1, 4, 16]) {
    it(`${CHARTS} charts each pulling a dependency from the same registry, at concurrency ${concurrency}`, async () => {
      const repo = createRepo();
      try {
        const files: Record<string, string> = {};
        const dependency = `dependencies:\n  - name: lib\n    version: ^1.0.0\n    repository: oci://${registry.host}/deps\n`;
        for (let i = 0; i < CHARTS; i++) Object.assign(files, chartFiles(`charts/d${i}`, `d${i}`, '1.0.0', dependency));
        repo.commit('feat: charts with a dependency', files);
        const namespace = `dependents-${concurrency}`;
        const outcome = await publish({ cwd: repo.dir, targets: [`oci://${registry.host}/${namespace}`], target: credentials(), concurrency }, silentLog);
        assert.deepEqual(outcome.results.filter((r) => r.status !== 'pushed').map((r) => `${r.name}: ${r.error}`), []);
        assert.deepEqual(await served(namespace, outcome.results), outcome.results.map((r) => r.registries[0]?.digest));
      } finally {
        repo.cleanup();
      }
    });
  }
});
