/**
 * `npm run test:faults`: the fault suite at full size, printing its figures. Each fault kind alone, all kinds
 * mixed, and the soak: 100 charts at 30 % faults, which must be published within one rerun. The retry policy is
 * chartship's default. Exits non-zero when a scenario leaves charts unpublished or the registry's storage disagrees
 * with what was reported.
 *
 *   npm run test:faults                 # seed 1
 *   npm run test:faults -- --seed 1234  # replay another seed
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { faultLabel, startFlakyProxy } from '../helpers/flaky-proxy.js';
import { startRegistry } from '../helpers/registry.js';
import { ALL_FAULTS, formatFigures, runScenario, type Figures, type Scenario } from './harness.js';

const { values } = parseArgs({ options: { seed: { type: 'string', default: '1' }, 'soak-charts': { type: 'string', default: '100' } } });
const seed = Number(values.seed);
const soakCharts = Number(values['soak-charts']);

const scenarios: Scenario[] = [
  ...ALL_FAULTS.map((fault): Scenario => ({ name: faultLabel(fault), charts: 10, maxRuns: 2, seed, chaos: { rate: 0.3, faults: [fault] } })),
  { name: `soak: ${soakCharts} charts, 30 % faults of every kind`, charts: soakCharts, maxRuns: 2, seed, chaos: { rate: 0.3, faults: ALL_FAULTS } },
];

const registry = await startRegistry({ auth: 'htpasswd' });
const proxy = await startFlakyProxy(registry.url);
const home = mkdtempSync(join(tmpdir(), 'chartship-faults-home-'));
const all: Figures[] = [];
try {
  for (const scenario of scenarios) {
    const figures = await runScenario({ registry, proxy, home }, scenario);
    all.push(figures);
    console.log(`${formatFigures(figures)}\n`);
  }
} finally {
  await proxy.stop();
  await registry.stop();
  rmSync(home, { recursive: true, force: true });
}

const total = (pick: (f: Figures) => number) => all.reduce((sum, f) => sum + pick(f), 0);
const injected = new Map<string, number>();
for (const f of all) for (const [kind, n] of Object.entries(f.injected)) injected.set(kind, (injected.get(kind) ?? 0) + n);
console.log('totals');
console.log(`  requests: ${total((f) => f.requests)}`);
console.log(`  faults injected: ${[...injected].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, n]) => `${k}: ${n}`).join(', ')}`);
console.log(`  charts: ${total((f) => f.charts)}; failed in a first run: ${total((f) => f.runs[0]?.failed ?? 0)}; left unpublished: ${total((f) => f.leftOver.length)}`);
console.log(`  reruns needed: ${total((f) => f.reruns)} (at most ${Math.max(...all.map((f) => f.reruns))} for one scenario)`);
console.log(`  peak RSS: ${Math.max(...all.map((f) => f.peakRssMiB))} MiB`);
const bad = all.filter((f) => f.leftOver.length > 0 || f.problems.length > 0);
if (bad.length > 0) {
  console.log(`FAILED: ${bad.map((f) => f.name).join(', ')}`);
  process.exitCode = 1;
}
