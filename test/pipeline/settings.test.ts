import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { SETTINGS, resolveSettings, secretsOf } from '../../src/pipeline/settings.js';
import { ChartshipError } from '../../src/model/errors.js';

const event = { sha: 'abc123', cwd: '/repo' };

describe('resolveSettings', () => {
  it('matches action.yml input for input', () => {
    const action = parse(readFileSync('action.yml', 'utf8')) as { inputs: Record<string, { default?: string }>; runs: { using: string } };
    assert.deepEqual(Object.keys(action.inputs).sort(), Object.keys(SETTINGS).sort());
    for (const [name, spec] of Object.entries(SETTINGS)) {
      if ('default' in spec) assert.equal(action.inputs[name]?.default, spec.default, `default of ${name}`);
    }
    assert.equal(action.runs.using, 'node24');
  });

  it('applies defaults and splits lists on newlines and commas', () => {
    const s = resolveSettings({ registry: 'oci://ghcr.io/a/charts\n  oci://quay.io/b\n# a comment\n', exclude: 'x, y' }, event);
    assert.deepEqual(s.publish.targets, ['oci://ghcr.io/a/charts', 'oci://quay.io/b']);
    assert.deepEqual(s.publish.charts, ['charts/*']);
    assert.deepEqual(s.publish.exclude, ['x', 'y']);
    assert.equal(s.publish.versionBump, 'conventional');
    assert.equal(s.publish.dryRun, false);
    assert.equal(s.publish.sinceTags, true);
    assert.equal(s.tagTemplate, '{name}-{version}');
    assert.equal(s.prComment, true);
  });

  it('plans only on pull requests unless dry-run is set', () => {
    const pr = { ...event, eventName: 'pull_request', base: 'b1', head: 'h1', pullRequest: 7 };
    const s = resolveSettings({ registry: 'oci://r/x' }, pr);
    assert.equal(s.publish.dryRun, true);
    assert.equal(s.publish.base, 'b1');
    assert.equal(s.publish.head, 'h1');
    assert.equal(s.pullRequest, 7);
    assert.equal(resolveSettings({ registry: 'oci://r/x', 'dry-run': 'false' }, pr).publish.dryRun, false);
  });

  it('treats the all-zero `before` of a new branch as no range', () => {
    const s = resolveSettings({ registry: 'oci://r/x' }, { ...event, eventName: 'push', base: '0000000000000000000000000000000000000000', head: 'abc' });
    assert.equal(s.publish.base, undefined);
    assert.equal(s.publish.sinceTags, true);
  });

  it('rejects bad values naming the input', () => {
    const bad = (raw: Record<string, string>, field: string) =>
      assert.throws(() => resolveSettings({ registry: 'oci://r/x', ...raw }, event), (e: unknown) => e instanceof ChartshipError && e.field === field);
    bad({ registry: '' }, 'registry');
    bad({ 'version-bump': 'semver' }, 'version-bump');
    bad({ overwrite: 'maybe' }, 'overwrite');
    bad({ password: 'p' }, 'username');
  });

  it('collects every secret and the Basic credential derived from them', () => {
    const secrets = secretsOf({ username: 'bot', password: 's3cret', 'sign-key': '-----BEGIN PGP-----\nAAAAline\n-----END PGP-----', registry: 'oci://r' });
    assert.ok(secrets.includes('s3cret'));
    assert.ok(secrets.includes('AAAAline'));
    assert.ok(secrets.includes(Buffer.from('bot:s3cret').toString('base64')));
    assert.ok(!secrets.includes('oci://r'));
  });
});
