import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { openTarget } from '../../src/helm-oci/index.js';
import { runAction } from '../helpers/action.js';
import { runBundledCli, runCli } from '../helpers/cli.js';
import { chartFiles, createRepo, gitCallLog, type TestRepo } from '../helpers/git.js';
import { chartArchive } from '../helpers/registry-charts.js';

const scratch = mkdtempSync(join(tmpdir(), 'chartship-misconfig-'));
const repos: TestRepo[] = [];
after(() => {
  for (const repo of repos) repo.cleanup();
  rmSync(scratch, { recursive: true, force: true });
});
let runs = 0;
const fresh = () => {
  const repo = createRepo();
  repos.push(repo);
  return repo;
};
const env = { PATH: process.env['PATH'], HOME: scratch, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' };

interface ChartJson {
  name: string;
  version: string;
  status: string;
}

describe('misconfiguration fails; a quiet run says what it looked at', () => {
  it('a charts glob that matches no chart directory fails the action, naming the input and the globs', async () => {
    const repo = fresh();
    repo.commit('feat: a chart', chartFiles('charts/web', 'web', '1.0.0'));
    const run = await runAction({ cwd: repo.dir, dir: join(scratch, `run-${++runs}`), inputs: { registry: `oci-layout:${join(scratch, 'l1')}`, charts: 'charts/*\nchart/*' } });
    assert.equal(run.status, 1, run.log);
    assert.match(run.log, /^::error::charts: "chart\/\*" matches no chart directory \(of "charts\/\*", "chart\/\*"\)/m);
    assert.deepEqual(await openTarget(`oci-layout:${join(scratch, 'l1')}`).listVersions('web'), [], 'nothing is published');

    const cli = await runCli(['publish', '--cwd', repo.dir, '--charts', 'helm/*', '--registry', `oci-layout:${join(scratch, 'l1')}`], { cwd: scratch, env });
    assert.equal(cli.code, 1);
    assert.match(cli.stderr, /^Error: charts: "helm\/\*" matches no chart directory \(of "helm\/\*"\) \(the repository's Chart\.yaml files are in charts\/web: e\.g\. charts: charts\/\*\)$/m);
    // The default glob on a repository that keeps its charts elsewhere: where they are, as the globs to write.
    const elsewhere = fresh();
    elsewhere.commit('feat: charts', { ...chartFiles('helm/web', 'web', '1.0.0'), ...chartFiles('deploy/charts/api', 'api', '1.0.0'), ...chartFiles('helm/web/charts/vendored', 'vendored', '9.9.9') });
    const first = await runAction({ cwd: elsewhere.dir, dir: join(scratch, `run-${++runs}`), inputs: { registry: `oci-layout:${join(scratch, 'l1')}` } });
    assert.equal(first.status, 1, first.log);
    assert.match(first.log, /^::error::charts: "charts\/\*" matches no chart directory \(of "charts\/\*"\) \(the repository's Chart\.yaml files are in deploy\/charts\/api, helm\/web: e\.g\. charts: deploy\/charts\/\*, helm\/\*\)$/m);
    const plan = await runCli(['plan', '--cwd', repo.dir, '--charts', 'helm/*'], { cwd: scratch, env });
    assert.equal(plan.code, 1);
    assert.match(plan.stderr, /"helm\/\*" matches no chart directory/);
  });

  it('a charts glob that matches no chart fails without waiting for the history, which it ends; one whose chart the range deleted does not fail', async () => {
    const repo = fresh();
    const first = repo.commit('feat: charts', { ...chartFiles('charts/web', 'web', '1.0.0'), ...chartFiles('legacy/old', 'old', '1.0.0') });
    repo.git('tag', 'web-1.0.0');
    repo.commit('feat: web', { 'charts/web/values.yaml': 'replicas: 2\n' });
    // The history's git calls take 20 s here, as on a big repository: the error must not wait for them.
    const history = ['log', 'rev-list', 'merge-base'];
    const { bin, calls } = gitCallLog(join(scratch, 'typo'), { held: history, seconds: 20 });
    const logged = { ...env, PATH: `${bin}:${env.PATH}` };
    // From the release tags, and over a pull request's range: each reads the history.
    for (const range of [[], ['--base', first]]) {
      const run = await runBundledCli(['plan', '--charts', 'charts/*', '--charts', 'chart/*', ...range], { cwd: repo.dir, env: logged });
      assert.equal(run.code, 1, run.stderr);
      assert.match(run.stderr, /^Error: charts: "chart\/\*" matches no chart directory \(of "charts\/\*", "chart\/\*"\) \(the repository's Chart\.yaml files are in charts\/web, legacy\/old: /m);
      assert.doesNotMatch(run.stderr, /abort|unhandled/i);
    }
    const commands = calls().map((line) => line.replace(/^(-c \S+ )*/, '').split(' ')[0]);
    assert.ok(commands.includes('rev-parse'), commands.join(' '));
    // Whatever history call had started was ended, not waited for.
    assert.deepEqual(calls().filter((line) => line.startsWith('done ')), [], calls().join('\n'));

    // The last chart a glob matched, deleted in the range: reported deleted, as before.
    const before = repo.commit('fix: web', { 'charts/web/values.yaml': 'replicas: 3\n' });
    repo.commit('chore: retire old', { 'legacy/old/Chart.yaml': null, 'legacy/old/values.yaml': null, 'legacy/old/templates/cm.yaml': null });
    const retired = await runBundledCli(['plan', '--json', '--charts', 'charts/*', '--charts', 'legacy/*', '--base', before], { cwd: repo.dir, env });
    assert.equal(retired.code, 0, retired.stderr);
    assert.deepEqual((JSON.parse(retired.stdout) as { deleted: unknown }).deleted, [{ name: 'old', path: 'legacy/old' }]);
  });

  it('an input the step almost names (dryrun, dry_run, registy) fails before anything is published; one close to no input is left to the runner', async () => {
    const repo = fresh();
    repo.commit('feat: a chart', chartFiles('charts/web', 'web', '1.0.0'));
    const layout = join(scratch, 'l-typo');
    for (const [typo, meant] of [['dryrun', 'dry-run'], ['dry_run', 'dry-run'], ['registy', 'registry']] as const) {
      const run = await runAction({ cwd: repo.dir, dir: join(scratch, `run-${++runs}`), inputs: { registry: `oci-layout:${layout}`, [typo]: typo === 'registy' ? `oci-layout:${layout}` : 'true' } });
      assert.equal(run.status, 1, run.log);
      assert.match(run.log, new RegExp(`^::error::${typo}: is not an input of chartship \\(did you mean ${meant}\\?\\)$`, 'm'));
      assert.doesNotMatch(run.log, /Pushed/);
    }
    assert.deepEqual(await openTarget(`oci-layout:${layout}`).listVersions('web'), [], 'nothing is published');
    // An allow-list entry written as a URL matches no image: every image would be reported as external.
    const url = await runAction({ cwd: repo.dir, dir: join(scratch, `run-${++runs}`), inputs: { registry: `oci-layout:${layout}`, 'policy-allowed-registries': 'https://ghcr.io/acme' } });
    assert.equal(url.status, 1, url.log);
    assert.match(url.log, /^::error::policy-allowed-registries: "https:\/\/ghcr\.io\/acme" can match no image \(.*write ghcr\.io\/acme\)$/m);
    // `sign-key: ${{ secrets.HELM_SIGNING_KY }}`: a secret that does not exist is empty, and the charts would go out unsigned.
    const unsigned = await runAction({ cwd: repo.dir, dir: join(scratch, `run-${++runs}`), inputs: { registry: `oci-layout:${layout}`, 'sign-key': '', 'sign-key-passphrase': 'a passphrase' } });
    assert.equal(unsigned.status, 1, unsigned.log);
    assert.match(unsigned.log, /^::error::sign-key: is empty, but sign-key-passphrase is given: the charts would go out unsigned \(a secret that is not set/m);
    assert.deepEqual(unsigned.log.split('\n').filter((l) => l.includes('a passphrase')), ['::add-mask::a passphrase'], 'the passphrase is only masked');
    const other = await runAction({ cwd: repo.dir, dir: join(scratch, `run-${++runs}`), inputs: { registry: `oci-layout:${layout}`, 'team-note': 'x' } });
    assert.equal(other.status, 0, other.log);
    assert.deepEqual(await openTarget(`oci-layout:${layout}`).listVersions('web'), ['1.0.0']);
  });

  it('a .chartship.yaml charts: entry that names no chart fails at its line with the closest name; a glob that matches none warns', async () => {
    const repo = fresh();
    repo.commit('feat: charts', {
      ...chartFiles('charts/web', 'web', '1.0.0'),
      ...chartFiles('charts/api', 'api', '1.0.0'),
      // "wbe": web would go out as a stable release instead of on the rc channel, without a word.
      '.chartship.yaml': 'versioning:\n  charts:\n    - match: wbe\n      prerelease: rc\npolicy:\n  charts:\n    - match: charts/legacy-*\n      rules:\n        values-schema: off\n',
    });
    const layout = join(scratch, 'l-selector');
    const run = await runAction({ cwd: repo.dir, dir: join(scratch, `run-${++runs}`), inputs: { registry: `oci-layout:${layout}` } });
    assert.equal(run.status, 1, run.log);
    const annotation = (log: string, kind: string, text: string) => log.split('\n').find((l) => l.startsWith(`::${kind} `) && l.includes(text)) ?? assert.fail(log);
    const error = annotation(run.log, 'error', '"wbe" names no chart (did you mean "web"?)');
    for (const property of ['file=.chartship.yaml', 'line=3', 'col=7', 'title=versioning.charts[0].match']) assert.ok(error.includes(property), error);
    assert.deepEqual(await openTarget(`oci-layout:${layout}`).listVersions('web'), [], 'nothing is published');
    const plan = await runCli(['plan', '--cwd', repo.dir], { cwd: scratch, env });
    assert.equal(plan.code, 1);
    assert.match(plan.stderr, /^Error: \.chartship\.yaml:3:7: versioning\.charts\[0\]\.match: "wbe" names no chart \(did you mean "web"\?\)$/m);

    repo.commit('fix: the channel', { '.chartship.yaml': 'versioning:\n  charts:\n    - match: web\n      prerelease: rc\npolicy:\n  charts:\n    - match: charts/legacy-*\n      rules:\n        values-schema: off\n' });
    const fixed = await runAction({ cwd: repo.dir, dir: join(scratch, `run-${++runs}`), inputs: { registry: `oci-layout:${layout}` } });
    assert.equal(fixed.status, 0, fixed.log);
    const warning = annotation(fixed.log, 'warning', '"charts/legacy-*" matches no chart: its settings apply to none');
    for (const property of ['file=.chartship.yaml', 'line=7', 'col=7', 'title=policy.charts[0].match']) assert.ok(warning.includes(property), warning);

    // `exclude` is read the same way: a name there that selects no chart would publish the chart it meant to hold back.
    const excluded = await runAction({ cwd: repo.dir, dir: join(scratch, `run-${++runs}`), inputs: { registry: `oci-layout:${join(scratch, 'l-exclude')}`, exclude: 'ap' } });
    assert.equal(excluded.status, 1, excluded.log);
    assert.match(excluded.log, /^::error::exclude: "ap" names no chart \(did you mean "api"\?\)$/m);
    assert.deepEqual(await openTarget(`oci-layout:${join(scratch, 'l-exclude')}`).listVersions('api'), [], 'nothing is published');
    const glob = await runCli(['plan', '--cwd', repo.dir, '--exclude', 'charts/old-*'], { cwd: scratch, env });
    assert.equal(glob.code, 0, glob.stderr);
    assert.match(glob.stderr, /^warning: exclude: "charts\/old-\*" matches no chart: it leaves out none$/m);

    // A run given one chart (a workflow per chart) reads entries for the others as theirs, not as typos.
    const one = await runAction({ cwd: repo.dir, dir: join(scratch, `run-${++runs}`), inputs: { registry: `oci-layout:${layout}`, charts: 'charts/api' } });
    assert.equal(one.status, 0, one.log);
    assert.doesNotMatch(one.log, /"web" names no chart/);
  });

  it('.chartship.yaml as editors write it (a BOM, CRLF, anchors and merge keys) is read; an alias with no anchor fails at its line, annotated', async () => {
    const repo = fresh();
    const file = ['\uFEFFversioning:', '  charts:', '    - &rc', '      match: web', '      prerelease: rc', '    - <<: *rc', '      match: api', ''].join('\r\n');
    repo.commit('feat: charts', { ...chartFiles('charts/web', 'web', '1.0.0'), ...chartFiles('charts/api', 'api', '1.0.0'), '.chartship.yaml': file });
    repo.commit('feat: more', { 'charts/web/values.yaml': 'a: 1\n', 'charts/api/values.yaml': 'a: 1\n' });
    const plan = await runCli(['plan', '--cwd', repo.dir, '--base', 'HEAD~1', '--json'], { cwd: scratch, env });
    assert.equal(plan.code, 0, plan.stderr);
    const next = (JSON.parse(plan.stdout) as { charts: { name: string; nextVersion: string }[] }).charts.map((c) => `${c.name} ${c.nextVersion}`).sort();
    assert.deepEqual(next, ['api 1.1.0-rc.0', 'web 1.1.0-rc.0']);

    repo.commit('chore: config', { '.chartship.yaml': file.replace('    - <<: *rc', '    - <<: *channel') });
    const layout = join(scratch, 'l-alias');
    const run = await runAction({ cwd: repo.dir, dir: join(scratch, `run-${++runs}`), inputs: { registry: `oci-layout:${layout}` } });
    assert.equal(run.status, 1, run.log);
    const error = run.log.split('\n').find((l) => l.startsWith('::error ')) ?? assert.fail(run.log);
    for (const property of ['file=.chartship.yaml', 'line=6', 'col=11']) assert.ok(error.includes(property), error);
    assert.match(error, /::malformed YAML: alias \*channel has no anchor &channel before it$/);
    assert.deepEqual(await openTarget(`oci-layout:${layout}`).listVersions('web'), [], 'nothing is published');
    const cli = await runCli(['plan', '--cwd', repo.dir], { cwd: scratch, env });
    assert.equal(cli.code, 1);
    assert.match(cli.stderr, /^Error: \.chartship\.yaml:6:11: malformed YAML: alias \*channel has no anchor/m);
  });

  it('comments inside block-scalar inputs are comments, as YAML has them elsewhere: no directory named after one', async () => {
    const repo = fresh();
    repo.commit('feat: charts', { ...chartFiles('charts/web', 'web', '1.0.0'), ...chartFiles('charts/api', 'api', '1.0.0') });
    const layout = join(scratch, 'l-comments');
    // As a runner passes `registry: |` and `charts: |` blocks: YAML keeps the comments in them as text.
    const run = await runAction({
      cwd: repo.dir,
      dir: join(scratch, `run-${++runs}`),
      inputs: { registry: `# where the charts go\noci-layout:${layout}   # a local copy\n`, charts: 'charts/web  # the front end\n# charts/api waits\n', policy: 'off' },
    });
    assert.equal(run.status, 0, run.log);
    assert.deepEqual((JSON.parse(run.outputs['charts'] ?? '[]') as ChartJson[]).map((c) => `${c.name} ${c.status}`), ['web pushed']);
    assert.deepEqual(await openTarget(`oci-layout:${layout}`).listVersions('web'), ['1.0.0']);
  });

  it('"no chart changed" is a success that names the charts and globs it looked at', async () => {
    const repo = fresh();
    repo.commit('feat: charts', { ...chartFiles('charts/web', 'web', '1.0.0'), ...chartFiles('charts/api', 'api', '2.0.0') });
    repo.tag('web-1.0.0');
    repo.tag('api-2.0.0');
    const before = repo.commit('docs: readme', { 'README.md': 'hello\n' });
    const after = repo.commit('ci: tweak', { '.github/workflows/x.yml': 'on: push\n' });
    const run = await runAction({
      cwd: repo.dir,
      dir: join(scratch, `run-${++runs}`),
      event: { name: 'push', payload: { before, after } },
      env: { GITHUB_SHA: after },
      inputs: { registry: `oci-layout:${join(scratch, 'l2')}` },
    });
    assert.equal(run.status, 0, run.log);
    assert.match(run.log, new RegExp(`no chart changed in ${before.slice(0, 7)}\\.\\.${after.slice(0, 7)}: looked at 2 charts matching charts/\\* \\(api, web\\)`));
  });

  it('plan prints every invalid Chart.yaml with file:line:col and exits non-zero, in text and JSON', async () => {
    const repo = fresh();
    repo.commit('feat: charts', {
      ...chartFiles('charts/good', 'good', '1.0.0'),
      'charts/broken/Chart.yaml': 'apiVersion: v2\nname: broken\nversion: 1.0.0.0\n',
    });
    const text = await runCli(['plan', '--cwd', repo.dir], { cwd: scratch, env });
    assert.equal(text.code, 1, text.stderr);
    assert.match(text.stdout, /^invalid: charts\/broken\/Chart\.yaml:3:1: version: "1\.0\.0\.0" is not a valid version — not published$/m);
    assert.match(text.stderr, /^error: charts\/broken\/Chart\.yaml:3:1: version: /m);
    assert.match(text.stdout, /^good +charts\/good +1\.0\.0 +1\.0\.0 +none +release +first release/m);
    const json = await runCli(['plan', '--cwd', repo.dir, '--json'], { cwd: scratch, env });
    assert.equal(json.code, 1);
    assert.deepEqual((JSON.parse(json.stdout) as { invalid: { chartYaml: string; line: number }[] }).invalid.map((i) => `${i.chartYaml}:${i.line}`), ['charts/broken/Chart.yaml:3']);
  });

  it('never plans at or below a released version: a release tag ahead of Chart.yaml is where the bump starts', async () => {
    const repo = fresh();
    repo.commit('feat: web', chartFiles('charts/web', 'web', '0.4.1'));
    // 0.5.0 was released (tagged) but the bump never reached Chart.yaml.
    repo.tag('web-0.5.0');
    const base = repo.commit('fix(web): a fix', { 'charts/web/values.yaml': 'replicas: 2\n' });
    repo.commit('fix(web): another fix', { 'charts/web/values.yaml': 'replicas: 3\n' });
    for (const range of [[], ['--base', `${base}~1`]]) {
      const plan = await runCli(['plan', '--cwd', repo.dir, '--json', ...range], { cwd: scratch, env });
      assert.equal(plan.code, 0, plan.stderr);
      const web = (JSON.parse(plan.stdout) as { charts: { nextVersion: string; reasons: { message: string }[] }[] }).charts[0]!;
      assert.equal(web.nextVersion, '0.5.1', `range ${range.join(' ') || 'since tags'}`);
      assert.equal(web.reasons[0]?.message, 'Chart.yaml has 0.4.1, but 0.5.0 is already released (release tag web-0.5.0): starting from 0.5.0');
    }
    const text = await runCli(['plan', '--cwd', repo.dir], { cwd: scratch, env });
    assert.match(text.stdout, /^web +charts\/web +0\.4\.1 +0\.5\.1 +patch +release +Chart\.yaml has 0\.4\.1, but 0\.5\.0 is already released/m);
  });

  it('never plans at or below a published version: the registry ahead of Chart.yaml and tags is where the bump starts', async () => {
    const repo = fresh();
    const layout = join(scratch, 'l3');
    const base = repo.commit('feat: web', chartFiles('charts/web', 'web', '0.4.1'));
    repo.commit('feat(web): a feature', { 'charts/web/templates/new.yaml': 'kind: ConfigMap\n' });
    // Published by an earlier run whose bump nothing recorded.
    await openTarget(`oci-layout:${layout}`).pushChart({ archive: chartArchive({ name: 'web', version: '0.7.2' }) });
    const cli = await runCli(['publish', '--cwd', repo.dir, '--base', base, '--registry', `oci-layout:${layout}`, '--json'], { cwd: scratch, env });
    assert.equal(cli.code, 0, cli.stderr);
    const charts = (JSON.parse(cli.stdout) as { charts: ChartJson[] }).charts;
    assert.deepEqual(charts.map((c) => `${c.name} ${c.version} ${c.status}`), ['web 0.8.0 pushed']);
    assert.match(cli.stderr, new RegExp(`Chart\\.yaml has 0\\.4\\.1, but 0\\.7\\.2 is already released \\(oci-layout:${layout}\\): starting from 0\\.7\\.2`));
    assert.equal(repo.git('status', '--porcelain'), '', 'publish without --commit-bump leaves the work tree as it was');
  });

  it('publish without commit-bump leaves the work tree as it was, and the warning offers only settings that are off', async () => {
    const repo = fresh();
    const before = repo.commit('feat: web', chartFiles('charts/web', 'web', '1.0.0'));
    const after = repo.commit('feat(web): more', { 'charts/web/templates/more.yaml': 'kind: ConfigMap\n' });
    const run = await runAction({
      cwd: repo.dir,
      dir: join(scratch, `run-${++runs}`),
      event: { name: 'push', payload: { before, after } },
      env: { GITHUB_SHA: after },
      inputs: { registry: `oci-layout:${join(scratch, 'l4')}` },
    });
    assert.equal(run.status, 0, run.log);
    assert.equal(repo.git('status', '--porcelain'), '');
    assert.equal(repo.read('charts/web/Chart.yaml'), chartFiles('charts/web', 'web', '1.0.0')['charts/web/Chart.yaml']);
    assert.match(run.log, /^::warning::published bumped versions \(web 1\.0\.0 → 1\.1\.0\) without recording them: turn on commit-bump, or create-releases/m);
    const cli = await runCli(['publish', '--cwd', repo.dir, '--base', before, '--registry', `oci-layout:${join(scratch, 'l5')}`], { cwd: scratch, env });
    assert.equal(cli.code, 0, cli.stderr);
    assert.match(cli.stderr, /without recording them: pass --commit-bump, or tag each release as \{name\}-\{version\}/);
    assert.doesNotMatch(cli.stderr, /create-releases/, 'the CLI has no such setting');
  });
});
