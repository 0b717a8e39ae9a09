import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { skopeoRaw } from '../oci/skopeo.js';
import { bundle } from '../helpers/bundle.js';
import { chartFiles, createRepo } from '../helpers/git.js';

const PROCESSES = 4;
const CHARTS = 50;

const repo = createRepo('chartship-stress-');
const scratch = mkdtempSync(join(tmpdir(), 'chartship-stress-'));
after(() => {
  repo.cleanup();
  rmSync(scratch, { recursive: true, force: true });
});

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bundle().cli, ...args], { cwd: repo.dir, env: { PATH: process.env['PATH'], HOME: scratch } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 240_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

it(`${PROCESSES} processes × ${CHARTS} charts into one oci-layout at once: every ref is there and skopeo reads each`, { timeout: 600_000 }, async () => {
  const files: Record<string, string> = {};
  for (let p = 0; p < PROCESSES; p++) for (let c = 0; c < CHARTS; c++) Object.assign(files, chartFiles(`charts/p${p}-c${c}`, `p${p}-c${c}`, '1.0.0'));
  repo.commit('feat: many charts', files);
  const layout = join(scratch, 'layout');

  // Real processes of the bundled CLI, started together, each publishing its own 50 charts into the same layout.
  const runs = await Promise.all(
    Array.from({ length: PROCESSES }, (_, p) => run(['publish', '--charts', `charts/p${p}-*`, '--registry', `oci-layout:${layout}`, '--json'])),
  );
  const reported = new Map<string, string>();
  for (const [p, result] of runs.entries()) {
    assert.equal(result.code, 0, `process ${p}: ${result.stderr}`);
    const out = JSON.parse(result.stdout) as { charts: { name: string; status: string; registries: { ref: string; digest: string }[] }[] };
    assert.equal(out.charts.length, CHARTS);
    for (const chart of out.charts) {
      assert.equal(chart.status, 'pushed', chart.name);
      reported.set(chart.registries[0]!.ref, chart.registries[0]!.digest);
    }
  }

  const index = JSON.parse(readFileSync(join(layout, 'index.json'), 'utf8')) as { manifests: { digest: string; annotations: Record<string, string> }[] };
  const held = new Map(index.manifests.map((m) => [`oci:${layout}:${m.annotations['org.opencontainers.image.ref.name']}`, m.digest]));
  assert.equal(held.size, PROCESSES * CHARTS);
  assert.equal(index.manifests.length, PROCESSES * CHARTS, 'one entry per ref');
  assert.deepEqual([...held].sort(), [...reported].sort(), 'what was reported pushed is exactly what the layout holds');

  // skopeo reads every ref back, byte for byte the manifest the index points at (four at a time: the machine is shared).
  const refs = [...held.keys()];
  for (let i = 0; i < refs.length; i += 4) {
    await Promise.all(
      refs.slice(i, i + 4).map(async (ref) => {
        const raw = await skopeoRaw(ref);
        assert.equal(`sha256:${createHash('sha256').update(raw).digest('hex')}`, held.get(ref), ref);
      }),
    );
  }
});
