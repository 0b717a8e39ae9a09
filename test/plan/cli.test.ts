import assert from 'node:assert/strict';
import { realpathSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { openTarget } from '../../src/helm-oci/index.js';
import { packageChart } from '../../src/pipeline/package.js';
import type { Plan } from '../../src/model/plan.js';
import { chartFiles, createRepo, type TestRepo } from '../helpers/git.js';
import { startRegistry, type TestRegistry } from '../helpers/registry.js';

function cli(args: string[], cwd: string) {
  return runCli(['plan', ...args], { cwd, env: { ...process.env, SOURCE_DATE_EPOCH: '1700000000' } });
}

describe('chartship plan', () => {
  let r: TestRepo;
  let base: string;
  before(() => {
    r = createRepo();
    base = r.commit('chore: init', { ...chartFiles('charts/a', 'a', '1.0.0'), ...chartFiles('charts/b', 'b', '1.0.0') });
    r.tag('a-1.0.0');
    r.tag('b-1.0.0');
    r.commit('feat: a grows (#5)', { 'charts/a/values.yaml': 'size: 2\n' });
  });
  after(() => r.cleanup());

  it('prints the plan as JSON', async () => {
    const out = await cli(['--json', '--cwd', r.dir], '/');
    assert.equal(out.code, 0, out.stderr);
    const plan = JSON.parse(out.stdout) as Plan;
    assert.deepEqual(plan.charts.map((c) => [c.name, c.action, c.nextVersion]), [['a', 'release', '1.1.0'], ['b', 'skipped', '1.0.0']]);
    assert.equal(plan.charts[0]?.changelog[0]?.pr, 5);
    assert.match(plan.charts[0]?.reasons[0]?.sha ?? '', /^[0-9a-f]{40}$/);
  });

  it('prints a table with reasons and changelog, against a base too', async () => {
    const out = await cli(['--base', base], r.dir);
    assert.equal(out.code, 0, out.stderr);
    assert.match(out.stdout, /^Plan for [0-9a-f]{7}\.\.[0-9a-f]{7}: 1 of 2 charts to release/);
    assert.match(out.stdout, /\na\s+charts\/a\s+1\.0\.0\s+1\.1\.0\s+minor\s+release\s+minor: feat: a grows \(#5\)\n/);
    assert.match(out.stdout, /### Features\n\n {2}- a grows \(#5\) \([0-9a-f]{7}\)/);
  });

  it('rejects bad options with a message', async () => {
    const out = await cli(['--version-bump', 'sometimes', '--cwd', r.dir], '/');
    assert.equal(out.code, 1);
    assert.match(out.stderr, /^Error: version-bump: must be one of conventional, none/);
  });

  it('--write updates Chart.yaml and lists the file', async () => {
    const out = await cli(['--json', '--write', '--charts', 'charts/a'], r.dir);
    assert.equal(out.code, 0, out.stderr);
    const result = JSON.parse(out.stdout) as Plan & { written: string[] };
    // git reports the repository root with symlinks resolved.
    assert.deepEqual(result.written, [join(realpathSync(r.dir), 'charts/a/Chart.yaml')]);
    assert.match(r.read('charts/a/Chart.yaml'), /\nversion: 1\.1\.0\n/);
    r.git('checkout', '--', 'charts/a/Chart.yaml');
  });
});

describe('chartship plan --registry (published state)', () => {
  let registry: TestRegistry;
  let r: TestRepo;
  before(async () => {
    registry = await startRegistry({ auth: 'none' });
    r = createRepo();
    r.commit('chore: init', { ...chartFiles('charts/a', 'a', '1.0.0'), ...chartFiles('charts/b', 'b', '1.0.0') });
  });
  after(async () => {
    await registry.stop();
    r.cleanup();
  });

  it('marks a version already pushed with the same content unchanged, and refuses different content', async () => {
    const spec = `oci://${registry.host}/charts`;
    const target = openTarget(spec, { plainHttp: true });
    const packaged = await packageChart(join(r.dir, 'charts/a'), { env: { SOURCE_DATE_EPOCH: '1700000000' } });
    await target.pushChart({ archive: packaged.archive });
    await target.close();

    const out = await cli(['--json', '--registry', spec, '--plain-http'], r.dir);
    assert.equal(out.code, 0, out.stderr);
    const plan = JSON.parse(out.stdout) as Plan;
    assert.deepEqual(plan.charts.map((c) => [c.name, c.action]), [['a', 'unchanged'], ['b', 'release']]);

    r.commit('fix: a differs', { 'charts/a/values.yaml': 'changed: true\n' });
    const clash = await cli(['--json', '--registry', spec, '--plain-http'], r.dir);
    assert.equal(clash.code, 1);
    // As publish --dry-run names it (README: file:line:col: field: message).
    assert.match(clash.stderr, /charts\/a\/Chart\.yaml:\d+:1: version: a 1\.0\.0 is already published in oci:\/\/127\.0\.0\.1:\d+\/charts with different content/);
    const forced = await cli(['--json', '--registry', spec, '--plain-http', '--overwrite'], r.dir);
    assert.equal(forced.code, 0, forced.stderr);
    const a = (JSON.parse(forced.stdout) as Plan).charts.find((c) => c.name === 'a');
    assert.equal(a?.action, 'release');
    assert.equal(a?.reasons.at(-1)?.kind, 'forced');
  });
});

describe('chartship plan on real history: WHY, --head elsewhere, versions helm reads its own way', () => {
  let r: TestRepo;
  let base: string;
  let head: string;
  let feat: string;
  before(() => {
    r = createRepo();
    base = r.commit('chore: init', { ...chartFiles('charts/web', 'web', 'v0.1.0'), ...chartFiles('charts/api', 'api', '1.0.0') });
    feat = r.commit('feat: web port', { 'charts/web/values.yaml': 'port: 81\n' });
    r.commit('fix(web): web typo', { 'charts/web/values.yaml': 'port: 8080\n' });
    head = r.commit('feat(api): api in CI only', { '.github/workflows/api.yaml': 'on: push\n' });
    // The work tree moves on: a hand-set version that --head must not see.
    r.commit('chore: release', { 'charts/web/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 9.9.9\n' });
  });
  after(() => r.cleanup());

  it('reads the charts at --head, shows the deciding commit as WHY, warns about the v prefix, and refuses --write', async () => {
    const out = await cli(['--base', base, '--head', head], r.dir);
    assert.equal(out.code, 0, out.stderr);
    assert.match(out.stdout, /\napi\s+charts\/api\s+1\.0\.0\s+1\.0\.0\s+none\s+skipped\s*\n/);
    assert.match(out.stdout, /\nweb\s+charts\/web\s+v0\.1\.0\s+0\.2\.0\s+minor\s+release\s+minor: feat: web port \(\+1\)\n/);
    assert.match(out.stdout, new RegExp(`- minor: feat: web port \\(${feat.slice(0, 7)}\\)\\n`));
    assert.match(out.stderr, /^warning: charts\/web\/Chart\.yaml: version: web: version v0\.1\.0 is not SemVer 2: read as 0\.1\.0 \(the "v" prefix dropped\), so the next version is 0\.2\.0\n$/);

    const write = await cli(['--base', base, '--head', head, '--write'], r.dir);
    assert.equal(write.code, 1);
    assert.match(write.stderr, /head: writing the new versions needs the work tree at head [0-9a-f]{7}, but it is at [0-9a-f]{7}/);
    assert.match(r.read('charts/web/Chart.yaml'), /version: 9\.9\.9/);
  });
});

describe('plan and publish from a subdirectory of the repository', () => {
  let r: TestRepo;
  before(() => {
    r = createRepo();
    r.commit('chore: init', {
      ...chartFiles('charts/a', 'a', '1.0.0'),
      '.chartship.yaml': 'versioning:\n  charts:\n    - match: a\n      release-as: 2.0.0\n',
      'docs/README.md': 'docs\n',
    });
  });
  after(() => r.cleanup());

  // The charts are found from the repository root; so is .chartship.yaml (README: "at the repository root"), or a
  // job that runs in a subdirectory would publish other versions than one that runs at the root.
  it("reads the repository root's .chartship.yaml, as at the root", async () => {
    for (const cwd of [r.dir, join(r.dir, 'docs'), join(r.dir, 'charts', 'a')]) {
      const planned = await cli(['--json'], cwd);
      assert.equal(planned.code, 0, planned.stderr);
      assert.deepEqual((JSON.parse(planned.stdout) as Plan).charts.map((c) => [c.name, c.nextVersion]), [['a', '2.0.0']], cwd);
      const dry = await runCli(['publish', '--dry-run', '--json', '--registry', `oci-layout:${join(r.dir, '..', 'layout')}`], { cwd, env: { PATH: process.env['PATH'] } });
      assert.equal(dry.code, 0, dry.stderr);
      assert.deepEqual((JSON.parse(dry.stdout) as { charts: { name: string; version: string }[] }).charts.map((c) => [c.name, c.version]), [['a', '2.0.0']], cwd);
    }
  });
});

describe('a local publish run again, with no range and no release tag (npm run demo twice)', () => {
  const repos: TestRepo[] = [];
  after(() => repos.forEach((repo) => repo.cleanup()));

  // `v1.42.1` is no SemVer 2, which helm packages and pushes as written: the registry holds it all the same, and a
  // rerun must not call it a first release (and release it again) every time.
  for (const written of ['1.0.0', 'v1.42.1']) it(`says the target holds the version already, not that it is a first release (${written})`, async () => {
    const r = createRepo();
    repos.push(r);
    r.commit('chore: init', chartFiles('charts/a', 'a', written));
    const v = written.replaceAll('.', '\\.');
    const layout = `oci-layout:${join(r.dir, '.chartship')}`;
    const publish = async (...args: string[]) => {
      const run = await runCli(['publish', '--policy', 'off', ...args, '--registry', layout], { cwd: r.dir, env: { PATH: process.env['PATH'], HOME: r.dir } });
      assert.equal(run.code, 0, run.stderr);
      return `${run.stdout}${run.stderr}`;
    };
    const first = await publish();
    assert.match(first, new RegExp(`^a +charts/a +${v} +${v} +none +release +first release of ${v}$`, 'm'));
    assert.match(first, /: 1 of 1 charts to release$/m);
    for (const [args, action, header] of [[[], 'release', '1 of 1 charts to release (all at a version the targets hold already: compared, not pushed again when the same)'], [['--dry-run'], 'unchanged', '0 of 1 charts to release']] as const) {
      const again = await publish(...args);
      assert.doesNotMatch(again, /first release/, args.join(' '));
      assert.ok(again.split('\n').some((line) => line.startsWith('Plan for ') && line.endsWith(`: ${header}`)), again);
      assert.match(again, new RegExp(`^a +charts/a +${v} +${v} +none +${action} +no release tag: ${v} as Chart\\.yaml has it, which the target holds already$`, 'm'));
    }
    // plan compares with the same targets publish takes, the demo's oci-layout: directory too.
    const plan = await runCli(['plan', '--registry', layout], { cwd: r.dir, env: { PATH: process.env['PATH'], HOME: r.dir } });
    assert.equal(plan.code, 0, plan.stderr);
    assert.match(plan.stdout, /: 0 of 1 charts to release$/m);
    assert.match(plan.stdout, new RegExp(`^a +charts/a +${v} +${v} +none +unchanged +no release tag: ${v} as Chart\\.yaml has it, which the target holds already$`, 'm'));
    const typo = await runCli(['plan', '--registry', 'ghcr.io/acme/charts'], { cwd: r.dir, env: { PATH: process.env['PATH'], HOME: r.dir } });
    assert.equal(typo.code, 1);
    assert.equal(typo.stderr, 'Error: registry: "ghcr.io/acme/charts" is not an OCI target (write oci://ghcr.io/acme/charts)\n');
  });
});
