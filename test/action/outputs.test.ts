import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { runAction } from '../helpers/action.js';
import { chartFiles, createRepo } from '../helpers/git.js';
import { startRegistry } from '../helpers/registry.js';
import { publishedElsewhere } from '../helpers/registry-charts.js';

const repo = createRepo();
const scratch = mkdtempSync(join(tmpdir(), 'chartship-outputs-'));
let registry: Awaited<ReturnType<typeof startRegistry>>;
let base = '';
let head = '';

before(async () => {
  registry = await startRegistry({ auth: 'none' });
  // db is published already: the range does not change it, so it stays as it is.
  await publishedElsewhere(`oci://${registry.host}/charts`, [{ name: 'db', version: '0.3.0' }], { plainHttp: true });
  base = repo.commit('chore: add the charts', { ...chartFiles('charts/web', 'web', '1.0.0'), ...chartFiles('charts/api', 'api', '2.0.0'), ...chartFiles('charts/db', 'db', '0.3.0') });
  repo.commit('feat(web): an ingress', { 'charts/web/templates/ingress.yaml': 'kind: Ingress\n' });
  head = repo.commit('fix(api): two replicas', { 'charts/api/values.yaml': 'replicas: 2\n' });
});

after(async () => {
  await registry?.stop();
  repo.cleanup();
  rmSync(scratch, { recursive: true, force: true });
});

function push(name: string, inputs: Record<string, string> = {}) {
  return runAction({
    cwd: repo.dir,
    dir: join(scratch, name),
    event: { name: 'push', payload: { before: base, after: head } },
    env: { GITHUB_SHA: head, GITHUB_REF: 'refs/heads/main', GITHUB_REPOSITORY: 'acme/charts' },
    inputs: { registry: `oci://${registry.host}/charts`, 'plain-http': 'true', 'pr-comment': 'false', ...inputs },
  });
}

it('gives released, released-charts and per chart version, digest and ref as plain outputs', async () => {
  const run = await push('publish');
  assert.equal(run.status, 0, run.log);
  const charts = JSON.parse(run.outputs['charts'] ?? '[]') as { name: string; version: string; status: string; registries: { ref: string; digest: string }[] }[];
  const pushed = charts.filter((c) => c.status === 'pushed').sort((a, b) => a.name.localeCompare(b.name));
  assert.deepEqual(pushed.map((c) => `${c.name} ${c.version}`), ['api 2.0.1', 'web 1.1.0']);

  assert.equal(run.outputs['released'], 'true');
  assert.deepEqual(run.outputs['released-charts']?.split(' ').sort(), ['api', 'web']);
  for (const chart of pushed) {
    assert.equal(run.outputs[`${chart.name}--version`], chart.version);
    assert.match(run.outputs[`${chart.name}--digest`] ?? '', /^sha256:[0-9a-f]{64}$/);
    assert.equal(run.outputs[`${chart.name}--digest`], chart.registries[0]!.digest);
    assert.equal(run.outputs[`${chart.name}--ref`], `${registry.host}/charts/${chart.name}:${chart.version}`);
  }
  // An unchanged chart gets no per-chart outputs: a workflow tests `steps.x.outputs.db--version != ''`.
  assert.equal(run.outputs['db--version'], undefined);
  // The JSON outputs stay.
  assert.ok(run.outputs['matrix']);
  assert.equal(run.outputs['release-pr'], undefined);
});

it('says released=false with no charts on a pull request, which only plans', async () => {
  const run = await runAction({
    cwd: repo.dir,
    dir: join(scratch, 'pr'),
    event: { name: 'pull_request', payload: { number: 3, pull_request: { number: 3, base: { sha: base }, head: { sha: head } } } },
    env: { GITHUB_SHA: head, GITHUB_REPOSITORY: 'acme/charts' },
    inputs: { registry: `oci://${registry.host}/charts`, 'plain-http': 'true', 'pr-comment': 'false' },
  });
  assert.equal(run.status, 0, run.log);
  assert.equal(run.outputs['released'], 'false');
  assert.equal(run.outputs['released-charts'], '');
  assert.equal(Object.keys(run.outputs).filter((k) => k.includes('--')).length, 0);
});

it('reads versioning from .chartship.yaml and inputs, per chart, and fails on a typo in it at its line', async () => {
  const configured = createRepo();
  after(() => configured.cleanup());
  const config = 'versioning:\n  charts:\n    - match: charts/edge-*\n      prerelease: rc\n';
  const first = configured.commit('chore: init', { ...chartFiles('charts/edge-web', 'edge-web', '0.4.0'), ...chartFiles('charts/api', 'api', '0.2.0'), '.chartship.yaml': config });
  const last = configured.commit('feat: a knob for both', { 'charts/edge-web/values.yaml': 'knob: 1\n', 'charts/api/values.yaml': 'knob: 1\n' });
  const run = (name: string) =>
    runAction({
      cwd: configured.dir,
      dir: join(scratch, name),
      event: { name: 'push', payload: { before: first, after: last } },
      env: { GITHUB_SHA: last, GITHUB_REF: 'refs/heads/main', GITHUB_REPOSITORY: 'acme/charts' },
      inputs: { registry: `oci://${registry.host}/configured`, 'plain-http': 'true', 'pr-comment': 'false', policy: 'off', 'bump-patch-for-minor-pre-major': 'true' },
    });
  const ok = await run('configured');
  assert.equal(ok.status, 0, ok.log);
  assert.equal(ok.outputs['edge-web--version'], '0.4.1-rc.0', 'the input and the charts: entry together');
  assert.equal(ok.outputs['api--version'], '0.2.1');

  configured.commit('chore: a typo', { '.chartship.yaml': config.replace('prerelease', 'prerelase') });
  const typo = await run('typo');
  assert.equal(typo.status, 1);
  assert.match(typo.log, /::error title=versioning\.charts\[0\]\.prerelase,file=\.chartship\.yaml,line=4,col=7::versioning\.charts\[0\]\.prerelase: unknown key \(did you mean "prerelease"\?/);
});
