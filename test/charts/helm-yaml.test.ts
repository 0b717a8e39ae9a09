import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { archivedMetadata, helmChartLock, helmChartYaml, sanitize } from '../../src/charts/helm-yaml.js';
import { parseChartLock } from '../../src/charts/lockfile.js';
import type { ChartMetadata } from '../../src/model/metadata.js';
import { ChartshipError } from '../../src/model/errors.js';

describe('helmChartYaml', () => {
  it("writes helm's own test chart metadata as `yaml.Marshal` does", () => {
    assert.equal(
      helmChartYaml({ apiVersion: 'v1', name: 'hashtest', version: '1.2.3', description: 'Test chart versioning' }),
      'apiVersion: v1\ndescription: Test chart versioning\nname: hashtest\nversion: 1.2.3\n',
    );
  });

  it("sanitises as helm's Save does before marshaling, and omits what becomes empty", () => {
    const metadata: ChartMetadata = { apiVersion: 'v2', name: 'c', version: '1.0.0', description: 'a\nb', home: '\u200B', deprecated: false, keywords: [] };
    assert.equal(helmChartYaml(metadata), 'apiVersion: v2\ndescription: a b\nname: c\nversion: 1.0.0\n');
  });
});

describe('sanitize', () => {
  it('leaves printable ASCII as it is (what its shortcut assumes): each such character survives the full rules too', () => {
    for (let c = 0x20; c <= 0x7e; c++) {
      const char = String.fromCharCode(c);
      // A non-ASCII space in front sends the text through the full rules.
      assert.equal(sanitize(`\u00a0${char}`), ` ${char}`, `U+${c.toString(16)}`);
    }
    assert.equal(sanitize('a\tb\u0007c'), 'a bc');
  });
});

describe('archivedMetadata', () => {
  it("drops a v1 chart's dependencies, keeps a v2 chart's, and leaves its input alone", () => {
    const deps = [{ name: 'sub', version: '1.x' }];
    const v1: ChartMetadata = { apiVersion: 'v1', name: 'old', version: '1.0.0', dependencies: deps };
    assert.deepEqual(archivedMetadata(v1), { apiVersion: 'v1', name: 'old', version: '1.0.0' });
    assert.equal(v1.dependencies, deps);
    const v2: ChartMetadata = { ...v1, apiVersion: 'v2' };
    assert.equal(archivedMetadata(v2), v2);
  });
});

describe('helmChartLock', () => {
  it('writes what helm writes after `helm dependency build`', () => {
    const lock = {
      dependencies: [{ name: 'mariadb', repository: 'https://charts.bitnami.com/bitnami', version: '11.5.7' }],
      digest: 'sha256:abc',
      generated: '2023-05-05T05:05:05.5Z',
    };
    assert.equal(
      helmChartLock(lock),
      'dependencies:\n- name: mariadb\n  repository: https://charts.bitnami.com/bitnami\n  version: 11.5.7\ndigest: sha256:abc\ngenerated: "2023-05-05T05:05:05.5Z"\n',
    );
  });

  it('always writes digest and dependencies (no omitempty on the lock), and never sanitises', () => {
    assert.equal(helmChartLock({ dependencies: [], digest: '', generated: '0001-01-01T00:00:00Z' }), 'dependencies: []\ndigest: ""\ngenerated: "0001-01-01T00:00:00Z"\n');
    assert.equal(
      helmChartLock({ dependencies: [{ name: 'a', version: '', repository: '', condition: 'x\ty' }], digest: 'sha256:0', generated: '2024-01-01T00:00:00Z' }),
      'dependencies:\n- condition: "x\\ty"\n  name: a\n  repository: ""\ndigest: sha256:0\ngenerated: "2024-01-01T00:00:00Z"\n',
    );
  });

  it('keeps the extra fields of a hand-edited lock, sorted, as helm re-marshals them', () => {
    const text = [
      'generated: 2022-10-10T10:10:10.120+02:00',
      'digest: sha256:ff',
      'dependencies:',
      '  - name: db',
      '    version: 1.2.3',
      '    repository: oci://r.example/charts',
      '    alias: database',
      '    tags: [backend]',
      '    enabled: true',
      '    condition: db.enabled',
      '    import-values: [{child: a, parent: b}]',
      '',
    ].join('\n');
    assert.equal(
      helmChartLock(parseChartLock(text, 'Chart.lock')!),
      [
        'dependencies:',
        '- alias: database',
        '  condition: db.enabled',
        '  enabled: true',
        '  import-values:',
        '  - child: a',
        '    parent: b',
        '  name: db',
        '  repository: oci://r.example/charts',
        '  tags:',
        '  - backend',
        '  version: 1.2.3',
        'digest: sha256:ff',
        'generated: "2022-10-10T10:10:10.12+02:00"',
        '',
      ].join('\n'),
    );
  });
});

describe('Chart.lock read as helm reads it', () => {
  it('refuses a field of the wrong type at its line, and reads an empty lock as none', () => {
    assert.throws(
      () => parseChartLock('dependencies:\n- name: db\n  version: {x: 1}\n  repository: ""\ndigest: sha256:0\n', 'Chart.lock'),
      (e: unknown) => e instanceof ChartshipError && e.field === 'dependencies[0].version' && e.line === 3 && /must be text, got mapping/.test(e.message),
    );
    assert.throws(() => parseChartLock('generated: 12\n', 'Chart.lock'), (e: unknown) => e instanceof ChartshipError && e.field === 'generated');
    assert.equal(parseChartLock('', 'Chart.lock'), undefined);
    assert.equal(parseChartLock('# nothing\n', 'Chart.lock'), undefined);
  });
});
