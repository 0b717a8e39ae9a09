/**
 * The standing fault suite, small enough for every `npm test`: each fault kind alone, then all of them mixed, each
 * against a real registry behind the seeded fault proxy. `npm run test:faults` runs the same harness bigger and
 * prints the figures.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { systemClock, type Clock } from '../../src/model/clock.js';
import { faultLabel, startFlakyProxy, type FlakyProxy } from '../helpers/flaky-proxy.js';
import { startRegistry, type TestRegistry } from '../helpers/registry.js';
import { ALL_FAULTS, runScenario, type Figures, type Stage } from './harness.js';

let stage: Stage;
let registry: TestRegistry;
let proxy: FlakyProxy;

before(async () => {
  registry = await startRegistry({ auth: 'htpasswd' });
  proxy = await startFlakyProxy(registry.url);
  stage = { registry, proxy, home: mkdtempSync(join(tmpdir(), 'chartship-faults-home-')) };
});
after(async () => {
  await proxy?.stop();
  await registry?.stop();
  rmSync(stage.home, { recursive: true, force: true });
});

/**
 * The retries' clock: every wait they ask for is recorded, then slept at a twentieth, so a `Retry-After: 1` costs the
 * suite 50 ms rather than a second. What is checked is the wait chartship chose, not how long the wall clock ran.
 */
function quickClock(): { clock: Clock; waits: number[] } {
  const waits: number[] = [];
  return { waits, clock: { now: () => Date.now(), sleep: (ms, signal) => (waits.push(ms), systemClock.sleep(ms / 20, signal)) } };
}

function assertSound(figures: Figures): void {
  assert.deepEqual(figures.problems, [], 'the registry storage agrees with every reported digest');
  assert.deepEqual(figures.leftOver, [], `published within ${figures.runs.length} runs: ${JSON.stringify(figures.runs)}`);
}

describe('each fault alone', () => {
  for (const fault of ALL_FAULTS) {
    it(`${faultLabel(fault)}: every chart published, storage consistent`, async () => {
      const { clock, waits } = quickClock();
      const figures = await runScenario(stage, {
        name: faultLabel(fault),
        charts: 3,
        maxRuns: 2,
        seed: 7,
        chaos: { rate: 0.35, faults: [fault] },
        retry: { baseDelayMs: 5 },
        clock,
      });
      assert.ok((figures.injected[faultLabel(fault)] ?? 0) > 0, `the fault was injected: ${JSON.stringify(figures.injected)}`);
      assertSound(figures);
      // A 429 is the only fault here, so every wait is one its Retry-After asked for: one second, or until the date.
      const asked = fault.kind === 'status' ? fault.headers?.['retry-after'] : undefined;
      if (typeof asked === 'string') assert.deepEqual(new Set(waits), new Set([1000]), `waits: ${waits.join(', ')}`);
      if (typeof asked === 'function') assert.ok(waits.length > 0 && waits.every((ms) => ms <= 1500), `waits: ${waits.join(', ')}`);
    });
  }
});

it('all faults mixed at 30 %: published within one rerun, storage consistent', async () => {
  const figures = await runScenario(stage, {
    name: 'mixed',
    charts: 8,
    maxRuns: 2,
    seed: 42,
    chaos: { rate: 0.3, faults: ALL_FAULTS },
    retry: { baseDelayMs: 5 },
    clock: quickClock().clock,
  });
  assert.ok(Object.keys(figures.injected).length >= 5, `several kinds met: ${JSON.stringify(figures.injected)}`);
  assertSound(figures);
});
