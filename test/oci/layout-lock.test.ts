import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ChartshipError } from '../../src/model/errors.js';
import { openTarget } from '../../src/helm-oci/index.js';
import { INDEX_LOCK, LayoutStore } from '../../src/oci/layout-store.js';
import { StoreTarget } from '../../src/helm-oci/target.js';
import { bundle } from '../helpers/bundle.js';
import { chartArchive } from '../helpers/registry-charts.js';

const scratch = mkdtempSync(join(tmpdir(), 'chartship-layout-lock-'));
chmodSync(scratch, 0o755);
after(() => rmSync(scratch, { recursive: true, force: true }));
let n = 0;
const fresh = () => join(scratch, `layout-${++n}`);

interface Index {
  manifests: { digest: string; annotations: Record<string, string> }[];
}
const refsIn = (layout: string) =>
  (JSON.parse(readFileSync(join(layout, 'index.json'), 'utf8')) as Index).manifests.map((m) => m.annotations['org.opencontainers.image.ref.name']).sort();

/** A pid that surely runs no more: a child that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' });
  return Number(child.stdout.trim());
}

const target = (layout: string, lock = {}) => new StoreTarget(`oci-layout:${layout}`, new LayoutStore(layout, scratch, lock));

describe('oci-layout index updates', () => {
  it('keeps every chart pushed concurrently from one process', async () => {
    const layout = fresh();
    const names = Array.from({ length: 30 }, (_, i) => `c${i}`);
    // Separate targets on one directory, like the per-chart pushes of one run and the charts of two runs.
    const results = await Promise.all(names.map((name, i) => (i % 2 ? target(layout) : openTarget(`oci-layout:${layout}`)).pushChart({ archive: chartArchive({ name, version: '1.0.0' }) })));
    assert.deepEqual(refsIn(layout), names.map((name) => `${name}:1.0.0`).sort());
    const index = JSON.parse(readFileSync(join(layout, 'index.json'), 'utf8')) as Index;
    for (const [i, result] of results.entries()) {
      assert.equal(result.status, 'pushed');
      assert.equal(index.manifests.find((m) => m.annotations['org.opencontainers.image.ref.name'] === `c${i}:1.0.0`)?.digest, result.digest);
    }
    assert.equal(existsSync(join(layout, INDEX_LOCK)), false, 'the lock is released');
  });

  it('one of two concurrent pushes of a version with different content wins; the other fails naming the digest held', async () => {
    const layout = fresh();
    const a = chartArchive({ name: 'race', version: '1.0.0' });
    const b = chartArchive({ name: 'race', version: '1.0.0', files: { 'NOTES.txt': 'other' } });
    const settled = await Promise.allSettled([target(layout).pushChart({ archive: a }), target(layout).pushChart({ archive: b })]);
    const won = settled.filter((s) => s.status === 'fulfilled');
    const lost = settled.filter((s): s is PromiseRejectedResult => s.status === 'rejected');
    assert.equal(won.length, 1);
    assert.equal(lost.length, 1);
    const held = (JSON.parse(readFileSync(join(layout, 'index.json'), 'utf8')) as Index).manifests[0]!.digest;
    assert.equal((won[0] as PromiseFulfilledResult<{ digest: string }>).value.digest, held);
    assert.ok(lost[0]!.reason instanceof ChartshipError);
    assert.equal(lost[0]!.reason.message, `tag oci:${layout}:race:1.0.0 now holds ${held} (another run pushed it)`);
  });

  it('breaks a lock left by a dead process, and one older than the stale limit', async () => {
    const layout = fresh();
    await target(layout).pushChart({ archive: chartArchive({ name: 'first', version: '1.0.0' }) });
    const lock = join(layout, INDEX_LOCK);
    writeFileSync(lock, JSON.stringify({ pid: deadPid(), host: hostname(), time: Date.now(), token: 'dead' }));
    await target(layout, { timeoutMs: 5_000 }).pushChart({ archive: chartArchive({ name: 'second', version: '1.0.0' }) });
    // Alive (this very process) but stuck for longer than the stale limit; and a half-written, old one.
    writeFileSync(lock, JSON.stringify({ pid: process.pid, host: hostname(), time: Date.now() - 60_000, token: 'old' }));
    await target(layout, { staleMs: 30_000, timeoutMs: 5_000 }).pushChart({ archive: chartArchive({ name: 'third', version: '1.0.0' }) });
    writeFileSync(lock, '');
    utimesSync(lock, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
    await target(layout, { staleMs: 30_000, timeoutMs: 5_000 }).pushChart({ archive: chartArchive({ name: 'fourth', version: '1.0.0' }) });
    assert.deepEqual(refsIn(layout), ['first:1.0.0', 'fourth:1.0.0', 'second:1.0.0', 'third:1.0.0']);
    assert.equal(existsSync(lock), false);
  });

  it('waits for a live holder, a bounded time, then names the lock and its holder', async () => {
    const layout = fresh();
    await target(layout).pushChart({ archive: chartArchive({ name: 'first', version: '1.0.0' }) });
    const lock = join(layout, INDEX_LOCK);
    writeFileSync(lock, JSON.stringify({ pid: process.pid, host: hostname(), time: Date.now(), token: 'live' }));
    const started = Date.now();
    await assert.rejects(target(layout, { timeoutMs: 1_500 }).pushChart({ archive: chartArchive({ name: 'blocked', version: '1.0.0' }) }), (error: unknown) => {
      assert.ok(error instanceof ChartshipError);
      assert.equal(error.code, 'LOCK_TIMEOUT');
      assert.equal(error.file, lock);
      assert.match(error.message, new RegExp(`held by pid ${process.pid} on `));
      return true;
    });
    assert.ok(Date.now() - started < 10_000);
    // The holder finishes: the next push goes through and the held lock was never taken from it.
    assert.match(readFileSync(lock, 'utf8'), /"token":"live"/);
    rmSync(lock);
    await target(layout).pushChart({ archive: chartArchive({ name: 'blocked', version: '1.0.0' }) });
    assert.deepEqual(refsIn(layout), ['blocked:1.0.0', 'first:1.0.0']);
  });
});

/** `node cli.js push` as a user runs it; resolves with what it printed, or a timeout if it hangs. */
function pushProcess(archive: string, layoutSpec: string, options: { uid?: number; gid?: number } = {}): Promise<{ code: number | null; stderr: string; timedOut: boolean }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bundle().cli, 'push', archive, layoutSpec], { cwd: scratch, ...options });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.resume();
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, stderr, timedOut: signal === 'SIGKILL' });
    });
  });
}

describe('oci-layout on a path that cannot hold one fails at once, naming the path', () => {
  const archive = join(scratch, 'web-1.0.0.tgz');
  writeFileSync(archive, chartArchive({ name: 'web', version: '1.0.0' }));
  chmodSync(archive, 0o644);

  it('/proc/self (a special file system; recursive mkdir used to spin there forever)', async () => {
    const run = await pushProcess(archive, 'oci-layout:/proc/self');
    assert.equal(run.timedOut, false, 'it hung');
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, /^Error: \/proc\/self\/blobs: cannot create the OCI layout \/proc\/self: .*\(ENOENT\)/m);
  });

  it('a regular file, and a path below one', async () => {
    const file = join(scratch, 'plain-file');
    writeFileSync(file, 'x');
    const onFile = await pushProcess(archive, `oci-layout:${file}`);
    assert.equal(onFile.code, 1, onFile.stderr);
    assert.match(onFile.stderr, new RegExp(`cannot use ${file} as an OCI layout: ${file} is not a directory`));
    const below = await pushProcess(archive, `oci-layout:${file}/out`);
    assert.equal(below.code, 1, below.stderr);
    assert.match(below.stderr, new RegExp(`${file}.*is not a directory`));
  });

  it('a directory the user may not write', async () => {
    const readOnly = join(scratch, 'read-only');
    mkdirSync(readOnly, { mode: 0o555 });
    chmodSync(readOnly, 0o555);
    // As root every directory is writable: run the CLI as nobody, as a CI user without rights there would be.
    const asUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    const run = await pushProcess(archive, `oci-layout:${readOnly}/layout`, asUser);
    assert.equal(run.timedOut, false);
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, new RegExp(`${readOnly}/layout: cannot create the OCI layout ${readOnly}/layout: permission denied \\(EACCES\\)`));
  });
});
