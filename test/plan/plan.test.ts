import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { applyPlan } from '../../src/pipeline/plan-edits.js';
import { createPlan } from '../../src/pipeline/plan.js';
import type { ChartPlan, Plan } from '../../src/model/plan.js';
import { ChartshipError } from '../../src/model/errors.js';
import { helmChartLock } from '../../src/charts/helm-yaml.js';
import { hashRequirements, parseChartLock } from '../../src/charts/lockfile.js';
import { chartFiles, chartYaml, createRepo, type TestRepo } from '../helpers/git.js';

const repos: TestRepo[] = [];
after(() => repos.forEach((r) => r.cleanup()));
function repo(): TestRepo {
  const r = createRepo();
  repos.push(r);
  return r;
}
const chart = (plan: Plan, name: string): ChartPlan => {
  const found = plan.charts.find((c) => c.name === name);
  assert.ok(found, `chart ${name} in plan`);
  return found;
};
const summary = (plan: Plan) => Object.fromEntries(plan.charts.map((c) => [c.name, `${c.action} ${c.currentVersion}→${c.nextVersion}`]));

describe('createPlan against a base (pull request / push)', () => {
  it('bumps each chart by its own commits: feat, fix, breaking; a scope-only feat and docs elsewhere release nothing', async () => {
    const r = repo();
    const base = r.commit('chore: init', {
      ...chartFiles('charts/a', 'a', '1.0.0'),
      ...chartFiles('charts/b', 'b', '1.0.0'),
      ...chartFiles('charts/c', 'c', '1.0.0'),
      ...chartFiles('charts/d', 'd', '0.3.0'),
      ...chartFiles('charts/e', 'e', '1.0.0'),
      'README.md': 'hi\n',
    });
    const feat = r.commit('feat: add a port', { 'charts/a/values.yaml': 'replicas: 1\nport: 80\n' });
    r.commit('fix: correct b (#12)', { 'charts/b/templates/cm.yaml': 'kind: ConfigMap\n' });
    r.commit('feat!: drop legacy values', { 'charts/c/values.yaml': 'x: 1\n', 'charts/d/values.yaml': 'x: 1\n' });
    r.commit('feat(e): announce e in the readme', { 'README.md': 'e is great\n' });
    r.commit('fix(e): e in CI', { '.github/workflows/e.yaml': 'on: push\n', 'scripts/e.sh': 'true\n' });
    r.commit('docs: readme', { 'README.md': 'more\n' });

    const plan = await createPlan({ cwd: r.dir, base });
    assert.equal(plan.base, base);
    assert.deepEqual(summary(plan), {
      a: 'release 1.0.0→1.1.0',
      b: 'release 1.0.0→1.0.1',
      c: 'release 1.0.0→2.0.0',
      d: 'release 0.3.0→0.4.0',
      e: 'skipped 1.0.0→1.0.0',
    });
    assert.deepEqual(chart(plan, 'a').reasons, [{ kind: 'commit', message: 'minor: feat: add a port', sha: feat }]);
    assert.equal(chart(plan, 'a').previousVersion, '1.0.0');
    assert.deepEqual(chart(plan, 'b').changelog.map((e) => [e.type, e.subject, e.pr, e.shortSha.length]), [['fix', 'correct b', 12, 7]]);
    assert.deepEqual(chart(plan, 'e').changelog, []);
  });

  it('a scope picks among the charts a commit changed: the others count it as a change of another type', async () => {
    const r = repo();
    const base = r.commit('chore: init', { ...chartFiles('charts/web', 'web', '1.0.0'), ...chartFiles('charts/lib', 'lib', '1.0.0'), ...chartFiles('charts/api', 'api', '1.0.0') });
    r.commit('feat(web): ingress, with a helper in lib', { 'charts/web/values.yaml': 'ingress: true\n', 'charts/lib/templates/_x.tpl': 'x\n' });
    r.commit('feat(ci): lint api', { 'charts/api/values.yaml': 'lint: true\n' });
    const plan = await createPlan({ cwd: r.dir, base });
    assert.deepEqual(summary(plan), { api: 'release 1.0.0→1.1.0', lib: 'release 1.0.0→1.0.1', web: 'release 1.0.0→1.1.0' });
    assert.equal((await createPlan({ cwd: r.dir, base, otherTypes: 'none' })).charts.find((c) => c.name === 'lib')?.action, 'skipped');
  });

  it('bumps a v-prefixed version as helm reads it, and warns naming the Chart.yaml', async () => {
    const r = repo();
    const base = r.commit('chore: init', chartFiles('charts/web', 'web', 'v0.1.0'));
    r.commit('fix: port', { 'charts/web/values.yaml': 'port: 81\n' });
    const warnings: ChartshipError[] = [];
    const plan = await createPlan({ cwd: r.dir, base, onWarning: (w) => warnings.push(w) });
    assert.deepEqual(summary(plan), { web: 'release v0.1.0→0.1.1' });
    assert.deepEqual(
      warnings.map((w) => w.describe()),
      ['charts/web/Chart.yaml: version: web: version v0.1.0 is not SemVer 2: read as 0.1.0 (the "v" prefix dropped), so the next version is 0.1.1'],
    );
  });

  it('the first reason (the WHY column) is the commit that set the level, not the newest', async () => {
    const r = repo();
    const base = r.commit('chore: init', chartFiles('charts/web', 'web', '1.0.0'));
    const feat = r.commit('feat: new port', { 'charts/web/values.yaml': 'port: 81\n' });
    r.commit('fix: typo', { 'charts/web/values.yaml': 'port: 8080\n' });
    r.commit('docs: notes', { 'charts/web/NOTES.txt': 'hi\n' });
    const web = chart(await createPlan({ cwd: r.dir, base }), 'web');
    assert.equal(web.nextVersion, '1.1.0');
    assert.deepEqual(web.reasons[0], { kind: 'commit', message: 'minor: feat: new port', sha: feat });
    assert.equal(web.reasons.length, 3);
  });

  it('--head reads the charts as they are at head, not from a work tree checked out elsewhere, and will not write there', async () => {
    const r = repo();
    const base = r.commit('chore: init', { ...chartFiles('charts/a', 'a', '1.0.0'), ...chartFiles('charts/b', 'b', '1.0.0'), 'charts/a/.helmignore': '*.md\n' });
    r.commit('docs: a notes, ignored by helm', { 'charts/a/NOTES.md': 'x\n' });
    const head = r.commit('feat: a', { 'charts/a/values.yaml': 'x: 1\n' });
    // Later history the work tree is at: hand-set versions, a new chart, a .helmignore that no longer ignores notes.
    r.commit('chore: release', { 'charts/a/Chart.yaml': chartYaml('a', '3.0.0'), 'charts/b/Chart.yaml': chartYaml('b', '2.0.0'), 'charts/a/.helmignore': '' });
    r.commit('feat: c', chartFiles('charts/c', 'c', '0.1.0'));
    const plan = await createPlan({ cwd: r.dir, base, head });
    assert.equal(plan.head, head);
    assert.deepEqual(summary(plan), { a: 'release 1.0.0→1.1.0', b: 'skipped 1.0.0→1.0.0' });
    assert.equal(chart(plan, 'a').reasons.length, 1, 'the .helmignore at head still ignores NOTES.md');
    await assert.rejects(applyPlan(plan), (e: unknown) => e instanceof ChartshipError && e.code === 'HEAD_NOT_CHECKED_OUT' && /at head [0-9a-f]{7}/.test(e.message));
    assert.equal(r.read('charts/a/Chart.yaml'), chartYaml('a', '3.0.0'), 'nothing written');

    r.git('checkout', '-q', head);
    const here = await createPlan({ cwd: r.dir, base, head });
    assert.deepEqual(summary(here), summary(plan));
    assert.equal((await applyPlan(here)).length, 1);
  });

  it('counts commits of a merged branch once and ignores the merge commit itself', async () => {
    const r = repo();
    const base = r.commit('chore: init', { ...chartFiles('charts/a', 'a', '1.0.0'), ...chartFiles('charts/b', 'b', '2.0.0') });
    r.git('checkout', '-q', '-b', 'topic');
    r.commit('fix: a bug', { 'charts/a/values.yaml': 'fixed: true\n' });
    r.git('checkout', '-q', 'main');
    r.commit('chore: unrelated', { 'other.txt': 'x\n' });
    r.git('merge', '-q', '--no-ff', '-m', 'Merge pull request #3 from topic', 'topic');
    const plan = await createPlan({ cwd: r.dir, base });
    assert.deepEqual(summary(plan), { a: 'release 1.0.0→1.0.1', b: 'skipped 2.0.0→2.0.0' });
    assert.equal(chart(plan, 'a').reasons.length, 1);
  });

  it('a reverted feature cancels out; a hand-edited version is kept; Release-As wins', async () => {
    const r = repo();
    const base = r.commit('chore: init', {
      ...chartFiles('charts/a', 'a', '1.0.0'),
      ...chartFiles('charts/b', 'b', '1.0.0'),
      ...chartFiles('charts/c', 'c', '1.0.0'),
    });
    r.commit('feat: risky', { 'charts/a/values.yaml': 'risky: true\n' });
    r.git('revert', '--no-edit', 'HEAD');
    r.commit('feat: b things', { 'charts/b/Chart.yaml': chartYaml('b', '1.4.0'), 'charts/b/values.yaml': 'y: 1\n' });
    r.commit('fix: c\n\nRelease-As: 3.0.0', { 'charts/c/values.yaml': 'z: 1\n' });
    const plan = await createPlan({ cwd: r.dir, base });
    assert.deepEqual(summary(plan), { a: 'skipped 1.0.0→1.0.0', b: 'release 1.4.0→1.4.0', c: 'release 1.0.0→3.0.0' });
    assert.equal(chart(plan, 'b').reasons[0]?.kind, 'manual-version');
    assert.equal(chart(plan, 'c').reasons[0]?.kind, 'release-as');
  });

  it('finds nested layouts, honours .helmignore, reports deleted charts and follows a renamed directory', async () => {
    const r = repo();
    const base = r.commit('chore: init', {
      ...chartFiles('platform/team1/charts/api', 'api', '1.0.0'),
      ...chartFiles('platform/team2/charts/web', 'web', '1.0.0'),
      ...chartFiles('platform/team2/charts/old', 'old', '1.0.0'),
      ...chartFiles('platform/team2/charts/mover', 'mover', '1.0.0'),
      'platform/team1/charts/api/.helmignore': '*.md\n',
      'platform/team1/README.md': 'not a chart\n',
    });
    r.commit('docs: api notes', { 'platform/team1/charts/api/NOTES.md': 'ignored by helm\n' });
    r.commit('feat: web', { 'platform/team2/charts/web/values.yaml': 'w: 1\n' });
    r.commit('chore: remove old', { 'platform/team2/charts/old/Chart.yaml': null, 'platform/team2/charts/old/values.yaml': null, 'platform/team2/charts/old/templates/cm.yaml': null });
    r.git('mv', 'platform/team2/charts/mover', 'platform/team1/charts/mover');
    r.commit('refactor: move mover to team1');
    const plan = await createPlan({ cwd: r.dir, base, charts: ['platform/*/charts/*'] });
    assert.deepEqual(summary(plan), {
      api: 'skipped 1.0.0→1.0.0',
      mover: 'release 1.0.0→1.0.1',
      web: 'release 1.0.0→1.1.0',
    });
    assert.deepEqual(plan.deleted, [{ name: 'old', path: 'platform/team2/charts/old' }]);
    assert.equal(chart(plan, 'mover').path, 'platform/team1/charts/mover');
    assert.equal(chart(plan, 'mover').previousVersion, '1.0.0');
    assert.ok(chart(plan, 'mover').reasons.some((x) => x.message === 'moved from platform/team2/charts/mover'));
  });

  it('excludes by name and glob, skips deprecated charts, and fails the charts that share a name, each at its name line', async () => {
    const r = repo();
    const base = r.commit('chore: init', {
      ...chartFiles('charts/a', 'a', '1.0.0'),
      ...chartFiles('charts/b', 'b', '1.0.0'),
      ...chartFiles('charts/legacy', 'legacy', '1.0.0', 'deprecated: true\n'),
      ...chartFiles('more/x', 'x', '1.0.0'),
    });
    const plan = await createPlan({ cwd: r.dir, base, charts: ['charts/*', 'more/*'], exclude: ['b', 'more/*'], skipDeprecated: true });
    assert.deepEqual(plan.charts.map((c) => c.name), ['a']);
    r.commit('chore: dup', chartFiles('more/y', 'a', '1.0.0'));
    // A clash stops the charts in it, as a broken Chart.yaml does, each at its own name line; the others go on.
    const clashed = await createPlan({ cwd: r.dir, base, charts: ['charts/*', 'more/*'] });
    assert.deepEqual(clashed.charts.map((c) => c.name).sort(), ['b', 'legacy', 'x']);
    assert.deepEqual(
      clashed.invalid.map((c) => `${c.chartYaml}:${c.line}:${c.column}: ${c.field}: ${c.message}`),
      ['charts/a/Chart.yaml:2:1: name: chart name "a" is used by both charts/a and more/y: chart names must be unique: they name the repository in the registry; exclude all but one of them', 'more/y/Chart.yaml:2:1: name: chart name "a" is used by both charts/a and more/y: chart names must be unique: they name the repository in the registry; exclude all but one of them'],
    );
    // Each is reported by its name, not its directory's (more/y holds chart "a"): outputs and summaries name it so.
    assert.deepEqual(clashed.invalid.map((c) => [c.path, c.name, c.version]), [['charts/a', 'a', '1.0.0'], ['more/y', 'a', '1.0.0']]);
    // Every clash in one run: a monorepo with many (helm/charts' stable/ and incubator/ share 27 names) needs one run.
    r.commit('chore: more dups', { ...chartFiles('more/z', 'b', '1.0.0'), ...chartFiles('more/w', 'a', '1.0.0') });
    const more = await createPlan({ cwd: r.dir, base, charts: ['charts/*', 'more/*'] });
    assert.deepEqual(more.charts.map((c) => c.name).sort(), ['legacy', 'x']);
    assert.deepEqual(
      more.invalid.map((c) => `${c.path}: ${c.message.replace(/: chart names must be unique.*/, '')}`),
      ['charts/a: chart name "a" is used by charts/a, more/w, more/y', 'more/w: chart name "a" is used by charts/a, more/w, more/y', 'more/y: chart name "a" is used by charts/a, more/w, more/y', 'charts/b: chart name "b" is used by both charts/b and more/z', 'more/z: chart name "b" is used by both charts/b and more/z'],
    );
  });
});

describe('dependencies between local charts', () => {
  it('a released library releases its three dependents, in order, raising constraints that no longer match (an oci:// one naming the target with its port, 443)', async () => {
    const r = repo();
    const deps = (repository: string, version: string) => `dependencies:\n  - name: lib\n    version: "${version}"\n    repository: ${repository}\n`;
    const base = r.commit('chore: init', {
      ...chartFiles('charts/lib', 'lib', '1.0.0'),
      'charts/lib/Chart.yaml': chartYaml('lib', '1.0.0').replace('type: application', 'type: library'),
      ...chartFiles('charts/app1', 'app1', '1.0.0', deps('file://../lib', '^1.0.0')),
      ...chartFiles('charts/app2', 'app2', '2.0.0', deps('oci://ghcr.io:443/acme/charts', '~1.0.0')),
      ...chartFiles('charts/app3', 'app3', '0.1.0', deps('file://../lib', '1.0.0')),
      ...chartFiles('charts/zeta', 'zeta', '1.0.0', deps('oci://elsewhere.io/charts', '~1.0.0')),
    });
    r.commit('feat(lib): helpers', { 'charts/lib/templates/_helpers.tpl': '{{- define "x" -}}{{- end -}}\n' });
    const plan = await createPlan({ cwd: r.dir, base, registryNamespaces: ['oci://ghcr.io/acme/charts/'] });
    assert.equal(plan.charts[0]?.name, 'lib');
    assert.deepEqual(summary(plan), {
      lib: 'release 1.0.0→1.1.0',
      app1: 'release 1.0.0→1.0.1',
      app2: 'release 2.0.0→2.0.1',
      app3: 'release 0.1.0→0.1.1',
      zeta: 'skipped 1.0.0→1.0.0',
    });
    assert.deepEqual(chart(plan, 'lib').dependents, ['app1', 'app2', 'app3']);
    assert.deepEqual(chart(plan, 'app2').reasons, [{ kind: 'dependency', chart: 'lib', message: 'depends on lib 1.1.0 (dependency version ~1.0.0 → ~1.1.0)' }]);
    assert.match(chart(plan, 'app1').reasons[0]?.message ?? '', /^depends on lib 1\.1\.0$/);

    const written = await applyPlan(plan);
    assert.equal(written.length, 4);
    assert.match(r.read('charts/app2/Chart.yaml'), /version: "~1\.1\.0"/);
    assert.match(r.read('charts/app2/Chart.yaml'), /\nversion: 2\.0\.1\n/);
    assert.match(r.read('charts/app3/Chart.yaml'), /version: "1\.1\.0"/);
    assert.match(r.read('charts/app1/Chart.yaml'), /version: "\^1\.0\.0"/);
    assert.match(r.read('charts/lib/Chart.yaml'), /\nversion: 1\.1\.0\n/);
  });

  it("a dependent's lock pins a released chart where the plan publishes it by oci:// (the host in any case), and keeps a pin in another namespace", async () => {
    const r = repo();
    const requested = [
      { name: 'lib', version: '~1.0.0', repository: 'oci://GHCR.io/acme/charts' },
      { name: 'base', version: '^1.0.0', repository: 'oci://ghcr.io/acme/vendor' },
    ];
    const locked = requested.map(({ name, repository }) => ({ name, repository, version: '1.0.0' }));
    const lock = helmChartLock({ dependencies: locked, digest: hashRequirements(requested, locked), generated: '2025-03-01T10:00:00Z' });
    const deps = requested.map((d) => `  - name: ${d.name}\n    version: ${d.version}\n    repository: ${d.repository}\n`).join('');
    const base = r.commit('chore: init', {
      ...chartFiles('charts/lib', 'lib', '1.0.0'),
      ...chartFiles('charts/base', 'base', '1.0.0'),
      ...chartFiles('charts/app', 'app', '1.0.0', `dependencies:\n${deps}`),
      'charts/app/Chart.lock': lock,
    });
    r.commit('feat: helpers', { 'charts/lib/templates/_helpers.tpl': 'x\n', 'charts/base/templates/_helpers.tpl': 'x\n' });
    const plan = await createPlan({ cwd: r.dir, base, registryNamespaces: ['oci://ghcr.io/acme/charts/'] });
    assert.deepEqual(summary(plan), { lib: 'release 1.0.0→1.1.0', base: 'release 1.0.0→1.1.0', app: 'release 1.0.0→1.0.1' });
    await applyPlan(plan);
    const pins = parseChartLock(r.read('charts/app/Chart.lock'), 'Chart.lock')?.dependencies.map((d) => `${d.name} ${d.version}`);
    assert.deepEqual(pins, ['lib 1.1.0', 'base 1.0.0']);
  });

  it('keeps a constraint helm reads as admitting the new version, raises one that does not (helm reads prereleases strictly)', async () => {
    const r = repo();
    const deps = (version: string) => `dependencies:\n  - name: lib\n    version: "${version}"\n    repository: file://../lib\n`;
    const base = r.commit('chore: init', {
      ...chartFiles('charts/lib', 'lib', '1.0.0'),
      ...chartFiles('charts/loose', 'loose', '1.0.0', deps('=>1.0.0, !=1.0.5')),
      ...chartFiles('charts/caret', 'caret', '1.0.0', deps('^1.0.0')),
    });
    r.commit('feat(lib): helpers', { 'charts/lib/templates/_helpers.tpl': 'x\n' });
    const plan = await createPlan({ cwd: r.dir, base, prerelease: 'rc' });
    assert.equal(chart(plan, 'lib').nextVersion, '1.1.0-rc.0');
    assert.deepEqual(chart(plan, 'loose').reasons.map((x) => x.message), ['depends on lib 1.1.0-rc.0 (dependency version =>1.0.0, !=1.0.5 → 1.1.0-rc.0)']);
    assert.deepEqual(chart(plan, 'caret').reasons.map((x) => x.message), ['depends on lib 1.1.0-rc.0 (dependency version ^1.0.0 → ^1.1.0-rc.0)']);
    const stable = await createPlan({ cwd: r.dir, base });
    assert.deepEqual(chart(stable, 'loose').reasons.map((x) => x.message), ['depends on lib 1.1.0']);
  });

  it('raises a wildcard constraint that no longer matches by keeping its wildcards where they stood (1.x.x → 2.x.x)', async () => {
    const r = repo();
    const deps = (version: string) => `dependencies:\n  - name: lib\n    version: "${version}"\n    repository: file://../lib\n`;
    const base = r.commit('chore: init', {
      ...chartFiles('charts/lib', 'lib', '1.0.0'),
      ...chartFiles('charts/wild', 'wild', '1.0.0', deps('1.x.x')),
      ...chartFiles('charts/star', 'star', '1.0.0', deps('1.0.*')),
    });
    r.commit('feat(lib)!: new values layout', { 'charts/lib/values.yaml': 'layout: 2\n' });
    const plan = await createPlan({ cwd: r.dir, base });
    assert.equal(chart(plan, 'lib').nextVersion, '2.0.0');
    assert.deepEqual(chart(plan, 'wild').reasons.map((x) => x.message), ['depends on lib 2.0.0 (dependency version 1.x.x → 2.x.x)']);
    assert.deepEqual(chart(plan, 'star').reasons.map((x) => x.message), ['depends on lib 2.0.0 (dependency version 1.0.* → 2.0.*)']);
    // A prerelease is no match for a wildcard in helm's reading: it is pinned exactly.
    const rc = await createPlan({ cwd: r.dir, base, prerelease: 'rc' });
    assert.deepEqual(chart(rc, 'wild').reasons.map((x) => x.message), ['depends on lib 2.0.0-rc.0 (dependency version 1.x.x → 2.0.0-rc.0)']);
    await applyPlan(plan);
    assert.match(r.read('charts/wild/Chart.yaml'), /version: "2\.x\.x"/);
  });

  it('a dependency cycle fails its members, naming it on their dependency lines; other charts are planned', async () => {
    const r = repo();
    r.commit('chore: init', {
      ...chartFiles('charts/a', 'a', '1.0.0', 'dependencies:\n  - name: b\n    version: 1.0.0\n    repository: file://../b\n'),
      ...chartFiles('charts/b', 'b', '1.0.0', 'dependencies:\n  - name: a\n    version: 1.0.0\n    repository: file://../a\n'),
      ...chartFiles('charts/c', 'c', '1.0.0'),
    });
    const plan = await createPlan({ cwd: r.dir });
    assert.deepEqual(plan.charts.map((c) => c.name), ['c']);
    assert.deepEqual(
      plan.invalid.map((i) => `${i.chartYaml}:${i.line}: ${i.field}: ${i.message}`),
      ['charts/a/Chart.yaml:8: dependencies[0]: dependency cycle: a → b → a', 'charts/b/Chart.yaml:8: dependencies[0]: dependency cycle: a → b → a'],
    );
  });
});

describe('since release tags', () => {
  it('gives each chart its own range from its newest tag; untagged charts are first releases', async () => {
    const r = repo();
    r.commit('chore: init', { ...chartFiles('charts/a', 'a', '1.0.0'), ...chartFiles('charts/b', 'b', '1.0.0'), ...chartFiles('charts/new', 'new', '0.1.0') });
    r.tag('a-1.0.0');
    r.commit('feat: both', { 'charts/a/values.yaml': 'v: 2\n', 'charts/b/values.yaml': 'v: 2\n' });
    r.commit('chore(b): release 1.0.0');
    r.tag('b-1.0.0');
    r.tag('b-0.9.0', 'HEAD~2');
    r.commit('fix: a', { 'charts/a/templates/cm.yaml': 'kind: ConfigMap\n' });
    const plan = await createPlan({ cwd: r.dir });
    assert.equal(plan.base, undefined);
    assert.deepEqual(summary(plan), { a: 'release 1.0.0→1.1.0', b: 'skipped 1.0.0→1.0.0', new: 'release 0.1.0→0.1.0' });
    assert.equal(chart(plan, 'a').changelog.length, 2);
    assert.equal(chart(plan, 'new').reasons[0]?.kind, 'first-release');
  });

  it('says so when the releases are tagged under another common template (bitnami: {name}/{version})', async () => {
    const r = repo();
    r.commit('chore: init', { ...chartFiles('charts/a', 'a', '1.0.0'), ...chartFiles('charts/b', 'b', '2.0.0') });
    r.tag('a/1.0.0');
    r.tag('b/2.0.0');
    r.tag('nightly');
    const warnings: ChartshipError[] = [];
    const plan = await createPlan({ cwd: r.dir, onWarning: (w) => warnings.push(w) });
    assert.deepEqual(summary(plan), { a: 'release 1.0.0→1.0.0', b: 'release 2.0.0→2.0.0' });
    assert.deepEqual(
      warnings.map((w) => w.describe()),
      [
        "no tag reads as a release under the tag template {name}-{version}, while tags such as a/1.0.0 read as {name}/{version}: every chart is planned as never released (if those are the releases, set the release tag template to {name}/{version}: --release-tag-template, or the action's release-tag-template input)",
      ],
    );
    const tagged: ChartshipError[] = [];
    const right = await createPlan({ cwd: r.dir, tagTemplate: '{name}/{version}', onWarning: (w) => tagged.push(w) });
    assert.deepEqual(summary(right), { a: 'skipped 1.0.0→1.0.0', b: 'skipped 2.0.0→2.0.0' });
    assert.deepEqual(tagged, []);
  });

  it('finds the release tag of a version helm accepts but SemVer does not (v0.1.0), and bumps from it', async () => {
    const r = repo();
    r.commit('chore: init', { ...chartFiles('charts/web', 'web', 'v0.1.0'), 'charts/web/values.yaml': 'v: 1\n' });
    r.tag('web-v0.1.0');
    r.tag('web-v0.0.9');
    r.commit('fix: web', { 'charts/web/values.yaml': 'v: 2\n' });
    const plan = await createPlan({ cwd: r.dir });
    assert.equal(chart(plan, 'web').previousVersion, 'v0.1.0');
    assert.deepEqual(summary(plan), { web: 'release v0.1.0→0.1.1' });
  });

  it("a release commit (commit-bump's, after the tag of what it published) is no change of the chart: not counted, not listed", async () => {
    const r = repo();
    r.commit('chore: init', chartFiles('charts/web', 'web', '1.2.0'));
    r.commit('feat: x', { 'charts/web/values.yaml': 'x: 1\n' });
    r.tag('web-1.3.0');
    r.commit('chore(release): web 1.3.0 [skip ci]', { 'charts/web/Chart.yaml': chartFiles('charts/web', 'web', '1.3.0')['charts/web/Chart.yaml']! });
    const quiet = await createPlan({ cwd: r.dir });
    assert.deepEqual(summary(quiet), { web: 'skipped 1.3.0→1.3.0' });
    r.commit('fix: y', { 'charts/web/values.yaml': 'x: 2\n' });
    const next = chart(await createPlan({ cwd: r.dir }), 'web');
    assert.equal(next.nextVersion, '1.3.1');
    assert.deepEqual(next.changelog.map((e) => e.subject), ['y']);
  });

  it('a commit made by hand under a release subject that changes a template is a change of the chart like any other', async () => {
    const r = repo();
    r.commit('chore: init', chartFiles('charts/web', 'web', '1.2.0'));
    r.tag('web-1.2.0');
    r.commit('chore(release): tweak the template', { 'charts/web/values.yaml': 'x: 1\n' });
    const plan = await createPlan({ cwd: r.dir });
    assert.deepEqual(summary(plan), { web: 'release 1.2.0→1.2.1' });
    assert.deepEqual(chart(plan, 'web').changelog.map((e) => e.subject), ['tweak the template']);
  });

  it('walks a prerelease channel across releases with a custom tag template', async () => {
    const r = repo();
    r.commit('chore: init', chartFiles('charts/web', 'web', '1.2.0'));
    r.tag('web-v1.2.0');
    r.commit('feat: x', { 'charts/web/values.yaml': 'x: 1\n' });
    const options = { cwd: r.dir, tagTemplate: '{name}-v{version}', prerelease: 'rc' };
    const first = await createPlan(options);
    assert.equal(chart(first, 'web').nextVersion, '1.3.0-rc.0');
    await applyPlan(first);
    r.commit('chore(release): web 1.3.0-rc.0');
    r.tag('web-v1.3.0-rc.0');
    r.commit('fix: y', { 'charts/web/values.yaml': 'x: 2\n' });
    const second = await createPlan(options);
    assert.equal(chart(second, 'web').previousVersion, '1.3.0-rc.0');
    assert.equal(chart(second, 'web').nextVersion, '1.3.0-rc.1');
    assert.equal(chart(second, 'web').bump, 'prerelease');
    const stable = await createPlan({ ...options, prerelease: undefined });
    assert.equal(chart(stable, 'web').nextVersion, '1.3.0');
  });

  it('applyPlan changes only the version line of a commented Chart.yaml, and appVersion on request', async () => {
    const r = repo();
    const text = [
      '# Maintained by the web team.',
      'apiVersion: v2',
      'name: web',
      '# Bumped by chartship:',
      "version: '2.3.4'   # keep quotes",
      'appVersion: "9.9"',
      'keywords: [a,  b]',
      'maintainers:',
      '- name: Jane   # lead',
      '',
    ].join('\n');
    r.commit('chore: init', { ...chartFiles('charts/web', 'web', '2.3.4'), 'charts/web/Chart.yaml': text });
    r.tag('web-2.3.4');
    r.commit('fix: y', { 'charts/web/values.yaml': 'x: 2\n' });
    const plan = await createPlan({ cwd: r.dir });
    const written = await applyPlan(plan);
    assert.equal(written.length, 1);
    const after = r.read('charts/web/Chart.yaml').split('\n');
    const before = text.split('\n');
    assert.deepEqual(after.filter((_, i) => i !== 4), before.filter((_, i) => i !== 4));
    assert.equal(after[4], "version: '2.3.5'   # keep quotes");

    const follow = await createPlan({ cwd: r.dir, appVersion: 'follow' });
    assert.equal(chart(follow, 'web').nextAppVersion, '2.3.5');
    await applyPlan(follow);
    assert.match(r.read('charts/web/Chart.yaml'), /\nappVersion: "2\.3\.5"\n/);
  });
});
