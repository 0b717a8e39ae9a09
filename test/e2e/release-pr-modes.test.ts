import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runAction } from '../helpers/action.js';
import { runBundledCli } from '../helpers/cli.js';
import { start as startGitHubApi } from '../helpers/github-api.js';
import { chartFiles } from '../helpers/git.js';
import { createDev, createOrigin } from '../helpers/protected-origin.js';
import { startRegistry } from '../helpers/registry.js';

const TOKEN = 'ghs_modestoken';
const scratch = mkdtempSync(join(tmpdir(), 'chartship-modes-'));
let registry: Awaited<ReturnType<typeof startRegistry>>;
let github: Awaited<ReturnType<typeof startGitHubApi>>;
let runs = 0;

before(async () => {
  registry = await startRegistry({ auth: 'none' });
  github = await startGitHubApi({ token: TOKEN });
});
after(async () => {
  await github?.stop();
  await registry?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

/**
 * The released charts and web's change, made once (two dozen git processes) and copied for each test: its origin
 * with the release tags, and a developer's clone of it.
 */
let template: { name: string; first: string } | undefined;
function released(): { name: string; first: string } {
  if (template) return template;
  const name = 'template';
  const origin = createOrigin(scratch, name);
  const dev = createDev(scratch, origin.dir, `${name}-dev`);
  const first = dev.land('chore: the charts', { ...chartFiles('charts/web', 'web', '1.0.0'), ...chartFiles('charts/api', 'api', '2.0.0') });
  origin.git('tag', 'web-1.0.0', first);
  origin.git('tag', 'api-2.0.0', first);
  dev.land('feat(web): a knob', { 'charts/web/values.yaml': 'knob: 1\n' });
  template = { name, first };
  return template;
}

/**
 * A repository with two released charts and a change to each since; main protected on request. Its last commit is
 * its own, so no two tests share a head (the GitHub API's state is the file's).
 */
function repository(name: string) {
  const { name: from, first } = released();
  cpSync(join(scratch, `${from}.git`), join(scratch, `${name}.git`), { recursive: true });
  const origin = createOrigin(scratch, name, { existing: true });
  cpSync(join(scratch, `${from}-dev`), join(scratch, `${name}-dev`), { recursive: true });
  const dev = createDev(scratch, origin.dir, `${name}-dev`, { existing: true });
  const head = dev.land('fix(api): a crash', { 'charts/api/values.yaml': 'replicas: 2\n' });
  return { origin, dev, first, head };
}

/** One workflow run; `runId` of an earlier one makes it that run's re-run. */
async function pushRun(origin: string, before: string, inputs: Record<string, string>, branch = 'main', runId?: number) {
  const checkout = join(scratch, `checkout-${++runs}`);
  execFileSync('git', ['clone', '-q', '-b', branch, origin, checkout], { stdio: 'ignore' });
  const sha = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: checkout, encoding: 'utf8' }).trim();
  const run = await runAction({
    cwd: checkout,
    dir: join(scratch, `run-${runs}`),
    event: { name: 'push', payload: { before, after: sha, ref: `refs/heads/${branch}` } },
    env: { GITHUB_SHA: sha, GITHUB_REF: `refs/heads/${branch}`, GITHUB_REPOSITORY: 'acme/charts', GITHUB_API_URL: github.url, GITHUB_RUN_ID: String(runId ?? runs) },
    inputs: { registry: `oci://${registry.host}/${inputs['namespace'] ?? 'charts'}`, 'plain-http': 'true', 'github-token': TOKEN, policy: 'off', ...inputs },
  });
  return { ...run, sha };
}

describe('mode auto', () => {
  it('on a protected branch with commit-bump on, opens a release pull request instead of pushing the bump', async () => {
    const { origin, first } = repository('auto-protected');
    origin.protect(true);
    github.state.protectedBranches.add('main');
    const main = origin.git('rev-parse', 'main');
    const run = await pushRun(origin.dir, first, { mode: 'auto', 'commit-bump': 'true', namespace: 'auto-protected' });
    github.state.protectedBranches.delete('main');
    assert.equal(run.status, 0, run.log);
    assert.match(run.log, /main is protected, so the versions go through a release pull request/);
    assert.equal(origin.git('rev-parse', 'main'), main);
    const pull = github.state.pulls.find((p) => p.number === Number(run.outputs['release-pr']));
    assert.equal(pull?.title, 'chore(release): api 2.0.1, web 1.1.0');
    assert.equal(run.outputs['released'], 'false');
    github.state.pulls.splice(0);
  });

  it('on an unprotected branch with commit-bump on, publishes and pushes the bump as before', async () => {
    const { origin, first, head } = repository('auto-open');
    const run = await pushRun(origin.dir, first, { mode: 'auto', 'commit-bump': 'true', namespace: 'auto-open' });
    assert.equal(run.status, 0, run.log);
    assert.equal(run.outputs['released-charts']?.split(' ').sort().join(' '), 'api web');
    assert.equal(origin.git('rev-parse', 'main~1'), head, 'the bump commit is on main');
    assert.match(origin.git('log', '-1', '--format=%s', 'main'), /^chore\(release\): .*\[skip ci\]$/);
    assert.deepEqual(github.state.pulls, []);
  });

  it('with commit-bump off, opens a release pull request even where main is not protected', async () => {
    const { origin, first } = repository('auto-nobump');
    const run = await pushRun(origin.dir, first, { mode: 'auto', namespace: 'auto-nobump' });
    assert.equal(run.status, 0, run.log);
    assert.match(run.log, /commit-bump is off/);
    assert.equal(github.state.pulls.filter((p) => p.state === 'open').length, 1);
    github.state.pulls.splice(0);
  });
});

describe('release-pr: per-chart', () => {
  it('opens one pull request per chart; merging one publishes that chart alone, the other stays open', async () => {
    const { origin, dev, first } = repository('per-chart');
    origin.protect(true);
    const opened = await pushRun(origin.dir, first, { mode: 'release-pr', 'release-pr': 'per-chart', namespace: 'per-chart' });
    assert.equal(opened.status, 0, opened.log);
    const open = () => github.state.pulls.filter((p) => p.state === 'open');
    assert.deepEqual(open().map((p) => [p.head, p.title]).sort(), [
      ['chartship/release/api', 'chore(release): api 2.0.1'],
      ['chartship/release/web', 'chore(release): web 1.1.0'],
    ]);
    assert.doesNotMatch(origin.git('show', 'chartship/release/web:charts/api/Chart.yaml'), /2\.0\.1/, 'the web branch leaves api alone');
    // Each body is its own chart's release: the sibling another pull request releases is not a chart without changes.
    for (const pull of open()) {
      const sibling = pull.head === 'chartship/release/web' ? 'api' : 'web';
      assert.match(pull.body ?? '', /1 chart will be released when this is merged/);
      assert.doesNotMatch(pull.body ?? '', new RegExp(`No changes:|\`${sibling}\``), pull.body);
    }

    const web = open().find((p) => p.head === 'chartship/release/web')!;
    const merge = dev.merge('chartship/release/web', web.number);
    github.state.merge(web.number, merge);
    const published = await pushRun(origin.dir, opened.sha, { mode: 'release-pr', 'release-pr': 'per-chart', namespace: 'per-chart' });
    assert.equal(published.status, 0, published.log);
    assert.equal(published.outputs['released-charts'], 'web');
    assert.equal(published.outputs['web--version'], '1.1.0');
    assert.deepEqual(github.state.releases.map((r) => r.tag_name), ['web-1.1.0']);
    assert.deepEqual(open().map((p) => p.head), ['chartship/release/api']);
    assert.deepEqual(github.violations, []);
    assert.deepEqual(github.responseViolations, []);
  });
});

describe('release-pr: per-chart, a breaking change in a dependency', () => {
  it("the dependent's pull request raises its constraint and says to merge the dependency's first; merged in that order, both publish", async () => {
    const origin = createOrigin(scratch, 'per-chart-deps');
    const dev = createDev(scratch, origin.dir, 'per-chart-deps-dev');
    const dependsOnLib = 'dependencies:\n  - name: lib\n    version: "^1.0.0"\n    repository: file://../lib\n';
    const first = dev.land('chore: the charts', { ...chartFiles('charts/lib', 'lib', '1.0.0'), ...chartFiles('charts/app', 'app', '1.0.0', dependsOnLib) });
    origin.git('tag', 'lib-1.0.0', first);
    origin.git('tag', 'app-1.0.0', first);
    dev.land('feat(lib)!: rename every value', { 'charts/lib/values.yaml': 'renamed: 1\n' });
    origin.protect(true);
    const inputs = { mode: 'release-pr', 'release-pr': 'per-chart', namespace: 'per-chart-deps' };
    const opened = await pushRun(origin.dir, first, inputs);
    assert.equal(opened.status, 0, opened.log);
    const open = () => github.state.pulls.filter((p) => p.state === 'open' && p.head?.startsWith('chartship/release/'));
    assert.deepEqual(open().map((p) => p.title).sort(), ['chore(release): app 1.0.1', 'chore(release): lib 2.0.0']);
    // app's own branch raises its constraint to the version lib's sets (the lib branch leaves app alone).
    assert.match(origin.git('show', 'chartship/release/app:charts/app/Chart.yaml'), /version: "\^2\.0\.0"/);
    assert.match(origin.git('show', 'chartship/release/lib:charts/app/Chart.yaml'), /version: "\^1\.0\.0"/);
    const appPull = open().find((p) => p.head === 'chartship/release/app')!;
    assert.match(appPull.body ?? '', /Merge it after the release pull request of `lib`: its constraints admit only the versions that one sets\./);
    assert.doesNotMatch(open().find((p) => p.head === 'chartship/release/lib')!.body ?? '', /Merge it after/);

    let before = opened.sha;
    for (const [name, version] of [['lib', '2.0.0'], ['app', '1.0.1']] as const) {
      const pull = open().find((p) => p.head === `chartship/release/${name}`)!;
      const merged = dev.merge(`chartship/release/${name}`, pull.number);
      github.state.merge(pull.number, merged);
      const published = await pushRun(origin.dir, before, inputs);
      assert.equal(published.status, 0, published.log);
      assert.equal(published.outputs['released-charts'], name, published.log);
      assert.equal(published.outputs[`${name}--version`], version);
      // The release's tag, as GitHub makes it in the repository (the local API keeps releases to itself).
      origin.git('tag', `${name}-${version}`, merged);
      before = published.sha;
      if (name !== 'lib') continue;
      // A push before app's pull request is merged: lib 2.0.0 is released, and main's app still asks for ^1.0.0 of
      // it, so app's pull request is still what makes app's dependency resolve.
      dev.land('docs: the readme', { 'README.md': 'charts\n' });
      const between = await pushRun(origin.dir, before, inputs);
      assert.equal(between.status, 0, between.log);
      assert.deepEqual(open().map((p) => p.title), ['chore(release): app 1.0.1'], between.log);
      assert.match(origin.git('show', 'chartship/release/app:charts/app/Chart.yaml'), /version: "\^2\.0\.0"/);
      before = between.sha;
    }
    assert.deepEqual(github.state.releases.map((r) => r.tag_name).filter((t) => /^(lib|app)-/.test(t)), ['lib-2.0.0', 'app-1.0.1']);
    assert.deepEqual(github.violations, []);
  });
});

describe('a workflow that runs on pushes to main and to a maintenance branch', () => {
  it("a maintenance branch's run neither closes main's release pull request nor pushes its commits into it, and says which input to set", async () => {
    const { origin, dev, first } = repository('two-bases');
    origin.protect(true);
    const inputs = { mode: 'release-pr', namespace: 'two-bases' };
    const opened = await pushRun(origin.dir, first, inputs);
    assert.equal(opened.status, 0, opened.log);
    const pull = github.state.pulls.find((p) => p.number === Number(opened.outputs['release-pr']))!;
    const branch = origin.git('rev-parse', 'chartship/release');

    // release-1.x: cut at the first release, nothing to release on it yet.
    dev.git('push', '-q', 'origin', `${first}:refs/heads/release-1.x`);
    const quiet = await pushRun(origin.dir, first, inputs, 'release-1.x');
    assert.equal(quiet.status, 0, quiet.log);
    assert.equal(pull.state, 'open', "main's release pull request is not release-1.x's to close");
    assert.equal(origin.git('rev-parse', 'chartship/release'), branch);

    // A backport on release-1.x: its release needs a branch of its own.
    dev.git('checkout', '-q', '-b', 'release-1.x', first);
    writeFileSync(join(dev.dir, 'charts/api/values.yaml'), 'replicas: 3\n');
    dev.git('commit', '-qam', 'fix(api): a crash, backported');
    dev.git('push', '-q', 'origin', 'release-1.x');
    const refused = await pushRun(origin.dir, first, inputs, 'release-1.x');
    assert.equal(refused.status, 1, refused.log);
    assert.match(refused.log, new RegExp(`chartship/release is the branch of release pull request #${pull.number} into main, so it cannot also hold the release of release-1\\.x`));
    assert.match(refused.log, /release-branch/);
    assert.equal(origin.git('rev-parse', 'chartship/release'), branch, 'main\'s release branch is untouched');
    assert.deepEqual([pull.state, pull.base, pull.title], ['open', 'main', 'chore(release): api 2.0.1, web 1.1.0']);

    const own = await pushRun(origin.dir, first, { ...inputs, 'release-branch': 'chartship/release-1.x' }, 'release-1.x');
    assert.equal(own.status, 0, own.log);
    const backport = github.state.pulls.find((p) => p.number === Number(own.outputs['release-pr']))!;
    assert.deepEqual([backport.head, backport.base, backport.title], ['chartship/release-1.x', 'release-1.x', 'chore(release): api 2.0.1']);
    assert.equal(pull.state, 'open');
    assert.deepEqual(github.violations, []);
    github.state.pulls.splice(0);
  });
});

describe('a merged release pull request whose own run never published it', () => {
  it('is published by the next run (squash-merged, its queued run cancelled by a newer push), once, and the runs after open no empty one, then the next one', async () => {
    const { origin, dev, first } = repository('missed');
    origin.protect(true);
    // The other tests' releases of the same chart names are set aside: a release that exists is left as it is.
    const others = github.state.releases.splice(0);
    const inputs = { mode: 'release-pr', namespace: 'missed' };
    const opened = await pushRun(origin.dir, first, inputs);
    assert.equal(opened.status, 0, opened.log);
    const pull = github.state.pulls.find((p) => p.number === Number(opened.outputs['release-pr']))!;
    assert.equal(pull.title, 'chore(release): api 2.0.1, web 1.1.0');

    // GitHub's "Squash and merge": one commit titled after the pull request; its run is then cancelled.
    dev.git('fetch', '-q', 'origin', 'chartship/release');
    dev.git('merge', '-q', '--squash', 'FETCH_HEAD');
    dev.git('commit', '-qm', `${pull.title} (#${pull.number})`);
    execFileSync('git', ['push', '-q', 'origin', 'main'], { cwd: dev.dir, env: { ...process.env, GITHUB_MERGE: '1' } });
    const squash = dev.git('rev-parse', 'HEAD');
    github.state.merge(pull.number, squash);
    dev.land('fix(web): a typo', { 'charts/web/templates/notes.txt': 'hello\n' });

    const caught = await pushRun(origin.dir, squash, inputs);
    assert.equal(caught.status, 0, caught.log);
    assert.match(caught.log, new RegExp(`release pull request #${pull.number} was merged, but its run did not publish it`));
    assert.equal(caught.outputs['released-charts']?.split(' ').sort().join(' '), 'api web');
    assert.equal(caught.outputs['web--version'], '1.1.0');
    assert.equal(caught.outputs['api--version'], '2.0.1');
    const tags = github.state.releases.filter((r) => /^(web|api)-/.test(r.tag_name) && r.target_commitish === caught.sha).map((r) => r.tag_name).sort();
    assert.deepEqual(tags, ['api-2.0.1', 'web-1.1.0']);
    assert.match(github.state.comments.find((c) => c.issueNumber === pull.number)?.body ?? '', /sha256:[0-9a-f]{64}/);
    for (const tag of tags) origin.git('tag', tag, caught.sha);

    // What landed after the merge was in the checkout the versions were published from: nothing is left to release.
    const quiet = await pushRun(origin.dir, caught.sha, inputs);
    assert.equal(quiet.status, 0, quiet.log);
    assert.equal(quiet.outputs['release-pr'], '', 'no empty release pull request');
    assert.equal(quiet.outputs['released'], 'false');
    dev.land('fix(web): another typo', { 'charts/web/templates/notes.txt': 'hello!\n' });
    const next = await pushRun(origin.dir, quiet.sha, inputs);
    assert.equal(next.status, 0, next.log);
    assert.doesNotMatch(next.log, /was merged, but its run did not publish it/);
    assert.equal(next.outputs['released'], 'false');
    const again = github.state.pulls.find((p) => p.number === Number(next.outputs['release-pr']))!;
    assert.equal(again.title, 'chore(release): web 1.1.1');
    assert.deepEqual(github.violations, []);
    github.state.pulls.splice(0);
    github.state.releases.splice(0, Infinity, ...others);
  });
});

describe('two runs at once (a workflow without the concurrency group)', () => {
  it('a release pull request the other run opened since this one looked (422 "already exists") is updated, not failed on', async () => {
    const { origin, first } = repository('race');
    origin.protect(true);
    // The other run: it opens the pull request the moment this run's push of the branch lands.
    const hook = join(origin.dir, 'hooks', 'post-receive');
    const request = JSON.stringify({ head: 'chartship/release', base: 'main', title: 'chore(release): opened by the other run', body: 'the other run' });
    writeFileSync(hook, `#!/bin/sh\ncurl -sf -o /dev/null -X POST -H 'Authorization: Bearer ${TOKEN}' -H 'Content-Type: application/json' -d '${request}' ${github.url}/repos/acme/charts/pulls\n`);
    chmodSync(hook, 0o755);
    const run = await pushRun(origin.dir, first, { mode: 'release-pr', namespace: 'race' });
    assert.equal(run.status, 0, run.log);
    const open = github.state.pulls.filter((p) => p.state === 'open' && p.head === 'chartship/release');
    assert.equal(open.length, 1);
    assert.equal(open[0]!.title, 'chore(release): api 2.0.1, web 1.1.0');
    assert.match(open[0]!.body ?? '', /## chartship release plan/);
    assert.equal(run.outputs['release-pr'], String(open[0]!.number));
    assert.match(run.log, new RegExp(`updated release pull request #${open[0]!.number}`));
    assert.deepEqual(github.violations, []);
    github.state.pulls.splice(0);
  });
});

describe('GitHub refusing the release pull request', () => {
  it('403 for the repository setting: the run fails naming that setting, not a permission; the next run opens it once allowed', async () => {
    const { origin, first } = repository('not-permitted');
    origin.protect(true);
    github.state.failures.set('pulls/create', { status: 403, message: 'GitHub Actions is not permitted to create or approve pull requests.', times: 1 });
    const inputs = { mode: 'release-pr', namespace: 'not-permitted' };
    const refused = await pushRun(origin.dir, first, inputs);
    github.state.failures.delete('pulls/create');
    assert.equal(refused.status, 1, refused.log);
    assert.match(refused.log, /HTTP 403: GitHub Actions is not permitted to create or approve pull requests\./);
    assert.match(refused.log, /turn on "Allow GitHub Actions to create and approve pull requests" \(repository, or organization, Settings → Actions → General → Workflow permissions\)/);
    assert.doesNotMatch(refused.log, /permissions: pull-requests: write/, 'no permissions: block grants it');
    assert.equal(github.state.pulls.length, 0);

    const opened = await pushRun(origin.dir, first, inputs);
    assert.equal(opened.status, 0, opened.log);
    assert.equal(github.state.pulls.filter((p) => p.state === 'open' && p.head === 'chartship/release').length, 1);
    github.state.pulls.splice(0);
  });
});

describe('chartship publish --mode release-pr', () => {
  it('opens the release pull request from a checkout, then publishes it once merged, as the action does', async () => {
    const { origin, dev } = repository('cli');
    origin.protect(true);
    const checkout = join(scratch, 'cli-checkout');
    const env = { HOME: scratch, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', GITHUB_TOKEN: TOKEN, GITHUB_REPOSITORY: 'acme/charts', GITHUB_API_URL: github.url };
    const flags = ['--mode', 'release-pr', '--registry', `oci://${registry.host}/cli`, '--plain-http', '--policy', 'off', '--cwd', checkout];
    execFileSync('git', ['clone', '-q', origin.dir, checkout], { stdio: 'ignore' });

    const opened = await runBundledCli(['publish', ...flags, '--json'], { cwd: scratch, env });
    assert.equal(opened.code, 0, opened.stderr);
    const pulls = (JSON.parse(opened.stdout) as { releasePr: { number: number; created: boolean }[] }).releasePr;
    assert.equal(pulls.length, 1);
    assert.equal(pulls[0]!.created, true);
    const pull = github.state.pulls.find((p) => p.number === pulls[0]!.number)!;
    assert.deepEqual([pull.head, pull.base, pull.title], ['chartship/release', 'main', 'chore(release): api 2.0.1, web 1.1.0']);

    const merge = dev.merge('chartship/release', pull.number);
    github.state.merge(pull.number, merge);
    execFileSync('git', ['pull', '-q', '--ff-only'], { cwd: checkout, stdio: 'ignore' });
    const published = await runBundledCli(['publish', ...flags, '--json'], { cwd: scratch, env });
    assert.equal(published.code, 0, published.stderr);
    const charts = (JSON.parse(published.stdout) as { charts: { name: string; version: string; status: string }[] }).charts;
    assert.deepEqual(charts.filter((c) => c.status === 'pushed').map((c) => `${c.name} ${c.version}`).sort(), ['api 2.0.1', 'web 1.1.0']);
    assert.ok(github.state.releases.some((r) => r.tag_name === 'api-2.0.1' && r.target_commitish === merge));
    assert.match(github.state.comments.find((c) => c.issueNumber === pull.number)?.body ?? '', /sha256:[0-9a-f]{64}/);
    assert.equal(origin.git('rev-parse', 'main'), merge);
    assert.deepEqual(github.violations, []);
  });

  it('without a token says what it needs', async () => {
    const out = await runBundledCli(['publish', '--mode', 'auto', '--registry', `oci-layout:${join(scratch, 'none')}`, '--cwd', scratch], { cwd: scratch, env: { HOME: scratch } });
    assert.equal(out.code, 1);
    assert.match(out.stderr, /--mode auto needs GitHub: set CHARTSHIP_GITHUB_TOKEN \(or GITHUB_TOKEN\) and GITHUB_REPOSITORY=OWNER\/REPO/);
  });
});

describe("a re-run of the failed jobs of a release pull request's merge", () => {
  it('adds the digests of the charts it publishes to the comment, keeping those of the charts the first attempt published', async () => {
    let refused = 'web';
    // Pushes to one chart's repository refused for the first attempt (a permission fixed before the re-run).
    const guarded = await startRegistry({ auth: 'token', token: { grant: (_user, repository, actions) => (repository.endsWith(`/${refused}`) ? actions.filter((a) => a !== 'push') : actions) } });
    const others = github.state.releases.splice(0);
    try {
      const { origin, dev, first } = repository('partial-rerun');
      origin.protect(true);
      const inputs = { mode: 'release-pr', registry: `oci://${guarded.host}/charts`, username: guarded.username!, password: guarded.password! };
      const opened = await pushRun(origin.dir, first, inputs);
      assert.equal(opened.status, 0, opened.log);
      const pull = github.state.pulls.find((p) => p.number === Number(opened.outputs['release-pr']))!;
      const merge = dev.merge('chartship/release', pull.number);
      github.state.merge(pull.number, merge);
      const digests = (run: { outputs: Record<string, string> }) =>
        new Map((JSON.parse(run.outputs['charts'] ?? '[]') as { name: string; status: string; registries: { digest: string }[] }[]).filter((c) => c.status === 'pushed').map((c) => [c.name, c.registries[0]!.digest]));

      const failed = await pushRun(origin.dir, opened.sha, inputs);
      assert.equal(failed.status, 1, failed.log);
      const api = digests(failed).get('api');
      assert.ok(api && !digests(failed).has('web'), failed.log);
      const comment = () => github.state.comments.filter((c) => c.issueNumber === pull.number).map((c) => c.body);
      assert.equal(comment().length, 1);
      assert.ok(comment()[0]!.includes(api), comment()[0]);
      // GitHub made the tag of api's release: the re-run's checkout has it, and skips api.
      for (const release of github.state.releases) origin.git('tag', release.tag_name, release.target_commitish);

      refused = '';
      const rerun = await pushRun(origin.dir, opened.sha, inputs, 'main', runs);
      assert.equal(rerun.status, 0, rerun.log);
      assert.equal(rerun.outputs['released-charts'], 'web');
      const web = digests(rerun).get('web')!;
      const [body, ...more] = comment();
      assert.equal(more.length, 0);
      assert.ok(body!.includes(api) && body!.includes(web), body);
      assert.match(body!, /^2 pushed$/m, body);
      assert.doesNotMatch(body!, /skipped/, body);
      assert.deepEqual(github.violations, []);
    } finally {
      github.state.pulls.splice(0);
      github.state.releases.splice(0, Infinity, ...others);
      await guarded.stop();
    }
  });
});
