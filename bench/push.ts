// Pushes 100 small generated charts to a local registry (token auth, to count token fetches), then pushes them
// all again. Prints wall time, HTTP requests per chart and token fetches. Loopback only; bounded in time.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openTarget } from '../src/helm-oci/index.js';
import { isolatedHelm } from '../test/helpers/helm.js';
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

// The same 100 charts, chartship beside `helm push` (one process per chart, as CI loops run it), each into its own
// fresh anonymous registry so the registry-side request counts compare like for like.
const helm = isolatedHelm();
const dir = mkdtempSync(join(tmpdir(), 'chartship-bench-helm-'));
try {
  const archives = Array.from({ length: CHARTS }, (_, i) => chartArchive({ name: `cmp-${i}`, version: '1.0.0', files: { 'templates/extra.yaml': `n: ${i}\n` } }));
  const files = archives.map((archive, i) => {
    const file = join(dir, `cmp-${i}-1.0.0.tgz`);
    writeFileSync(file, archive);
    return file;
  });
  const runners = {
    chartship: async (host: string) => {
      const target = openTarget(`oci://${host}/cmp`, { plainHttp: true, env: {} });
      await pool(archives, CONCURRENCY, async (archive) => void (await target.pushChart({ archive })));
      await target.close();
    },
    'helm push': (host: string) => pool(files, CONCURRENCY, async (file) => void (await helm.run(['push', file, `oci://${host}/cmp`, '--plain-http']))),
  };
  for (const [label, push] of Object.entries(runners)) {
    const anonymous = await startRegistry({ auth: 'none' });
    try {
      const started = performance.now();
      await push(anonymous.host);
      const ms = performance.now() - started;
      const seen = await anonymous.settle();
      console.log(`${label.padEnd(9)} to an anonymous registry: ${CHARTS} charts in ${ms.toFixed(0)} ms (${(ms / CHARTS).toFixed(1)} ms/chart, concurrency ${CONCURRENCY}), registry saw ${(seen.length / CHARTS).toFixed(2)} requests/chart`);
    } finally {
      await anonymous.stop();
    }
  }
  console.log(`  (${(await helm.run(['version', '--short'])).trim()})`);
} finally {
  helm.cleanup();
  rmSync(dir, { recursive: true, force: true });
}
