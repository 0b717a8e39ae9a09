/**
 * A large index.yaml is read chart by chart (src/charts/index-by-chart.ts) and decoded once per run: what it reads
 * must be what reading the whole file with the `yaml` package's full parser reads (the reference helm parity was
 * established with), its errors the whole file's (lines of the file), and, against the real helm 3 and 4
 * (`helm dependency update`), the same version picked or the same refusal, wherever in the file the needed chart
 * and the trouble are.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readIndexRoot } from '../../src/charts/index-by-chart.js';
import { decodeIndex, emptyIndex, indexEntry, parseRepositoryIndex, putIndexEntry, renderRepositoryIndex } from '../../src/charts/repo-index.js';
import { toRange } from '../../src/charts/version-range.js';
import { readGoYamlSyntax } from '../../src/charts/yaml-syntax.js';
import { ChartshipError } from '../../src/model/errors.js';
import { pullFromRepository } from '../../src/resolve/repository.js';
import { HELM_MAJORS, isolatedHelm } from '../helpers/helm.js';
import { chartArchive } from '../helpers/registry-charts.js';
import { chartYaml, tempDirs, writeFiles } from '../package/fixtures.js';

const FILE = 'https://charts.example.com/index.yaml';
const DEP_VERSIONS = ['1.0.0', '1.2.0', '1.4.0', '2.0.0'];
const archives = new Map(DEP_VERSIONS.map((v) => [`dep-${v}.tgz`, chartArchive({ name: 'dep', version: v })]));
const digest = (version: string) => createHash('sha256').update(archives.get(`dep-${version}.tgz`)!).digest('hex');

/** An index as helm writes it: `charts` charts of three versions (folded descriptions, literal annotations), then `dep`. */
function helmWritten(charts: number, depVersions = DEP_VERSIONS): string {
  const index = emptyIndex();
  for (let i = 0; i < charts; i++) {
    for (const version of ['0.1.0', '0.2.0', '1.0.0']) {
      const metadata = {
        apiVersion: 'v2' as const,
        name: `chart-${String(i).padStart(3, '0')}`,
        version,
        description: `Chart ${i} is a long description that helm's writer folds once it passes the eightieth column, over lines.`,
        annotations: { images: `- name: app\n  image: docker.io/app:${version}\n`, category: 'Database' },
        maintainers: [{ name: 'Jane Doe', email: 'jane@example.com' }],
      };
      putIndexEntry(index, indexEntry(metadata, { urls: [`chart-${i}-${version}.tgz`], digest: 'a'.repeat(64), created: new Date(Date.UTC(2024, 0, 1 + i)) }));
    }
  }
  for (const version of depVersions) {
    putIndexEntry(index, indexEntry({ apiVersion: 'v2', name: 'dep', version, description: 'the chart depended on' }, { urls: [`dep-${version}.tgz`], digest: digest(version), created: new Date(Date.UTC(2024, 5, 1)) }));
  }
  return renderRepositoryIndex(index, '2024-06-01T00:00:00Z');
}

/** A chart's block, as helm writes one version of it, for the hand-made cases. */
const block = (name: string, version: string, extra = '') =>
  `  ${name}:\n  - apiVersion: v2\n    created: "2024-06-01T00:00:00Z"\n${extra}    name: ${name}\n    urls:\n    - ${name}-${version}.tgz\n    version: ${version}\n`;
const depBlock = (versions: string[]) =>
  `  dep:\n${versions.map((v) => `  - apiVersion: v2\n    created: "2024-06-01T00:00:00Z"\n    digest: ${digest(v)}\n    name: dep\n    urls:\n    - dep-${v}.tgz\n    version: ${v}\n`).join('')}`;
const index = (...blocks: string[]) => `apiVersion: v1\nentries:\n${blocks.join('')}generated: "2024-06-01T00:00:00Z"\n`;

/** Hand-made indexes: what the by-chart reading must read as the whole file does, or leave to it. */
const CASES: Record<string, { text: string; byChart: boolean }> = {
  'helm-written, the needed chart last': { text: helmWritten(40), byChart: true },
  'a block with escapes and an emoji (that block alone read by the full parser)': {
    text: index(block('a', '1.0.0', '    description: "say \\"hi\\" \\u263A 😀"\n'), depBlock(['1.0.0', '1.4.0'])),
    byChart: true,
  },
  'keys one in YAML (a number, a text) and one in JSON: the last counts': {
    text: index(depBlock(['1.0.0', '1.2.0']), block('one', '1.0.0').replace('  one:', '  1:'), block('other', '2.0.0').replace('  other:', '  "1":')),
    byChart: false,
  },
  'comments and blank lines between blocks, a key that matches entries ignoring case': {
    text: `apiVersion: v1\nEntries:\n  z:\n  - name: z\n    version: 9.0.0\n    urls: [z.tgz]\nentries:\n# first\n\n${block('a', '1.0.0')}  # between\n\n${depBlock(['1.2.0'])}generated: "2024"\n`,
    byChart: true,
  },
  'an anchor in one block used in another: read whole': {
    text: index(block('a', '1.0.0', '    home: &home https://example.com\n'), block('b', '1.0.0', '    home: *home\n'), depBlock(['1.0.0'])),
    byChart: false,
  },
  'a second document after the first: read whole': { text: `${index(depBlock(['1.2.0']))}---\napiVersion: v2\n`, byChart: false },
  'entries four columns deep': { text: index(depBlock(['1.0.0', '1.2.0'])).replace(/^ {2}/gm, '    '), byChart: true },
  'entries in flow style: read whole': { text: `apiVersion: v1\nentries: {dep: [{name: dep, version: 1.0.0, urls: [dep-1.0.0.tgz]}]}\n`, byChart: false },
};

/**
 * Indexes helm refuses as a whole, the trouble after the needed chart; `twice`: the key helm names as "already set in
 * map" (it decodes strictly), else the whole reading's error is the one expected.
 */
const BROKEN: Record<string, { text: string; line: number; twice?: string }> = {
  'malformed YAML in a block after the needed one': { text: index(depBlock(['1.0.0']), block('b', '1.0.0', '    description: "open\n'), block('c', '1.0.0')), line: 14 },
  'a field of the wrong type in another chart': { text: index(depBlock(['1.0.0']), block('b', '1.0.0', '    keywords: 5\n')), line: 14 },
  'the needed chart named twice': { text: index(depBlock(['2.0.0']), block('b', '1.0.0'), depBlock(['1.0.0', '1.2.0'])), line: 18, twice: 'dep' },
  'a field given twice in another chart': { text: index(depBlock(['1.0.0']), block('b', '1.0.0', '    home: a\n    home: b\n')), line: 15, twice: 'home' },
  'a merged key set again': { text: index(depBlock(['1.0.0']), block('b', '1.0.0', '    <<: {home: a}\n    home: b\n')), line: 15, twice: 'home' },
};

const whole = (text: string) => decodeIndex(readGoYamlSyntax(text, FILE, 'REPO_INDEX_INVALID').root, FILE);

describe('index.yaml read chart by chart', () => {
  for (const [name, { text, byChart }] of Object.entries(CASES)) {
    it(`${name}: reads as the whole file reads`, () => {
      assert.equal(readIndexRoot(text, FILE, 'REPO_INDEX_INVALID') !== undefined, byChart, byChart ? 'read chart by chart' : 'left to the whole reading');
      assert.deepEqual(parseRepositoryIndex(text, FILE), whole(text));
    });
  }

  for (const [name, { text, line, twice }] of Object.entries(BROKEN)) {
    it(`${name}: refused with the whole file's error, naming the file's line`, () => {
      if (twice) {
        const message = `${JSON.stringify(twice)} is given twice in one mapping: helm refuses the index (key already set in map)`;
        assert.throws(() => parseRepositoryIndex(text, FILE), (error: unknown) => error instanceof ChartshipError && error.code === 'REPO_INDEX_INVALID' && error.message === message && error.line === line);
        return;
      }
      const reference = (() => {
        try {
          whole(text);
        } catch (error) {
          return error as ChartshipError;
        }
        return assert.fail('the whole reading refuses it');
      })();
      assert.equal(reference.line, line);
      assert.throws(
        () => parseRepositoryIndex(text, FILE),
        (error: unknown) => error instanceof ChartshipError && error.code === 'REPO_INDEX_INVALID' && error.message === reference.message && error.line === line && error.field === reference.field,
      );
    });
  }
});

describe('the version picked from a large index, against helm 3 and 4', () => {
  const temp = tempDirs();
  let server: Server;
  let base: string;
  let served = '';
  let indexRequests = 0;
  const helms = HELM_MAJORS.map((major) => ({ major, helm: isolatedHelm(major) }));

  before(async () => {
    server = createServer((request, response) => {
      const path = (request.url ?? '').slice(1);
      if (path === 'index.yaml') indexRequests++;
      const body = path === 'index.yaml' ? Buffer.from(served) : archives.get(path);
      response.writeHead(body ? 200 : 404);
      response.end(body ?? '');
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((done) => server.close(done));
    for (const { helm } of helms) helm.cleanup();
    temp.cleanup();
  });

  /** What chartship resolves `dep` at `range` to (the version), or its refusal's code. */
  async function chartship(range: string): Promise<string> {
    try {
      const where = { file: 'Chart.yaml', field: 'dependencies[0]' };
      return (await pullFromRepository(base, 'dep', toRange(range)!, undefined, {}, where)).version;
    } catch (error) {
      if (error instanceof ChartshipError) return `refused ${error.code}`;
      throw error;
    }
  }

  /** What `helm dependency update` fetches for `dep` at `range`, or that it refuses. */
  async function helm(major: number, range: string): Promise<string> {
    const dir = writeFiles(temp.make('chartship-index-helm-'), {
      'Chart.yaml': chartYaml('app', '1.0.0', `dependencies:\n  - name: dep\n    version: "${range}"\n    repository: ${base}\n`),
    });
    const { helm: run } = helms.find((h) => h.major === major)!;
    try {
      await run.run(['dependency', 'update', dir]);
    } catch {
      return 'refused';
    }
    const fetched = existsSync(join(dir, 'charts')) ? readdirSync(join(dir, 'charts')) : [];
    assert.equal(fetched.length, 1, `helm ${major} fetched ${fetched.join(', ')}`);
    return fetched[0]!.replace(/^dep-(.*)\.tgz$/, '$1');
  }

  const table: [string, string, string][] = [
    ['helm-written (120 charts), the needed chart last', helmWritten(120), '^1.0.0'],
    ...(['a block with escapes and an emoji (that block alone read by the full parser)', 'keys one in YAML (a number, a text) and one in JSON: the last counts', 'an anchor in one block used in another: read whole'] as const).map(
      (name): [string, string, string] => [name, CASES[name]!.text, '>=1.0.0'],
    ),
    ...Object.entries(BROKEN).map(([name, { text }]): [string, string, string] => [name, text, '>=1.0.0']),
  ];
  for (const [name, text, range] of table) {
    it(`${name}: chartship picks what helm picks, or refuses what helm refuses`, async () => {
      served = text;
      const ours = await chartship(range);
      for (const { major } of helms) {
        const theirs = await helm(major, range);
        if (theirs === 'refused') assert.equal(ours, 'refused REPO_INDEX_INVALID', `helm ${major} refuses the index`);
        else assert.equal(ours, theirs, `helm ${major} picks ${theirs}`);
      }
    });
  }

  it('two dependencies of one chart on one repository fetch its index once', async () => {
    served = helmWritten(5);
    const { resolveDependencies } = await import('../../src/resolve/dependencies.js');
    const { loadChart } = await import('../../src/charts/load.js');
    const dir = writeFiles(temp.make('chartship-index-twice-'), {
      'Chart.yaml': chartYaml('app', '1.0.0', `dependencies:\n  - name: dep\n    version: ^1.0.0\n    repository: ${base}\n  - name: dep\n    alias: other\n    version: ^1.0.0\n    repository: ${base}\n`),
    });
    const before = indexRequests;
    const resolved = await resolveDependencies(await loadChart(dir), dir);
    assert.deepEqual(resolved.chart.subcharts.map((s) => `${s.metadata.name} ${s.metadata.version}`), ['dep 1.4.0']);
    assert.equal(indexRequests - before, 1);
  });
});
