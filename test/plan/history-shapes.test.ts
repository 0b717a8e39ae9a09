/**
 * Which charts release, and at what version, on histories shaped as real ones are: the bundled CLI's plan on real
 * git repositories, as a platform team runs it on its chart monorepo.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, it } from 'node:test';
import type { ChartPlan, Plan } from '../../src/model/plan.js';
import { runBundledCli } from '../helpers/cli.js';
import { chartFiles, createRepo, type TestRepo } from '../helpers/git.js';

const repos: TestRepo[] = [];
function repo(charts: [name: string, version: string][]): TestRepo {
  const r = createRepo();
  repos.push(r);
  r.commit('chore: init', Object.assign({}, ...charts.map(([name, version]) => chartFiles(`charts/${name}`, name, version))) as Record<string, string>);
  for (const [name, version] of charts) r.tag(`${name}-${version}`);
  return r;
}

async function plan(r: TestRepo, ...args: string[]): Promise<Map<string, ChartPlan>> {
  const out = await runBundledCli(['plan', '--json', ...args], { cwd: r.dir });
  assert.equal(out.code, 0, out.stderr);
  return new Map((JSON.parse(out.stdout) as Plan).charts.map((c) => [c.name, c]));
}

afterEach(() => {
  for (const r of repos.splice(0)) r.cleanup();
});

describe('plan on histories shaped as real ones', () => {
  it('a commit without a message (git commit --allow-empty-message) releases as another change, and is listed as such', async () => {
    const r = repo([['web', '1.0.0']]);
    r.write('charts/web/values.yaml', 'replicas: 2\n');
    r.git('add', '-A');
    r.git('commit', '-q', '--allow-empty-message', '-m', '');
    const web = (await plan(r)).get('web')!;
    assert.deepEqual([web.action, web.nextVersion], ['release', '1.0.1']);
    assert.deepEqual(web.reasons.map((reason) => reason.message), ['patch (other-types): (no commit message)']);
    assert.deepEqual(web.changelog.map((e) => [e.type, e.subject]), [['other', '(no commit message)']]);
  });

  it('a revert of a revert lands the reverted feature again: a minor, with the feature in the changelog', async () => {
    const r = repo([['web', '1.0.0']]);
    const feature = r.commit('feat: a knob', { 'charts/web/values.yaml': 'knob: true\n' });
    r.git('revert', '--no-edit', 'HEAD');
    r.git('revert', '--no-edit', 'HEAD');
    const web = (await plan(r)).get('web')!;
    assert.deepEqual([web.action, web.nextVersion, web.bump], ['release', '1.1.0', 'minor']);
    assert.deepEqual(web.changelog.map((e) => [e.type, e.subject, e.sha]), [['feat', 'a knob', feature]]);
    // Reverted three times, it is out again: nothing to release.
    r.git('revert', '--no-edit', 'HEAD');
    assert.equal((await plan(r)).get('web')!.action, 'skipped');
  });

  it('a prerelease channel that sorts before the current one (rc, then beta) never goes below it', async () => {
    const r = repo([['web', '1.3.0-rc.0']]);
    r.commit('fix: a crash', { 'charts/web/values.yaml': 'replicas: 2\n' });
    assert.equal((await plan(r, '--prerelease', 'rc')).get('web')!.nextVersion, '1.3.0-rc.1');
    // beta.0 of 1.3.0 would sort below the rc.0 already released (and helm would keep installing the rc).
    assert.equal((await plan(r, '--prerelease', 'beta')).get('web')!.nextVersion, '1.3.1-beta.0');
    r.commit('feat: a knob', { 'charts/web/values.yaml': 'knob: true\n' });
    assert.equal((await plan(r, '--prerelease', 'beta')).get('web')!.nextVersion, '1.4.0-beta.0');
    assert.equal((await plan(r, '--prerelease', 'rc')).get('web')!.nextVersion, '1.3.0-rc.1');
  });

  it('a release tagged on a maintenance branch: what it released is not counted again on main', async () => {
    const r = repo([['web', '1.0.0'], ['api', '1.0.0']]);
    r.commit('feat: api grows', { 'charts/api/values.yaml': 'size: 2\n' });
    // api 1.1.0 is released from a hotfix branch off main: it holds the feature above, and the hotfix.
    r.git('checkout', '-q', '-b', 'release-1.1');
    r.commit('fix: api hotfix', { 'charts/api/values.yaml': 'size: 3\n', 'charts/api/Chart.yaml': chartFiles('charts/api', 'api', '1.1.0')['charts/api/Chart.yaml']! });
    r.tag('api-1.1.0');
    r.git('checkout', '-q', 'main');
    r.commit('fix: web crash', { 'charts/web/values.yaml': 'replicas: 2\n' });
    let charts = await plan(r);
    assert.deepEqual([charts.get('web')!.action, charts.get('web')!.nextVersion], ['release', '1.0.1']);
    assert.equal(charts.get('api')!.action, 'skipped', 'the feature went out in api 1.1.0');
    // A change to api after the branch point is api's next release, and only it is.
    const after = r.commit('fix: api probe', { 'charts/api/templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: api-x\n' });
    charts = await plan(r);
    assert.deepEqual([charts.get('api')!.action, charts.get('api')!.nextVersion], ['release', '1.1.1']);
    assert.deepEqual(charts.get('api')!.changelog.map((e) => e.sha), [after]);
  });

  it('a repository that stores messages in latin1 (i18n.commitEncoding) has them read right', async () => {
    const r = repo([['web', '1.0.0']]);
    r.git('config', 'i18n.commitEncoding', 'latin1');
    r.write('charts/web/values.yaml', 'replicas: 2\n');
    r.git('add', '-A');
    // git stores the bytes it is given under `encoding latin1`: é and ü are one byte each.
    writeFileSync(join(r.dir, '.git', 'MESSAGE'), Buffer.from('feat: caf\xe9 \xfcber\n', 'latin1'));
    r.git('commit', '-q', '-F', '.git/MESSAGE');
    const web = (await plan(r)).get('web')!;
    assert.deepEqual(web.changelog.map((e) => e.subject), ['café über']);
  });

  it('a chart moved with its Chart.yaml rewritten (too much for git to see a rename) keeps its history and its version', async () => {
    const r = repo([['web', '1.0.0']]);
    const base = r.commit('feat!: values restructured', { 'charts/web/values.yaml': 'web:\n  replicas: 1\n' });
    r.git('mv', 'charts/web', 'charts/frontend');
    const chartYaml = 'apiVersion: v2\nname: web\ndescription: The web frontend of the shop\ntype: application\nversion: 1.0.0\nappVersion: "2.3.4"\nkubeVersion: ">=1.25"\n';
    r.commit('chore: move web to frontend, describe it', { 'charts/frontend/Chart.yaml': chartYaml });
    assert.match(r.git('show', '--stat', '-M', 'HEAD'), /charts\/web\/Chart\.yaml/, 'git sees no rename of Chart.yaml');
    // From its release tag: the breaking change before the move is still web's.
    const web = (await plan(r)).get('web')!;
    assert.deepEqual([web.path, web.action, web.nextVersion], ['charts/frontend', 'release', '2.0.0']);
    // In a push's range: web was 1.0.0 at the base (not a first release of the 1.0.0 already published), and it is
    // not reported deleted.
    const out = await runBundledCli(['plan', '--json', '--base', base], { cwd: r.dir });
    assert.equal(out.code, 0, out.stderr);
    const pushed = JSON.parse(out.stdout) as Plan;
    assert.deepEqual(pushed.deleted, []);
    assert.deepEqual(pushed.charts.map((c) => [c.name, c.previousVersion, c.nextVersion, c.reasons.at(-1)?.message]), [['web', '1.0.0', '1.0.1', 'moved from charts/web']]);
  });
});
