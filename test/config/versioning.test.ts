import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseConfig } from '../../src/config/index.js';
import { ChartshipError } from '../../src/model/errors.js';
import { versioningRules } from '../../src/pipeline/versioning-rules.js';

async function refusal(text: string): Promise<string> {
  try {
    await parseConfig(text, '.chartship.yaml');
  } catch (error) {
    assert.ok(error instanceof ChartshipError, String(error));
    assert.equal(error.code, 'CONFIG_INVALID');
    return error.describe();
  }
  assert.fail(`accepted: ${text}`);
}

const FILE = [
  'versioning:',
  '  bump-minor-pre-major: false',
  '  changelog-types:',
  '    - {type: docs, section: Documentation}',
  '    - {type: chore, hidden: true}',
  '  app-version: follow',
  '  release-tag-template: "{name}-v{version}"',
  '  charts:',
  '    - match: charts/legacy-*',
  '      prerelease: rc',
  '      app-version: keep',
  '    - match: web',
  '      release-as: 3.0.0',
  '',
].join('\n');

describe('.chartship.yaml versioning', () => {
  it('reads the section, with per-chart entries and their lines', async () => {
    const config = await parseConfig(FILE, '.chartship.yaml');
    assert.equal(config.versioning['release-tag-template'], '{name}-v{version}');
    assert.deepEqual(config.versioning.rules, {
      'bump-minor-pre-major': false,
      'changelog-types': [{ type: 'docs', section: 'Documentation' }, { type: 'chore', hidden: true }],
      'app-version': 'follow',
    });
    assert.deepEqual(config.versioning.charts.map((c) => [c.match, c.rules, c.at?.line]), [
      ['charts/legacy-*', { prerelease: 'rc', 'app-version': 'keep' }, 9],
      ['web', { 'release-as': '3.0.0' }, 12],
    ]);
  });

  it('lays the settings over the file and the matching charts: entries over both, later ones winning', async () => {
    const config = await parseConfig(FILE, '.chartship.yaml');
    const rulesFor = versioningRules(config.versioning, { prerelease: 'beta', bumpPatchForMinorPreMajor: true });
    const legacy = rulesFor({ name: 'old', path: 'charts/legacy-old' });
    assert.equal(legacy.prerelease, 'rc', 'a charts: entry wins over an input');
    assert.equal(legacy.appVersion, 'keep');
    assert.equal(legacy.bumpMinorPreMajor, false, 'from the top of the section');
    assert.equal(legacy.bumpPatchForMinorPreMajor, true, 'from the input');
    const web = rulesFor({ name: 'web', path: 'charts/web' });
    assert.deepEqual([web.prerelease, web.appVersion, web.releaseAs], ['beta', 'follow', '3.0.0']);
    assert.equal(rulesFor({ name: 'api', path: 'charts/api' }).releaseAs, undefined);
    assert.deepEqual(versioningRules(undefined, {})({ name: 'x', path: 'charts/x' }), {});
  });

  it('refuses a typo in a key, naming it, its line and the closest key', async () => {
    assert.equal(
      await refusal('versioning:\n  bump-minor-pre-majr: true\n'),
      '.chartship.yaml:2:3: versioning.bump-minor-pre-majr: unknown key (did you mean "bump-minor-pre-major"? known keys here: bump-minor-pre-major, bump-patch-for-minor-pre-major, other-types, changelog-types, prerelease, app-version, release-tag-template, charts)',
    );
    assert.match(await refusal('versioning:\n  charts:\n    - match: web\n      release_as: 2.0.0\n'), /^\.chartship\.yaml:4:7: versioning\.charts\[0\]\.release_as: unknown key \(did you mean "release-as"\?/);
    // release-as is per chart only: for every chart at once it would release them all at one version.
    assert.match(await refusal('versioning:\n  release-as: 2.0.0\n'), /^\.chartship\.yaml:2:3: versioning\.release-as: unknown key/);
    assert.match(await refusal('versioning:\n  changelog-types:\n    - {type: docs, sektion: Docs}\n'), /^\.chartship\.yaml:3:20: versioning\.changelog-types\[0\]\.sektion: unknown key \(did you mean "section"\?/);
  });

  it('takes release-as with a leading v, as release-please does, as the version without it', async () => {
    const config = await parseConfig('versioning:\n  charts:\n    - match: web\n      release-as: v3.0.0\n', '.chartship.yaml');
    assert.deepEqual(config.versioning.charts[0]?.rules, { 'release-as': '3.0.0' });
    assert.match(await refusal('versioning:\n  charts:\n    - match: web\n      release-as: v3\n'), /^\.chartship\.yaml:4:7: versioning\.charts\[0\]\.release-as: must be a SemVer version, got "v3"/);
  });

  it('refuses bad values at their line', async () => {
    assert.match(await refusal('versioning:\n  charts:\n    - match: web\n      release-as: two\n'), /^\.chartship\.yaml:4:7: versioning\.charts\[0\]\.release-as: must be a SemVer version, got "two"/);
    assert.match(await refusal('versioning:\n  app-version: latest\n'), /^\.chartship\.yaml:2:3: versioning\.app-version: must be keep, follow or value:TEXT, got "latest"/);
    assert.match(await refusal('versioning:\n  release-tag-template: "{name}"\n'), /^\.chartship\.yaml:2:3: versioning\.release-tag-template: must contain \{version\} once, and \{name\} at most once/);
    assert.match(await refusal('versioning:\n  changelog-types: [{type: fix}, {type: fix, hidden: true}]\n'), /^\.chartship\.yaml:2:3: versioning\.changelog-types: lists the type "fix" twice/);
    assert.match(await refusal('versioning:\n  other-types: minor\n'), /^\.chartship\.yaml:2:3: versioning\.other-types: must be one of patch, none/);
  });
});
