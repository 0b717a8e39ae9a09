import assert from 'node:assert/strict';
import { test } from 'node:test';
import { stderrLog } from '../../src/cli/log.js';
import type { CliIO } from '../../src/cli/io.js';
import { bufferLog } from '../../src/pipeline/buffer-log.js';

function capture(): { io: CliIO; writes: string[] } {
  const writes: string[] = [];
  return { writes, io: { stdout: () => undefined, stderr: (text) => writes.push(text), readStdin: () => Promise.resolve(Buffer.alloc(0)), env: {}, cwd: '/' } };
}

test("a chart's buffered lines reach stderr in one write, in order; lines after the group's body waits go on their own", async () => {
  const { io, writes } = capture();
  const log = stderrLog(io);
  const chart = bufferLog(log);
  chart.info('packaged web-1.0.0.tgz');
  chart.warning('deprecated key', { file: 'charts/web/Chart.yaml', line: 3 });
  chart.error('push failed', { field: 'registry' });
  await chart.flush('web 1.0.0');
  assert.deepEqual(writes, ['==> web 1.0.0\npackaged web-1.0.0.tgz\nwarning: charts/web/Chart.yaml:3: deprecated key\nerror: registry: push failed\n']);

  writes.length = 0;
  const done = log.group('slow', async () => {
    log.info('before waiting');
    await Promise.resolve();
    log.info('after waiting');
    return 7;
  });
  log.info('meanwhile');
  assert.equal(await done, 7);
  assert.deepEqual(writes, ['==> slow\nbefore waiting\n', 'meanwhile\n', 'after waiting\n']);
});

test('a group whose body throws still writes what it logged, then fails', async () => {
  const { io, writes } = capture();
  const log = stderrLog(io);
  await assert.rejects(
    log.group('bad', () => {
      log.error('broken');
      throw new Error('boom');
    }),
    /boom/,
  );
  log.info('next');
  assert.deepEqual(writes, ['==> bad\nerror: broken\n', 'next\n']);
});
