import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { runAction } from '../helpers/action.js';
import { chartFiles, createRepo } from '../helpers/git.js';

const repo = createRepo();
const scratch = mkdtempSync(join(tmpdir(), 'chartship-invalid-'));
after(() => {
  repo.cleanup();
  rmSync(scratch, { recursive: true, force: true });
});

it('one broken Chart.yaml is annotated on its line and fails alone; the other charts are published', async () => {
  repo.commit('feat: two charts', {
    ...chartFiles('charts/good', 'good', '1.0.0'),
    'charts/broken/Chart.yaml': 'apiVersion: v2\nname: broken\nversion: 1.0.0.0\n',
    'charts/broken/values.yaml': '{}\n',
  });
  const { status, log, outputs } = await runAction({
    cwd: repo.dir,
    dir: scratch,
    inputs: { registry: `oci-layout:${join(scratch, 'layout')}`, charts: 'charts/*' },
  });
  assert.equal(status, 1, log);
  const annotation = log.split('\n').find((line) => line.startsWith('::error ') && line.includes('not a valid version'));
  assert.ok(annotation, log);
  for (const property of ['file=charts/broken/Chart.yaml', 'line=3', 'col=1', 'title=version']) assert.ok(annotation.includes(property), annotation);
  const charts = JSON.parse(outputs['charts'] ?? '[]') as { name: string; status: string; error?: string }[];
  assert.deepEqual(charts.map((c) => `${c.name} ${c.status}`).sort(), ['broken failed', 'good pushed']);
  assert.match(charts.find((c) => c.name === 'broken')?.error ?? '', /charts\/broken\/Chart\.yaml:3:1: version:/);
});
