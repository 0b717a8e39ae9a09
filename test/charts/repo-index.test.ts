import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { emptyIndex, indexEntry, parseRepositoryIndex, putIndexEntry, renderRepositoryIndex } from '../../src/charts/repo-index.js';
import { ChartshipError } from '../../src/model/errors.js';
import { readChartArchive } from '../../src/charts/archive.js';
import { HELM_MAJORS, isolatedHelm } from '../helpers/helm.js';
import { chartArchive } from '../helpers/registry-charts.js';

/** Chart.yaml fields that test the emitter: quoting, long folded text, nested lists and maps, escapes. */
const RICH = [
  'appVersion: "1.10"',
  'keywords: [web, "yes", "007"]',
  'home: https://example.com/x?a=b&c=<d>',
  'maintainers:\n- name: Jane Doe\n  email: jane@example.com\n- name: Bob',
  'annotations:\n  artifacthub.io/changes: |\n    - kind: added\n      description: a long line that goes on and on and on and on and on and on and on and on and on and on\n  b: "true"',
  'dependencies:\n- name: redis\n  version: ^17.0.0\n  repository: https://charts.bitnami.com/bitnami\n  condition: redis.enabled\n  import-values:\n  - child: a\n    parent: b\n- name: local\n  version: 0.1.0',
  'kubeVersion: ">=1.20.0-0"',
  'deprecated: true',
  'icon: https://example.com/icon.png',
  'sources:\n- https://github.com/a/b',
].join('\n');

describe('index.yaml as helm writes it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'chartship-repo-index-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const files: Record<string, Buffer> = {
    'alpha-1.0.0.tgz': chartArchive({ name: 'alpha', version: '1.0.0', extra: `${RICH}\n` }),
    'alpha-1.10.0-rc.1.tgz': chartArchive({ name: 'alpha', version: '1.10.0-rc.1' }),
    'alpha-1.2.0.tgz': chartArchive({ name: 'alpha', version: '1.2.0' }),
    'beta-0.1.0+build.1.tgz': chartArchive({ name: 'beta', version: '0.1.0+build.1', extra: 'description: "multi\\nline: text"\n' }),
  };
  for (const [name, bytes] of Object.entries(files)) writeFileSync(join(dir, name), bytes);

  for (const major of HELM_MAJORS) {
    it(`reads helm ${major}'s repo index and writes it back byte for byte; entries built from the archives give the same file`, async () => {
      const helm = isolatedHelm(major);
      try {
        await helm.run(['repo', 'index', dir, '--url', 'https://example.com/charts']);
      } finally {
        helm.cleanup();
      }
      const theirs = readFileSync(join(dir, 'index.yaml'), 'utf8');
      const parsed = parseRepositoryIndex(theirs, 'index.yaml');
      assert.deepEqual([...parsed.entries.get('alpha')!.map((v) => v.version)], ['1.10.0-rc.1', '1.2.0', '1.0.0'], 'newest first');
      assert.equal(renderRepositoryIndex(parsed, parsed.generated!), theirs);

      // From scratch, in another order: the index helm would write for these archives (its timestamps aside).
      const built = emptyIndex();
      for (const [file, bytes] of Object.entries(files).reverse()) {
        const { metadata } = await readChartArchive(bytes, file);
        const created = parsed.entries.get(metadata.name)!.find((v) => v.version === metadata.version)!.created!;
        const digest = createHash('sha256').update(bytes).digest('hex');
        putIndexEntry(built, { ...indexEntry(metadata, { urls: [`https://example.com/charts/${file}`], digest: `sha256:${digest}`, created: new Date() }), created });
      }
      assert.equal(renderRepositoryIndex(built, parsed.generated!), theirs);
    });
  }

  it('an index that is not one is refused, naming the file', () => {
    for (const [text, why] of [
      ['- a\n- b\n', /not a mapping/],
      ['entries: {}\n', /no apiVersion/],
      ['apiVersion: v1\n', /no entries/],
      ['apiVersion: v1\nentries:\n  x:\n  - version: 1.0.0\n    deprecated: maybe\n', /must be true or false/],
    ] as const) {
      assert.throws(() => parseRepositoryIndex(text, 'https://example.com/index.yaml'), (error: unknown) => error instanceof ChartshipError && error.file === 'https://example.com/index.yaml' && why.test(error.message));
    }
  });
});
