/**
 * A hostile registry cannot make chartship buffer without end or wait forever: every answer is read up to a limit,
 * every request has an idle timeout and a deadline, and the errors name the host, the operation and the limit. The
 * registry is real; the proxy in front of it turns chosen answers hostile.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { ChartshipError } from '../../src/model/errors.js';
import { type TargetOptions } from '../../src/oci/index.js';
import { openTarget } from '../../src/helm-oci/index.js';
import { runBundledCli } from '../helpers/cli.js';
import { startFlakyProxy, type FlakyProxy } from '../helpers/flaky-proxy.js';
import { chartArchive } from '../helpers/registry-charts.js';
import { startRegistry, type TestRegistry } from '../helpers/registry.js';

const scratch = mkdtempSync(join(tmpdir(), 'chartship-bounded-'));
const MiB = 1024 * 1024;
let registry: TestRegistry;
let proxy: FlakyProxy;

before(async () => {
  registry = await startRegistry({ auth: 'none' });
  proxy = await startFlakyProxy(registry.url);
});
after(async () => {
  await proxy?.stop();
  await registry?.stop();
  rmSync(scratch, { recursive: true, force: true });
});
afterEach(() => {
  proxy.rules.length = 0;
});

/** `chartship push` in a child process that reports its own peak RSS. */
async function pushChild(file: string, namespace: string): Promise<{ code: number; stderr: string; maxRssMiB: number }> {
  const { code, stderr } = await runBundledCli(['push', file, `oci://${proxy.host}/${namespace}`, '--plain-http'], {
    cwd: scratch,
    env: { HOME: scratch },
    nodeArgs: ['--import', join(import.meta.dirname, '..', 'helpers', 'report-rss.mjs')],
  });
  const rss = /chartship-test-max-rss-kib=(\d+)/.exec(stderr);
  assert.ok(rss, `the child reported its RSS: ${stderr.slice(-500)}`);
  return { code, stderr, maxRssMiB: Number(rss[1]) / 1024 };
}

function chartFile(name: string): string {
  const file = join(scratch, `${name}-1.0.0.tgz`);
  writeFileSync(file, chartArchive({ name, version: '1.0.0' }));
  return file;
}

async function failure(promise: Promise<unknown>): Promise<ChartshipError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof ChartshipError, String(error));
    return error;
  }
  assert.fail('expected a failure');
}

const quick: TargetOptions = { plainHttp: true, env: {}, retry: { attempts: 1 } };

describe('answers too large', () => {
  it('an endless manifest: the child stays small (peak RSS measured in the child), the error names host, operation and limit', async () => {
    const baseline = await pushChild(chartFile('calm'), 'bounded');
    assert.equal(baseline.code, 0, baseline.stderr);

    // 512 MiB if the client kept reading: the old client held all of it (twice) before failing.
    proxy.rules.push({ method: 'GET', path: /\/manifests\//, fault: { kind: 'endless', max: 512 * MiB }, times: 1 });
    proxy.hostileBytes = 0;
    const hostile = await pushChild(chartFile('flood'), 'bounded');
    assert.ok(hostile.maxRssMiB < baseline.maxRssMiB + 48, `peak RSS ${hostile.maxRssMiB.toFixed(0)} MiB, a normal push ${baseline.maxRssMiB.toFixed(0)} MiB`);
    assert.equal(hostile.code, 1);
    assert.match(
      hostile.stderr.split('\n')[0]!,
      new RegExp(`^Error: GET http://${proxy.host.replace(/\./g, '\\.')}/v2/bounded/flood/manifests/1\\.0\\.0: the manifest is larger than 4 MiB, the most chartship reads for a manifest`),
    );
    assert.ok(proxy.hostileBytes < 64 * MiB, `the client hung up early (${(proxy.hostileBytes / MiB).toFixed(1)} MiB sent)`);
  });

  it('a declared 8 GiB manifest is refused before a byte of it is read', async () => {
    proxy.rules.push({ method: 'GET', path: /\/manifests\//, fault: { kind: 'endless', declare: 8 * 1024 * MiB }, times: 1 });
    const target = openTarget(`oci://${proxy.host}/bounded`, quick);
    try {
      const error = await failure(target.inspectChart('huge', '1.0.0'));
      assert.equal(error.code, 'RESPONSE_TOO_LARGE');
      assert.match(error.message, /manifest is larger than 4 MiB/);
    } finally {
      await target.close();
    }
  });

  it('tag lists, tokens and error answers have their own limits', async () => {
    const target = openTarget(`oci://${proxy.host}/bounded`, quick);
    try {
      proxy.rules.push({ method: 'GET', path: /\/tags\/list/, fault: { kind: 'endless', contentType: 'application/json' }, times: 1 });
      assert.match((await failure(target.listVersions('tags'))).message, /the tag list is larger than 4 MiB, the most chartship reads for a tag list/);

      // An error answer is only shown: it is cut at 64 KiB, and the failure is the status.
      proxy.hostileBytes = 0;
      proxy.rules.push({ method: 'GET', path: /\/manifests\//, fault: { kind: 'endless', status: 400, contentType: 'text/plain' }, times: 1 });
      const error = await failure(target.inspectChart('errors', '1.0.0'));
      assert.match(error.message, /failed with HTTP 400/);
      assert.ok(proxy.hostileBytes < 16 * MiB, `${proxy.hostileBytes} bytes`);
    } finally {
      await target.close();
    }

    // A token server that floods: the realm is turned to the proxy, whose token answer never ends.
    const tokenRegistry = await startRegistry({ auth: 'token' });
    const tokenProxy = await startFlakyProxy(tokenRegistry.url);
    try {
      tokenProxy.rules.push(
        { method: 'GET', path: /\/v2\//, fault: { kind: 'rewrite', headers: () => ({ 'www-authenticate': `Bearer realm="http://${tokenProxy.host}/token",service="x"` }) }, times: 1 },
        { method: 'GET', path: /^\/token/, fault: { kind: 'endless', contentType: 'application/json' }, times: 1 },
      );
      const tokenTarget = openTarget(`oci://${tokenProxy.host}/bounded`, { ...quick, username: tokenRegistry.username, password: tokenRegistry.password });
      try {
        assert.match((await failure(tokenTarget.inspectChart('token', '1.0.0'))).message, new RegExp(`GET http://${tokenProxy.host.replace(/\./g, '\\.')}/token\\?.*: the token is larger than 1 MiB`));
      } finally {
        await tokenTarget.close();
      }
    } finally {
      await tokenProxy.stop();
      await tokenRegistry.stop();
    }
  });

  it('a blob longer than its descriptor declares stops at the declared size', async () => {
    const direct = openTarget(`oci://${registry.host}/bounded`, quick);
    try {
      await direct.pushChart({ archive: chartArchive({ name: 'blob', version: '1.0.0' }) });
    } finally {
      await direct.close();
    }
    proxy.hostileBytes = 0;
    proxy.rules.push({ method: 'GET', path: /\/blobs\/sha256:/, fault: { kind: 'endless', contentType: 'application/octet-stream' }, times: 1 });
    const target = openTarget(`oci://${proxy.host}/bounded`, quick);
    try {
      const error = await failure(target.pullChart('blob', '1.0.0'));
      assert.equal(error.code, 'RESPONSE_TOO_LARGE');
      assert.match(error.message, /\/blobs\/sha256:[a-f0-9]{64}: the blob is larger than \d+ bytes, the most chartship reads for a blob/);
      assert.ok(proxy.hostileBytes < 16 * MiB);
    } finally {
      await target.close();
    }
  });
});

describe('answers too slow', () => {
  it('a body trickling one byte a second fails by the idle timeout', async () => {
    proxy.rules.push({ method: 'GET', path: /\/manifests\//, fault: { kind: 'trickle', everyMs: 1000 }, times: 1 });
    const target = openTarget(`oci://${proxy.host}/slow`, { ...quick, timeouts: { idleMs: 300 } });
    try {
      const error = await failure(target.inspectChart('trickle', '1.0.0'));
      assert.equal(error.code, 'IDLE_TIMEOUT');
      assert.match(error.message, new RegExp(`^GET http://${proxy.host.replace(/\./g, '\\.')}/v2/slow/trickle/manifests/1\\.0\\.0: nothing received for 300 ms \\(the idle timeout\\)$`));
    } finally {
      await target.close();
    }
  });

  it('a server that never answers fails by the idle timeout too', async () => {
    proxy.rules.push({ method: 'GET', path: /\/manifests\//, fault: { kind: 'silent' }, times: 1 });
    const target = openTarget(`oci://${proxy.host}/slow`, { ...quick, timeouts: { idleMs: 300 } });
    try {
      assert.equal((await failure(target.inspectChart('silent', '1.0.0'))).code, 'IDLE_TIMEOUT');
    } finally {
      await target.close();
    }
  });

  it('a body that keeps coming slowly, never idle, fails by the request deadline', async () => {
    proxy.rules.push({ method: 'GET', path: /\/manifests\//, fault: { kind: 'trickle', everyMs: 50 }, times: 1 });
    const target = openTarget(`oci://${proxy.host}/slow`, { ...quick, timeouts: { idleMs: 500, requestMs: 1000 } });
    try {
      const error = await failure(target.inspectChart('deadline', '1.0.0'));
      assert.equal(error.code, 'DEADLINE_EXCEEDED');
      assert.match(error.message, /manifests\/1\.0\.0: no complete answer within 1 s \(the request deadline\)$/);
    } finally {
      await target.close();
    }
  });
});
