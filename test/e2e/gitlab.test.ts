/**
 * The README's GitLab job as GitLab runs it: each pipeline a fresh clone of origin checked out detached at the
 * pipeline's commit, the settings in CHARTSHIP_* variables (the registry under the project's path, which may have
 * capitals; the login the job's registry user), the range in GitLab's own variables. The first push publishes the
 * charts, a merge request's pipeline only plans, and `chartship plan` in that pipeline shows the plan publish makes,
 * logging in to the registry as publish does when asked to compare with it.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, it } from 'node:test';
import { runBundledCli } from '../helpers/cli.js';
import { registryFixture } from '../helpers/fixture.js';
import { chartYaml } from '../helpers/git.js';

const fx = registryFixture('gitlab', { auth: 'htpasswd' });
const { repo, scratch } = fx;
const NO_BEFORE = '0000000000000000000000000000000000000000';
let originGit: (...args: string[]) => string;

before(() => {
  repo.commit('feat: three charts', {
    'charts/common/Chart.yaml': 'apiVersion: v2\nname: common\ntype: library\nversion: 1.0.0\n',
    'charts/common/templates/_name.tpl': '{{- define "common.name" -}}{{ .Chart.Name }}{{- end -}}\n',
    'charts/web/Chart.yaml': chartYaml('web', '0.4.0'),
    'charts/web/templates/cm.yaml': 'kind: ConfigMap\nmetadata:\n  name: web\n',
    'charts/worker/Chart.yaml': chartYaml('worker', '2.0.0'),
    'charts/worker/templates/cm.yaml': 'kind: ConfigMap\nmetadata:\n  name: worker\n',
  });
  originGit = repo.addOrigin(join(scratch, 'origin.git'));
});

let pipelines = 0;
/** A GitLab job: a fresh clone of origin at `sha`, detached, and the CLI run there with GitLab's variables. */
function pipeline(sha: string, variables: Record<string, string>) {
  const dir = join(scratch, `build-${++pipelines}`);
  execFileSync('git', ['clone', '-q', join(scratch, 'origin.git'), dir]);
  execFileSync('git', ['checkout', '-q', '--detach', sha], { cwd: dir, stdio: 'ignore' });
  const env = {
    HOME: dir,
    CI: 'true',
    GITLAB_CI: 'true',
    CI_COMMIT_SHA: sha,
    CI_DEFAULT_BRANCH: 'main',
    CHARTSHIP_REGISTRY: `oci://${fx.registry.host}/Acme/Platform-Charts/charts`,
    CHARTSHIP_USERNAME: fx.registry.username!,
    CHARTSHIP_PASSWORD: fx.registry.password!,
    CHARTSHIP_PLAIN_HTTP: 'true',
    ...variables,
  };
  return { dir, run: (...args: string[]) => runBundledCli(args, { cwd: dir, env }) };
}

const versions = (chart: string) => fx.versions('acme/platform-charts/charts', chart);

interface PlanJson {
  charts: { name: string; nextVersion: string; action: string }[];
}
const releasing = (plan: PlanJson) => plan.charts.filter((c) => c.action === 'release').map((c) => `${c.name} ${c.nextVersion}`);

it('publishes on the first push, only plans a merge request (plan agreeing with publish), and publishes the merged change', async () => {
  // The push creating the branch: GitLab's "before" is all zeros, so there is no range; every chart is new.
  const first = repo.git('rev-parse', 'HEAD');
  const created = pipeline(first, { CI_PIPELINE_SOURCE: 'push', CI_COMMIT_BRANCH: 'main', CI_COMMIT_BEFORE_SHA: NO_BEFORE });
  const published = await created.run('publish', '--summary-file', 'chartship.md');
  assert.equal(published.code, 0, published.stderr);
  assert.match(published.stderr, /is pushed to as oci:\/\/\S+\/acme\/platform-charts\/charts/);
  assert.deepEqual([await versions('common'), await versions('web'), await versions('worker')], [['1.0.0'], ['0.4.0'], ['2.0.0']]);
  assert.match(readFileSync(join(created.dir, 'chartship.md'), 'utf8'), /\| `web` \| 0\.4\.0 \| ✅ pushed \|/);

  // A merge request: a feature for web on a branch, planned against the target branch's merge base.
  repo.git('checkout', '-q', '-b', 'feature');
  const feature = repo.commit('feat(web): a second config map', { 'charts/web/templates/cm2.yaml': 'kind: ConfigMap\nmetadata:\n  name: web-2\n' });
  repo.git('push', '-q', 'origin', 'feature');
  const mr = pipeline(feature, {
    CI_PIPELINE_SOURCE: 'merge_request_event',
    CI_MERGE_REQUEST_DIFF_BASE_SHA: first,
    CI_MERGE_REQUEST_TARGET_BRANCH_NAME: 'main',
    CI_COMMIT_BEFORE_SHA: NO_BEFORE,
  });
  const dry = await mr.run('publish', '--json');
  assert.equal(dry.code, 0, dry.stderr);
  const preview = JSON.parse(dry.stdout) as { dryRun: boolean; charts: { name: string; version: string; status: string; registries: { ref: string; digest: string | null }[] }[] };
  assert.equal(preview.dryRun, true, 'a merge request pipeline publishes nothing');
  // The preview names what a publish would push, and where; the charts it leaves alone are told apart.
  const shown = preview.charts.map((c) => [c.name, c.version, c.status, ...c.registries.map((r) => `${r.ref} ${r.digest}`)].join(' ')).sort();
  assert.deepEqual(shown, ['common 1.0.0 skipped', `web 0.5.0 planned ${fx.registry.host}/acme/platform-charts/charts/web:0.5.0 null`, 'worker 2.0.0 skipped']);
  assert.match(dry.stderr, /web\s+charts\/web\s+0\.4\.0\s+0\.5\.0\s+minor\s+release/);
  const planned = await mr.run('plan', '--json');
  assert.equal(planned.code, 0, planned.stderr);
  assert.deepEqual(releasing(JSON.parse(planned.stdout) as PlanJson), ['web 0.5.0'], 'plan reads the range GitLab gives, as publish does');
  assert.deepEqual(await versions('web'), ['0.4.0']);
  // Compared with the registry, plan logs in as publish does: the job's CHARTSHIP_USERNAME and CHARTSHIP_PASSWORD.
  const against = await mr.run('plan', '--registry', `oci://${fx.registry.host}/Acme/Platform-Charts/charts`, '--plain-http', '--json');
  assert.equal(against.code, 0, against.stderr);
  assert.doesNotMatch(against.stderr, /HTTP 401|UNAUTHORIZED|credentials/);
  assert.match(against.stderr, /is pushed to as oci:\/\/\S+\/acme\/platform-charts\/charts/);
  assert.deepEqual(releasing(JSON.parse(against.stdout) as PlanJson), ['web 0.5.0']);

  // The channel is a CHARTSHIP_ variable too, for plan as for publish.
  const rc = pipeline(feature, { CI_PIPELINE_SOURCE: 'merge_request_event', CI_MERGE_REQUEST_DIFF_BASE_SHA: first, CHARTSHIP_PRERELEASE: 'rc' });
  const rcPlan = await rc.run('plan', '--json');
  assert.equal(rcPlan.code, 0, rcPlan.stderr);
  assert.deepEqual(releasing(JSON.parse(rcPlan.stdout) as PlanJson), ['web 0.5.0-rc.0']);

  // Merged (fast-forward): the push pipeline's range is before..after.
  repo.git('checkout', '-q', 'main');
  repo.git('merge', '-q', '--ff-only', 'feature');
  repo.git('push', '-q', 'origin', 'main');
  assert.equal(originGit('rev-parse', 'main'), feature);
  const merged = pipeline(feature, { CI_PIPELINE_SOURCE: 'push', CI_COMMIT_BRANCH: 'main', CI_COMMIT_BEFORE_SHA: first });
  const mergedPlan = await merged.run('plan');
  assert.equal(mergedPlan.code, 0, mergedPlan.stderr);
  assert.match(mergedPlan.stdout, new RegExp(`Plan for ${first.slice(0, 7)}\\.\\.${feature.slice(0, 7)}: 1 of 3 charts to release`));
  const release = await merged.run('publish');
  assert.equal(release.code, 0, release.stderr);
  assert.deepEqual([await versions('common'), await versions('web'), await versions('worker')], [['1.0.0'], ['0.4.0', '0.5.0'], ['2.0.0']]);
  assert.equal(existsSync(join(merged.dir, 'chartship.md')), false);
});

it('plan takes Jenkins\' range and refuses a mistyped CHARTSHIP_ variable, as publish does', async () => {
  const head = repo.git('rev-parse', 'HEAD');
  const previous = repo.git('rev-parse', 'HEAD~1');
  const jenkins = pipeline(head, {});
  const run = (env: Record<string, string>, ...args: string[]) => runBundledCli(['plan', ...args], { cwd: jenkins.dir, env: { HOME: jenkins.dir, ...env } });
  const fromJenkins = await run({ JENKINS_URL: 'http://127.0.0.1:9/', GIT_COMMIT: head, GIT_PREVIOUS_SUCCESSFUL_COMMIT: previous }, '--json');
  assert.equal(fromJenkins.code, 0, fromJenkins.stderr);
  assert.deepEqual(releasing(JSON.parse(fromJenkins.stdout) as PlanJson), ['web 0.5.0']);
  // A flag still wins over what the CI says.
  const sinceTags = await run({ JENKINS_URL: 'http://127.0.0.1:9/', GIT_COMMIT: head, GIT_PREVIOUS_SUCCESSFUL_COMMIT: previous }, '--since-tags', '--json');
  assert.equal(sinceTags.code, 0, sinceTags.stderr);
  assert.equal(releasing(JSON.parse(sinceTags.stdout) as PlanJson).length, 3);

  // A login for plan --registry given as publish takes it: on stdin, or a registry-auth file.
  const registry = `oci://${fx.registry.host}/acme/platform-charts/charts`;
  const { username, password } = fx.registry;
  const onStdin = await runBundledCli(['plan', '--since-tags', '--registry', registry, '--plain-http', '--username', username!, '--password-stdin'], { cwd: jenkins.dir, env: { HOME: jenkins.dir }, stdin: `${password}\n` });
  assert.equal(onStdin.code, 0, onStdin.stderr);
  // The registry was read: it holds 0.5.0, which no release tag records.
  assert.match(onStdin.stdout, /web\s+charts\/web\s+0\.4\.0\s+0\.5\.0\s+none\s+skipped\s+Chart\.yaml has 0\.4\.0, but 0\.5\.0 is already released/);
  writeFileSync(join(jenkins.dir, 'logins'), `${fx.registry.host}=${username}:${password}\n`);
  const fromFile = await runBundledCli(['plan', '--since-tags', '--registry', registry, '--registry-tls', `${fx.registry.host}=plain-http`, '--registry-auth-file', 'logins'], { cwd: jenkins.dir, env: { HOME: jenkins.dir } });
  assert.equal(fromFile.code, 0, fromFile.stderr);
  assert.equal(fromFile.stdout, onStdin.stdout);

  // A push after a force push: GitLab's "before" is a commit the repository no longer has. The range is gone, not
  // mistyped: plan from the release tags and say why. A base the user names that does not exist still fails.
  const rewritten = 'f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0';
  const forced = await run({ GITLAB_CI: 'true', CI_PIPELINE_SOURCE: 'push', CI_COMMIT_SHA: head, CI_COMMIT_BEFORE_SHA: rewritten }, '--json');
  assert.equal(forced.code, 0, forced.stderr);
  assert.match(forced.stderr, /warning: base: the event's base f0f0f0f0f0f0 is not in the repository \(a force push rewrote it away\?\): each chart is planned from its newest release tag/);
  assert.equal(releasing(JSON.parse(forced.stdout) as PlanJson).length, 3);
  const named = await run({}, '--base', rewritten);
  assert.equal(named.code, 1);
  assert.match(named.stderr, /base: unknown base revision "f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0"/);

  const typo = await run({ CHARTSHIP_CHART: 'deploy/*' });
  assert.equal(typo.code, 1);
  assert.match(typo.stderr, /CHARTSHIP_CHART: is not a chartship variable \(did you mean CHARTSHIP_CHARTS\?\)/);
  const excluded = await run({ CHARTSHIP_EXCLUDE: 'worker', CHARTSHIP_SKIP_DEPRECATED: 'true' }, '--since-tags', '--json');
  assert.equal(excluded.code, 0, excluded.stderr);
  assert.deepEqual(releasing(JSON.parse(excluded.stdout) as PlanJson).sort(), ['common 1.0.0', 'web 0.4.0'], 'no release tag: each chart as its Chart.yaml has it');
});

it('a merged results pipeline plans the request\'s own commits, not the target\'s newer ones', async () => {
  const forked = repo.git('rev-parse', 'HEAD');
  repo.git('checkout', '-q', '-b', 'common-fix');
  repo.commit('fix(common): a shorter name', { 'charts/common/templates/_name.tpl': '{{- define "common.name" -}}{{ .Chart.Name | trunc 40 }}{{- end -}}\n' });
  repo.git('checkout', '-q', 'main');
  const target = repo.commit('fix(worker): a label', { 'charts/worker/templates/cm.yaml': 'kind: ConfigMap\nmetadata:\n  name: worker\n  labels: {a: b}\n' });
  // GitLab's merge of the request into the target's tip, which the pipeline checks out.
  repo.git('checkout', '-q', '-b', 'merged-result');
  repo.git('merge', '-q', '--no-ff', '-m', 'Merge branch common-fix', 'common-fix');
  const merge = repo.git('rev-parse', 'HEAD');
  repo.git('push', '-q', 'origin', 'main', 'merged-result');
  repo.git('checkout', '-q', 'main');
  const mr = pipeline(merge, {
    CI_PIPELINE_SOURCE: 'merge_request_event',
    CI_MERGE_REQUEST_EVENT_TYPE: 'merged_result',
    CI_MERGE_REQUEST_DIFF_BASE_SHA: forked,
    CI_MERGE_REQUEST_TARGET_BRANCH_SHA: target,
    CI_MERGE_REQUEST_TARGET_BRANCH_NAME: 'main',
  });
  const planned = await mr.run('plan', '--json');
  assert.equal(planned.code, 0, planned.stderr);
  assert.deepEqual(releasing(JSON.parse(planned.stdout) as PlanJson), ['common 1.0.1'], 'worker changed on main, not in the request');
  const dry = await mr.run('publish');
  assert.equal(dry.code, 0, dry.stderr);
  assert.match(dry.stderr, /1 of 3 charts to release/);
});

it('a bump commit the remote refuses fails the job in the remote\'s words, after reporting what was published', async () => {
  // As GitLab answers a CI_JOB_TOKEN push: the developers' pushes go through, the job's bump commit does not.
  const hook = join(scratch, 'origin.git', 'hooks', 'pre-receive');
  writeFileSync(hook, '#!/bin/sh\nwhile read old new ref; do\n  if git log -1 --format=%s "$new" | grep -q "skip ci"; then\n    echo "GitLab: You are not allowed to push code to this project." >&2\n    exit 1\n  fi\ndone\n');
  chmodSync(hook, 0o755);
  const before = repo.git('rev-parse', 'HEAD');
  const fix = repo.commit('fix(common): a longer name', { 'charts/common/templates/_name.tpl': '{{- define "common.name" -}}{{ .Chart.Name | trunc 60 }}{{- end -}}\n' });
  repo.git('push', '-q', 'origin', 'main');
  const job = pipeline(fix, { CI_PIPELINE_SOURCE: 'push', CI_COMMIT_BRANCH: 'main', CI_COMMIT_BEFORE_SHA: before, CHARTSHIP_COMMIT_BUMP: 'true' });
  const run = await job.run('publish', '--json');
  assert.equal(run.code, 1, run.stderr);
  assert.match(run.stderr, /^Error: CHARTSHIP_COMMIT_BUMP: the charts are published, but the commit of their version bumps was not pushed to main: GitLab: You are not allowed to push code to this project\./m);
  assert.match(run.stderr, /CI_JOB_TOKEN may not push/);
  const charts = (JSON.parse(run.stdout) as { charts: { name: string; version: string; status: string }[] }).charts;
  assert.deepEqual(charts.filter((c) => c.status === 'pushed').map((c) => `${c.name} ${c.version}`), ['common 1.0.1'], 'what was published is reported');
  assert.deepEqual(await versions('common'), ['1.0.0', '1.0.1']);
});
