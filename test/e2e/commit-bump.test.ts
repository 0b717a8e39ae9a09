import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { runAction } from '../helpers/action.js';
import { runCli } from '../helpers/cli.js';
import { chartFiles, createRepo } from '../helpers/git.js';

const repo = createRepo();
const scratch = mkdtempSync(join(tmpdir(), 'chartship-bump-'));
const origin = join(scratch, 'origin.git');
after(() => {
  repo.cleanup();
  rmSync(scratch, { recursive: true, force: true });
});

it('commit-bump commits the Chart.yaml bumps, comments intact, and pushes them to the branch', async () => {
  const before = repo.commit('chore: add the chart', {
    ...chartFiles('charts/svc', 'svc', '1.4.2'),
    'charts/svc/Chart.yaml': 'apiVersion: v2\nname: svc\n# bumped by chartship\nversion: 1.4.2 # keep this comment\nappVersion: "3.0"\n',
  });
  const after = repo.commit('feat(svc): expose metrics', { 'charts/svc/templates/svc.yaml': 'kind: Service\n' });
  const git = repo.addOrigin(origin);

  const run = await runAction({
    cwd: repo.dir,
    dir: join(scratch, 'run'),
    event: { name: 'push', payload: { before, after } },
    env: { GITHUB_SHA: after, GITHUB_REF: 'refs/heads/main' },
    inputs: { registry: `oci-layout:${join(scratch, 'layout')}`, 'commit-bump': 'true' },
  });
  assert.equal(run.status, 0, run.log);
  assert.doesNotMatch(run.log, /without recording them/);

  assert.equal(git('rev-parse', 'main~1'), after, 'one commit on top of the released one');
  assert.match(git('log', '-1', '--format=%s %an', 'main'), /^chore\(release\): svc 1\.5\.0 \[skip ci\] github-actions\[bot\]$/);
  assert.deepEqual(git('diff', '--name-only', 'main~1', 'main').split('\n'), ['charts/svc/Chart.yaml']);
  assert.equal(
    git('show', 'main:charts/svc/Chart.yaml'),
    'apiVersion: v2\nname: svc\n# bumped by chartship\nversion: 1.5.0 # keep this comment\nappVersion: "3.0"',
  );
});

it('chartship publish --commit-bump does the same outside GitHub, on the checked-out branch', async () => {
  const cli = createRepo();
  const remote = join(scratch, 'cli-origin.git');
  try {
    const before = cli.commit('chore: add the chart', chartFiles('charts/api', 'api', '2.0.0'));
    cli.commit('fix(api): retry on 503', { 'charts/api/values.yaml': 'retries: 3\n' });
    const git = cli.addOrigin(remote);
    const run = await runCli(['publish', '--cwd', cli.dir, '--base', before, '--registry', `oci-layout:${join(scratch, 'cli-layout')}`, '--commit-bump'], {
      cwd: scratch,
      env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' },
    });
    assert.equal(run.code, 0, run.stderr);
    assert.match(git('log', '-1', '--format=%s', 'main'), /^chore\(release\): api 2\.0\.1 \[skip ci\]$/);
    assert.match(git('show', 'main:charts/api/Chart.yaml'), /^version: 2\.0\.1$/m);
  } finally {
    cli.cleanup();
  }
});

it('with a chart failed, the bumps are not committed and the work tree is put back, so a rerun in the checkout does not read them as set by hand', async () => {
  const cli = createRepo();
  try {
    const before = cli.commit('chore: add the charts', {
      ...chartFiles('charts/api', 'api', '2.0.0'),
      // Its dependency is nowhere: packaging fails this chart alone.
      ...chartFiles('charts/broken', 'broken', '1.0.0', 'dependencies:\n  - name: gone\n    version: 1.0.0\n    repository: file://../gone\n'),
    });
    cli.commit('fix: retry on 503', { 'charts/api/values.yaml': 'retries: 3\n', 'charts/broken/values.yaml': 'retries: 3\n' });
    const git = cli.addOrigin(join(scratch, 'failed-origin.git'));
    const head = git('rev-parse', 'main');
    const run = await runCli(['publish', '--cwd', cli.dir, '--base', before, '--registry', `oci-layout:${join(scratch, 'failed-layout')}`, '--commit-bump', '--policy', 'off'], {
      cwd: scratch,
      env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' },
    });
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, /version bumps not committed because a chart failed \(the work tree is put back as it was\)/);
    assert.equal(cli.git('status', '--porcelain'), '', 'no bump left in the work tree');
    assert.equal(git('rev-parse', 'main'), head, 'nothing committed or pushed');
  } finally {
    cli.cleanup();
  }
});

it('a Chart.yaml that repeats keys, as helm allows (the last counts), is bumped where helm reads the version', async () => {
  const cli = createRepo();
  const remote = join(scratch, 'repeated-origin.git');
  try {
    const before = cli.commit('chore: add the chart', {
      ...chartFiles('charts/api', 'api', '2.0.0'),
      'charts/api/Chart.yaml': 'apiVersion: v2\nname: api\nversion: 1.0.0\ndescription: An API\nversion: 2.0.0\ndescription: The API\n',
    });
    cli.commit('feat(api): paginate', { 'charts/api/values.yaml': 'pageSize: 50\n' });
    const git = cli.addOrigin(remote);
    const layout = join(scratch, 'repeated-layout');
    const run = await runCli(['publish', '--cwd', cli.dir, '--base', before, '--registry', `oci-layout:${layout}`, '--commit-bump'], {
      cwd: scratch,
      env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' },
    });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /\| `api` \| 2\.1\.0 \| ✅ pushed \|/);
    assert.equal(
      git('show', 'main:charts/api/Chart.yaml'),
      'apiVersion: v2\nname: api\nversion: 1.0.0\ndescription: An API\nversion: 2.1.0\ndescription: The API',
      'only the version helm reads is bumped',
    );
  } finally {
    cli.cleanup();
  }
});

it('an appVersion the bump cannot rewrite (an alias) fails naming Chart.yaml, the line and the field, before anything is pushed', async () => {
  const cli = createRepo();
  try {
    const before = cli.commit('chore: add the chart', {
      ...chartFiles('charts/api', 'api', '2.0.0'),
      'charts/api/Chart.yaml': 'apiVersion: v2\nname: api\nversion: &v 2.0.0\nappVersion: *v\n',
    });
    cli.commit('feat(api): paginate', { 'charts/api/values.yaml': 'pageSize: 50\n' });
    const layout = join(scratch, 'alias-layout');
    const run = await runCli(['publish', '--cwd', cli.dir, '--base', before, '--registry', `oci-layout:${layout}`, '--app-version', 'follow'], {
      cwd: scratch,
      env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' },
    });
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, /^Error: charts\/api\/Chart\.yaml:4:13: appVersion: is an alias, not a value chartship can rewrite \(write the value out\)$/m);
    assert.equal(existsSync(layout), false, 'nothing pushed');
  } finally {
    cli.cleanup();
  }
});

it("a v1 chart's constraint on a local chart is raised in requirements.yaml, where helm reads it, so the dependent is published too", async () => {
  const cli = createRepo();
  const remote = join(scratch, 'requirements-origin.git');
  try {
    const before = cli.commit('chore: add the charts', {
      'charts/lib/Chart.yaml': 'apiVersion: v2\nname: lib\nversion: 1.0.0\ntype: library\n',
      'charts/legacy/Chart.yaml': 'apiVersion: v1\nname: legacy\nversion: 0.1.0\n',
      'charts/legacy/requirements.yaml': 'dependencies:\n  # shared helpers\n  - name: lib\n    version: ~1.0.0\n    repository: file://../lib\n',
    });
    cli.commit('feat(lib)!: rename every helper', { 'charts/lib/templates/_helpers.tpl': '{{- define "lib.name" -}}x{{- end -}}\n' });
    const git = cli.addOrigin(remote);
    const run = await runCli(['publish', '--cwd', cli.dir, '--base', before, '--registry', `oci-layout:${join(scratch, 'requirements-layout')}`, '--commit-bump'], {
      cwd: scratch,
      env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' },
    });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /\| `legacy` \| 0\.1\.1 \| ✅ pushed \|/);
    assert.equal(git('show', 'main:charts/legacy/requirements.yaml'), 'dependencies:\n  # shared helpers\n  - name: lib\n    version: ~2.0.0\n    repository: file://../lib');
    assert.deepEqual(git('diff', '--name-only', 'main~1', 'main').split('\n'), ['charts/legacy/Chart.yaml', 'charts/legacy/requirements.yaml', 'charts/lib/Chart.yaml']);
  } finally {
    cli.cleanup();
  }
});
