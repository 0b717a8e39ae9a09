import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { editChartYaml } from '../../src/versioning/chart-yaml.js';
import { renderChangelogText } from '../../src/report/plan-text.js';
import { parseCommit } from '../../src/versioning/commit.js';
import { decideVersion, type ChartCommit } from '../../src/versioning/decide.js';
import { nextVersion } from '../../src/versioning/next-version.js';
import { ChartshipError } from '../../src/model/errors.js';

let n = 0;
const sha = () => (++n).toString(16).padStart(40, 'a');
const touch = (message: string, s = sha()): ChartCommit => ({ commit: parseCommit(s, message), touchesChart: true });
const scoped = (message: string): ChartCommit => ({ commit: parseCommit(sha(), message), touchesChart: false });
/** `previous` null: never released. */
const decide = (commits: ChartCommit[], current = '1.2.0', options = {}, previous: string | null = current) =>
  decideVersion({ chart: 'web', currentVersion: current, previousVersion: previous ?? undefined, commits }, options);

describe('parseCommit', () => {
  it('reads type, scopes, breaking marks, Release-As and PR numbers', () => {
    const c = parseCommit('a'.repeat(40), 'feat(web,api)!: new port (#42)\n\nbody\n\nRelease-As: 3.0.0');
    assert.equal(c.type, 'feat');
    assert.deepEqual(c.scopes, ['web', 'api']);
    assert.equal(c.breaking, true);
    assert.equal(c.releaseAs, '3.0.0');
    assert.equal(c.pr, 42);
    assert.equal(c.subject, 'new port');
    assert.equal(parseCommit('b', 'fix: x\n\nBREAKING CHANGE: removed y').breaking, true);
    assert.equal(parseCommit('c', 'update readme').type, 'other');
  });

  it('understands git and conventional revert messages', () => {
    const git = parseCommit('d', 'Revert "feat: add x"\n\nThis reverts commit 0123456789abcdef0123456789abcdef01234567.');
    assert.equal(git.type, 'revert');
    assert.deepEqual(git.reverts, { sha: '0123456789abcdef0123456789abcdef01234567', header: 'feat: add x' });
    const conventional = parseCommit('e', 'revert: feat: add x');
    assert.equal(conventional.reverts?.header, 'feat: add x');
  });
});

describe('nextVersion', () => {
  it('bumps by level, breaking below 1.0.0 is minor', () => {
    assert.equal(nextVersion('1.2.3', 'major').version, '2.0.0');
    assert.equal(nextVersion('1.2.3', 'minor').version, '1.3.0');
    assert.equal(nextVersion('1.2.3', 'patch').version, '1.2.4');
    assert.deepEqual(nextVersion('0.4.1', 'major'), { version: '0.5.0', bump: 'minor' });
  });

  it('bumps a version helm accepts but SemVer does not as helm reads it, and says what it did', () => {
    assert.deepEqual(nextVersion('v0.1.0', 'patch'), {
      version: '0.1.1',
      bump: 'patch',
      note: 'version v0.1.0 is not SemVer 2: read as 0.1.0 (the "v" prefix dropped), so the next version is 0.1.1',
    });
    assert.equal(nextVersion('1', 'minor').note, 'version 1 is not SemVer 2: read as 1.0.0 (missing parts read as 0), so the next version is 1.1.0');
    assert.equal(nextVersion('v01.2', 'major').version, '2.0.0');
    assert.match(nextVersion('v01.2', 'major').note ?? '', /\(the "v" prefix dropped, missing parts read as 0, leading zeros dropped\)/);
    assert.equal(nextVersion('1.2.3', 'patch').note, undefined);
    assert.equal(decide([touch('feat: x')], 'v1.2.0').nextVersion, '1.3.0');
    assert.match(decide([touch('feat: x')], 'v1.2.0').note ?? '', /read as 1\.2\.0/);
  });

  it('walks a prerelease channel: rc.0, rc.1, then a higher target restarts it', () => {
    const first = nextVersion('1.2.0', 'minor', 'rc');
    assert.deepEqual(first, { version: '1.3.0-rc.0', bump: 'minor' });
    const second = nextVersion(first.version, 'patch', 'rc');
    assert.deepEqual(second, { version: '1.3.0-rc.1', bump: 'prerelease' });
    assert.equal(nextVersion(second.version, 'minor', 'rc').version, '1.3.0-rc.2');
    assert.equal(nextVersion(second.version, 'major', 'rc').version, '2.0.0-rc.0');
    assert.equal(nextVersion('1.2.1-rc.0', 'minor', 'rc').version, '1.3.0-rc.0');
    assert.equal(nextVersion('1.3.0-beta.3', 'patch', 'rc').version, '1.3.0-rc.0');
    // Leaving the channel releases the target itself.
    assert.equal(nextVersion('1.3.0-rc.2', 'patch').version, '1.3.0');
  });
});

describe('decideVersion', () => {
  it('takes the highest level among the commits', () => {
    const d = decide([touch('fix: a'), touch('feat: b'), touch('docs: c')]);
    assert.equal(d.nextVersion, '1.3.0');
    assert.equal(d.bump, 'minor');
    assert.equal(d.release, true);
    assert.equal(d.reasons.length, 3);
    assert.equal(decide([touch('feat!: drop x')]).nextVersion, '2.0.0');
    assert.equal(decide([touch('perf: faster')]).nextVersion, '1.2.1');
  });

  it('other types patch a changed chart unless configured off, and never a chart only named in a scope', () => {
    assert.equal(decide([touch('chore: tidy')]).nextVersion, '1.2.1');
    assert.equal(decide([touch('chore: tidy')], '1.2.0', { otherTypes: 'none' }).release, false);
    assert.equal(decide([scoped('chore(web): tidy')]).release, false);
    assert.equal(decide([scoped('feat(api): other chart')]).release, false);
  });

  it('a feat or fix naming the chart but changing none of its files does not release it', () => {
    const d = decide([scoped('feat(web): ci for web'), scoped('fix(web)!: scripts')]);
    assert.equal(d.release, false);
    assert.deepEqual(d.changelog, [], 'nor does it enter the changelog of a release made for other reasons');
    assert.equal(decide([touch('fix: values'), scoped('feat(web): ci for web')]).nextVersion, '1.2.1');
    // An explicit Release-As still counts from a commit that only names the chart (an empty release commit).
    assert.equal(decide([scoped('chore(web): release\n\nRelease-As: 2.0.0')]).nextVersion, '2.0.0');
  });

  it("a commit scoped to another chart it changed counts here as a change of another type", () => {
    const elsewhere = (message: string): ChartCommit => ({ commit: parseCommit(sha(), message), touchesChart: true, scopedElsewhere: true });
    assert.deepEqual([decide([elsewhere('feat(api)!: new api')]).nextVersion, decide([elsewhere('feat(api): x')]).bump], ['1.2.1', 'patch']);
    assert.equal(decide([elsewhere('feat(api): x')], '1.2.0', { otherTypes: 'none' }).release, false);
  });

  it('lists the commit that set the level first (the oldest at that level), then the others newest first', () => {
    const oldFeat = touch('feat: first feature');
    const d = decide([touch('fix: newest'), touch('feat: second feature'), touch('docs: notes'), oldFeat, touch('fix: oldest')]);
    assert.equal(d.nextVersion, '1.3.0');
    assert.deepEqual(d.reasons.map((r) => r.message), ['minor: feat: first feature', 'patch: fix: newest', 'minor: feat: second feature', 'patch (other-types): docs: notes', 'patch: fix: oldest']);
    assert.equal(d.reasons[0]!.sha, oldFeat.commit.sha);
  });

  it('Release-As wins, a hand-edited version is kept, a chart without release is a first release', () => {
    const d = decide([touch('feat: x'), touch('fix: y\n\nRelease-As: 4.0.0')]);
    assert.equal(d.nextVersion, '4.0.0');
    assert.equal(d.reasons[0]?.kind, 'release-as');
    const manual = decide([touch('feat: x')], '1.5.0', {}, '1.2.0');
    assert.equal(manual.nextVersion, '1.5.0');
    assert.equal(manual.reasons[0]?.kind, 'manual-version');
    assert.equal(manual.bump, 'minor');
    const first = decide([], '0.1.0', {}, null);
    assert.equal(first.reasons[0]?.kind, 'first-release');
    assert.equal(first.nextVersion, '0.1.0');
    assert.throws(() => decide([touch('fix: y\n\nRelease-As: v2')]), ChartshipError);
  });

  it('Release-As takes a leading v as release-please does, and still refuses what is no version, naming commit and footer', () => {
    const d = decide([touch('fix: y\n\nRelease-As: v2.0.0')]);
    assert.equal(d.nextVersion, '2.0.0');
    assert.equal(d.bump, 'major');
    assert.deepEqual(d.reasons.map((r) => r.message), ['Release-As: 2.0.0']);
    // Asking for the version the chart already has is no request: the commits decide, as with `Release-As: 1.2.0`.
    assert.equal(decide([touch('fix: y\n\nRelease-As: v1.2.0')]).nextVersion, '1.2.1');
    for (const bad of ['v2', 'vv2.0.0', 'V2.0.0', 'version-2.0.0']) {
      const commit = touch(`fix: y\n\nRelease-As: ${bad}`);
      assert.throws(
        () => decide([commit]),
        (error: unknown) =>
          error instanceof ChartshipError &&
          error.field === 'Release-As' &&
          error.message === `${JSON.stringify(bad)} in commit ${commit.commit.sha.slice(0, 7)} is not a SemVer version`,
        bad,
      );
    }
  });

  it('a revert cancels the reverted commit when both are in range', () => {
    const feat = touch('feat: x');
    const revert = touch(`Revert "feat: x"\n\nThis reverts commit ${feat.commit.sha}.`);
    const d = decide([revert, touch('fix: y'), feat]);
    assert.equal(d.nextVersion, '1.2.1');
    assert.deepEqual(d.changelog.map((e) => e.subject), ['y']);
    // Without its target the revert is an ordinary change.
    assert.equal(decide([revert]).nextVersion, '1.2.1');
  });

  it('versionBump none releases only explicit versions', () => {
    assert.equal(decide([touch('feat: x')], '1.2.0', { versionBump: 'none' }).release, false);
    assert.equal(decide([touch('feat: x')], '1.3.0', { versionBump: 'none' }, '1.2.0').nextVersion, '1.3.0');
  });

  it('changelog groups by type with short SHAs and PR numbers', () => {
    const d = decide([touch('fix: b (#7)'), touch('feat(web): a'), touch('feat!: c')]);
    assert.deepEqual(d.changelog.map((e) => [e.type, e.subject, e.pr]), [['feat', 'c', undefined], ['feat', 'a', undefined], ['fix', 'b', 7]]);
    const text = renderChangelogText(d.changelog);
    assert.match(text, /### Breaking changes\n\n- c \([0-9a-f]{7}\)/);
    assert.match(text, /### Bug Fixes\n\n- b \(#7\)/);
  });
});

describe('editChartYaml', () => {
  const original = [
    '# Top comment',
    'apiVersion: v2',
    'name: web   # the name',
    "description: 'It''s a chart'",
    'version: "1.2.0" # bumped by chartship',
    'keywords:',
    '- a',
    '-   b',
    'dependencies:',
    '  - name: lib',
    '    version: ^1.0.0',
    '    repository: file://../lib',
    'annotations: {x: "1"}',
    '',
  ].join('\n');

  it('changes only the edited values, keeping quotes, comments and layout byte for byte', () => {
    const out = editChartYaml(original, { version: '1.3.0', dependencies: [{ index: 0, version: '^2.0.0' }] });
    const before = original.split('\n');
    const after = out.split('\n');
    assert.equal(after.length, before.length);
    const changed = after.map((line, i) => (line === before[i] ? undefined : i)).filter((i) => i !== undefined);
    assert.deepEqual(changed, [4, 10]);
    assert.equal(after[4], 'version: "1.3.0" # bumped by chartship');
    assert.equal(after[10], '    version: ^2.0.0');
  });

  it('adds a missing appVersion after version and quotes values YAML would retype', () => {
    const out = editChartYaml('apiVersion: v2\nname: x\nversion: 0.1.0\ntype: application\n', { appVersion: '1.16' });
    assert.equal(out, 'apiVersion: v2\nname: x\nversion: 0.1.0\nappVersion: "1.16"\ntype: application\n');
  });

  it('edits a repeated key where helm reads it (the last), and a repeated key elsewhere does not stop the edit', () => {
    const text = 'apiVersion: v2\nname: x\nversion: 0.1.0\ndescription: first\nversion: 0.2.0\ndescription: second\n';
    assert.equal(
      editChartYaml(text, () => ({ version: '0.3.0', appVersion: '2.0.0' })),
      'apiVersion: v2\nname: x\nversion: 0.1.0\ndescription: first\nversion: 0.3.0\nappVersion: 2.0.0\ndescription: second\n',
    );
    const deps = 'apiVersion: v2\nname: x\nversion: 1.0.0\ndependencies:\n  - name: old\n    version: ^1.0.0\ndependencies:\n  - name: lib\n    version: ^1.0.0\n    version: ~1.2.0\n';
    assert.equal(editChartYaml(deps, { dependencies: [{ index: 0, version: '~2.0.0' }] }), deps.replace('~1.2.0', '~2.0.0'));
  });

  it('adds appVersion inside a flow mapping, and with the line ending the file uses', () => {
    assert.equal(editChartYaml('{apiVersion: v2, name: x, version: 0.1.0}\n', { appVersion: '1.0.0' }), '{apiVersion: v2, name: x, version: 0.1.0, appVersion: 1.0.0}\n');
    assert.equal(editChartYaml('apiVersion: v2\r\nname: x\r\nversion: 0.1.0\r\n', { appVersion: '1.0.0' }), 'apiVersion: v2\r\nname: x\r\nversion: 0.1.0\r\nappVersion: 1.0.0\r\n');
  });

  it("quotes what helm's YAML 1.1 reads as no text: on, y, 1_000", () => {
    for (const value of ['on', 'y', 'No', '1_000']) {
      assert.equal(editChartYaml('version: 0.1.0\nappVersion: v1\n', { appVersion: value }).split('\n')[1], `appVersion: "${value}"`, 'replaced');
      assert.equal(editChartYaml('version: 0.1.0\n', { appVersion: value }).split('\n')[1], `appVersion: "${value}"`, 'added');
    }
  });

  it('refuses what it cannot rewrite, naming the field and its line', () => {
    assert.throws(
      () => editChartYaml('apiVersion: v2\nname: x\nversion: &v 0.1.0\nappVersion: *v\n', () => ({ appVersion: '0.2.0' })),
      (e: unknown) => e instanceof ChartshipError && e.describe() === '4:13: appVersion: is an alias, not a value chartship can rewrite (write the value out)',
    );
  });
});
