/**
 * The CLI in the CI systems other than GitHub Actions and GitLab, each with its own variables and the checkout it
 * makes by default, reproduced with real clones of a bare origin: Bitbucket's `--depth 50` clone of the branch,
 * Azure's fetch of the one commit (depth 1) checked out detached, CircleCI's full clone on the branch, Buildkite's and
 * Jenkins' full clones checked out detached at the commit. A pull request's pipeline only plans (saying so), a push
 * build's bump goes to the branch the CI names, and a shallow clone never hides an earlier release.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runBundledCli } from '../helpers/cli.js';
import { chartYaml, createRepo } from '../helpers/git.js';

const repo = createRepo('chartship-other-ci-');
const scratch = mkdtempSync(join(tmpdir(), 'chartship-other-ci-'));
const origin = join(scratch, 'origin.git');
let originGit: (...args: string[]) => string;
let feature: string;
let main: string;

before(() => {
  repo.commit('feat: web', { 'charts/web/Chart.yaml': chartYaml('web', '0.4.0'), 'charts/web/templates/cm.yaml': 'kind: ConfigMap\nmetadata:\n  name: web\n' });
  repo.tag('web-0.4.0');
  main = repo.commit('feat(web): a label', { 'charts/web/templates/cm.yaml': 'kind: ConfigMap\nmetadata:\n  name: web\n  labels: {a: b}\n' });
  originGit = repo.addOrigin(origin);
  repo.git('push', '-q', 'origin', '--tags');
  repo.git('checkout', '-q', '-b', 'feature/charts');
  feature = repo.commit('feat(web): a second config map', { 'charts/web/templates/cm2.yaml': 'kind: ConfigMap\nmetadata:\n  name: web-2\n' });
  repo.git('push', '-q', 'origin', 'feature/charts');
  repo.git('checkout', '-q', 'main');
});
after(() => {
  repo.cleanup();
  rmSync(scratch, { recursive: true, force: true });
});

let builds = 0;
const git = (dir: string, ...args: string[]) => execFileSync('git', args, { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

/** Each CI's default checkout of `sha` on `branch`, into a new directory. */
const CHECKOUTS = {
  bitbucket: (dir: string, branch: string, sha: string) => {
    execFileSync('git', ['clone', '-q', '--branch', branch, '--depth', '50', `file://${origin}`, dir]);
    git(dir, 'reset', '-q', '--hard', sha);
  },
  azure: (dir: string, _branch: string, sha: string) => {
    execFileSync('git', ['init', '-q', dir]);
    git(dir, 'remote', 'add', 'origin', `file://${origin}`);
    git(dir, 'fetch', '-q', '--force', '--no-tags', '--depth=1', 'origin', `+${sha}:refs/remotes/origin/${sha}`);
    git(dir, 'checkout', '-q', '--force', `refs/remotes/origin/${sha}`);
  },
  circleci: (dir: string, branch: string, sha: string) => {
    execFileSync('git', ['clone', '-q', '--no-checkout', `file://${origin}`, dir]);
    git(dir, 'checkout', '-q', '--force', '-B', branch, sha);
  },
  detached: (dir: string, branch: string, sha: string) => {
    execFileSync('git', ['clone', '-q', `file://${origin}`, dir]);
    git(dir, 'fetch', '-q', 'origin', branch);
    git(dir, 'checkout', '-q', '--force', sha);
  },
  // GitLab with GIT_DEPTH 20: the pipeline's ref only, so only the tags on the commits fetched come along.
  gitlab: (dir: string, branch: string, sha: string) => {
    execFileSync('git', ['init', '-q', dir]);
    git(dir, 'remote', 'add', 'origin', `file://${origin}`);
    git(dir, 'fetch', '-q', '--prune', '--depth', '20', 'origin', `+refs/heads/${branch}:refs/remotes/origin/${branch}`);
    git(dir, 'checkout', '-q', '--force', sha);
  },
};

function build(checkout: keyof typeof CHECKOUTS, branch: string, sha: string, variables: Record<string, string>) {
  const dir = join(scratch, `build-${++builds}`);
  CHECKOUTS[checkout](dir, branch, sha);
  const out = join(scratch, `layout-${builds}`);
  const env = { HOME: dir, CI: 'true', GIT_CONFIG_NOSYSTEM: '1', CHARTSHIP_POLICY: 'off', ...variables };
  return { dir, out, run: (...args: string[]) => runBundledCli(args, { cwd: dir, env }), publish: (...args: string[]) => runBundledCli(['publish', '--registry', `oci-layout:${out}`, '--json', ...args], { cwd: dir, env }) };
}

describe('a pull request\'s pipeline', () => {
  const pullRequests: [string, keyof typeof CHECKOUTS, RegExp, Record<string, string>][] = [
    ['Bitbucket', 'bitbucket', /Bitbucket Pipelines runs this for pull request #3: planning only/, { BITBUCKET_BUILD_NUMBER: '7', BITBUCKET_BRANCH: 'feature/charts', BITBUCKET_PR_ID: '3', BITBUCKET_PR_DESTINATION_BRANCH: 'main' }],
    ['Azure', 'azure', /Azure Pipelines runs this for pull request 9: planning only/, { TF_BUILD: 'True', BUILD_REASON: 'PullRequest', BUILD_SOURCEBRANCH: 'refs/pull/9/merge', SYSTEM_PULLREQUEST_PULLREQUESTNUMBER: '9', SYSTEM_PULLREQUEST_TARGETBRANCH: 'refs/heads/main' }],
    ['CircleCI', 'circleci', /CircleCI runs this for pull request https:\/\/example\.com\/acme\/charts\/pull\/4: planning only/, { CIRCLECI: 'true', CIRCLE_BRANCH: 'feature/charts', CIRCLE_PULL_REQUEST: 'https://example.com/acme/charts/pull/4' }],
    ['Buildkite', 'detached', /Buildkite runs this for pull request #5: planning only/, { BUILDKITE: 'true', BUILDKITE_BRANCH: 'feature/charts', BUILDKITE_PULL_REQUEST: '5', BUILDKITE_PULL_REQUEST_BASE_BRANCH: 'main' }],
    // A multibranch pipeline's pull request build: BRANCH_NAME is PR-12, and the previous build gives a range.
    ['Jenkins', 'detached', /Jenkins runs this for pull request 12: planning only/, { JENKINS_URL: 'http://127.0.0.1:9/', BRANCH_NAME: 'PR-12', CHANGE_ID: '12', CHANGE_TARGET: 'main', GIT_PREVIOUS_SUCCESSFUL_COMMIT: '' }],
    ['GitLab (external pull request)', 'detached', /GitLab CI runs this for pull request #6: planning only/, { GITLAB_CI: 'true', CI_PIPELINE_SOURCE: 'external_pull_request_event', CI_EXTERNAL_PULL_REQUEST_IID: '6', CI_COMMIT_BRANCH: 'feature/charts' }],
  ];
  for (const [name, checkout, why, variables] of pullRequests) {
    it(`on ${name} only plans, and says why`, async () => {
      const job = build(checkout, 'feature/charts', feature, { ...variables, ...(variables['GIT_PREVIOUS_SUCCESSFUL_COMMIT'] === '' ? { GIT_COMMIT: feature, GIT_PREVIOUS_SUCCESSFUL_COMMIT: main } : {}) });
      const run = await job.publish();
      assert.equal(run.code, 0, run.stderr);
      assert.equal((JSON.parse(run.stdout) as { dryRun: boolean }).dryRun, true, 'unmerged code is not published');
      assert.match(run.stderr, why);
      assert.match(run.stderr, /web\s+charts\/web\s+0\.4\.0\s+0\.5\.0\s+minor\s+release/);
      assert.equal(existsSync(job.out), false, 'nothing written to the target');
    });
  }

  it('publishes when dry-run is set false explicitly, with a warning', async () => {
    const job = build('bitbucket', 'feature/charts', feature, { BITBUCKET_BUILD_NUMBER: '8', BITBUCKET_BRANCH: 'feature/charts', BITBUCKET_PR_ID: '3', CHARTSHIP_DRY_RUN: 'false' });
    const run = await job.publish();
    assert.equal(run.code, 0, run.stderr);
    assert.equal((JSON.parse(run.stdout) as { dryRun: boolean }).dryRun, false);
    assert.match(run.stderr, /warning: dry-run: Bitbucket Pipelines runs this for pull request #3, and dry-run is false: publishing unmerged code/);
    assert.equal(existsSync(join(job.out, 'index.json')), true);
  });
});

describe('a push build', () => {
  it('pushes the version bump to the branch the CI names, from a detached checkout (Azure: the whole ref, not its last segment; Buildkite)', async () => {
    const azure = build('azure', 'feature/charts', feature, { TF_BUILD: 'True', BUILD_REASON: 'IndividualCI', BUILD_SOURCEBRANCH: 'refs/heads/feature/charts', BUILD_SOURCEBRANCHNAME: 'charts', BUILD_SOURCEVERSION: feature });
    const run = await azure.publish('--commit-bump');
    assert.equal(run.code, 0, run.stderr);
    assert.match(originGit('show', 'feature/charts:charts/web/Chart.yaml'), /version: 0\.5\.0/);
    assert.throws(() => originGit('rev-parse', '--verify', '--quiet', 'refs/heads/charts'), 'no branch named after the last segment');

    const buildkite = build('detached', 'main', main, { BUILDKITE: 'true', BUILDKITE_BRANCH: 'main', BUILDKITE_COMMIT: main, BUILDKITE_PULL_REQUEST: 'false' });
    assert.equal(git(buildkite.dir, 'rev-parse', '--abbrev-ref', 'HEAD'), 'HEAD', 'Buildkite checks out detached');
    const pushed = await buildkite.publish('--commit-bump');
    assert.equal(pushed.code, 0, pushed.stderr);
    assert.equal((JSON.parse(pushed.stdout) as { dryRun: boolean }).dryRun, false);
    assert.match(originGit('show', 'main:charts/web/Chart.yaml'), /version: 0\.5\.0/);
    assert.match(originGit('log', '-1', '--format=%s', 'main'), /web 0\.5\.0/);
  });

  it('in a shallow clone, plans from the release tags outside its window, or fails naming the CI\'s setting', async () => {
    // Released as 0.6.0 and tagged; Chart.yaml keeps what it had (tags record the releases). Then 25 other commits.
    repo.git('pull', '-q', '--ff-only', 'origin', 'main');
    repo.tag('web-0.6.0', feature);
    repo.git('push', '-q', 'origin', 'web-0.6.0');
    const before = repo.commits(Array.from({ length: 25 }, (_, i) => ({ message: `chore: ${i}`, files: { 'docs/notes.txt': `${i}\n` } }))).at(-1)!;
    const fix = repo.commit('fix(web): a port', { 'charts/web/templates/cm.yaml': 'kind: ConfigMap\nmetadata:\n  name: web\n  labels: {a: c}\n' });
    repo.git('push', '-q', 'origin', 'main');
    const variables = { GITLAB_CI: 'true', CI_PIPELINE_SOURCE: 'push', CI_COMMIT_SHA: fix, CI_COMMIT_BEFORE_SHA: before, CI_COMMIT_BRANCH: 'main' };
    const job = build('gitlab', 'main', fix, variables);
    assert.equal(git(job.dir, 'rev-parse', '--is-shallow-repository'), 'true');
    assert.equal(git(job.dir, 'tag', '--list', 'web-*'), '', 'the release tags lie outside the clone');
    const plan = await job.run('plan', '--json');
    assert.equal(plan.code, 0, plan.stderr);
    const web = (JSON.parse(plan.stdout) as { charts: { name: string; nextVersion: string }[] }).charts.find((c) => c.name === 'web');
    assert.equal(web?.nextVersion, '0.6.1', 'not 0.4.1: 0.6.0 is released');

    // The remote cannot be asked (a checkout that keeps no credentials): the plan fails, saying how to fetch it all.
    const cut = build('gitlab', 'main', fix, variables);
    git(cut.dir, 'remote', 'set-url', 'origin', join(scratch, 'gone.git'));
    const failed = await cut.publish();
    assert.equal(failed.code, 1);
    assert.match(failed.stderr, /Error: this clone is shallow, and its remote's release tags cannot be listed: .*\(fetch the full history with its tags, in GitLab CI: set the job's variable GIT_DEPTH: 0\)/);
    assert.equal(existsSync(cut.out), false);

    const azure = build('azure', 'main', fix, { TF_BUILD: 'True', BUILD_SOURCEBRANCH: 'refs/heads/main', BUILD_SOURCEVERSION: fix });
    git(azure.dir, 'remote', 'set-url', 'origin', join(scratch, 'gone.git'));
    const unshallow = await azure.publish();
    assert.equal(unshallow.code, 1);
    assert.match(unshallow.stderr, /\(fetch the full history with its tags, in Azure Pipelines: the checkout step with fetchDepth: 0 and fetchTags: true\)/);
  });

  it('in a full clone without tags (Jenkins\' multibranch default, Azure\'s fetchTags: false), fetches the tags before planning', async () => {
    const withTags = build('detached', 'main', repo.git('rev-parse', 'main'), {});
    const expected = await withTags.run('plan', '--json');
    assert.equal(expected.code, 0, expected.stderr);
    const head = repo.git('rev-parse', 'main');
    const variables = { JENKINS_URL: 'http://127.0.0.1:9/', BRANCH_NAME: 'main', GIT_COMMIT: head };
    const jenkins = build('detached', 'main', head, variables);
    git(jenkins.dir, 'tag', '--delete', ...git(jenkins.dir, 'tag', '--list').split('\n'));
    const plan = await jenkins.run('plan', '--json');
    assert.equal(plan.code, 0, plan.stderr);
    const charts = (out: string) => (JSON.parse(out) as { charts: unknown[] }).charts;
    assert.deepEqual(charts(plan.stdout), charts(expected.stdout), 'the plan of a clone with its tags');
    assert.match(git(jenkins.dir, 'tag', '--list'), /web-0\.6\.0/);

    // The remote cannot be asked: the plan goes on from what the clone has, and says what it may be missing.
    const cut = build('detached', 'main', head, variables);
    git(cut.dir, 'tag', '--delete', ...git(cut.dir, 'tag', '--list').split('\n'));
    git(cut.dir, 'remote', 'set-url', 'origin', join(scratch, 'gone.git'));
    const warned = await cut.run('plan');
    assert.equal(warned.code, 0, warned.stderr);
    assert.match(warned.stderr, /warning: the clone has no tags, and its remote's could not be fetched \(fatal: .*\): a chart released before is planned as never released; check out the tags with the history/);
  });
});
