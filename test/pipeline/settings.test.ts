import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { SETTINGS, resolveSettings, secretsOf } from '../../src/pipeline/settings.js';
import { ChartshipError } from '../../src/model/errors.js';
import { readmeInputRows } from '../helpers/readme-inputs.js';

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

  it("README's input tables document every input, and only inputs", () => {
    // The first column of every table whose header is `| input |`: one or more `name`s per row.
    const rows = readmeInputRows().map((row) => row.inputs);
    const documented = rows.flat();
    assert.ok(rows.length > 10 && rows.every((names) => names.length > 0), JSON.stringify(rows));
    assert.deepEqual(Object.keys(SETTINGS).filter((name) => !documented.includes(name)), [], 'inputs the README does not document');
    assert.deepEqual(documented.filter((name) => !(name in SETTINGS)), [], 'README rows that name no input');
  });

  it('reads a true-or-false input in the spellings the README gives, and refuses others naming the input', () => {
    const dryRun = (value: string) => resolveSettings({ registry: 'oci://r/x', 'dry-run': value }, event).publish.dryRun;
    for (const value of ['true', 'True', 'TRUE', ' true ', 'true\r\n', 'yes', 'on', '1']) assert.equal(dryRun(value), true, value);
    for (const value of ['false', 'False', 'FALSE', 'no', 'off', '0']) assert.equal(dryRun(value), false, value);
    for (const value of ['y', 'ture', 'enabled', '2']) {
      assert.throws(() => dryRun(value), (e: unknown) => e instanceof ChartshipError && e.describe() === `dry-run: must be true or false, got ${JSON.stringify(value)}`, value);
    }
  });

  it("a dry run planning shards leaves the policy to the shard jobs; a shard's run and a plain dry run keep it", () => {
    const mode = (raw: Record<string, string>) => resolveSettings({ registry: 'oci://r/x', policy: 'enforce', ...raw }, event).publish.policy?.mode;
    assert.equal(mode({ shards: '4', 'dry-run': 'true' }), 'off');
    assert.equal(mode({ shards: '4' }), 'enforce');
    assert.equal(mode({ 'dry-run': 'true' }), 'enforce');
    assert.equal(mode({ wave: '1', shard: '1/4' }), 'enforce');
  });

  it('an oci-layout target written YAML-style (`oci-layout: ./out`) is the directory ./out, not " ./out"', () => {
    assert.deepEqual(resolveSettings({ registry: 'oci-layout: ./out' }, event).publish.targets, ['oci-layout:./out']);
    assert.throws(() => resolveSettings({ registry: 'oci-layout: ./out\noci-layout:out/' }, event), /given twice/);
  });

  it('a setting another makes idle is said, naming both (prerelease under version-bump: none, make-latest without releases)', () => {
    const notices = (raw: Record<string, string>) => resolveSettings({ registry: 'oci://r/x', ...raw }, event).notices.map((n) => `${n.field}: ${n.message}`);
    assert.deepEqual(notices({ 'version-bump': 'none', prerelease: 'rc', 'bump-minor-pre-major': 'false' }), [
      'prerelease: is given, but does nothing with version-bump: none (the versions are published as written)',
      'bump-minor-pre-major: is given, but does nothing with version-bump: none (the versions are published as written)',
    ]);
    assert.deepEqual(notices({ 'make-latest': 'true' }), ['make-latest: is given, but does nothing without create-releases: true']);
    assert.deepEqual(notices({ 'plain-http': 'true', 'ca-file': 'ca.pem' }), ['ca-file: is given, but does nothing with plain-http: true (no TLS)']);
    assert.deepEqual(notices({ prerelease: 'rc', 'make-latest': 'true', 'create-releases': 'true', 'ca-file': 'ca.pem' }), []);
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
    // The reference parser knows no input names: the setting it checked is named for it.
    bad({ registry: 'ftp://nowhere' }, 'registry');
    bad({ registry: 'oci://r/x\nghcr.io/acme' }, 'registry');
    bad({ 'version-bump': 'semver' }, 'version-bump');
    bad({ overwrite: 'maybe' }, 'overwrite');
    bad({ password: 'p' }, 'username');
  });

  it("a shard's job leaves the bump commit and the classic index to the merge; the merge and a single run keep them", () => {
    const raw = { registry: 'oci://r/x', 'commit-bump': 'true', 'classic-index': 'public', 'classic-index-url': 'https://charts.example.com' };
    const shard = resolveSettings({ ...raw, wave: '1', shard: '1/2' }, event);
    assert.equal(shard.publish.writeBumps, false);
    assert.equal(shard.publish.classicIndex, undefined);
    for (const whole of [resolveSettings(raw, event), resolveSettings({ ...raw, 'merge-outcomes': 'outcomes' }, event)]) {
      assert.equal(whole.publish.writeBumps, true);
      assert.equal(whole.commitBump, true);
      assert.equal(whole.publish.classicIndex?.location.kind, 'directory');
    }
  });

  it('collects every secret and the Basic credential derived from them', () => {
    const secrets = secretsOf({ username: 'bot', password: 's3cret', 'sign-key': '-----BEGIN PGP-----\nAAAAline\n-----END PGP-----', registry: 'oci://r' });
    assert.ok(secrets.includes('s3cret'));
    assert.ok(secrets.includes('AAAAline'));
    assert.ok(secrets.includes(Buffer.from('bot:s3cret').toString('base64')));
    assert.ok(!secrets.includes('oci://r'));
  });
});

describe('registry-auth and registry-tls', () => {
  const targets = 'oci://ghcr.io/acme/charts\noci://registry.internal:5000/charts';

  it('one HOST=USERNAME:PASSWORD per line; the password is the rest of the line, whatever it holds', () => {
    const s = resolveSettings(
      {
        registry: targets,
        'registry-auth': '# logins\nghcr.io=bot:pa:ss=wo#rd\n\n  quay.io=acme+ci:tok en\nindex.docker.io=hubuser:p@t\n',
        'registry-tls': 'registry.internal:5000=ca-file=/ca.pem, cert-file=/c.pem,key-file=/k.pem\nlocalhost:5000=plain-http,insecure-skip-tls-verify',
        'create-repositories': 'true',
      },
      event,
    );
    assert.deepEqual(s.publish.target?.hosts, {
      'registry.internal:5000': { caFile: '/ca.pem', certFile: '/c.pem', keyFile: '/k.pem' },
      'localhost:5000': { plainHttp: true, insecureSkipTlsVerify: true },
      'ghcr.io': { username: 'bot', password: 'pa:ss=wo#rd' },
      'quay.io': { username: 'acme+ci', password: 'tok en' },
      // Docker Hub's names are one registry.
      'docker.io': { username: 'hubuser', password: 'p@t' },
    });
    assert.equal(s.publish.target?.createRepositories, true);
  });

  it('a JSON key (Artifact Registry _json_key) continues over the lines after its "{"', () => {
    const key = JSON.stringify({ type: 'service_account', private_key: '-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n' }, null, 2);
    const s = resolveSettings({ registry: targets, 'registry-auth': `europe-docker.pkg.dev=_json_key:${key}\nghcr.io=bot:tok` }, event);
    assert.deepEqual(s.publish.target?.hosts?.['europe-docker.pkg.dev'], { username: '_json_key', password: key }, 'the key passes through as written');
    assert.equal((JSON.parse(s.publish.target?.hosts?.['europe-docker.pkg.dev']?.password ?? '') as { type: string }).type, 'service_account');
    assert.deepEqual(s.publish.target?.hosts?.['ghcr.io'], { username: 'bot', password: 'tok' });
  });

  it('every password of registry-auth, and its Basic credential, is masked', () => {
    const secrets = secretsOf({ registry: targets, 'registry-auth': 'ghcr.io=bot:first-secret\nquay.io=acme+ci:second:secret' });
    for (const secret of ['first-secret', 'second:secret', Buffer.from('bot:first-secret').toString('base64'), Buffer.from('acme+ci:second:secret').toString('base64')]) assert.ok(secrets.includes(secret), secret);
  });

  it('refusals name the line, never its content', () => {
    const refused = (raw: Record<string, string>, field: string, says: RegExp) => {
      try {
        resolveSettings({ registry: targets, ...raw }, event);
      } catch (error) {
        assert.ok(error instanceof ChartshipError);
        assert.equal(error.field, field);
        assert.match(error.describe(), says);
        assert.doesNotMatch(error.describe(), /hunter2/);
        return;
      }
      assert.fail('accepted');
    };
    refused({ 'registry-auth': 'ghcr.io:bot:hunter2' }, 'registry-auth', /line 1 is not HOST=USERNAME:PASSWORD/);
    refused({ 'registry-auth': 'bot:hunter2@ghcr.io=x:y' }, 'registry-auth', /line 1: what stands before "=" is not a registry host/);
    refused({ 'registry-auth': 'ghcr.io=hunter2' }, 'registry-auth', /line 1 \(ghcr.io\) needs USERNAME:PASSWORD/);
    refused({ 'registry-auth': 'ghcr.io=bot:hunter2\n\nghcr.io=other:hunter2' }, 'registry-auth', /lines 1 and 3 both name ghcr.io/);
    refused({ 'registry-auth': 'gcr.io=_json_key:{"private_key": "hunter2",' }, 'registry-auth', /starts a JSON key that never ends/);
    refused({ username: 'bot', password: 'hunter2', 'registry-auth': 'ghcr.io=bot:hunter2' }, 'registry-auth', /ghcr.io is given a login twice/);
    refused({ 'registry-tls': 'ghcr.io=ca-file' }, 'registry-tls', /unknown option "ca-file"/);
    refused({ 'registry-tls': 'ghcr.io=cert-file=/c.pem' }, 'registry-tls', /needs both cert-file and key-file/);
  });
});
