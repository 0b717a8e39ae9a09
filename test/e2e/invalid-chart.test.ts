import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { openTarget } from '../../src/helm-oci/index.js';
import { runAction } from '../helpers/action.js';
import { chartFiles, createRepo } from '../helpers/git.js';
import { chartArchive } from '../helpers/registry-charts.js';

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

it('a chart name no registry can hold fails that chart at the plan, on its name line; the others still plan against what the target holds', async () => {
  const other = createRepo();
  const layout = join(scratch, 'held');
  try {
    // The target holds kept 1.0.5, ahead of its Chart.yaml's 1.0.0: only by listing it does the plan know not to
    // publish 1.0.0 below it.
    const target = openTarget(`oci-layout:${layout}`);
    await target.pushChart({ archive: chartArchive({ name: 'kept', version: '1.0.5' }) });
    await target.close();
    other.commit('fix: two charts', {
      ...chartFiles('charts/kept', 'kept', '1.0.0'),
      ...chartFiles('charts/Upper', 'Upper', '1.0.0'),
    });
    const { status, log, outputs } = await runAction({ cwd: other.dir, dir: scratch, inputs: { registry: `oci-layout:${layout}`, charts: 'charts/*' } });
    assert.equal(status, 1, log);
    const annotation = log.split('\n').find((line) => line.startsWith('::error ') && line.includes('"Upper"'));
    assert.ok(annotation, log);
    for (const property of ['file=charts/Upper/Chart.yaml', 'line=2', 'title=name']) assert.ok(annotation.includes(property), annotation);
    assert.match(annotation, /must be lowercase/);
    assert.doesNotMatch(log, /could not list/, 'one chart\'s name made the whole target unlisted');
    const charts = JSON.parse(outputs['charts'] ?? '[]') as { name: string; status: string }[];
    assert.deepEqual(charts.map((c) => `${c.name} ${c.status}`).sort(), ['Upper failed', 'kept skipped']);
    const index = JSON.parse(readFileSync(join(layout, 'index.json'), 'utf8')) as { manifests: { annotations?: Record<string, string> }[] };
    assert.deepEqual(index.manifests.map((m) => m.annotations?.['org.opencontainers.image.ref.name']), ['kept:1.0.5']);
  } finally {
    other.cleanup();
  }
});

it('two charts of one name fail the step with a line that names each once, told apart by its path', async () => {
  const other = createRepo();
  try {
    other.commit('feat: a name twice', { ...chartFiles('charts/a', 'dup', '1.0.0'), ...chartFiles('charts/b', 'dup', '1.0.0'), ...chartFiles('charts/good', 'good', '1.0.0') });
    const { status, log } = await runAction({ cwd: other.dir, dir: scratch, inputs: { registry: `oci-layout:${join(scratch, 'dup')}`, charts: 'charts/*' } });
    assert.equal(status, 1, log);
    const failure = log.split('\n').filter((line) => line.includes('chart(s) failed'));
    assert.deepEqual(failure, ['::error::2 chart(s) failed: dup (charts/a), dup (charts/b); the job summary lists each with its error'], log);
  } finally {
    other.cleanup();
  }
});
