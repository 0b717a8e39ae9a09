import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runAction } from '../helpers/action.js';
import { start as startGitHubApi } from '../helpers/github-api.js';
import { chartFiles } from '../helpers/git.js';
import { createDev, createOrigin, DEV } from '../helpers/protected-origin.js';
import { startRegistry } from '../helpers/registry.js';

const TOKEN = 'ghs_releaseprtoken';
const scratch = mkdtempSync(join(tmpdir(), 'chartship-release-pr-'));

const show = (origin: { git(...args: string[]): string }, rev: string, path: string) => origin.git('show', `${rev}:${path}`);

describe('release pull requests, on a protected main', () => {
  let registry: Awaited<ReturnType<typeof startRegistry>>;
  let github: Awaited<ReturnType<typeof startGitHubApi>>;
  const origin = createOrigin(scratch, 'origin');
  let dev: ReturnType<typeof createDev>;
  let runs = 0;
  let lastMain = '';

  before(async () => {
    registry = await startRegistry({ auth: 'none' });
    github = await startGitHubApi({ token: TOKEN });
    dev = createDev(scratch, origin.dir, 'dev');
    lastMain = dev.land('chore: the charts', {
      ...chartFiles('charts/common', 'common', '1.0.0'),
      ...chartFiles('charts/web', 'web', '1.0.0', 'dependencies:\n  - name: common\n    version: ~1.0.0\n    repository: file://../common\n'),
      ...chartFiles('charts/api', 'api', '2.0.0'),
      'charts/api/CHANGELOG.md': '# api changelog\n\nKept as written.\n\n## 2.0.0\n\n- the first one\n',
    });
    // Released before: the tags GitHub's releases made.
    for (const tag of ['common-1.0.0', 'web-1.0.0', 'api-2.0.0']) origin.git('tag', tag, lastMain);
    origin.protect(true);
  });

  after(async () => {
    await github?.stop();
    await registry?.stop();
    rmSync(scratch, { recursive: true, force: true });
  });

  /** One workflow run on a push to main, from a fresh checkout of it (full history and tags, as fetch-depth: 0 gives). */
  async function pushRun(inputs: Record<string, string> = {}, { runId }: { runId?: number } = {}) {
    const checkout = join(scratch, `checkout-${++runs}`);
    execFileSync('git', ['clone', '-q', origin.dir, checkout], { stdio: 'ignore' });
    const sha = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: checkout, encoding: 'utf8' }).trim();
    const before = lastMain;
    lastMain = sha;
    const run = await runAction({
      cwd: checkout,
      dir: join(scratch, `run-${runs}`),
      event: { name: 'push', payload: { before, after: sha, ref: 'refs/heads/main' } },
      env: { GITHUB_SHA: sha, GITHUB_REF: 'refs/heads/main', GITHUB_REPOSITORY: 'acme/charts', GITHUB_SERVER_URL: 'https://github.example', GITHUB_API_URL: github.url, GITHUB_RUN_ID: String(runId ?? runs) },
      inputs: { registry: `oci://${registry.host}/charts`, 'plain-http': 'true', 'github-token': TOKEN, mode: 'release-pr', policy: 'off', ...inputs },
    });
    return { ...run, sha, charts: JSON.parse(run.outputs['charts'] ?? '[]') as { name: string; version: string; status: string; registries: { digest: string }[] }[] };
  }

  const openPulls = () => github.state.pulls.filter((p) => p.state === 'open');
  const pushes = async () => (await registry.settle()).filter((r) => r.method === 'PUT' && r.path.includes('/manifests/'));

  it('the protected-branch simulation refuses a push to main', () => {
    const commit = dev.git('commit-tree', 'HEAD^{tree}', '-p', 'HEAD', '-m', 'chore: straight to main');
    const refused = spawnSync('git', ['push', 'origin', `${commit}:refs/heads/main`], { cwd: dev.dir, encoding: 'utf8', env: { ...process.env, ...DEV } });
    assert.notEqual(refused.status, 0);
    assert.match(refused.stderr, /GH006: Protected branch update failed/);
  });

  it('opens one release pull request with the bumps, the dependents\' constraints and CHANGELOG.md sections; pushes nothing else', async () => {
    dev.land('feat(common): a name helper (#7)', { 'charts/common/templates/_helpers.tpl': '{{- define "common.name" -}}x{{- end -}}\n' });
    const main = origin.git('rev-parse', 'main');
    // GitHub opens the pull request but the answer is lost: the retry finds it by its branch instead of opening another.
    github.state.failures.set('pulls/create', { status: 502, message: 'Server Error', times: 1, afterEffect: true });
    const run = await pushRun();
    assert.equal(run.status, 0, run.log);
    assert.match(run.log, /^GitHub API: opening a pull request from chartship\/release into main: HTTP 502; waiting \d+ ms before attempt 2 of 4$/m);
    assert.equal(github.requests.filter((r) => r.operationId === 'pulls/create').length, 1);
    assert.equal(origin.git('rev-parse', 'main'), main, 'main is untouched');
    assert.deepEqual(await pushes(), [], 'nothing is published');
    assert.equal(run.outputs['released'], 'false');

    const [pull, ...others] = openPulls();
    assert.equal(others.length, 0);
    assert.equal(run.outputs['release-pr'], String(pull!.number));
    assert.deepEqual([pull!.head, pull!.base, pull!.title], ['chartship/release', 'main', 'chore(release): common 1.1.0, web 1.0.1']);
    assert.match(pull!.body ?? '', /## chartship release plan/);
    assert.match(pull!.body ?? '', /`common` \| 1\.0\.0 → \*\*1\.1\.0\*\*/);
    assert.match(pull!.body ?? '', /`web` \| 1\.0\.0 → \*\*1\.0\.1\*\*/);

    const branch = origin.git('rev-parse', 'chartship/release');
    assert.equal(origin.git('rev-parse', `${branch}^`), main, 'one commit on top of main');
    assert.equal(origin.git('log', '-1', '--format=%an <%ae>', branch), 'github-actions[bot] <41898282+github-actions[bot]@users.noreply.github.com>');
    assert.match(show(origin, branch, 'charts/common/Chart.yaml'), /\nversion: 1\.1\.0\n/);
    assert.match(show(origin, branch, 'charts/web/Chart.yaml'), /\nversion: 1\.0\.1\n[\s\S]*version: ~1\.1\.0\n/);
    // Dated as release-please dates its sections: the day (UTC) of the commit the release is cut from, so a re-run
    // writes the same section.
    const day = new Date(Number(origin.git('log', '-1', '--format=%ct', main)) * 1000).toISOString().slice(0, 10);
    // Each version linked to the diff since the chart's previous release tag, on the server the run is on.
    const heading = (version: string, from: string, to: string) => `## [${version}](https://github.example/acme/charts/compare/${from}...${to}) (${day})`;
    const common = show(origin, branch, 'charts/common/CHANGELOG.md');
    assert.equal(common.split('\n')[2], heading('1.1.0', 'common-1.0.0', 'common-1.1.0'));
    assert.match(common, /^# Changelog\n\n## .*\n\n### Features\n\n- \*\*common:\*\* a name helper /);
    const web = show(origin, branch, 'charts/web/CHANGELOG.md');
    assert.equal(web.split('\n')[2], heading('1.0.1', 'web-1.0.0', 'web-1.0.1'));
    assert.match(web, /^# Changelog\n\n## .*\n\n- depends on common 1\.1\.0/);
    assert.deepEqual(origin.git('diff', '--name-only', main, branch).split('\n').sort(), ['charts/common/CHANGELOG.md', 'charts/common/Chart.yaml', 'charts/web/CHANGELOG.md', 'charts/web/Chart.yaml']);
  });

  it('updates the same pull request in place on the next push, force-pushing only the release branch', async () => {
    const number = openPulls()[0]!.number;
    dev.land('fix(api): two replicas', { 'charts/api/values.yaml': 'replicas: 2\n' });
    const main = origin.git('rev-parse', 'main');
    const run = await pushRun();
    assert.equal(run.status, 0, run.log);
    assert.deepEqual(openPulls().map((p) => [p.number, p.title]), [[number, 'chore(release): api 2.0.1, common 1.1.0, web 1.0.1']]);
    const branch = origin.git('rev-parse', 'chartship/release');
    assert.equal(origin.git('rev-parse', `${branch}^`), main, 'rebuilt on the new main');
    // A CHANGELOG.md with a preamble keeps it; the new section goes above the newest.
    assert.equal(show(origin, branch, 'charts/api/CHANGELOG.md').split('## 2.0.0')[0]!.replace(/## \[2\.0\.1\][\s\S]*$/, ''), '# api changelog\n\nKept as written.\n\n');
    assert.equal(origin.git('rev-parse', 'main'), main);

    // GitHub's re-run of that run (same run id) finds the branch as it would write it: nothing is pushed. Nor is the
    // pull request edited: its title and body (whose footer links the run) are what the re-run would write.
    lastMain = origin.git('rev-parse', 'main~1');
    const updates = () => github.requests.filter((r) => r.operationId === 'pulls/update').length;
    const updatedBefore = updates();
    const again = await pushRun({}, { runId: runs });
    assert.equal(again.status, 0, again.log);
    assert.equal(origin.git('rev-parse', 'chartship/release'), branch);
    assert.match(again.log, /chartship\/release is up to date/);
    assert.match(again.log, new RegExp(`release pull request is up to date #${number}: `));
    assert.equal(updates(), updatedBefore, 'the unchanged pull request is not edited');
    assert.equal(openPulls().length, 1);
  });

  it('leaves a release branch someone edited alone while its pull request is open', async () => {
    const human = join(scratch, 'human');
    execFileSync('git', ['clone', '-q', '-b', 'chartship/release', origin.dir, human], { stdio: 'ignore' });
    const edit = (args: string[]) => execFileSync('git', args, { cwd: human, encoding: 'utf8', env: { ...process.env, ...DEV } });
    const chart = execFileSync('cat', ['charts/api/Chart.yaml'], { cwd: human, encoding: 'utf8' });
    writeFileSync(join(human, 'charts/api/Chart.yaml'), chart.replace('version: 2.0.1', 'version: 2.1.0'));
    edit(['commit', '-qam', 'chore: api is a minor release after all']);
    edit(['push', '-q', 'origin', 'chartship/release']);
    const edited = origin.git('rev-parse', 'chartship/release');

    lastMain = origin.git('rev-parse', 'main~1');
    const run = await pushRun();
    assert.equal(run.status, 0, run.log);
    assert.equal(origin.git('rev-parse', 'chartship/release'), edited, 'not force-pushed over the edit');
    assert.match(run.log, /chartship\/release has commits by others, so it is left as it is/);
    // Still the open release pull request: a later step (enabling auto-merge, say) finds it by the output.
    const number = openPulls()[0]!.number;
    assert.equal(run.outputs['release-pr'], String(number));
    assert.match(run.summary, new RegExp(`^- left \\[#${number}\\]\\([^)]+/pull/${number}\\) as it is: its branch has commits by others$`, 'm'));
  });

  it('after the merge publishes exactly those versions (the edited one as edited), releases them and comments the digests', async () => {
    const pull = openPulls()[0]!;
    const merge = dev.merge('chartship/release', pull.number);
    github.state.merge(pull.number, merge);
    const run = await pushRun();
    assert.equal(run.status, 0, run.log);

    const published = run.charts.filter((c) => c.status === 'pushed').map((c) => `${c.name} ${c.version}`).sort();
    assert.deepEqual(published, ['api 2.1.0', 'common 1.1.0', 'web 1.0.1']);
    assert.deepEqual((await pushes()).map((r) => r.path.replace(/^\/v2\/charts\//, '')).sort(), ['api/manifests/2.1.0', 'common/manifests/1.1.0', 'web/manifests/1.0.1']);
    assert.equal(run.outputs['released'], 'true');
    assert.equal(run.outputs['released-charts']?.split(' ').sort().join(' '), 'api common web');
    assert.equal(run.outputs['api--version'], '2.1.0');

    // Releases although create-releases is off: their tags are where the next plan starts.
    assert.deepEqual(github.state.releases.map((r) => [r.tag_name, r.target_commitish]).sort(), [['api-2.1.0', merge], ['common-1.1.0', merge], ['web-1.0.1', merge]]);
    const common = github.state.releases.find((r) => r.tag_name === 'common-1.1.0')!;
    assert.match(common.body ?? '', /### Features\n\n- \*\*common:\*\* a name helper/, 'the notes are the CHANGELOG.md section');
    // The release commit records the versions; it is no change of the charts, in the log's changes or anywhere else.
    const release = origin.git('log', '-1', '--format=%H', '--grep=^chore(release): ', merge);
    assert.notEqual(release, '');
    assert.doesNotMatch(run.log, new RegExp(`chore\\(release\\)|${release.slice(0, 7)}`));
    const comments = github.state.comments.filter((c) => c.issueNumber === pull.number);
    assert.equal(comments.length, 1);
    const digest = run.charts.find((c) => c.name === 'api')!.registries[0]!.digest;
    assert.ok(comments[0]!.body.includes(digest), comments[0]!.body);
    assert.equal(origin.git('rev-parse', 'main'), merge, 'chartship pushed nothing to main');
    assert.deepEqual(openPulls(), []);
    // GitHub makes the tags of the releases.
    for (const release of github.state.releases) origin.git('tag', release.tag_name, release.target_commitish);
  });

  it('a re-run of the merge\'s run publishes nothing and leaves the digests comment as it was', async () => {
    const pull = github.state.pulls.find((p) => p.merged)!;
    const commented = github.state.comments.filter((c) => c.issueNumber === pull.number).map((c) => c.body);
    const pushed = (await pushes()).length;
    lastMain = origin.git('rev-parse', 'main~1');
    const again = await pushRun({}, { runId: runs });
    assert.equal(again.status, 0, again.log);
    assert.equal(again.outputs['released'], 'false');
    assert.equal((await pushes()).length, pushed);
    assert.deepEqual(github.state.comments.filter((c) => c.issueNumber === pull.number).map((c) => c.body), commented);
    assert.match(again.log, new RegExp(`nothing was published, so the comment on #${pull.number} is left as it is`));
  });

  it('closes a release pull request that has nothing left to release, and deletes its branch', async () => {
    const fix = dev.land('fix(api): a probe', { 'charts/api/templates/probe.yaml': 'kind: ConfigMap\n' });
    const opened = await pushRun();
    assert.equal(opened.status, 0, opened.log);
    const pull = openPulls()[0]!;
    assert.equal(pull.title, 'chore(release): api 2.1.1');

    dev.land(`revert: fix(api): a probe\n\nThis reverts commit ${fix}.`, { 'charts/api/templates/probe.yaml': null });
    const run = await pushRun();
    assert.equal(run.status, 0, run.log);
    assert.deepEqual(openPulls(), []);
    assert.equal(github.state.pulls.find((p) => p.number === pull.number)?.state, 'closed');
    assert.equal(run.outputs['release-pr'], '');
    assert.equal(spawnSync('git', ['--git-dir', origin.dir, 'rev-parse', '--verify', '-q', 'refs/heads/chartship/release']).status, 1, 'branch deleted');
  });

  it('every GitHub request matched the OpenAPI description, and so did every answer', () => {
    assert.deepEqual(github.violations, []);
    assert.deepEqual(github.responseViolations, []);
  });
});
