/**
 * Two runs publishing the same chart version with different content at once. Registries have no compare-and-swap,
 * so the last manifest PUT wins the tag; every run reads the tag back, and the one whose content is not there fails
 * instead of reporting a digest the registry does not serve.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, it } from 'node:test';
import { runBundledCli } from '../helpers/cli.js';
import { startFlakyProxy, type FlakyProxy } from '../helpers/flaky-proxy.js';
import { chartFiles, createRepo, type TestRepo } from '../helpers/git.js';
import { startRegistry, type TestRegistry } from '../helpers/registry.js';
import { skopeoRaw } from '../oci/skopeo.js';

let registry: TestRegistry;
let proxy: FlakyProxy;
const repos: TestRepo[] = [];

before(async () => {
  registry = await startRegistry({ auth: 'none' });
  proxy = await startFlakyProxy(registry.url);
});
after(async () => {
  await proxy?.stop();
  await registry?.stop();
  for (const repo of repos) repo.cleanup();
});

interface Run {
  code: number;
  stderr: string;
  charts: { name: string; status: string; error?: string; registries: { digest: string; status: string }[] }[];
}

async function publishProcess(cwd: string): Promise<Run> {
  const { code, stdout, stderr } = await runBundledCli(['publish', '--cwd', cwd, '--registry', `oci://${proxy.host}/race`, '--plain-http', '--json'], {
    cwd,
    env: { HOME: cwd, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' },
  });
  let charts: Run['charts'] = [];
  try {
    charts = (JSON.parse(stdout) as { charts: Run['charts'] }).charts;
  } catch {
    // reported below with stderr
  }
  return { code, stderr, charts };
}

it('two runs push the same version with different content at once: one is pushed, the other names the winner', async () => {
  for (const replicas of [1, 2]) {
    const repo = createRepo();
    repos.push(repo);
    repo.commit('feat: the race chart', { ...chartFiles('charts/race', 'race', '1.0.0'), 'charts/race/values.yaml': `replicas: ${replicas}\n` });
  }
  // Both runs have looked (tag absent) and uploaded their blobs before either manifest lands: the race at its closest.
  proxy.rules.push({ method: 'PUT', path: /\/v2\/race\/race\/manifests\//, fault: { kind: 'barrier', count: 2 }, times: 2 });

  const runs = await Promise.all(repos.map((r) => publishProcess(r.dir)));
  for (const run of runs) assert.equal(run.charts.length, 1, run.stderr);
  const pushed = runs.filter((r) => r.charts[0]!.status === 'pushed');
  const lost = runs.filter((r) => r.charts[0]!.status === 'failed');
  assert.equal(pushed.length, 1, runs.map((r) => r.stderr).join('\n---\n'));
  assert.equal(lost.length, 1);
  assert.equal(pushed[0]!.code, 0);
  assert.equal(lost[0]!.code, 1);

  const raw = await skopeoRaw(`docker://${registry.host}/race/race:1.0.0`, ['--tls-verify=false']);
  const servedDigest = `sha256:${createHash('sha256').update(raw).digest('hex')}`;
  assert.equal(pushed[0]!.charts[0]!.registries[0]!.digest, servedDigest, 'the winner reports what the registry serves');
  const ref = `${proxy.host}/race/race:1.0.0`;
  assert.match(lost[0]!.charts[0]!.error ?? '', new RegExp(`tag ${ref.replace(/\./g, '\\.')} now holds ${servedDigest} \\(another run pushed it\\)`));
  assert.ok(!lost[0]!.charts[0]!.registries.some((r) => r.digest && r.digest !== servedDigest), 'the loser reports no digest the registry does not serve');
});
