/**
 * Commit messages and histories against the bump and release-notes section chartship gives them, each row with why:
 * the Conventional Commits 1.0.0 text (§N is its numbered rule), what conventional-commits-parser (the parser used
 * here, as by semantic-release and conventional-changelog) reads, or what release-please does. Where chartship chooses
 * otherwise on purpose (README, "Which commits release a chart" and "Versioning options"), the row says so.
 *
 * The messages are decided by the pure functions; the rows where history matters (merges, reverts as git writes them,
 * files a commit touches) run the plan on real git repositories.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { groupChangelog } from '../../src/model/changelog.js';
import type { ChartPlan } from '../../src/model/plan.js';
import { createPlan } from '../../src/pipeline/plan.js';
import { parseCommit } from '../../src/versioning/commit.js';
import { decideVersion, type ChartCommit, type VersioningOptions } from '../../src/versioning/decide.js';
import { chartFiles, createRepo, type TestRepo } from '../helpers/git.js';

interface Row {
  message: string;
  /** The chart's version (released as such); 1.2.0 unless given. */
  current?: string;
  options?: VersioningOptions;
  /** The next version, or null for no release. */
  next: string | null;
  /** The release-notes section the commit is listed under (should the chart release), none when it is left out. */
  section?: string;
  why: string;
}

const SHA = '0123456789abcdef0123456789abcdef01234567';

const ROWS: Row[] = [
  // The header: type, scope, `!`.
  { message: 'feat: a knob', next: '1.3.0', section: 'Features', why: 'spec §1-2, 4: feat is a MINOR' },
  { message: 'fix: a crash', next: '1.2.1', section: 'Bug Fixes', why: 'spec §3: fix is a PATCH' },
  { message: 'perf: faster render', next: '1.2.1', section: 'Performance', why: 'release-please: perf is a PATCH under its own section' },
  { message: 'feat!: drop the old port', next: '2.0.0', section: 'Breaking changes', why: 'spec §13: `!` before the colon is a breaking change (MAJOR)' },
  { message: 'fix(web)!: rename a value', next: '2.0.0', section: 'Breaking changes', why: 'spec §13: `!` after the scope' },
  { message: 'chore!: drop helm 2', next: '2.0.0', section: 'Breaking changes', why: 'spec §13: `!` on any type is breaking' },
  { message: 'feat(web,api): two scopes', next: '1.3.0', section: 'Features', why: 'conventional-commits-parser reads any scope text; chartship splits it on commas to name charts' },
  { message: 'FEAT: upper case', next: '1.3.0', section: 'Features', why: 'spec §16: types MUST NOT be treated as case sensitive' },
  { message: 'Fix(Web): mixed case', next: '1.2.1', section: 'Bug Fixes', why: 'spec §16' },
  { message: 'feat:no space', next: '1.3.0', section: 'Features', why: 'release-please\'s grammar takes `":" <whitespace>*` (the spec wants the space): a feature is not lost to it' },
  { message: 'fix!:no space', next: '2.0.0', section: 'Breaking changes', why: 'as above: a breaking mark is not lost to a missing space (release-please reads it breaking)' },
  { message: 'feat : space before the colon', next: '1.2.1', section: 'Other', why: 'spec §1: the colon follows the type; release-please and the parser read no type: another change, a patch (deliberate: other-types)' },
  { message: 'feat: ', next: '1.2.1', section: 'Other', why: 'spec §5: a description MUST follow: no conventional header, another change' },
  { message: 'feat(): empty scope', next: '1.3.0', section: 'Features', why: 'conventional-commits-parser reads feat with no scope' },
  { message: 'update the chart', next: '1.2.1', section: 'Other', why: 'not conventional: any change to packaged files releases a patch (README: other types a patch)' },
  { message: 'update the chart', options: { otherTypes: 'none' }, next: null, section: 'Other', why: 'other-types none: only release types release (release-please: nothing releasable); listed if the chart releases for another reason' },
  { message: 'docs: explain values', next: '1.2.1', section: 'Other', why: 'a packaged file changed: a patch, so the same version never holds other content (deliberate: release-please would skip docs)' },
  { message: 'docs: explain values', options: { changelogTypes: [{ type: 'docs', hidden: true }] }, next: null, why: 'a hidden type neither releases nor is listed (release-please changelog-sections hidden)' },
  { message: 'docs!: values renamed', options: { changelogTypes: [{ type: 'docs', hidden: true }] }, next: '2.0.0', section: 'Breaking changes', why: 'a breaking change of a hidden type still releases and is listed (release-please: breaking always bumps)' },
  { message: ':sparkles: feat: gitmoji first', next: '1.2.1', section: 'Other', why: 'spec §1: the header starts with the type; release-please and the parser read no type (another change)' },
  { message: 'feat: ✨ gitmoji after the colon', next: '1.3.0', section: 'Features', why: 'the description is free text (spec §5)' },
  { message: 'fixup! feat: squashed later', next: '1.2.1', section: 'Other', why: 'not a conventional header: another change' },

  // Footers and the body.
  { message: 'fix: x\n\nBREAKING CHANGE: values.port is gone', next: '2.0.0', section: 'Breaking changes', why: 'spec §11-12: a BREAKING CHANGE footer' },
  { message: 'fix: x\n\nBREAKING-CHANGE: values.port is gone', next: '2.0.0', section: 'Breaking changes', why: 'spec §15-16: BREAKING-CHANGE is synonymous' },
  { message: 'feat: x\n\nBREAKING CHANGE #12: values.port is gone', next: '2.0.0', section: 'Breaking changes', why: 'spec §9: a footer token may be followed by ` #`' },
  { message: 'fix: x\n\nThe body.\n\nReviewed-by: Z\nBREAKING CHANGE: y\nCo-authored-by: A <a@example.com>', next: '2.0.0', section: 'Breaking changes', why: 'spec §8-10: one footer among others' },
  { message: 'fix: x\n\nFirst paragraph.\n\nBREAKING CHANGE: y\n\nA paragraph after it.', next: '2.0.0', section: 'Breaking changes', why: 'spec §10: a footer value runs to the next token, so the paragraph after is its value; release-please reads a body BREAKING CHANGE too' },
  { message: 'feat!: x\n\nBREAKING CHANGE: why', next: '2.0.0', section: 'Breaking changes', why: 'spec §13: `!` and the footer together: one major' },
  { message: 'fix: x\r\n\r\nBREAKING CHANGE: y\r\n', next: '2.0.0', section: 'Breaking changes', why: 'a CRLF message is read line by line as git and the parser split it' },
  { message: 'feat(web)!: x\r\n', next: '2.0.0', section: 'Breaking changes', why: 'a CRLF header' },
  { message: 'fix: x\n\nThis keeps BREAKING CHANGE: out of the footer.', next: '1.2.1', section: 'Bug Fixes', why: 'spec §11: BREAKING CHANGE is a footer token, at the start of its line; mid-line it is prose' },
  { message: 'fix: keep the old key\n\nBreaking change avoided by reading both keys.', next: '1.2.1', section: 'Bug Fixes', why: 'spec §9: a footer is `token: ` or `token #` (release-please alike); the parser\'s default also took a space and made this a major' },
  { message: 'fix: x\n\nBREAKING CHANGES: y', next: '1.2.1', section: 'Bug Fixes', why: 'spec §12, §15: the token is BREAKING CHANGE; neither release-please nor the parser reads the plural' },
  { message: 'fix: x\n\nbreaking change: y', next: '2.0.0', section: 'Breaking changes', why: 'deliberate: spec §16 wants upper case, but a lower-case footer means one (conventional-commits-parser, so semantic-release, reads it so); a missed major costs more' },
  { message: 'fix: x\n\nCo-authored-by: A <a@example.com>\nSigned-off-by: B <b@example.com>', next: '1.2.1', section: 'Bug Fixes', why: 'spec §8: other footers carry no bump' },
  { message: 'fix(api): squash (#12)\n\n* feat: a knob\n\n* feat!: drop x\n\n* fix: y', next: '1.2.1', section: 'Bug Fixes', why: 'deliberate: the header decides (spec: one header per commit; GitHub makes it the PR title; release-please and semantic-release read `* feat:` bullets as body)' },
  { message: 'fix: squash (#12)\n\n* feat: a knob\n\nBREAKING CHANGE: values.x is gone\n\n* fix: y', next: '2.0.0', section: 'Breaking changes', why: 'a squashed commit\'s BREAKING CHANGE footer lands in the body at the start of a line: still read' },
  { message: 'fix: squash (#12)\n\n* BREAKING CHANGE: values.x is gone', next: '2.0.0', section: 'Breaking changes', why: 'conventional-commits-parser reads a note after `*` or indentation (a bulleted squash body)' },
  { message: 'fix: x\n\nRelease-As: 3.0.0', next: '3.0.0', section: 'Bug Fixes', why: 'release-please\'s Release-As footer sets the version' },

  // Below 1.0.0 and prereleases.
  { message: 'feat!: new API', current: '0.4.2', next: '0.5.0', section: 'Breaking changes', why: 'deliberate default bump-minor-pre-major: true (SemVer §4: 0.y.z may change anything; release-please\'s option of that name)' },
  { message: 'feat!: new API', current: '0.4.2', options: { bumpMinorPreMajor: false }, next: '1.0.0', section: 'Breaking changes', why: 'release-please\'s default: breaking below 1.0.0 is 1.0.0' },
  { message: 'feat: a knob', current: '0.4.2', next: '0.5.0', section: 'Features', why: 'a feature below 1.0.0 is a minor (release-please)' },
  { message: 'feat: a knob', current: '0.4.2', options: { bumpPatchForMinorPreMajor: true }, next: '0.4.3', section: 'Features', why: 'release-please\'s bump-patch-for-minor-pre-major' },
  { message: 'fix: a crash', current: '1.2.0-rc.1', next: '1.2.0', section: 'Bug Fixes', why: 'without a channel the prerelease\'s target is released (node-semver inc; SemVer §11: 1.2.0-rc.1 < 1.2.0)' },
  { message: 'feat: a knob', current: '1.2.0-rc.1', next: '1.2.0', section: 'Features', why: '1.2.0 is already a minor above 1.1.x: the rc\'s target holds the feature' },
  { message: 'feat!: x', current: '1.2.0-rc.1', next: '2.0.0', section: 'Breaking changes', why: 'a major above the rc\'s target' },
  { message: 'fix: a crash', current: '1.2.0-rc.1', options: { prerelease: 'rc' }, next: '1.2.0-rc.2', section: 'Bug Fixes', why: 'on the channel, the counter rises' },
  { message: 'feat!: x', current: '1.2.0-rc.1', options: { prerelease: 'rc' }, next: '2.0.0-rc.0', section: 'Breaking changes', why: 'a change beyond the rc\'s target opens a new one' },

  // Reverts of a commit outside the range (one inside is in the history rows).
  { message: `Revert "feat: a knob"\n\nThis reverts commit ${SHA}.`, next: '1.2.1', section: 'Reverts', why: 'deliberate: the reverted commit was released before, the revert changes the chart: a patch (release-please lists reverts as well)' },
  { message: 'revert: feat: a knob', next: '1.2.1', section: 'Reverts', why: 'the conventional revert type: a patch' },

  // Dependabot and Renovate.
  { message: 'chore(deps): bump redis from 17.0.0 to 18.0.0 in /charts/web', next: '1.2.1', section: 'Other', why: 'a dependency bump changes the chart: a patch (other-types); release-please would hide chore' },
  { message: 'build(deps): bump the helm group with 2 updates', next: '1.2.1', section: 'Other', why: 'as chore(deps)' },
  { message: 'fix(deps): update helm release redis to v18', next: '1.2.1', section: 'Bug Fixes', why: 'Renovate\'s semantic commits: a fix' },
  { message: 'chore(deps)!: update helm release redis to v18', next: '2.0.0', section: 'Breaking changes', why: 'Renovate marks a major update with `!`: spec §13' },
];

function decideRow(row: Row) {
  const current = row.current ?? '1.2.0';
  const commit: ChartCommit = { commit: parseCommit(SHA.replace('0', 'f'), row.message), touchesChart: true };
  return decideVersion({ chart: 'web', currentVersion: current, previousVersion: current, commits: [commit] }, row.options);
}

describe('Conventional Commits table: one commit changing the chart', () => {
  assert.ok(ROWS.length >= 40);
  for (const row of ROWS) {
    it(`${JSON.stringify(row.message)}${row.current ? ` at ${row.current}` : ''}${row.options ? ` ${JSON.stringify(row.options)}` : ''}: ${row.why}`, () => {
      const decision = decideRow(row);
      assert.equal(decision.release ? decision.nextVersion : null, row.next);
      const sections = groupChangelog(decision.changelog).map((g) => g.title);
      assert.deepEqual(sections, row.section ? [row.section] : [], 'the release-notes section');
      // The whole-message parse (the reference) agrees with the fast path.
      assert.deepEqual(parseCommit(SHA, row.message, true), parseCommit(SHA, row.message));
    });
  }
});

describe('Conventional Commits table: histories', () => {
  const repos: TestRepo[] = [];
  afterEach(() => {
    for (const r of repos.splice(0)) r.cleanup();
  });
  /** A repository with `web` and `lib` released at 1.0.0 (tagged as chartship tags them); lib's .helmignore leaves out its README. */
  function repo(): TestRepo {
    const r = createRepo();
    repos.push(r);
    r.commit('chore: init', { ...chartFiles('charts/web', 'web', '1.0.0'), ...chartFiles('charts/lib', 'lib', '1.0.0'), 'charts/web/README.md': '# web\n', 'charts/lib/README.md': '# lib\n', 'charts/lib/.helmignore': 'README.md\n' });
    r.tag('web-1.0.0');
    r.tag('lib-1.0.0');
    return r;
  }
  async function plan(r: TestRepo): Promise<Map<string, ChartPlan>> {
    return new Map((await createPlan({ cwd: r.dir })).charts.map((c) => [c.name, c]));
  }
  const summary = (c: ChartPlan | undefined) => [c?.action, c?.nextVersion, groupChangelog(c?.changelog ?? []).map((g) => `${g.title}: ${g.entries.map((e) => e.subject).join(', ')}`)];

  it('a revert in the range cancels the reverted feature; a revert of that revert (git ≥ 2.43 writes `Reapply "…"`) lands it again', async () => {
    const r = repo();
    const feat = r.commit('feat: a knob', { 'charts/web/values.yaml': 'knob: true\n' });
    r.commit('fix: a crash', { 'charts/web/templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web2\n' });
    const revert = r.commit(`Revert "feat: a knob"\n\nThis reverts commit ${feat}.`, { 'charts/web/values.yaml': 'replicas: 1\n' });
    assert.deepEqual(summary((await plan(r)).get('web')), ['release', '1.0.1', ['Bug Fixes: a crash']], 'git revert: the feature is out');
    r.commit(`Reapply "feat: a knob"\n\nThis reverts commit ${revert}.`, { 'charts/web/values.yaml': 'knob: true\n' });
    assert.deepEqual(summary((await plan(r)).get('web')), ['release', '1.1.0', ['Features: a knob', 'Bug Fixes: a crash']]);
  });

  it('a squash-merged revert (`Revert "feat: x (#12)" (#13)`) cancels the squash-merged feature, by SHA or by header alone', async () => {
    const r = repo();
    const feat = r.commit('feat: a knob (#12)', { 'charts/web/values.yaml': 'knob: true\n' });
    r.commit('fix: a crash (#14)', { 'charts/web/templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web2\n' });
    r.commit(`Revert "feat: a knob (#12)" (#13)\n\nThis reverts commit ${feat}.`, { 'charts/web/values.yaml': 'replicas: 1\n' });
    assert.deepEqual(summary((await plan(r)).get('web')), ['release', '1.0.1', ['Bug Fixes: a crash']]);
    const s = repo();
    s.commit('feat(web): a knob (#12)', { 'charts/web/values.yaml': 'knob: true\n' });
    s.commit('Revert "feat(web): a knob (#12)" (#13)\n\nReverts acme/charts#12', { 'charts/web/values.yaml': 'replicas: 1\n' });
    assert.deepEqual(summary((await plan(s)).get('web')), ['skipped', '1.0.0', []], 'GitHub\'s revert pull request body names no SHA');
  });

  it('a merge commit releases nothing of its own: the merged commits decide', async () => {
    const r = repo();
    r.git('checkout', '-q', '-b', 'topic');
    r.commit('feat: a knob', { 'charts/web/values.yaml': 'knob: true\n' });
    r.git('checkout', '-q', 'main');
    r.commit('fix(lib): a crash', { 'charts/lib/values.yaml': 'replicas: 2\n' });
    r.git('merge', '-q', '--no-ff', '-m', 'Merge pull request #3 from acme/topic\n\nfeat!: not the merged commits', 'topic');
    const charts = await plan(r);
    assert.deepEqual(summary(charts.get('web')), ['release', '1.1.0', ['Features: a knob']]);
    assert.deepEqual(summary(charts.get('lib')), ['release', '1.0.1', ['Bug Fixes: a crash']]);
  });

  it('a commit that only touches a chart\'s README releases a patch (helm packages it), none when .helmignore leaves it out', async () => {
    const r = repo();
    r.commit('docs(web): usage', { 'charts/web/README.md': '# web\n\nUsage.\n' });
    assert.deepEqual(summary((await plan(r)).get('web')), ['release', '1.0.1', ['Other: usage']]);
    r.commit('feat(lib): document it', { 'charts/lib/README.md': '# lib\n\nUsage.\n' });
    assert.deepEqual(summary((await plan(r)).get('lib')), ['skipped', '1.0.0', []]);
  });

  it('a commit touching two charts: its type for the chart its scope names, another change for the other', async () => {
    const r = repo();
    r.commit('feat(web)!: a new values layout, with a helper in lib', { 'charts/web/values.yaml': 'v2: true\n', 'charts/lib/templates/_x.tpl': 'x\n' });
    const charts = await plan(r);
    assert.deepEqual(summary(charts.get('web')), ['release', '2.0.0', ['Breaking changes: a new values layout, with a helper in lib']]);
    assert.deepEqual(charts.get('lib')?.nextVersion, '1.0.1', 'documented: "feat(web) changing web and lib is a minor for web and another change for lib"');
    const c = repo();
    c.commit('feat(Web): the scope in another case', { 'charts/web/values.yaml': 'a: 1\n', 'charts/lib/values.yaml': 'a: 1\n' });
    c.commit('chore(WEB): release it\n\nRelease-As: 1.5.0', { '.github/workflows/x.yaml': 'on: push\n' });
    const cased = await plan(c);
    assert.deepEqual([cased.get('web')?.nextVersion, cased.get('lib')?.nextVersion], ['1.5.0', '1.0.1'], 'spec §16: a scope is not case sensitive');
    const s = repo();
    s.commit('feat: both charts', { 'charts/web/values.yaml': 'a: 1\n', 'charts/lib/values.yaml': 'a: 1\n' });
    const both = await plan(s);
    assert.deepEqual([both.get('web')?.nextVersion, both.get('lib')?.nextVersion], ['1.1.0', '1.1.0'], 'unscoped: the type is every chart\'s');
  });
});
