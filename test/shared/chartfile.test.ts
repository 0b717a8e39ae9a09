import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseChartYaml } from '../../src/charts/chartfile.js';
import { isStrictSemver } from '../../src/model/helm-semver.js';
import { ChartshipError } from '../../src/model/errors.js';

function rejects(text: string, expected: { field?: string; line?: number; message: RegExp }): void {
  assert.throws(
    () => parseChartYaml(text, 'charts/x/Chart.yaml'),
    (error: unknown) => {
      assert.ok(error instanceof ChartshipError);
      assert.equal(error.file, 'charts/x/Chart.yaml');
      if (expected.field !== undefined) assert.equal(error.field, expected.field);
      if (expected.line !== undefined) assert.equal(error.line, expected.line);
      assert.match(error.describe(), expected.message);
      return true;
    },
  );
}

describe('parseChartYaml', () => {
  it('reads a full Chart.yaml into metadata', () => {
    const { metadata } = parseChartYaml(
      '\uFEFFapiVersion: v2\nname: web\nversion: 1.2.3+build.1\nappVersion: 1.16\ntype: application\nkeywords: [a, b]\n' +
        'maintainers:\n  - name: Ann\n    email: ann@example.com\nannotations:\n  x: "y"\n' +
        'dependencies:\n  - name: common\n    version: ^1.0.0\n    repository: file://../common\n    alias: c\n    import-values: [data]\n',
      'Chart.yaml',
    );
    assert.deepEqual(metadata, {
      apiVersion: 'v2',
      name: 'web',
      version: '1.2.3+build.1',
      appVersion: '1.16',
      type: 'application',
      keywords: ['a', 'b'],
      maintainers: [{ name: 'Ann', email: 'ann@example.com' }],
      annotations: { x: 'y' },
      dependencies: [{ name: 'common', version: '^1.0.0', repository: 'file://../common', alias: 'c', 'import-values': ['data'] }],
    });
  });

  it('points malformed YAML at its line and column', () => {
    rejects('apiVersion: v2\nname: web\nversion: [1.0.0\n', { message: /Chart\.yaml:\d+:\d+: malformed YAML/ });
  });

  it('names the missing field', () => {
    rejects('apiVersion: v2\nversion: 1.0.0\n', { field: 'name', message: /name: is required/ });
    rejects('apiVersion: v2\nname: web\n', { field: 'version', message: /version: is required/ });
  });

  it('reads a Chart.yaml without apiVersion as v1, as helm does, and refuses what helm 4 refuses', () => {
    assert.equal(parseChartYaml('name: web\nversion: 1.0.0\n', 'Chart.yaml').metadata.apiVersion, 'v1');
    rejects('apiVersion: v3\nname: web\nversion: 1.0.0\n', { field: 'apiVersion', line: 1, message: /must be v1 or v2, got "v3"/ });
  });

  it('accepts the versions helm accepts, keeps their text and warns; refuses the others at the version line', () => {
    for (const [written, kept, read] of [
      ['v1.2.3', 'v1.2.3', '1.2.3'],
      ['"1"', '1', '1.0.0'],
      ['"1.0"', '1.0', '1.0.0'],
      ['1.0', '1', '1.0.0'],
      ['01.2.3', '01.2.3', '1.2.3'],
    ] as const) {
      const file = parseChartYaml(`apiVersion: v2\nname: web\nversion: ${written}\n`, 'Chart.yaml');
      assert.equal(file.metadata.version, kept, written);
      assert.ok(file.warnings.some((w) => w.field === 'version' && w.message.includes(`helm accepts it as ${read}`)), written);
    }
    assert.deepEqual(parseChartYaml('apiVersion: v2\nname: web\nversion: 1.2.3-rc.1+b\n', 'Chart.yaml').warnings, []);
    rejects('apiVersion: v2\nname: web\nversion: 1.2.3.4\n', { field: 'version', line: 3, message: /"1\.2\.3\.4" is not a valid version/ });
    rejects('apiVersion: v2\nname: web\nversion: "1.0.0-01"\n', { field: 'version', line: 3, message: /not a valid version/ });
    rejects('apiVersion: v2\nname: web\nversion: 99999999999999999999.0.0\n', { field: 'version', message: /not a valid version/ });
  });

  it('reads text fields as helm does: numbers and booleans become text (floats through float32), with a warning', () => {
    const file = parseChartYaml(
      'apiVersion: v2\nname: 123\nversion: 1.0.0\nappVersion: 1.123456789\ndescription: 1e6\nkeywords: [1, 2.50, yes, 0x10, 017, 1_000]\nhome: 2020-01-01\ndeprecated: on\nannotations:\n  note: 5\n  n: x\n',
      'Chart.yaml',
    );
    assert.deepEqual(file.metadata, {
      apiVersion: 'v2',
      name: '123',
      version: '1.0.0',
      appVersion: '1.1234568',
      description: '1e+06',
      keywords: ['1', '2.5', 'true', '16', '15', '1000'],
      home: '2020-01-01',
      deprecated: true,
      // yaml.v2 reads the key `n` as false; helm 4 writes `"false": x` back.
      annotations: { note: '5', false: 'x' },
    });
    assert.deepEqual(
      file.warnings.map((w) => [w.field, w.line]),
      [[undefined, 11], ['appVersion', 4], ['description', 5], ['keywords[1]', 6], ['keywords[2]', 6], ['keywords[3]', 6], ['keywords[4]', 6], ['keywords[5]', 6]],
    );
  });

  it('takes the last of repeated keys, and matches keys to fields ignoring case, in sorted order, as helm does', () => {
    const file = parseChartYaml('apiVersion: v2\nname: web\nversion: 1.0.0\nversion: 2.0.0\nName: other\nVERSION: 3.0.0\n', 'Chart.yaml');
    assert.equal(file.metadata.version, '2.0.0');
    assert.equal(file.metadata.name, 'web');
    assert.deepEqual(file.warnings.map((w) => [w.code, w.line]), [['DUPLICATE_KEY', 4]]);
  });

  it('refuses a value of the wrong type, naming the field at its line and column', () => {
    rejects('apiVersion: v2\nname: web\nversion: 1.0.0\nappVersion: {x: 1}\n', { field: 'appVersion', line: 4, message: /Chart\.yaml:4:13: appVersion: must be text, got mapping/ });
    rejects('apiVersion: v2\nname: web\nversion: 1.0.0\nmaintainers:\n  - name: {first: a}\n', { field: 'maintainers[0].name', line: 5, message: /must be text, got mapping/ });
    rejects('apiVersion: v2\nname: web\nversion: 1.0.0\ndeprecated: "true"\n', { field: 'deprecated', line: 4, message: /must be true or false, got text "true"/ });
    rejects('apiVersion: v2\nname: web\nversion: 1.0.0\nkeywords: web\n', { field: 'keywords', message: /must be a list, got text "web"/ });
    rejects('apiVersion: v2\nname: web\nversion: 1.0.0\ndependencies:\n  - name: a\n    enabled: "yes"\n', { field: 'dependencies[0].enabled', line: 6, message: /must be true or false/ });
    rejects('apiVersion: v2\nname: web\nversion: 1.0.0\nmaintainers:\n  - \n', { field: 'maintainers[0]', line: 5, message: /must not be empty/ });
    rejects('- a\n- b\n', { message: /must be a mapping/ });
  });

  it('refuses two dependencies with the same name or alias, as helm does', () => {
    rejects('apiVersion: v2\nname: web\nversion: 1.0.0\ndependencies:\n  - name: a\n  - name: b\n    alias: a\n', { field: 'dependencies[1]', line: 6, message: /more than one dependency with name or alias "a"/ });
  });

  it('rejects names helm rejects', () => {
    for (const name of ['.', '..', 'a/b']) rejects(`apiVersion: v2\nname: "${name}"\nversion: 1.0.0\n`, { field: 'name', line: 2, message: /not a valid chart name/ });
  });

  it('rejects a bad type and a bad dependency alias', () => {
    rejects('apiVersion: v2\nname: web\nversion: 1.0.0\ntype: app\n', { field: 'type', message: /application" or "library/ });
    rejects('apiVersion: v2\nname: web\nversion: 1.0.0\ndependencies:\n  - name: c\n    alias: "a b"\n', { field: 'dependencies[0].alias', line: 6, message: /is invalid/ });
  });

  it('sanitises the text fields helm sanitises on load, and only those', () => {
    const { metadata } = parseChartYaml(
      [
        'apiVersion: v2',
        'name: "web\\u200B"',
        'version: 1.0.0',
        'description: |',
        '  two\tlines',
        '  here',
        'home: "https://x.example/\\u00A0a"',
        'keywords: ["a\\tb"]',
        'sources: ["s\\u0007"]',
        'appVersion: "1.0\\r\\n"',
        'kubeVersion: "\\u2003>=1.20"',
        'icon: "i\\u0085"',
        'condition: "c\\u200D"',
        'tags: "t\\u3000u"',
        'maintainers:',
        '  - name: "Ann\\tB"',
        '    email: "a@x\\u00AD"',
        '    url: "https://u\\u2028"',
        'annotations:',
        '  note: "a\\tb"',
        'dependencies:',
        '  - name: "db\\u200B"',
        '    version: "~1.2\\t"',
        '    repository: "file://x\\n"',
        '    condition: "db\\u0000.enabled"',
        '    tags: ["x\\ty"]',
        '    alias: db_1',
        '    import-values: ["a\\tb"]',
        '',
      ].join('\n'),
      'Chart.yaml',
    );
    assert.deepEqual(metadata, {
      apiVersion: 'v2',
      name: 'web',
      version: '1.0.0',
      description: 'two lines here ',
      home: 'https://x.example/ a',
      keywords: ['a b'],
      sources: ['s'],
      appVersion: '1.0  ',
      kubeVersion: ' >=1.20',
      icon: 'i ',
      condition: 'c',
      tags: 't u',
      maintainers: [{ name: 'Ann B', email: 'a@x', url: 'https://u ' }],
      annotations: { note: 'a\tb' },
      dependencies: [{ name: 'db', version: '~1.2 ', repository: 'file://x ', condition: 'db.enabled', tags: ['x y'], alias: 'db_1', 'import-values': ['a\tb'] }],
    });
  });

  it('checks the name after sanitising it, as helm does', () => {
    rejects('apiVersion: v2\nname: "\\u200B"\nversion: 1.0.0\n', { field: 'name', message: /name: is required/ });
    rejects('apiVersion: v2\nname: "..\\u200B"\nversion: 1.0.0\n', { field: 'name', message: /"\.\." is not a valid chart name/ });
  });

  it('knows SemVer 2', () => {
    for (const ok of ['0.0.0', '1.2.3-rc.1', '1.2.3+b.5', '10.20.30-alpha.1+x']) assert.ok(isStrictSemver(ok), ok);
    for (const bad of ['1.2', 'v1.2.3', '01.2.3', '1.2.3-01', '1.2.3+', '']) assert.ok(!isStrictSemver(bad), bad);
  });
});
