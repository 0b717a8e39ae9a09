import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { constants as zlibConstants, deflateRawSync, gunzipSync } from 'node:zlib';
import { gzip, HELM_GZIP_HEADER } from '../../src/archive/gzip.js';
import { readChartArchive } from '../../src/charts/archive.js';
import { summarizeChartArchive, writtenArchive } from '../../src/charts/written-archives.js';
import type { ChartshipError } from '../../src/model/errors.js';
import { openTarget } from '../../src/helm-oci/index.js';
import { packageChart } from '../../src/pipeline/package.js';
import { chartYaml, field, parseTgz, rawHeaders, tempDirs, writeFiles } from './fixtures.js';

const temp = tempDirs();
after(() => temp.cleanup());

const EPOCH = new Date('2024-03-01T12:34:56Z');
const LONG_DIR = `templates/${'d'.repeat(60)}/${'e'.repeat(60)}`;
const LONG_BASE = `files/${'f'.repeat(120)}.txt`;

async function fixture(): Promise<string> {
  const sub = writeFiles(temp.make(), { 'Chart.yaml': chartYaml('alpha', '1.0.0'), 'templates/a.yaml': 'a: 1\n' });
  const alpha = await packageChart(sub, { sourceDate: EPOCH });
  return writeFiles(temp.make(), {
    'Chart.yaml': chartYaml('top', '0.1.0', 'dependencies:\n  - name: beta\n    version: "~2.0.0"\n  - name: alpha\n    version: "1.x"\n'),
    'Chart.lock': 'dependencies:\n- name: beta\n  repository: ""\n  version: ~2.0.0\ndigest: sha256:00\ngenerated: "2024-01-01T00:00:00Z"\n',
    'values.yaml': 'replicas: 1\n',
    'values.schema.json': '{"type":"object"}\n',
    'templates/z.yaml': 'z\n',
    'templates/b/c.yaml': 'c\n',
    'templates/_helpers.tpl': '{{/* x */}}\n',
    [`${LONG_DIR}/long.yaml`]: 'long\n',
    'README.md': '# top\n',
    'files/a.txt': 'a\n',
    [LONG_BASE]: 'base\n',
    'files/é.txt': 'accent\n',
    '.helmignore': '# nothing\n',
    'charts/beta/Chart.yaml': chartYaml('beta', '2.0.1'),
    'charts/beta/values.yaml': 'b: 1\n',
    'charts/beta/templates/t.yaml': 't\n',
    'charts/alpha-1.0.0.tgz': alpha.archive,
  });
}

describe('archive layout', () => {
  it('writes entries in helm order: Chart.yaml, Chart.lock, values, schema, templates, files, subcharts sorted', async () => {
    const pkg = await packageChart(await fixture(), { sourceDate: EPOCH });
    const entries = await parseTgz(pkg.archive);
    assert.deepEqual(
      entries.map((e) => e.path),
      [
        'top/Chart.yaml',
        'top/Chart.lock',
        'top/values.yaml',
        'top/values.schema.json',
        'top/templates/_helpers.tpl',
        'top/templates/b/c.yaml',
        `top/${LONG_DIR}/long.yaml`,
        'top/templates/z.yaml',
        'top/.helmignore',
        'top/README.md',
        'top/files/a.txt',
        `top/${LONG_BASE}`,
        'top/files/é.txt',
        'top/charts/alpha/Chart.yaml',
        'top/charts/alpha/templates/a.yaml',
        'top/charts/beta/Chart.yaml',
        'top/charts/beta/values.yaml',
        'top/charts/beta/templates/t.yaml',
      ],
    );
    assert.equal(entries.find((e) => e.path === 'top/files/é.txt')?.data.toString(), 'accent\n');
    assert.equal(pkg.fileName, 'top-0.1.0.tgz');
  });

  it('uses Go archive/tar headers: regular files 0644, uid/gid 0, no owner names, ustar magic, fixed mtime', async () => {
    const pkg = await packageChart(await fixture(), { sourceDate: EPOCH });
    for (const entry of await parseTgz(pkg.archive)) {
      assert.equal(entry.typeKey, '0', entry.path);
      assert.equal(entry.mode, 0o644, entry.path);
      assert.equal(entry.uid, 0);
      assert.equal(entry.gid, 0);
      assert.equal(entry.uname, '');
      assert.equal(entry.gname, '');
      assert.equal(entry.mtime?.getTime(), EPOCH.getTime(), entry.path);
    }
    const { blocks, tail } = rawHeaders(pkg.archive);
    const files = blocks.filter((b) => field(b, 156, 1) === '0');
    assert.equal(files.length, 18);
    for (const b of files) {
      assert.equal(field(b, 100, 8), '0000644\0');
      assert.equal(field(b, 108, 8), '0000000\0');
      assert.equal(field(b, 116, 8), '0000000\0');
      assert.equal(field(b, 136, 12), `${(EPOCH.getTime() / 1000).toString(8).padStart(11, '0')}\0`);
      assert.equal(field(b, 257, 8), 'ustar\u000000');
      assert.equal(field(b, 265, 64), '\0'.repeat(64), 'uname and gname empty');
      assert.equal(field(b, 329, 16), '0000000\u00000000000\0');
      assert.match(field(b, 148, 8), /^[0-7]{6}\0 $/);
      let sum = 0;
      for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : b[i]!;
      assert.equal(parseInt(field(b, 148, 6), 8), sum);
    }
    assert.ok(blocks.every((b) => field(b, 156, 1) !== '5'), 'no directory entries');
    assert.equal(tail.length, 1024, 'two zero blocks and nothing after');
    assert.ok(tail.every((b) => b === 0));
  });

  it('splits long names into the ustar prefix, and uses a PAX path record when that cannot work', async () => {
    const pkg = await packageChart(await fixture(), { sourceDate: EPOCH });
    const { blocks } = rawHeaders(pkg.archive);
    const name = (b: Buffer) => field(b, 0, 100).replace(/\0.*$/s, '');
    const prefix = (b: Buffer) => field(b, 345, 155).replace(/\0.*$/s, '');

    const split = blocks.find((b) => name(b) === 'long.yaml');
    assert.ok(split, 'long directory path split at the last slash');
    assert.equal(prefix(split), `top/${LONG_DIR}`);

    const pax = blocks.filter((b) => field(b, 156, 1) === 'x');
    assert.deepEqual(pax.map(name), [`top/files/PaxHeaders.0/${'f'.repeat(120)}.txt`.slice(0, 100), 'top/files/PaxHeaders.0/.txt']);
    for (const b of pax) {
      assert.equal(field(b, 100, 8), '0000000\0', 'PAX headers carry mode 0 like Go');
      assert.equal(field(b, 136, 12), '00000000000\0');
    }
    const tar = execFileSync('gzip', ['-dc'], { input: pkg.archive });
    assert.ok(tar.includes(Buffer.from(` path=top/${LONG_BASE}\n`)));
    assert.ok(tar.includes(Buffer.from('25 path=top/files/é.txt\n')), 'record length counts bytes and itself');
  });

  it('deflates a small archive at once and a large one on the thread pool into the same bytes', async () => {
    // Text that compresses like a chart's, at sizes on both sides of where gzip() stops deflating inline.
    const text = (bytes: number) => Buffer.from(Array.from({ length: bytes / 16 }, (_, i) => `key${i % 997}: v${i}\n`.padEnd(16, ' ')).join(''));
    for (const size of [16 * 1024, 256 * 1024 - 16, 256 * 1024, 2 * 1024 * 1024]) {
      const data = text(size);
      const zipped = await gzip(data);
      const body = deflateRawSync(data, { level: 6, memLevel: 8, windowBits: 15, strategy: zlibConstants.Z_DEFAULT_STRATEGY });
      assert.equal(zipped.subarray(HELM_GZIP_HEADER.length, zipped.length - 8).toString('hex'), body.toString('hex'), `${size} bytes`);
      assert.deepEqual(gunzipSync(zipped), data);
    }
  });

  it("writes helm's gzip header: extra field and comment \"Helm\", no time, name or OS", async () => {
    const pkg = await packageChart(await fixture(), { sourceDate: EPOCH });
    // The bytes `xxd` shows at the start of every helm 3.17 and 4.1 package (test/package/helm-parity.test.ts
    // compares with the real binaries).
    const extra = '+aHR0cHM6Ly95b3V0dS5iZS96OVV6MWljandyTQo=';
    const expected = Buffer.concat([Buffer.from([0x1f, 0x8b, 8, 0x14, 0, 0, 0, 0, 0, 0xff, 41, 0]), Buffer.from(extra), Buffer.from('Helm\0')]);
    assert.equal(pkg.archive.subarray(0, expected.length).toString('hex'), expected.toString('hex'));
    assert.equal(gunzipSync(pkg.archive).length % 512, 0, 'the deflate stream follows the header');
  });

  it('is read by GNU tar with the same names and contents', async () => {
    const dir = await fixture();
    const out = temp.make();
    const pkg = await packageChart(dir, { sourceDate: EPOCH, destination: out });
    assert.equal(pkg.path, join(out, 'top-0.1.0.tgz'));
    const listing = execFileSync('tar', ['tzvf', pkg.path], { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } }).trim().split('\n');
    assert.equal(listing.length, 18);
    for (const line of listing) assert.match(line, /^-rw-r--r-- 0\/0 +\d+ 2024-03-01 12:34 top\//);
    const extracted = temp.make();
    execFileSync('tar', ['xzf', pkg.path, '-C', extracted]);
    assert.equal(readFileSync(join(extracted, 'top', LONG_BASE), 'utf8'), 'base\n');
    assert.equal(readFileSync(join(extracted, 'top', LONG_DIR, 'long.yaml'), 'utf8'), 'long\n');
    assert.equal(readFileSync(join(extracted, 'top/charts/alpha/templates/a.yaml'), 'utf8'), 'a: 1\n');
  });

  it('reads a Chart.yaml with a UTF-8 BOM and strips the BOM from files', async () => {
    const dir = writeFiles(temp.make(), {
      'Chart.yaml': `\uFEFF# the chart\n${chartYaml('bom', '1.0.0')}`,
      'templates/x.yaml': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('x: 1\n')]),
    });
    const entries = await parseTgz((await packageChart(dir, { sourceDate: EPOCH })).archive);
    assert.equal(entries[0]!.data.toString(), 'apiVersion: v2\nname: bom\nversion: 1.0.0\n');
    assert.equal(entries[1]!.data.toString(), 'x: 1\n');
  });
});

describe('what packaging records for a push', () => {
  // A push in the same run takes this record instead of gunzipping, untarring and parsing the archive again.
  const readBack = async (archive: Buffer) => {
    const read = await readChartArchive(archive, 'packaged');
    return { metadata: read.metadata, top: read.top, newestMtime: read.newestMtime };
  };

  it('is what reading the archive back gives: subcharts, long names, a v1 chart with requirements.yaml', async () => {
    const v1 = writeFiles(temp.make(), {
      'Chart.yaml': 'apiVersion: v1\nname: legacy\nversion: 0.2.0\ndescription: old style\n',
      'requirements.yaml': 'dependencies:\n  - name: sub\n    version: 1.0.0\n    repository: file://charts/sub\n',
      'charts/sub/Chart.yaml': chartYaml('sub', '1.0.0'),
    });
    for (const [dir, sourceDate] of [[await fixture(), EPOCH], [v1, new Date('2024-03-01T12:34:56.789Z')]] as const) {
      const packaged = await packageChart(dir, { sourceDate });
      assert.deepEqual(writtenArchive(packaged.archive), await readBack(packaged.archive));
    }
  });

  it('is found by content only: other bytes are read and validated as any archive', async () => {
    const packaged = await packageChart(await fixture(), { sourceDate: EPOCH });
    const copy = Buffer.from(packaged.archive);
    copy[copy.length - 1] = copy[copy.length - 1]! ^ 0xff;
    assert.equal(writtenArchive(copy), undefined);
    await assert.rejects(summarizeChartArchive(copy, 'changed.tgz'), (error: ChartshipError) => error.code === 'CHART_ARCHIVE_INVALID' && error.file === 'changed.tgz');
  });

  it('is not taken for an archive over what helm loads: subcharts packaged unpacked past 100 MiB are refused at the push', async () => {
    // Each chart is within helm's limits on its own, and its dependencies are small archives of zeros; unpacked into
    // one archive, as helm packages subcharts, they are not.
    const dir = writeFiles(temp.make(), { 'Chart.yaml': chartYaml('big', '1.0.0') });
    mkdirSync(join(dir, 'charts'));
    const block = Buffer.alloc(4.9 * 1024 * 1024);
    for (const sub of ['one', 'two']) {
      const subDir = writeFiles(temp.make(), { 'Chart.yaml': chartYaml(sub, '1.0.0') });
      for (let i = 0; i < 11; i++) writeFileSync(join(subDir, `blob-${i}.bin`), block);
      writeFileSync(join(dir, 'charts', `${sub}-1.0.0.tgz`), (await packageChart(subDir, { sourceDate: EPOCH })).archive);
    }
    const packaged = await packageChart(dir, { sourceDate: EPOCH });
    assert.equal(writtenArchive(packaged.archive), undefined);
    const layout = temp.make();
    await assert.rejects(openTarget(`oci-layout:${layout}`).pushChart({ archive: packaged.archive, label: 'big-1.0.0.tgz' }), (error: ChartshipError) => {
      assert.equal(error.code, 'CHART_ARCHIVE_INVALID');
      assert.match(error.message, /more than 100 MiB/);
      return true;
    });
  });
});
