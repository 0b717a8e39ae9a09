import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ChartshipError } from '../../src/model/errors.js';
import { packageChart } from '../../src/pipeline/package.js';
import { FALLBACK_SOURCE_DATE } from '../../src/package/source-date.js';
import { runBundledCli } from '../helpers/cli.js';
import { createRepo, type TestRepo } from '../helpers/git.js';
import { chartYaml, parseTgz, tempDirs, writeFiles } from './fixtures.js';

const temp = tempDirs();
const repos: TestRepo[] = [];
after(() => {
  temp.cleanup();
  for (const r of repos) r.cleanup();
});

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const GIT_EPOCH = Date.UTC(2024, 0, 1);

function chart(): string {
  return writeFiles(temp.make(), {
    'Chart.yaml': chartYaml('repro', '1.2.3', 'appVersion: "2.0"\n'),
    'values.yaml': 'image: nginx\n',
    'templates/deploy.yaml': 'kind: Deployment\n',
    'files/data.bin': Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 7919) % 251)),
  });
}

/** Packages `dir` with the bundled CLI in a fresh node process with the given environment, returning the sha256 it printed. */
async function packageInChild(dir: string, env: Record<string, string>): Promise<string> {
  const { code, stdout, stderr } = await runBundledCli(['package', dir, '--destination', temp.make(), '--json'], { cwd: ROOT, env });
  assert.equal(code, 0, stderr);
  return (JSON.parse(stdout) as { sha256: string }).sha256;
}

describe('reproducible packages', () => {
  it('gives the same bytes twice, from another directory with other file times, and in another time zone', async () => {
    const dir = chart();
    const env = { SOURCE_DATE_EPOCH: '1700000000' };
    const first = await packageChart(dir, { env });
    const second = await packageChart(dir, { env });
    assert.equal(first.sha256, second.sha256);
    assert.ok(first.archive.equals(second.archive));

    const copy = join(temp.make(), 'elsewhere');
    cpSync(dir, copy, { recursive: true });
    utimesSync(join(copy, 'values.yaml'), new Date('2001-01-01'), new Date('2001-01-01'));
    assert.equal((await packageChart(copy, { env })).sha256, first.sha256);

    assert.equal(await packageInChild(dir, { ...env, TZ: 'Pacific/Kiritimati' }), first.sha256);
    assert.equal(await packageInChild(copy, { ...env, TZ: 'America/St_Johns' }), first.sha256);
  });

  it('changes when content changes', async () => {
    const dir = chart();
    const env = { SOURCE_DATE_EPOCH: '1700000000' };
    const before = await packageChart(dir, { env });
    writeFileSync(join(dir, 'values.yaml'), 'image: httpd\n');
    assert.notEqual((await packageChart(dir, { env })).sha256, before.sha256);
  });

  it('stamps SOURCE_DATE_EPOCH on every entry, and refuses a malformed one', async () => {
    const pkg = await packageChart(chart(), { env: { SOURCE_DATE_EPOCH: '1234567890' } });
    assert.equal(pkg.sourceDateOrigin, 'SOURCE_DATE_EPOCH');
    for (const e of await parseTgz(pkg.archive)) assert.equal(e.mtime?.getTime(), 1234567890_000);
    await assert.rejects(packageChart(chart(), { env: { SOURCE_DATE_EPOCH: '12.5' } }), (e: unknown) => e instanceof ChartshipError && e.field === 'SOURCE_DATE_EPOCH');
  });

  it('an explicit sourceDate wins over SOURCE_DATE_EPOCH', async () => {
    const pkg = await packageChart(chart(), { env: { SOURCE_DATE_EPOCH: '1234567890' }, sourceDate: new Date('2020-02-02T02:02:02.999Z') });
    assert.equal(pkg.sourceDateOrigin, 'option');
    for (const e of await parseTgz(pkg.archive)) assert.equal(e.mtime?.toISOString(), '2020-02-02T02:02:02.000Z');
  });

  it('uses the committer time of the last commit touching the chart (and its file:// dependencies)', async () => {
    const repo = createRepo();
    repos.push(repo);
    repo.commit('add a', { 'charts/a/Chart.yaml': chartYaml('a', '1.0.0'), 'charts/a/values.yaml': 'x: 1\n' }); // +60 s
    repo.commit('add b', { 'charts/b/Chart.yaml': chartYaml('b', '1.0.0', 'dependencies:\n  - name: lib\n    version: 1.x\n    repository: file://../../lib\n') }); // +120 s
    repo.commit('add lib', { 'lib/Chart.yaml': chartYaml('lib', '1.0.0', 'type: library\n') }); // +180 s
    repo.commit('touch a', { 'charts/a/values.yaml': 'x: 2\n' }); // +240 s
    repo.commit('unrelated', { 'README.md': 'hi\n' }); // +300 s

    const a = await packageChart(join(repo.dir, 'charts/a'), { env: {} });
    assert.equal(a.sourceDateOrigin, 'git');
    assert.equal(a.sourceDate.getTime(), GIT_EPOCH + 240_000);
    for (const e of await parseTgz(a.archive)) assert.equal(e.mtime?.getTime(), GIT_EPOCH + 240_000);

    const b = await packageChart(join(repo.dir, 'charts/b'), { env: {} });
    assert.equal(b.sourceDate.getTime(), GIT_EPOCH + 180_000, 'the newer commit of the file:// dependency counts');
    const entries = await parseTgz(b.archive);
    assert.ok(entries.some((e) => e.path === 'b/charts/lib/Chart.yaml'));
    assert.match(entries.find((e) => e.path === 'b/Chart.lock')!.data.toString(), /generated: "2024-01-01T00:03:00Z"/);

    // The same commit checked out elsewhere packages to the same bytes.
    const clone = temp.make();
    execFileSync('git', ['clone', '-q', repo.dir, clone]);
    assert.equal((await packageChart(join(clone, 'charts/a'), { env: {} })).sha256, a.sha256);
  });

  it('falls back to 1980-01-01 outside a git repository', async () => {
    const pkg = await packageChart(chart(), { env: {} });
    assert.equal(pkg.sourceDateOrigin, 'fallback');
    assert.equal(pkg.sourceDate.getTime(), FALLBACK_SOURCE_DATE.getTime());
    assert.equal(FALLBACK_SOURCE_DATE.toISOString(), '1980-01-01T00:00:00.000Z');
  });
});
