/**
 * A differential hunt made permanent: every chart of test/helpers/tricky-charts.ts is packaged by chartship and by the
 * real `helm package` of helm 3 and helm 4. Where helm packages it, the archives must agree entry by entry (names,
 * order, tar headers, bytes; times aside, which helm takes from the clock or the files), in the gzip header and file
 * name, and in the metadata helm reads back from its archive (what it signs and puts in the OCI config). Where both
 * helms refuse it, chartship must refuse it too, naming the file and field.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { helmChartYaml } from '../../src/charts/helm-yaml.js';
import { ChartshipError, describeError } from '../../src/model/errors.js';
import type { PackagedChart } from '../../src/package/index.js';
import { packageChart } from '../../src/pipeline/package.js';
import { entries, gzipHeader, type Entry } from '../helpers/archive-parity.js';
import { HELM_MAJORS, suiteHelms, type HelmMajor } from '../helpers/helm.js';
import { trickyCharts, writeTrickyChart, type TrickyChart } from '../helpers/tricky-charts.js';
import { parseTgz } from './fixtures.js';

const EPOCH = new Date('2024-06-01T00:00:00Z');
const CASES = trickyCharts();

interface HelmResult {
  archive?: Buffer;
  fileName?: string;
  /** The metadata helm reads back from its own archive, as `helm show chart` prints it. */
  shown?: string;
  error?: string;
}

/** One header, readable: the fields a reader acts on (times and checksum are blanked by entries()). */
function headerFields(entry: Entry): string {
  const block = Buffer.from(entry.header, 'base64');
  const field = (start: number, length: number) => block.subarray(start, start + length).toString('latin1').replace(/\0+$/, '');
  return JSON.stringify({ name: field(0, 100), mode: field(100, 8), uid: field(108, 8), gid: field(116, 8), size: field(124, 12), type: field(156, 1), magic: field(257, 8), uname: field(265, 32), gname: field(297, 32), prefix: field(345, 155) });
}

describe('helm package differential: tricky charts against helm 3 and helm 4', () => {
  const { scratch, helms } = suiteHelms('chartship-differential-');
  const results = new Map<string, Map<HelmMajor, HelmResult>>();

  before(async () => {
    for (const c of CASES) writeTrickyChart(join(scratch, c.name, 'chart'), c.files);
    // One helm process at a time per major: two at once on the machine's two cores.
    await Promise.all(
      [...helms].map(async ([major, helm]) => {
        for (const c of CASES) {
          const out = join(scratch, c.name, `helm${major}`);
          const result: HelmResult = {};
          try {
            await helm.run(['package', join(scratch, c.name, 'chart'), '-d', out]);
            result.fileName = readdirSync(out)[0]!;
            result.archive = readFileSync(join(out, result.fileName));
            // What helm reads back from its archive: its Chart.yaml, but for a v1 chart's requirements.yaml read over
            // it, which only `helm show chart` tells (half the helm runs, so only then).
            const archived = entries(result.archive);
            const chartYaml = archived.find((e) => /^[^/]+\/Chart\.yaml$/.test(e.name))!;
            result.shown = archived.some((e) => /^[^/]+\/requirements\.yaml$/.test(e.name))
              ? await helm.run(['show', 'chart', join(out, result.fileName)], { stdoutOnly: true })
              : `${Buffer.from(chartYaml.data, 'base64').toString('utf8')}\n`;
          } catch (error) {
            result.error = String(error);
          }
          if (!results.has(c.name)) results.set(c.name, new Map());
          results.get(c.name)!.set(major, result);
        }
      }),
    );
  });
  it(`has ${CASES.length} cases, each named for what it covers`, () => {
    assert.equal(new Set(CASES.map((c) => c.name)).size, CASES.length);
    for (const c of CASES) assert.match(c.covers, /\w/);
  });

  for (const c of CASES) {
    it(`${c.name}: ${c.covers}`, async () => {
      await compare(c, join(scratch, c.name, 'chart'), results.get(c.name)!);
    });
  }
});

describe('helm package differential: a file name that is not UTF-8', () => {
  const { scratch, helms } = suiteHelms('chartship-differential-bytes-');

  it('is refused, naming the file, where helm stores its bytes; left out by .helmignore, the archives agree', async () => {
    const dir = join(scratch, 'chart');
    writeTrickyChart(dir, { 'Chart.yaml': 'apiVersion: v2\nname: bytes\nversion: 1.0.0\n', 'files/ok.txt': 'x\n' });
    // café in Latin-1: the name's bytes are no UTF-8.
    writeFileSync(Buffer.concat([Buffer.from(join(dir, 'files', 'caf')), Buffer.from([0xe9]), Buffer.from('.txt')]), 'x\n');
    for (const [major, helm] of helms) await helm.run(['package', dir, '-d', join(scratch, `refused${major}`)]);
    await assert.rejects(packageChart(dir, { sourceDate: EPOCH, env: {} }), (e: unknown) => e instanceof ChartshipError && /chart\/files\/caf\uFFFD\.txt: the file name is not UTF-8/.test(e.describe()));

    writeFileSync(join(dir, '.helmignore'), 'caf?.txt\n');
    const mine = entries((await packageChart(dir, { sourceDate: EPOCH, env: {} })).archive);
    assert.deepEqual(mine.map((e) => e.name), ['bytes/Chart.yaml', 'bytes/.helmignore', 'bytes/files/ok.txt']);
    for (const [major, helm] of helms) {
      const out = join(scratch, `ignored${major}`);
      await helm.run(['package', dir, '-d', out]);
      assert.deepEqual(mine, entries(readFileSync(join(out, 'bytes-1.0.0.tgz'))), `helm ${major}`);
    }
  });
});

async function compare(c: TrickyChart, dir: string, byHelm: Map<HelmMajor, HelmResult>): Promise<void> {
  let ours: PackagedChart | undefined;
  let refusal: unknown;
  try {
    ours = await packageChart(dir, { sourceDate: EPOCH, env: {} });
  } catch (error) {
    refusal = error;
  }
  const refusers = c.refused?.by ?? HELM_MAJORS;
  if (c.refused) {
    for (const [major, result] of byHelm) {
      if (!refusers.includes(major)) {
        assert.equal(result.error, undefined, `helm ${major} packages the chart`);
        continue;
      }
      assert.ok(result.error, `helm ${major} refuses the chart (it packaged it)`);
      assert.match(result.error, c.refused.helm, `helm ${major}'s reason`);
    }
    assert.ok(refusal instanceof ChartshipError, `chartship refuses: ${refusal === undefined ? 'it packaged the chart' : describeError(refusal)}`);
    assert.match(refusal.describe(), c.refused.ours);
    assert.ok(refusal.file, `the refusal names a file: ${refusal.describe()}`);
    return;
  }
  for (const [major, result] of byHelm) assert.equal(result.error, undefined, `helm ${major} packages the chart`);
  assert.ok(ours, `chartship packages the chart: ${describeError(refusal)}`);
  const mine = entries(ours.archive);
  for (const [major, theirs] of byHelm) {
    assert.ok(theirs.archive);
    assert.equal(ours.fileName, theirs.fileName, `helm ${major}: archive name`);
    assert.equal(gzipHeader(ours.archive).toString('hex'), gzipHeader(theirs.archive).toString('hex'), `helm ${major}: gzip header`);
    const helmEntries = entries(theirs.archive);
    assert.deepEqual(mine.map((e) => e.name), helmEntries.map((e) => e.name), `helm ${major}: entry names and order`);
    mine.forEach((entry, i) => {
      const other = helmEntries[i]!;
      assert.equal(headerFields(entry), headerFields(other), `helm ${major}: ${entry.name}: tar header`);
      assert.equal(entry.header, other.header, `helm ${major}: ${entry.name}: tar header bytes`);
      const text = (e: Entry) => (e.name.endsWith('.lock') ? e.data : Buffer.from(e.data, 'base64').toString('utf8'));
      assert.equal(text(entry), text(other), `helm ${major}: ${entry.name}: content`);
      assert.equal(entry.data, other.data, `helm ${major}: ${entry.name}: bytes`);
    });
    // entries() hides a lock's `generated` (a fetch rewrites it); nothing is fetched here, so it must be helm's too.
    assert.deepEqual(await locks(ours.archive), await locks(theirs.archive), `helm ${major}: locks as written`);
    assert.equal(`${helmChartYaml(ours.metadata)}\n`, theirs.shown, `helm ${major}: metadata read back from the archive`);
  }
}

/** The lock files of an archive, by path (helm writes subcharts in random order), as written. */
async function locks(archive: Buffer): Promise<string[][]> {
  return (await parseTgz(archive))
    .filter((e) => /(^|\/)(Chart|requirements)\.lock$/.test(e.path))
    .map((e) => [e.path, e.data.toString('utf8')])
    .sort(([a], [b]) => (a! < b! ? -1 : 1));
}
