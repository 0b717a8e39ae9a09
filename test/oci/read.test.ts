import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { ChartshipError } from '../../src/model/errors.js';
import { readChartArchive } from '../../src/charts/archive.js';
import { chartArchive, tarBytes, tgz } from '../helpers/registry-charts.js';

const chartYaml = 'apiVersion: v2\nname: demo\nversion: 1.0.0\n';

async function rejection(bytes: Buffer): Promise<ChartshipError> {
  try {
    await readChartArchive(bytes, 'demo-1.0.0.tgz');
  } catch (error) {
    assert.ok(error instanceof ChartshipError, `expected a ChartshipError, got ${String(error)}`);
    assert.equal(error.file?.startsWith('demo-1.0.0.tgz'), true, 'the error names the archive');
    return error;
  }
  assert.fail('the archive was accepted');
}

test('reads a chart in memory: metadata, files relative to top, newest mtime', async () => {
  const archive = tgz([
    { path: 'demo/Chart.yaml', data: chartYaml, mtime: new Date('2024-01-01T00:00:00Z') },
    { path: 'demo/templates/', type: 'Directory', mtime: new Date('2030-01-01T00:00:00Z') },
    { path: 'demo/templates/a.yaml', data: 'x: 1\n', mtime: new Date('2024-03-01T10:00:00Z') },
  ]);
  const chart = await readChartArchive(archive, 'demo.tgz');
  assert.equal(chart.metadata.name, 'demo');
  assert.equal(chart.top, 'demo');
  assert.deepEqual([...chart.files.keys()].sort(), ['Chart.yaml', 'templates/a.yaml']);
  assert.equal(chart.files.get('templates/a.yaml')?.toString(), 'x: 1\n');
  assert.equal(chart.newestMtime.toISOString(), '2024-03-01T10:00:00.000Z', 'directories do not count');
});

test('long paths (PAX / ustar prefix) are read whole', async () => {
  const long = `demo/templates/${'d'.repeat(120)}/${'f'.repeat(90)}.yaml`;
  const chart = await readChartArchive(tgz([{ path: 'demo/Chart.yaml', data: chartYaml }, { path: long, data: 'k: v\n' }]), 'x');
  assert.ok(chart.files.has(long.slice('demo/'.length)));
});

test('rejects what helm would not load, naming archive and field', async () => {
  assert.match((await rejection(Buffer.from('PK\u0003\u0004 zip'))).message, /not a gzip archive/);
  assert.match((await rejection(gzipSync(Buffer.from('hello, not a tar archive at all'.repeat(40))))).message, /not a valid tar|no files|top directory/);
  assert.match((await rejection(tgz([{ path: '/etc/demo/Chart.yaml', data: chartYaml }]))).message, /absolute path/);
  assert.match((await rejection(tgz([{ path: 'demo/Chart.yaml', data: chartYaml }, { path: 'demo/../../evil', data: 'x' }]))).message, /outside the chart/);
  for (const [type, word] of [['SymbolicLink', 'symbolic link'], ['Link', 'hard link'], ['CharacterDevice', 'character device'], ['FIFO', 'FIFO']] as const) {
    const error = await rejection(tgz([{ path: 'demo/Chart.yaml', data: chartYaml }, { path: 'demo/templates/x', type, ...(type.endsWith('Link') ? { linkpath: '/etc/passwd' } : {}) }]));
    assert.match(error.message, new RegExp(word));
    assert.equal(error.field, 'demo/templates/x');
  }
  const big = await rejection(tgz([{ path: 'demo/Chart.yaml', data: chartYaml }, { path: 'demo/big.bin', data: Buffer.alloc(5 * 1024 * 1024 + 1) }]));
  assert.match(big.message, /larger than 5 MiB/);
  assert.match((await rejection(tgz([{ path: 'demo/values.yaml', data: 'a: 1\n' }]))).message, /no demo\/Chart.yaml/);
  const yaml = await rejection(tgz([{ path: 'demo/Chart.yaml', data: 'apiVersion: v2\nname: [demo\n' }]));
  assert.equal(yaml.file, 'demo-1.0.0.tgz:demo/Chart.yaml');
  const noVersion = await rejection(tgz([{ path: 'demo/Chart.yaml', data: 'apiVersion: v2\nname: demo\n' }]));
  assert.equal(noVersion.field, 'version');
  // helm reads `v1.0` as 1.0.0 and loads it; it refuses what is no version at all.
  const badVersion = await rejection(chartArchive({ name: 'demo', version: '1.0.0.0' }));
  assert.equal(badVersion.field, 'version');
  assert.match(badVersion.message, /not a valid version/);
  // helm loads any name (a subchart may be `My_Chart`); only pushing needs a repository name, see push.test.ts.
  const mixedCase = await readChartArchive(chartArchive({ name: 'My_Chart', version: '1.0.0' }), 'My_Chart-1.0.0.tgz');
  assert.equal(mixedCase.metadata.name, 'My_Chart');
});

test('a gzip bomb stops at the total limit without inflating it all', async () => {
  // 120 MiB of zeros in one declared-small entry's padding compresses to ~120 KiB.
  const header = tarBytes([{ path: 'demo/Chart.yaml', data: chartYaml }]).subarray(0, 1024);
  const bomb = gzipSync(Buffer.concat([header, Buffer.alloc(120 * 1024 * 1024)]), { level: 9 });
  assert.ok(bomb.length < 1024 * 1024);
  const error = await rejection(bomb);
  assert.match(error.message, /more than 100 MiB/);
});

test('total size over 100 MiB across files is refused', async () => {
  const files = Array.from({ length: 21 }, (_, i) => ({ path: `demo/f${i}.bin`, data: Buffer.alloc(5 * 1024 * 1024 - 1) }));
  const error = await rejection(tgz([{ path: 'demo/Chart.yaml', data: chartYaml }, ...files]));
  assert.match(error.message, /100 MiB/);
});
