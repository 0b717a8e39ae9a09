/**
 * A repository whose one chart is at its top (`charts: .`), as many single-chart repositories are laid out: found,
 * released, packaged as `helm package .` packages it, and changed only by the files helm would package.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, it } from 'node:test';
import { openTarget } from '../../src/helm-oci/index.js';
import { runAction } from '../helpers/action.js';
import { runBundledCli } from '../helpers/cli.js';
import { createRepo } from '../helpers/git.js';
import { HELM_MAJORS, isolatedHelm } from '../helpers/helm.js';

const repo = createRepo();
const scratch = mkdtempSync(join(tmpdir(), 'chartship-root-chart-'));
after(() => {
  repo.cleanup();
  rmSync(scratch, { recursive: true, force: true });
});

/** Every file of a .tgz, by path, as tar itself unpacks it. */
function unpacked(archive: Buffer, name: string): Map<string, string> {
  const dir = join(scratch, `unpacked-${name}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'chart.tgz'), archive);
  execFileSync('tar', ['-xzf', 'chart.tgz'], { cwd: dir });
  rmSync(join(dir, 'chart.tgz'));
  const files = readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
  return new Map(files.map((e) => [relative(dir, join(e.parentPath, e.name)), readFileSync(join(e.parentPath, e.name), 'utf8')]));
}

it('charts: . publishes the chart at the repository root, with what helm package . packages, and only its own files change it', async () => {
  const first = repo.commit('feat: the chart', {
    'Chart.yaml': 'apiVersion: v2\nname: solo\nversion: 0.1.0\ndescription: one chart at the top of its repository\n',
    'values.yaml': 'replicas: 1\n',
    'templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\n',
    'README.md': '# solo\n',
    '.helmignore': '.git/\n.github/\n',
    '.github/workflows/release.yml': 'on: push\n',
  });
  const layout = join(scratch, 'layout');
  // Each run as a push of the commits since the last one: the runner's push event names both ends.
  let before = '0000000000000000000000000000000000000000';
  const publish = async (name: string, after: string) => {
    const event = { name: 'push', payload: { before, after, ref: 'refs/heads/main' } };
    before = after;
    const run = await runAction({ cwd: repo.dir, dir: join(scratch, name), inputs: { registry: `oci-layout:${layout}`, charts: '.' }, event });
    assert.equal(run.status, 0, run.log);
    return (JSON.parse(run.outputs['charts'] ?? '[]') as { name: string; version: string; status: string; path: string }[]).map((c) => `${c.name} ${c.version} ${c.status} ${c.path}`);
  };
  assert.deepEqual(await publish('first', first), ['solo 0.1.0 pushed .']);

  const published = (await openTarget(`oci-layout:${layout}`).pullChart('solo', '0.1.0')).archive;
  const ours = unpacked(published, 'chartship');
  assert.deepEqual([...ours.keys()].sort(), ['solo/.helmignore', 'solo/Chart.yaml', 'solo/README.md', 'solo/templates/cm.yaml', 'solo/values.yaml']);
  for (const major of HELM_MAJORS) {
    const helm = isolatedHelm(major);
    try {
      await helm.run(['package', repo.dir, '-d', join(helm.home, 'out')]);
      assert.deepEqual(ours, unpacked(readFileSync(join(helm.home, 'out', 'solo-0.1.0.tgz')), `helm${major}`), `helm ${major} package .`);
    } finally {
      helm.cleanup();
    }
  }

  // A file the chart's .helmignore leaves out is not the chart's: no release.
  const ignored = repo.commit('fix: the workflow', { '.github/workflows/release.yml': 'on: [push]\n' });
  assert.deepEqual(await publish('ignored', ignored), ['solo 0.1.0 skipped .']);
  const changed = repo.commit('fix: one more replica', { 'values.yaml': 'replicas: 2\n' });
  assert.deepEqual(await publish('changed', changed), ['solo 0.1.1 pushed .']);
  assert.deepEqual(await openTarget(`oci-layout:${layout}`).listVersions('solo'), ['0.1.0', '0.1.1']);
});

it('a chart at the root whose .helmignore does not leave out .git fails, naming it, and publishes nothing: the checkout\'s token is in .git/config', async () => {
  const bare = createRepo('chartship-root-no-ignore-');
  try {
    // actions/checkout persists the job's token in the repository's config by default.
    bare.git('config', 'http.https://github.com/.extraheader', 'AUTHORIZATION: basic eC1hY2Nlc3MtdG9rZW46Z2hzX3NlY3JldA==');
    const sha = bare.commit('feat: the chart', { 'Chart.yaml': 'apiVersion: v2\nname: bare\nversion: 0.1.0\n', 'templates/cm.yaml': 'kind: ConfigMap\n' });
    const layout = join(scratch, 'bare-layout');
    const event = { name: 'push', payload: { before: '0000000000000000000000000000000000000000', after: sha, ref: 'refs/heads/main' } };
    const run = await runAction({ cwd: bare.dir, dir: join(scratch, 'bare'), inputs: { registry: `oci-layout:${layout}`, charts: '.' }, event });
    assert.equal(run.status, 1, run.log);
    assert.match(run.log, /^::error file=\.git::.*the chart holds a \.git directory.*add \.git\/ to the chart's \.helmignore/m);
    assert.doesNotMatch(run.log, /ghs_secret|eC1hY2Nlc3MtdG9rZW46Z2hzX3NlY3JldA/);
    assert.deepEqual(await openTarget(`oci-layout:${layout}`).listVersions('bare'), []);
  } finally {
    bare.cleanup();
  }
});

it('a repository of one chart tagged v1.2.3 (release-tag-template: v{version}) plans from its newest tag; a second chart makes the template refused', async () => {
  const solo = createRepo();
  try {
    solo.commit('feat: the chart', { 'Chart.yaml': 'apiVersion: v2\nname: solo\nversion: 1.0.0\n', 'templates/cm.yaml': 'kind: ConfigMap\n' });
    solo.tag('v1.0.0');
    solo.commit('feat!: values renamed', { 'values.yaml': 'replicas: 1\n' });
    solo.commit('fix: a default', { 'values.yaml': 'replicas: 2\n' });
    solo.tag('v1.0.1');
    solo.commit('fix: one more', { 'values.yaml': 'replicas: 3\n' });
    // Tags that are not releases of the chart: no full version, or another text around it.
    solo.tag('v2');
    solo.tag('nightly-9.9.9');
    const plan = async (args: string[]) => {
      const run = await runBundledCli(['plan', '--cwd', solo.dir, '--charts', '.', '--json', ...args], { cwd: solo.dir, env: { HOME: scratch } });
      return { ...run, plan: run.code === 0 ? (JSON.parse(run.stdout) as { charts: { name: string; previousVersion?: string; nextVersion: string; bump: string }[] }) : undefined };
    };
    // Only the fix after v1.0.1 counts (the breaking change was released in it): 1.0.2, from the flag and from the file.
    const byFlag = await plan(['--tag-template', 'v{version}']);
    assert.equal(byFlag.code, 0, byFlag.stderr);
    assert.deepEqual(byFlag.plan!.charts.map((c) => [c.name, c.previousVersion, c.nextVersion, c.bump]), [['solo', '1.0.1', '1.0.2', 'patch']]);
    solo.commit('chore: config', { '.chartship.yaml': 'versioning:\n  release-tag-template: v{version}\n' });
    const byFile = await plan([]);
    assert.equal(byFile.code, 0, byFile.stderr);
    assert.deepEqual(byFile.plan!.charts.map((c) => [c.previousVersion, c.nextVersion]), [['1.0.1', '1.0.2']]);

    solo.commit('feat: a second chart', { 'extra/Chart.yaml': 'apiVersion: v2\nname: extra\nversion: 0.1.0\n' });
    const two = await plan(['--charts', 'extra']);
    assert.equal(two.code, 1);
    assert.match(two.stderr, /tag template "v\{version\}" names no chart, and 2 charts are selected/);
  } finally {
    solo.cleanup();
  }
});
