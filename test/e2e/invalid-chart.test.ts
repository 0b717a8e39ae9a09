import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
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
    'charts/broken/Chart.yaml': 'apiVersion: v2\nname: broken\nversion: v1.0\n',
    'charts/broken/values.yaml': '{}\n',
  });
  const output = join(scratch, 'output');
  writeFileSync(output, '');
  writeFileSync(join(scratch, 'summary'), '');
  const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), join(process.cwd(), 'src/action/main.ts')], {
    cwd: repo.dir,
    timeout: 60_000,
    env: {
      PATH: process.env['PATH'],
      HOME: scratch,
      GITHUB_ACTIONS: 'true',
      GITHUB_EVENT_NAME: 'workflow_dispatch',
      GITHUB_WORKSPACE: repo.dir,
      GITHUB_OUTPUT: output,
      GITHUB_STEP_SUMMARY: join(scratch, 'summary'),
      INPUT_REGISTRY: `oci-layout:${join(scratch, 'layout')}`,
      INPUT_CHARTS: 'charts/*',
    },
  });
  let log = '';
  child.stdout.on('data', (chunk: Buffer) => (log += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const status = await new Promise<number | null>((resolve) => child.on('close', resolve));

  assert.equal(status, 1, log);
  const annotation = log.split('\n').find((line) => line.startsWith('::error ') && line.includes('SemVer'));
  assert.ok(annotation, log);
  for (const property of ['file=charts/broken/Chart.yaml', 'line=3', 'col=1', 'title=version']) assert.ok(annotation.includes(property), annotation);
  const charts = JSON.parse(/^charts<<(\S+)\n([\s\S]*?)\n\1$/m.exec(readFileSync(output, 'utf8'))?.[2] ?? '[]') as { name: string; status: string; error?: string }[];
  assert.deepEqual(charts.map((c) => `${c.name} ${c.status}`).sort(), ['broken failed', 'good pushed']);
  assert.match(charts.find((c) => c.name === 'broken')?.error ?? '', /charts\/broken\/Chart\.yaml:3:1: version:/);
});
