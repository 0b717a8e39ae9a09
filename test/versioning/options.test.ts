import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCommit } from '../../src/versioning/commit.js';
import { decideVersion, type ChartCommit, type VersioningOptions } from '../../src/versioning/decide.js';
import { changelogOf } from '../../src/versioning/changelog.js';
import { addChangelogSection, changelogSection } from '../../src/versioning/changelog-file.js';
import { nextVersion } from '../../src/versioning/next-version.js';
import { groupChangelog } from '../../src/model/changelog.js';

let n = 0;
const sha = () => (++n).toString(16).padStart(40, 'b');
const touch = (message: string): ChartCommit => ({ commit: parseCommit(sha(), message), touchesChart: true });
const decide = (commits: ChartCommit[], current: string, options: VersioningOptions = {}, previous: string | undefined = current) =>
  decideVersion({ chart: 'web', currentVersion: current, previousVersion: previous, commits }, options);

describe('pre-major rules', () => {
  it('below 1.0.0 a breaking change is a minor by default, a major with bump-minor-pre-major off', () => {
    assert.equal(nextVersion('0.4.2', 'major').version, '0.5.0');
    assert.equal(nextVersion('0.4.2', 'major', undefined, { bumpMinorPreMajor: false }).version, '1.0.0');
    assert.equal(decide([touch('feat!: new API')], '0.4.2', { bumpMinorPreMajor: false }).nextVersion, '1.0.0');
  });

  it('below 1.0.0 a feature is a patch with bump-patch-for-minor-pre-major, and only below 1.0.0', () => {
    assert.equal(decide([touch('feat: a knob')], '0.4.2').nextVersion, '0.5.0');
    assert.equal(decide([touch('feat: a knob')], '0.4.2', { bumpPatchForMinorPreMajor: true }).nextVersion, '0.4.3');
    assert.equal(decide([touch('feat: a knob')], '1.4.2', { bumpPatchForMinorPreMajor: true }).nextVersion, '1.5.0');
    assert.equal(nextVersion('0.4.2', 'minor', 'rc', { bumpPatchForMinorPreMajor: true }).version, '0.4.3-rc.0');
  });
});

describe('changelog types', () => {
  const types = [
    { type: 'docs', section: 'Documentation' },
    { type: 'chore', hidden: true },
    { type: 'fix', section: 'Fixes' },
  ];

  it('a listed type releases a patch and gets its section; a hidden type neither releases nor is listed', () => {
    const docs = decide([touch('docs: explain the values')], '1.0.0', { changelogTypes: types, otherTypes: 'none' });
    assert.equal(docs.release, true);
    assert.equal(docs.nextVersion, '1.0.1');
    assert.deepEqual(docs.changelog.map((e) => [e.subject, e.section]), [['explain the values', 'Documentation']]);

    const chore = decide([touch('chore: tidy')], '1.0.0', { changelogTypes: types, otherTypes: 'none' });
    assert.equal(chore.release, false);
    assert.deepEqual(chore.changelog, []);
    // A hidden type is hidden from otherTypes too: it does not fall back to a patch.
    assert.equal(decide([touch('chore: tidy')], '1.0.0', { changelogTypes: types }).release, false);
    // A breaking change of a hidden type still releases, and is listed.
    const breaking = decide([touch('chore!: drop the old key')], '1.0.0', { changelogTypes: types });
    assert.equal(breaking.nextVersion, '2.0.0');
    assert.equal(breaking.changelog.length, 1);
  });

  it('orders the sections breaking first, then as the types are listed, Other last, and the report groups them so', () => {
    const commits = ['style: spaces', 'fix: a crash', 'docs: a page', 'feat: a knob', 'refactor!: new layout'].map((m) => parseCommit(sha(), m));
    const entries = changelogOf(commits, types);
    const sections = groupChangelog(entries).map((s) => [s.title, s.entries.map((e) => e.subject)]);
    assert.deepEqual(sections, [
      ['Breaking changes', ['new layout']],
      ['Features', ['a knob']],
      ['Fixes', ['a crash']],
      ['Documentation', ['a page']],
      ['Other', ['spaces']],
    ]);
  });
});

describe('release-as from .chartship.yaml', () => {
  it('sets the next version while it is above the current one, and is ignored once reached', () => {
    const ahead = decide([touch('fix: a crash')], '1.4.0', { releaseAs: '2.0.0' });
    assert.deepEqual([ahead.release, ahead.nextVersion, ahead.bump], [true, '2.0.0', 'major']);
    assert.match(ahead.reasons[0]!.message, /release-as: 2\.0\.0/);
    // Without any commit too: the configuration alone asks for the release.
    assert.equal(decide([], '1.4.0', { releaseAs: '2.0.0' }).nextVersion, '2.0.0');
    const reached = decide([touch('fix: a crash')], '2.0.0', { releaseAs: '2.0.0' });
    assert.equal(reached.nextVersion, '2.0.1');
    // A Release-As footer in a commit wins over the file.
    assert.equal(decide([touch('fix: x\n\nRelease-As: 3.1.0')], '1.4.0', { releaseAs: '2.0.0' }).nextVersion, '3.1.0');
  });
});

describe('CHANGELOG.md', () => {
  it('adds a version section above the newest one, keeping the rest byte for byte, and reads it back', () => {
    const file = '# Changelog\n\nAll notable changes.\n\n## 1.0.0\n\n- first\n';
    const added = addChangelogSection(file, '1.1.0', '## 1.1.0\n\n### Features\n\n- a knob\n');
    assert.equal(added, '# Changelog\n\nAll notable changes.\n\n## 1.1.0\n\n### Features\n\n- a knob\n\n## 1.0.0\n\n- first\n');
    assert.equal(changelogSection(added, '1.1.0'), '### Features\n\n- a knob');
    assert.equal(changelogSection(added, '1.0.0'), '- first');
    assert.equal(changelogSection(added, '1.0'), undefined, 'a prefix of a version is not that version');
    // Written by hand already: left alone.
    assert.equal(addChangelogSection(added, '1.1.0', '## 1.1.0\n\n- other\n'), added);
    assert.equal(addChangelogSection(undefined, '0.1.0', '## 0.1.0\n\n- new\n'), '# Changelog\n\n## 0.1.0\n\n- new\n');
  });
});
