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

function assertSound(figures: Figures): void {
  assert.deepEqual(figures.problems, [], 'the registry storage agrees with every reported digest');
  assert.deepEqual(figures.leftOver, [], `published within ${figures.runs.length} runs: ${JSON.stringify(figures.runs)}`);
}

describe('each fault alone', () => {
  for (const fault of ALL_FAULTS) {
    it(`${faultLabel(fault)}: every chart published, storage consistent`, async () => {
      const figures = await runScenario(stage, {
        name: faultLabel(fault),
        charts: 3,
        maxRuns: 2,
        seed: 7,
        chaos: { rate: 0.35, faults: [fault] },
        retry: { baseDelayMs: 5 },
      });
      assert.ok((figures.injected[faultLabel(fault)] ?? 0) > 0, `the fault was injected: ${JSON.stringify(figures.injected)}`);
      assertSound(figures);
    });
  }
});

it('all faults mixed at 30 %: published within one rerun, storage consistent', async () => {
  const figures = await runScenario(stage, { name: 'mixed', charts: 8, maxRuns: 2, seed: 42, chaos: { rate: 0.3, faults: ALL_FAULTS }, retry: { baseDelayMs: 5 } });
  assert.ok(Object.keys(figures.injected).length >= 5, `several kinds met: ${JSON.stringify(figures.injected)}`);
  assertSound(figures);
});
