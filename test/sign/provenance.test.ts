import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import type { ChartMetadata } from '../../src/model/metadata.js';
import { ChartshipError } from '../../src/model/errors.js';
import { parseProvenanceBody, provenanceBody, sanitize } from '../../src/sign/index.js';

const archive = Buffer.from('pretend this is a gzipped tar');
const hex = createHash('sha256').update(archive).digest('hex');

describe('provenanceBody', () => {
  it('matches helm byte for byte on helm\'s own test chart (pkg/provenance/testdata/msgblock.yaml)', () => {
    const metadata: ChartMetadata = { apiVersion: 'v1', name: 'hashtest', version: '1.2.3', description: 'Test chart versioning' };
    assert.equal(
      provenanceBody(metadata, 'hashtest-1.2.3.tgz', archive),
      `apiVersion: v1\ndescription: Test chart versioning\nname: hashtest\nversion: 1.2.3\n\n...\nfiles:\n  hashtest-1.2.3.tgz: sha256:${hex}\n`,
    );
  });

  it('writes tricky metadata the way sigs.k8s.io/yaml does', () => {
    const metadata: ChartMetadata = {
      apiVersion: 'v2',
      name: 'tricky',
      version: '1.2.3-rc.1+build.5',
      appVersion: '1.10',
      kubeVersion: '>=1.22.0-0',
      description:
        'Ünïcödé chart — a very long description that keeps going well past the eighty column limit so yaml.v2 folds it, twice if the text is long enough to need it again',
      keywords: ['yes', 'k8s', '0755', '- dash', 'a: b', ''],
      home: 'https://example.com/#x',
      sources: ['https://github.com/x/y'],
      maintainers: [{ name: 'Zoë', email: 'z@example.com', url: 'https://z.example' }, { name: 'Bot' }],
      icon: '@icon.png',
      deprecated: true,
      annotations: {
        category: 'Database',
        'artifacthub.io/changes': '- kind: added\n  description: x\n',
        a10: 'x',
        a9: 'y',
        A: 'upper',
        bZ: 'w',
        b_: 'z',
      },
      dependencies: [
        {
          name: 'db',
          version: '~1.2',
          repository: 'oci://r/x',
          condition: 'db.enabled',
          tags: ['backend'],
          enabled: true,
          'import-values': [{ child: 'data', parent: 'db' }, 'simple'],
          alias: 'database',
        },
        { name: 'local' },
      ],
      type: 'application',
    };
    const expected = [
      'annotations:',
      '  A: upper',
      '  a9: "y"',
      '  a10: x',
      '  artifacthub.io/changes: |',
      '    - kind: added',
      '      description: x',
      '  b_: z',
      '  bZ: w',
      '  category: Database',
      'apiVersion: v2',
      'appVersion: "1.10"',
      'dependencies:',
      '- alias: database',
      '  condition: db.enabled',
      '  enabled: true',
      '  import-values:',
      '  - child: data',
      '    parent: db',
      '  - simple',
      '  name: db',
      '  repository: oci://r/x',
      '  tags:',
      '  - backend',
      '  version: ~1.2',
      '- name: local',
      '  repository: ""',
      'deprecated: true',
      'description: Ünïcödé chart — a very long description that keeps going well past the',
      '  eighty column limit so yaml.v2 folds it, twice if the text is long enough to need',
      '  it again',
      'home: https://example.com/#x',
      "icon: '@icon.png'",
      'keywords:',
      '- "yes"',
      '- k8s',
      '- "0755"',
      "- '- dash'",
      "- 'a: b'",
      '- ""',
      "kubeVersion: '>=1.22.0-0'",
      'maintainers:',
      '- email: z@example.com',
      '  name: Zoë',
      '  url: https://z.example',
      '- name: Bot',
      'name: tricky',
      'sources:',
      '- https://github.com/x/y',
      'type: application',
      'version: 1.2.3-rc.1+build.5',
      '',
      '...',
      'files:',
      `  tricky-1.2.3-rc.1+build.5.tgz: sha256:${hex}`,
      '',
    ].join('\n');
    assert.equal(provenanceBody(metadata, 'tricky-1.2.3-rc.1+build.5.tgz', archive), expected);
  });

  it('sanitises the fields helm sanitises, and omits what becomes empty', () => {
    const body = provenanceBody(
      { apiVersion: 'v2', name: 'c', version: '1.0.0', description: 'line one\nline two\ttab\u200Dzwj', home: '\u200B', appVersion: '\u0007' },
      'c-1.0.0.tgz',
      archive,
    );
    assert.match(body, /^description: line one line two tabzwj$/m);
    assert.doesNotMatch(body, /home:|appVersion:/);
  });

  it('leaves annotations unsanitised, as helm does', () => {
    const body = provenanceBody({ apiVersion: 'v2', name: 'c', version: '1.0.0', annotations: { note: 'a\tb' } }, 'c-1.0.0.tgz', archive);
    assert.match(body, /^ {2}note: "a\\tb"$/m);
  });
});

describe('sanitize', () => {
  it('maps Go spaces to a space and drops unprintable characters', () => {
    assert.equal(sanitize('a\u00A0b\u2003c\u0085d\u00ADe\uE000f'), 'a b c de' + 'f');
    assert.equal(sanitize(undefined), undefined);
  });
});

describe('parseProvenanceBody', () => {
  it('reads back the metadata and the file hashes', () => {
    const metadata: ChartMetadata = { apiVersion: 'v2', name: 'demo', version: '0.1.0', appVersion: '1.10', keywords: ['yes'] };
    const parsed = parseProvenanceBody(provenanceBody(metadata, 'demo-0.1.0.tgz', archive), 'demo-0.1.0.tgz.prov');
    assert.deepEqual(parsed.metadata, metadata);
    assert.deepEqual([...parsed.files], [['demo-0.1.0.tgz', `sha256:${hex}`]]);
  });

  it('rejects a body without the "..." separator or without files', () => {
    assert.throws(() => parseProvenanceBody('apiVersion: v2\nname: a\nversion: 1.0.0\n', 'x.prov'), (e: unknown) => {
      return e instanceof ChartshipError && e.code === 'PROV_INVALID' && e.file === 'x.prov';
    });
    assert.throws(() => parseProvenanceBody('apiVersion: v2\nname: a\nversion: 1.0.0\n\n...\nimages: {}\n', 'x.prov'), /no "files:" mapping/);
  });
});
