/**
 * A run with nothing to bump from: no range (a second local run, a workflow_dispatch, a CI without its variables) and
 * no release tag, after a chart changed since it was published. The version Chart.yaml has is taken as a first release,
 * which the registry already holds with other content: the run must say that the missing range is why, and that a base
 * is the way out (not --overwrite), publish nothing of that chart or its dependents, and publish the bump once given one.
 */
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { registryFixture } from '../helpers/fixture.js';
import { runBundledCli } from '../helpers/cli.js';
import { createRepo } from '../helpers/git.js';

const fx = registryFixture('unrecorded', {});
const { repo } = fx;

let first: string;
before(() => {
  first = repo.commit('chore: two charts', {
    'charts/lib/Chart.yaml': 'apiVersion: v2\nname: lib\ntype: library\nversion: 1.2.0\n',
    'charts/lib/templates/_helpers.tpl': '{{- define "lib.name" -}}lib{{- end -}}\n',
    'charts/app/Chart.yaml': 'apiVersion: v2\nname: app\nversion: 0.4.0\ndependencies:\n  - name: lib\n    version: ^1.0.0\n    repository: file://../lib\n',
    'charts/app/templates/cm.yaml': 'kind: ConfigMap\nmetadata:\n  name: {{ include "lib.name" . }}\n',
  });
});

const publish = (...extra: string[]) => runBundledCli(['publish', '--registry', `oci://${fx.registry.host}/team`, '--plain-http', ...extra], { cwd: repo.dir, env: { HOME: repo.dir } });
const versions = (chart: string) => fx.versions('team', chart);
const NO_RANGE = /no range and no release tag of lib tell which commits came after 1\.2\.0: pass the commit it was published from as the base \(--base\)/;

it('a changed chart rerun without a range says a base is missing, publishes nothing of it, and publishes the bump given one', async () => {
  const published = await publish();
  assert.equal(published.code, 0, published.stderr);
  assert.deepEqual([await versions('lib'), await versions('app')], [['1.2.0'], ['0.4.0']]);

  repo.commit('fix(lib): a name that fits', { 'charts/lib/templates/_helpers.tpl': '{{- define "lib.name" -}}lib-{{ .Release.Name }}{{- end -}}\n' });
  const rerun = await publish();
  assert.equal(rerun.code, 1, rerun.stderr);
  assert.match(rerun.stderr, NO_RANGE);
  assert.doesNotMatch(rerun.stderr, /--overwrite/, 'replacing a published version is not the way out here');
  // commit-bump records a bump, and 1.2.0 was published as written: not a way out either.
  assert.match(rerun.stderr, /a release tag for each release tells the next run where it is \(create-releases makes them; commit-bump records bumped versions only, not one published as written\)/);
  assert.match(rerun.stdout, /\*\*app\*\* 0\.4\.0: not published: its dependency lib failed/);
  assert.deepEqual([await versions('lib'), await versions('app')], [['1.2.0'], ['0.4.0']]);

  // A pull request's dry run without a range says it at the plan, on the version line.
  const dry = await publish('--dry-run');
  assert.equal(dry.code, 1, dry.stderr);
  assert.match(dry.stderr, /charts\/lib\/Chart\.yaml:4:1: version: lib 1\.2\.0 is already published in oci:\/\/\S+ with different content/);
  assert.match(dry.stderr, NO_RANGE);

  const based = await publish('--base', first);
  assert.equal(based.code, 0, based.stderr);
  assert.deepEqual([await versions('lib'), await versions('app')], [['1.2.0', '1.2.1'], ['0.4.0', '0.4.1']]);
});

it('with a range, a new chart whose version is taken gets the usual answer: the range is not what is missing', async () => {
  const seeded = createRepo('chartship-unrecorded-seed-');
  try {
    seeded.commit('chore: another chart named alike', { 'charts/extra/Chart.yaml': 'apiVersion: v2\nname: extra\nversion: 0.1.0\ndescription: elsewhere\n' });
    const elsewhere = await runBundledCli(['publish', '--registry', `oci://${fx.registry.host}/team`, '--plain-http'], { cwd: seeded.dir, env: { HOME: seeded.dir } });
    assert.equal(elsewhere.code, 0, elsewhere.stderr);
  } finally {
    seeded.cleanup();
  }
  const base = repo.git('rev-parse', 'HEAD');
  repo.commit('feat: extra', { 'charts/extra/Chart.yaml': 'apiVersion: v2\nname: extra\nversion: 0.1.0\ndescription: here\n' });
  const run = await publish('--base', base, '--charts', 'charts/extra');
  assert.equal(run.code, 1, run.stderr);
  assert.match(run.stderr, /team\/extra:0\.1\.0 already exists with different content/);
  assert.match(run.stderr, /bump the version, or pass --overwrite/);
  assert.doesNotMatch(run.stderr, /no range/);
});
