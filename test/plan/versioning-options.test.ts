import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Plan } from '../../src/model/plan.js';
import { runCli } from '../helpers/cli.js';
import { chartFiles, createRepo, type TestRepo } from '../helpers/git.js';

const CONFIG = [
  'versioning:',
  '  app-version: follow',
  '  changelog-types:',
  '    - {type: chore, hidden: true}',
  '    - {type: docs, section: Documentation}',
  '  release-tag-template: "{name}/v{version}"',
  '  charts:',
  '    - match: charts/edge-*',
  '      prerelease: rc',
  '    - match: api',
  '      release-as: 3.0.0',
  '      app-version: keep',
  '',
].join('\n');

describe('versioning options, plan and publish alike', () => {
  let r: TestRepo;
  let head = '';
  const scratch = mkdtempSync(join(tmpdir(), 'chartship-versioning-'));
  before(() => {
    r = createRepo();
    r.commit('chore: init', {
      ...chartFiles('charts/web', 'web', '0.4.0'),
      ...chartFiles('charts/api', 'api', '1.2.0'),
      ...chartFiles('charts/edge-proxy', 'edge-proxy', '1.0.0'),
      '.chartship.yaml': CONFIG,
    });
    for (const tag of ['web/v0.4.0', 'api/v1.2.0', 'edge-proxy/v1.0.0']) r.tag(tag);
    r.commit('feat(web): a knob', { 'charts/web/values.yaml': 'knob: 1\n' });
    r.commit('docs(edge-proxy): a note', { 'charts/edge-proxy/templates/NOTES.txt': 'hello\n' });
    head = r.commit('chore(api): tidy', { 'charts/api/values.yaml': 'replicas: 2\n' });
    r.commit('feat(web)!: after the head', { 'charts/web/values.yaml': 'knob: 2\n' });
  });
  after(() => {
    r.cleanup();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('plan reads .chartship.yaml: tag template, hidden types, sections, per-chart prerelease, release-as and appVersion', async () => {
    const out = await runCli(['plan', '--json', '--head', head, '--cwd', r.dir], { cwd: '/' });
    assert.equal(out.code, 0, out.stderr);
    const plan = JSON.parse(out.stdout) as Plan;
    const row = (name: string) => plan.charts.find((c) => c.name === name)!;
    // The tags are found with the configured template: only the commits after them count.
    assert.deepEqual([row('web').action, row('web').nextVersion, row('web').nextAppVersion], ['release', '0.5.0', '0.5.0']);
    assert.deepEqual([row('edge-proxy').nextVersion, row('edge-proxy').changelog.map((e) => e.section)], ['1.0.1-rc.0', ['Documentation']]);
    // chore is hidden (no release of its own), but release-as asks for 3.0.0; appVersion is kept for api alone.
    assert.deepEqual([row('api').action, row('api').nextVersion, row('api').nextAppVersion, row('api').changelog], ['release', '3.0.0', undefined, []]);
  });

  it('the same flags on plan and publish mean the same; a flag wins over the file for every chart but its own entries', async () => {
    const flags = ['--head', head, '--app-version', 'value:9.9', '--bump-patch-for-minor-pre-major', '--release-tag-template', '{name}/v{version}'];
    const planned = await runCli(['plan', '--json', ...flags, '--cwd', r.dir], { cwd: '/' });
    assert.equal(planned.code, 0, planned.stderr);
    const plan = JSON.parse(planned.stdout) as Plan;
    const layout = join(scratch, 'layout');
    // Publishing writes the versions into the work tree, so it must be at the head it plans.
    r.git('checkout', '-q', head);
    const published = await runCli(['publish', '--json', ...flags, '--registry', `oci-layout:${layout}`, '--policy', 'off', '--cwd', r.dir], { cwd: '/', env: { PATH: process.env['PATH'], HOME: scratch } });
    assert.equal(published.code, 0, published.stderr.slice(-3000));
    const outcome = JSON.parse(published.stdout) as { charts: { name: string; version: string; status: string }[] };
    const versions = (list: { name: string; version: string }[]) => Object.fromEntries(list.map((c) => [c.name, c.version]));
    const releases = plan.charts.filter((c) => c.action === 'release');
    assert.deepEqual(versions(outcome.charts.filter((c) => c.status === 'pushed')), versions(releases.map((c) => ({ name: c.name, version: c.nextVersion }))));
    assert.equal(versions(outcome.charts)['web'], '0.4.1', 'a feature below 1.0.0 is a patch');
    assert.equal(plan.charts.find((c) => c.name === 'web')?.nextAppVersion, '9.9');
    assert.equal(plan.charts.find((c) => c.name === 'api')?.nextAppVersion, undefined, "api's own entry keeps it");
    const index = JSON.parse(readFileSync(join(layout, 'index.json'), 'utf8')) as { manifests: { annotations?: Record<string, string> }[] };
    assert.ok(index.manifests.some((m) => m.annotations?.['org.opencontainers.image.ref.name']?.endsWith('0.4.1')), JSON.stringify(index));
  });

  it('a typo in .chartship.yaml fails plan and publish, naming the key and line', async () => {
    const bad = createRepo();
    after(() => bad.cleanup());
    bad.commit('chore: init', { ...chartFiles('charts/web', 'web', '1.0.0'), '.chartship.yaml': 'versioning:\n  charts:\n    - match: web\n      prerelase: rc\n' });
    const planned = await runCli(['plan', '--cwd', bad.dir], { cwd: '/' });
    assert.equal(planned.code, 1);
    assert.match(planned.stderr, /\.chartship\.yaml:4:7: versioning\.charts\[0\]\.prerelase: unknown key \(did you mean "prerelease"\?/);
    const published = await runCli(['publish', '--registry', `oci-layout:${join(scratch, 'bad')}`, '--cwd', bad.dir], { cwd: '/' });
    assert.equal(published.code, 1);
    assert.match(published.stderr, /versioning\.charts\[0\]\.prerelase: unknown key/);
  });
});
