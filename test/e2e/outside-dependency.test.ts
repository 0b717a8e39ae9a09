/**
 * A file:// dependency outside the repository: packaged as helm packages it, but warned of, at the dependent's
 * Chart.yaml named within the repository (where GitHub places the annotation): no plan sees its changes, and a fresh
 * clone has no such directory.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { runBundledCli } from '../helpers/cli.js';
import { startChartRepository } from '../helpers/chart-repo.js';
import { createRepo } from '../helpers/git.js';

const outside = mkdtempSync(join(tmpdir(), 'chartship-outside-'));
const repo = createRepo();
after(() => {
  repo.cleanup();
  rmSync(outside, { recursive: true, force: true });
});

it('a file:// dependency outside the repository is warned of at the dependent Chart.yaml, named within the repository, with what to do', async () => {
  mkdirSync(join(outside, 'shared'));
  writeFileSync(join(outside, 'shared', 'Chart.yaml'), 'apiVersion: v2\nname: shared\nversion: 0.1.0\ntype: library\n');
  repo.commit('feat: app and lib', {
    'charts/app/Chart.yaml': `apiVersion: v2\nname: app\nversion: 1.0.0\ndependencies:\n  - name: shared\n    version: 0.1.0\n    repository: file://${join(outside, 'shared')}\n  - name: lib\n    version: 1.0.0\n    repository: file://../lib\n`,
    'charts/lib/Chart.yaml': 'apiVersion: v2\nname: lib\nversion: 1.0.0\ntype: library\n',
  });
  const run = await runBundledCli(['publish', '--registry', `oci-layout:${join(outside, 'layout')}`, '--policy', 'off'], { cwd: repo.dir, env: { HOME: repo.dir } });
  assert.equal(run.code, 0, run.stderr);
  const warnings = run.stderr.split('\n').filter((line) => line.includes('outside the repository'));
  assert.deepEqual(warnings, [
    `warning: charts/app/Chart.yaml: dependencies: a file:// dependency is outside the repository (${join(outside, 'shared')}): changes to it are not seen by the plan, and a fresh clone (CI) lacks it (move the chart into the repository, or publish it and depend on it by oci:// or https://)`,
  ]);
});

it('charts of one run that depend on one chart repository share one download of its index.yaml', async () => {
  const served = await startChartRepository({ common: ['1.0.0', '1.1.0'] });
  try {
    const dependent = (name: string) => `apiVersion: v2\nname: ${name}\nversion: 1.0.0\ndependencies:\n  - name: common\n    version: ^1.0.0\n    repository: ${served.url}\n`;
    repo.commit('feat: three charts on one repository', { 'charts/a/Chart.yaml': dependent('a'), 'charts/b/Chart.yaml': dependent('b'), 'charts/c/Chart.yaml': dependent('c') });
    const run = await runBundledCli(['publish', '--charts', 'charts/[abc]', '--registry', `oci-layout:${join(outside, 'shared-index')}`, '--policy', 'off', '--json'], { cwd: repo.dir, env: { HOME: repo.dir } });
    assert.equal(run.code, 0, run.stderr);
    const charts = (JSON.parse(run.stdout) as { charts: { name: string; status: string }[] }).charts;
    assert.deepEqual(charts.map((c) => [c.name, c.status]).sort(), [['a', 'pushed'], ['b', 'pushed'], ['c', 'pushed']]);
    assert.deepEqual(served.hits.filter((path) => path.endsWith('/index.yaml')), ['/repo/index.yaml'], served.hits.join(' '));
    // Each chart still holds the version the index offered it.
    assert.equal(served.hits.filter((path) => path === '/repo/charts/common-1.1.0.tgz').length >= 1, true, served.hits.join(' '));
  } finally {
    await served.stop();
  }
});
