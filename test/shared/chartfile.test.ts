import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isStrictSemver, parseChartYaml } from '../../src/charts/chartfile.js';
import { ChartshipError } from '../../src/errors.js';

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
    rejects('name: web\nversion: 1.0.0\n', { field: 'apiVersion', message: /apiVersion: is required/ });
  });

  it('rejects versions that are not SemVer 2, at the version line', () => {
    rejects('apiVersion: v2\nname: web\nversion: v1.2.3\n', { field: 'version', line: 3, message: /not a valid SemVer 2 version \(drop the "v": 1\.2\.3\)/ });
    rejects('apiVersion: v2\nname: web\nversion: "1.0"\n', { field: 'version', message: /not a valid SemVer 2/ });
    rejects('apiVersion: v2\nname: web\nversion: 1.0\n', { field: 'version', message: /must be a string.*quote it/ });
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
