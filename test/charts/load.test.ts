import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { loadChart } from '../../src/charts/load.js';
import { ChartshipError } from '../../src/model/errors.js';
import { chartYaml, tempDirs, writeFiles } from '../package/fixtures.js';

const temp = tempDirs();
after(() => temp.cleanup());

describe('loadChart', () => {
  it('walks depth first with names sorted bytewise, templates apart from other files', async () => {
    const dir = writeFiles(temp.make(), {
      'Chart.yaml': chartYaml('c', '1.0.0'),
      'templates/b.yaml': 'b',
      'templates/a/z.yaml': 'z',
      'templates/B.yaml': 'B',
      'Zeta.txt': 'Z',
      'alpha.txt': 'a',
      '\u{1F600}.txt': 'emoji',
      '\uFF21.txt': 'fullwidth A',
    });
    const chart = await loadChart(dir);
    assert.deepEqual(chart.templates.map((f) => f.name), ['templates/B.yaml', 'templates/a/z.yaml', 'templates/b.yaml']);
    // UTF-8 byte order puts U+FF21 (EF BC A1) before U+1F600 (F0 9F 98 80); UTF-16 order would not.
    assert.deepEqual(chart.files.map((f) => f.name), ['Zeta.txt', 'alpha.txt', '\uFF21.txt', '\u{1F600}.txt']);
  });

  it('follows symlinks that stay inside the chart, storing the target bytes under the link name', async () => {
    const dir = writeFiles(temp.make(), { 'Chart.yaml': chartYaml('c', '1.0.0'), 'shared/common.yaml': 'common\n' });
    symlinkSync('shared/common.yaml', join(dir, 'templates-common.yaml'));
    mkdirSync(join(dir, 'templates'));
    symlinkSync('../shared', join(dir, 'templates', 'linked'));
    const chart = await loadChart(dir);
    assert.deepEqual(chart.templates.map((f) => [f.name, f.data.toString()]), [['templates/linked/common.yaml', 'common\n']]);
    assert.deepEqual(chart.files.map((f) => [f.name, f.data.toString()]), [
      ['shared/common.yaml', 'common\n'],
      ['templates-common.yaml', 'common\n'],
    ]);
  });

  it('refuses symlinks that leave the chart, loop, or point nowhere, naming the link', async () => {
    const outside = writeFiles(temp.make(), { 'secret.txt': 's' });
    const leaving = writeFiles(temp.make(), { 'Chart.yaml': chartYaml('c', '1.0.0') });
    symlinkSync(outside, join(leaving, 'data'));
    await assert.rejects(loadChart(leaving), (e: unknown) => e instanceof ChartshipError && e.file === join(leaving, 'data') && /leaves the chart directory/.test(e.message));

    const looping = writeFiles(temp.make(), { 'Chart.yaml': chartYaml('c', '1.0.0'), 'sub/x.txt': 'x' });
    symlinkSync('..', join(looping, 'sub', 'up'));
    await assert.rejects(loadChart(looping), (e: unknown) => e instanceof ChartshipError && e.file === join(looping, 'sub/up') && /loops/.test(e.message));

    const dangling = writeFiles(temp.make(), { 'Chart.yaml': chartYaml('c', '1.0.0') });
    symlinkSync('missing.txt', join(dangling, 'gone.txt'));
    await assert.rejects(loadChart(dangling), (e: unknown) => e instanceof ChartshipError && e.file === join(dangling, 'gone.txt'));
  });

  it('says a chart directory is not found when nothing, or a file, is there; a link to a chart directory is one', async () => {
    const dir = temp.make();
    const file = join(dir, 'file');
    writeFileSync(file, 'x');
    for (const path of [join(dir, 'missing'), file, join(file, 'below')]) {
      await assert.rejects(loadChart(path), (e: unknown) => e instanceof ChartshipError && e.code === 'CHART_NOT_FOUND' && e.file === path, path);
    }
    const chart = writeFiles(temp.make(), { 'Chart.yaml': chartYaml('c', '1.0.0'), '.helmignore': '*.md\n', 'README.md': 'x', 'sub/a.txt': 'a' });
    symlinkSync(chart, join(dir, 'linked'));
    assert.deepEqual((await loadChart(join(dir, 'linked'))).files.map((f) => f.name), ['.helmignore', 'sub/a.txt']);
  });

  it('refuses a .git directory .helmignore keeps (a chart at the repository root), and packages one it leaves out', async () => {
    const dir = writeFiles(temp.make(), { 'Chart.yaml': chartYaml('c', '1.0.0'), '.git/config': '[http]\n  extraheader = AUTHORIZATION: basic dG9rZW4=\n', 'templates/cm.yaml': 'kind: ConfigMap\n' });
    await assert.rejects(loadChart(dir), (e: unknown) => e instanceof ChartshipError && e.file === join(dir, '.git') && e.code === 'CHART_GIT_DIRECTORY' && /add \.git\/ to the chart's \.helmignore/.test(e.describe()));
    writeFileSync(join(dir, '.helmignore'), '.git/\n');
    assert.deepEqual((await loadChart(dir)).files.map((f) => f.name), ['.helmignore']);
    // A worktree's .git is a file naming the repository: nothing of it is secret, and helm packages it.
    const worktree = writeFiles(temp.make(), { 'Chart.yaml': chartYaml('c', '1.0.0'), '.git': 'gitdir: /elsewhere\n' });
    assert.deepEqual((await loadChart(worktree)).files.map((f) => f.name), ['.git']);
  });

  it('refuses irregular files', async () => {
    const dir = writeFiles(temp.make(), { 'Chart.yaml': chartYaml('c', '1.0.0') });
    execFileSync('mkfifo', [join(dir, 'pipe')]);
    await assert.rejects(loadChart(dir), (e: unknown) => e instanceof ChartshipError && e.file === join(dir, 'pipe') && /irregular/.test(e.message));
  });

  it('enforces 5 MiB per file (exactly 5 MiB is fine) and 100 MiB in total', async () => {
    const fits = writeFiles(temp.make(), { 'Chart.yaml': chartYaml('c', '1.0.0'), 'big.bin': '' });
    truncateSync(join(fits, 'big.bin'), 5 * 1024 * 1024);
    assert.equal((await loadChart(fits)).files[0]!.data.length, 5 * 1024 * 1024);

    const total = writeFiles(temp.make(), { 'Chart.yaml': chartYaml('c', '1.0.0') });
    for (let i = 0; i < 21; i++) {
      writeFileSync(join(total, `part-${String(i).padStart(2, '0')}.bin`), '');
      truncateSync(join(total, `part-${String(i).padStart(2, '0')}.bin`), 5 * 1024 * 1024);
    }
    await assert.rejects(loadChart(total), (e: unknown) => e instanceof ChartshipError && e.code === 'CHART_TOO_LARGE' && /part-19\.bin/.test(e.message));
  });

  it('reads Chart.lock, and refuses a malformed one naming its line', async () => {
    const ok = writeFiles(temp.make(), {
      'Chart.yaml': chartYaml('c', '1.0.0'),
      'Chart.lock': 'dependencies:\n- name: a\n  repository: file://../a\n  version: 1.0.0\ndigest: sha256:ab\ngenerated: "2024-01-01T00:00:00Z"\n',
    });
    assert.deepEqual((await loadChart(ok)).lock, {
      dependencies: [{ name: 'a', repository: 'file://../a', version: '1.0.0' }],
      digest: 'sha256:ab',
      generated: '2024-01-01T00:00:00Z',
    });
    const bad = writeFiles(temp.make(), { 'Chart.yaml': chartYaml('c', '1.0.0'), 'Chart.lock': 'dependencies:\n- name: a\n  version: [1\n' });
    await assert.rejects(loadChart(bad), (e: unknown) => e instanceof ChartshipError && e.file === join(bad, 'Chart.lock') && e.line !== undefined);
  });

  it('reads `generated` the way Go does, and refuses what helm cannot load', async () => {
    const lockWith = (generated: string) =>
      writeFiles(temp.make(), { 'Chart.yaml': chartYaml('c', '1.0.0'), 'Chart.lock': `dependencies: []\ndigest: sha256:ab\n${generated}` });
    const cases: [string, string][] = [
      ['generated: "2021-03-04T10:56:04.558838+01:00"\n', '2021-03-04T10:56:04.558838+01:00'],
      ['generated: 2021-03-04T10:56:04.500000000Z\n', '2021-03-04T10:56:04.5Z'],
      ['generated: "2021-03-04T10:56:04.1234567891-05:30"\n', '2021-03-04T10:56:04.123456789-05:30'],
      ['generated: "2021-03-04T10:56:04+00:00"\n', '2021-03-04T10:56:04Z'],
      ['generated: "2021-03-04T10:56:04.000-00:00"\n', '2021-03-04T10:56:04Z'],
      ['', '0001-01-01T00:00:00Z'],
      ['generated: null\n', '0001-01-01T00:00:00Z'],
    ];
    for (const [line, expected] of cases) assert.equal((await loadChart(lockWith(line))).lock?.generated, expected, line);
    for (const bad of ['"2021-03-04 10:56:04Z"', '"2021-03-04T10:56:04"', '"2021-02-30T10:56:04Z"', '"2021-03-04T10:56:60Z"', '"2021-03-04t10:56:04z"', '"2021-03-04T10:56:04,5Z"', '5']) {
      await assert.rejects(loadChart(lockWith(`generated: ${bad}\n`)), (e: unknown) => e instanceof ChartshipError && e.code === 'CHART_LOCK_INVALID' && e.field === 'generated' && e.line === 3, bad);
    }
  });

  it('refuses a stray file in charts/ that is not a chart', async () => {
    const dir = writeFiles(temp.make(), { 'Chart.yaml': chartYaml('c', '1.0.0'), 'charts/README.md': 'hi' });
    await assert.rejects(loadChart(dir), (e: unknown) => e instanceof ChartshipError && e.file === join(dir, 'charts/README.md'));
  });
});
