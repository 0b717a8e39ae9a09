// Pushes 100 small generated charts to a local registry (token auth, to count token fetches), then pushes them
// all again. Prints wall time, HTTP requests per chart and token fetches. Loopback only; bounded in time.
import { spawnSync } from 'node:child_process';
import { openTarget } from '../src/oci/index.js';
import { chartArchive } from '../test/helpers/registry-charts.js';
import { startRegistry } from '../test/helpers/registry.js';

const CHARTS = 100;
const CONCURRENCY = 4;

async function pool<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: limit }, async () => {
    while (next < items.length) await work(items[next++]!);
  }));
}

const registry = await startRegistry({ auth: 'token' });
try {
  const archives = Array.from({ length: CHARTS }, (_, i) => chartArchive({ name: `bench-${i}`, version: `1.0.${i}`, files: { 'templates/extra.yaml': `n: ${i}\n` } }));
  const target = openTarget(`oci://${registry.host}/bench`, { plainHttp: true, username: registry.username, password: registry.password, env: {} });
  try {
    for (const [label, expect] of [['first push', 'pushed'], ['second push', 'unchanged']] as const) {
      const before = target.stats();
      await registry.reset();
      const started = performance.now();
      await pool(archives, CONCURRENCY, async (archive) => {
        const result = await target.pushChart({ archive });
        if (result.status !== expect) throw new Error(`expected ${expect}, got ${result.status}`);
      });
      const ms = performance.now() - started;
      const after = target.stats();
      const seen = await registry.settle();
      const requests = after.requests - before.requests;
      const tokenFetches = after.tokenFetches - before.tokenFetches;
      console.log(`${label}: ${CHARTS} charts in ${ms.toFixed(0)} ms (${(ms / CHARTS).toFixed(1)} ms/chart, concurrency ${CONCURRENCY})`);
      console.log(`  HTTP requests: ${requests} total = ${(requests / CHARTS).toFixed(2)}/chart (incl. token fetches); registry saw ${(seen.length / CHARTS).toFixed(2)}/chart`);
      console.log(`  token fetches: ${tokenFetches} (${(tokenFetches / CHARTS).toFixed(2)}/chart: one per new repository scope)`);
      console.log(`  registry requests by method: ${JSON.stringify(Object.fromEntries(['GET', 'HEAD', 'POST', 'PUT'].map((m) => [m, seen.filter((r) => r.method === m).length])))}`);
    }
  } finally {
    await target.close();
  }
} finally {
  await registry.stop();
}

if (spawnSync('sh', ['-c', 'command -v helm'], { stdio: 'ignore' }).status === 0) {
  await timeHelmPush();
} else {
  console.log('helm push: not timed (no helm binary on PATH)');
}

/** `helm push` of 10 charts to a fresh anonymous registry, one process per chart as a CI job would run it. */
async function timeHelmPush(): Promise<void> {
  const { mkdtempSync, rmSync, writeFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { tmpdir } = await import('node:os');
  const dir = mkdtempSync(join(tmpdir(), 'chartship-bench-helm-'));
  const helmRegistry = await startRegistry({ auth: 'none' });
  try {
    const count = 10;
    const started = performance.now();
    for (let i = 0; i < count; i++) {
      const file = join(dir, `helm-${i}-1.0.0.tgz`);
      writeFileSync(file, chartArchive({ name: `helm-${i}`, version: '1.0.0' }));
      const run = spawnSync('helm', ['push', file, `oci://${helmRegistry.host}/bench`, '--plain-http'], { stdio: 'pipe', timeout: 60_000 });
      if (run.status !== 0) throw new Error(`helm push failed: ${run.stderr.toString()}`);
    }
    console.log(`helm push: ${((performance.now() - started) / count).toFixed(1)} ms/chart over ${count} charts (process start included)`);
  } finally {
    await helmRegistry.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
