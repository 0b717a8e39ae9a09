import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { CONFIG_AJV_OPTIONS } from '../../src/config/document.js';
import { CONFIG_SCHEMA, defaultConfig, parseConfig } from '../../src/config/index.js';
import { loadConfig } from '../../src/config/load.js';
import { ChartshipError } from '../../src/model/errors.js';
import { compilePolicy } from '../../src/policy/index.js';

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

describe('.chartship.yaml', () => {
  it('reads the policy section into typed settings, a severity alone being short for {severity}', async () => {
    const config = await parseConfig(
      [
        'policy:',
        '  rules:',
        '    values-schema: warning',
        '    chart-metadata: {severity: error, fields: [description, icon]}',
        '    no-external-registry:',
        '      allowed-registries: [registry.acme.example, ghcr.io/acme]',
        '  charts:',
        '    - match: charts/legacy-*',
        '      rules: {values-schema: off}',
        '',
      ].join('\n'),
      '.chartship.yaml',
    );
    assert.deepEqual(config.policy.rules, {
      'values-schema': { severity: 'warning' },
      'chart-metadata': { severity: 'error', fields: ['description', 'icon'] },
      'no-external-registry': { 'allowed-registries': ['registry.acme.example', 'ghcr.io/acme'] },
    });
    assert.deepEqual(config.policy.charts, [{ match: 'charts/legacy-*', rules: { 'values-schema': { severity: 'off' } }, at: { file: '.chartship.yaml', line: 8, column: 7 } }]);
    assert.deepEqual(config.locate(['policy', 'rules', 'chart-metadata']), { file: '.chartship.yaml', line: 4, column: 5 });
  });

  it('the schema is a valid draft-07 schema (chartship compiles it without asking ajv to check that)', async () => {
    const { default: ajv } = await import('ajv');
    const checker = new ajv.default(CONFIG_AJV_OPTIONS);
    assert.equal(checker.validateSchema(CONFIG_SCHEMA), true, JSON.stringify(checker.errors));
    // The check can fail: a schema with a misspelt type is refused.
    assert.equal(checker.validateSchema({ ...CONFIG_SCHEMA, properties: { ...(CONFIG_SCHEMA['properties'] as object), extra: { type: 'objekt' } } }), false);
  });

  it('an empty file, and no file, are the defaults', async () => {
    assert.deepEqual((await parseConfig('', '.chartship.yaml')).policy, defaultConfig().policy);
    const dir = mkdtempSync(join(tmpdir(), 'chartship-config-'));
    after(() => rmSync(dir, { recursive: true, force: true }));
    assert.deepEqual((await loadConfig(join(dir, '.chartship.yaml'), '.chartship.yaml')).policy, { rules: {}, charts: [] });
    await assert.rejects(loadConfig(join(dir, 'policy.yaml'), 'policy.yaml', { required: true }), (error: ChartshipError) => error.describe() === 'policy.yaml: configuration file not found');
    writeFileSync(join(dir, '.chartship.yaml'), 'policy:\n  rules:\n    immutable-image-tags: {mutable-tags: [latest, edge]}\n');
    assert.deepEqual((await loadConfig(join(dir, '.chartship.yaml'), '.chartship.yaml')).policy.rules, { 'immutable-image-tags': { 'mutable-tags': ['latest', 'edge'] } });
  });

  it('refuses an unknown key naming it, with the closest known key', async () => {
    assert.equal(await refusal('policy:\n  rulez: {}\n'), '.chartship.yaml:2:3: policy.rulez: unknown key (did you mean "rules"? known keys here: rules, charts)');
    assert.equal(await refusal('polcy: {}\n'), '.chartship.yaml:1:1: polcy: unknown key (did you mean "policy"? known keys here: policy, versioning)');
    assert.match(await refusal('policy:\n  rules:\n    immutable-image-tag: error\n'), /^\.chartship\.yaml:3:5: policy\.rules\.immutable-image-tag: unknown key \(did you mean "immutable-image-tags"\?/);
    assert.match(await refusal('policy:\n  rules:\n    values-schema:\n      severity: warning\n      allowed-registries: [x]\n'), /^\.chartship\.yaml:5:7: policy\.rules\.values-schema\.allowed-registries: unknown key \(known keys here: severity\)$/);
    // Nothing is close: no guess, only the keys there are.
    assert.equal(await refusal('versioning-options: {}\n'), '.chartship.yaml:1:1: versioning-options: unknown key (known keys here: policy, versioning)');
  });

  it('refuses a wrong value at its key, line and column', async () => {
    assert.equal(await refusal('policy:\n  rules:\n    values-schema: eror\n'), '.chartship.yaml:3:5: policy.rules.values-schema: must be one of error, warning, off, got text "eror" (did you mean "error"?)');
    assert.equal(await refusal('policy:\n  rules:\n    no-external-registry: {allowed-registries: docker.io}\n'), '.chartship.yaml:3:28: policy.rules.no-external-registry.allowed-registries: must be a list, got text "docker.io"');
    assert.match(await refusal('policy:\n  rules:\n    chart-metadata: {fields: [descriptin]}\n'), /^\.chartship\.yaml:3:31: policy\.rules\.chart-metadata\.fields\[0\]: must be one of description, maintainers, sources, kubeVersion, icon, got text "descriptin" \(did you mean "description"\?\)$/);
    assert.equal(await refusal('policy:\n  charts:\n    - rules: {}\n'), '.chartship.yaml:3:7: policy.charts[0].match: is required');
    assert.match(await refusal('policy:\n  rules:\n    image-registry-configurable: {values: ["global registry"]}\n'), /^\.chartship\.yaml:3:44: policy\.rules\.image-registry-configurable\.values\[0\]: must match pattern/);
    assert.equal(await refusal('policy: [a]\n'), '.chartship.yaml:1:1: policy: must be a mapping, got a list');
    // An empty list of sentinel paths sets the sentinel nowhere: every image and pod spec would fail, whatever the chart.
    assert.equal(
      await refusal('policy:\n  rules:\n    image-registry-configurable: {values: []}\n'),
      '.chartship.yaml:3:35: policy.rules.image-registry-configurable.values: must not be an empty list (the value paths the sentinel is set at; to skip the rule, set its severity to off)',
    );
    assert.match(await refusal('policy:\n  charts:\n    - match: web\n      rules:\n        image-pull-secrets-configurable:\n          values: []\n'), /^\.chartship\.yaml:6:11: policy\.charts\[0\]\.rules\.image-pull-secrets-configurable\.values: must not be an empty list \(the value paths/);
  });

  it('refuses malformed YAML and repeated keys at their line', async () => {
    assert.match(await refusal('policy:\n  rules: [\n'), /^\.chartship\.yaml:\d+:\d+: malformed YAML: /);
    assert.match(await refusal('policy:\n  rules: {}\n  rules: {}\n'), /^\.chartship\.yaml:3:3: malformed YAML: Map keys must be unique/);
  });

  it('reads anchors, aliases and merge keys as helm does, and names the line of an alias that has no anchor', async () => {
    const config = await parseConfig(
      ['versioning:', '  charts:', '    - &rc', '      match: web', '      prerelease: rc', '    - <<: *rc', '      match: api', '      app-version: &follow follow', '    - match: db', '      app-version: *follow', ''].join('\n'),
      '.chartship.yaml',
    );
    assert.deepEqual(
      config.versioning.charts.map((c) => ({ match: c.match, ...c.rules })),
      [{ match: 'web', prerelease: 'rc' }, { match: 'api', prerelease: 'rc', 'app-version': 'follow' }, { match: 'db', 'app-version': 'follow' }],
    );
    // A merged key is checked as if written there: a typo in the anchored mapping fails.
    assert.match(await refusal('versioning:\n  charts:\n    - &rc {match: web, prerelase: rc}\n    - <<: *rc\n      match: api\n'), /^\.chartship\.yaml:3:24: versioning\.charts\[0\]\.prerelase: unknown key \(did you mean "prerelease"\?/);
    assert.equal(await refusal('versioning:\n  charts:\n    - match: web\n      other-types: *none\n'), '.chartship.yaml:4:20: malformed YAML: alias *none has no anchor &none before it');
    // An alias used before its anchor is no better.
    assert.match(await refusal('policy:\n  rules:\n    values-schema: *sev\n    chart-metadata: &sev error\n'), /^\.chartship\.yaml:3:20: malformed YAML: alias \*sev has no anchor/);
    const laughs = ['a: &a [x, x, x, x, x, x, x, x, x, x]', ...Array.from({ length: 8 }, (_, i) => `${'bcdefghi'[i]}: &${'bcdefghi'[i]} [${Array(10).fill(`*${'abcdefgh'[i]}`).join(', ')}]`)].join('\n');
    assert.match(await refusal(laughs), /^\.chartship\.yaml:2:\d+: malformed YAML: Excessive alias count/);
  });

  it('a mapping or list as a key is an unknown key at its line, with no warning of node\'s', async () => {
    const warnings: string[] = [];
    const listen = (warning: Error) => warnings.push(warning.message);
    process.on('warning', listen);
    try {
      assert.match(await refusal('? [a]\n: b\n'), /^\.chartship\.yaml:1:1: \[ a \]: unknown key/);
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', listen);
    }
    assert.deepEqual(warnings, []);
  });

  it('a bad chart glob fails at its line when the policy is compiled', async () => {
    const config = await parseConfig('policy:\n  charts:\n    - match: "charts/[web"\n', '.chartship.yaml');
    assert.throws(() => compilePolicy({ config: config.policy }), (error: ChartshipError) => {
      assert.match(error.describe(), /^\.chartship\.yaml:3:7: policy\.charts\[0\]\.match: bad glob "charts\/\[web"/);
      return true;
    });
  });

  it('later chart overrides win, a name glob matches the chart name, and the input allow-list replaces the configured one', async () => {
    const config = await parseConfig(
      [
        'policy:',
        '  rules:',
        '    values-schema: warning',
        '    no-external-registry: {allowed-registries: [docker.io]}',
        '  charts:',
        '    - match: "charts/*"',
        '      rules: {values-schema: error, chart-metadata: off}',
        '    - match: "legacy-*"',
        '      rules: {values-schema: off}',
        '',
      ].join('\n'),
      '.chartship.yaml',
    );
    const policyOf = compilePolicy({ config: config.policy });
    assert.equal(policyOf({ name: 'web', path: 'charts/web' })['values-schema'].severity, 'error');
    assert.equal(policyOf({ name: 'web', path: 'charts/web' })['chart-metadata'].severity, 'off');
    assert.equal(policyOf({ name: 'legacy-db', path: 'charts/db' })['values-schema'].severity, 'off');
    assert.equal(policyOf({ name: 'tool', path: 'tools/tool' })['values-schema'].severity, 'warning');
    assert.deepEqual(policyOf({ name: 'tool', path: 'tools/tool' })['no-external-registry'].allowedRegistries, ['docker.io']);
    assert.deepEqual(policyOf({ name: 'tool', path: 'tools/tool' })['immutable-image-tags'].mutableTags, ['latest', 'dev', 'stable', 'main', 'master']);
    const withInput = compilePolicy({ config: config.policy, allowedRegistries: ['registry.acme.example'] });
    assert.deepEqual(withInput({ name: 'tool', path: 'tools/tool' })['no-external-registry'].allowedRegistries, ['registry.acme.example']);
  });
});
