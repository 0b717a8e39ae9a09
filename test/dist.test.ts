import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { runAction } from './helpers/action.js';
import { bundleDir } from './helpers/bundle.js';
import { chartFiles, createRepo } from './helpers/git.js';

const out = mkdtempSync(join(tmpdir(), 'chartship-dist-'));
after(() => rmSync(out, { recursive: true, force: true }));

// Users run dist/ as committed (`uses: …@ref`), so a stale bundle is a shipped bug. The bundles built from the
// sources for this run (the entry points and their chunks) are copied here, alone in a directory with no
// node_modules above it.
cpSync(bundleDir(), out, { recursive: true });
const filesIn = (dir: string): string[] => readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name).slice(dir.length + 1)).sort();

it('dist/ is what the sources build to', () => {
  const files = filesIn(out);
  assert.ok(files.includes('index.js') && files.includes('cli.js'), files.join(' '));
  assert.deepEqual(filesIn('dist'), files, 'dist/ holds other files than the build writes: run npm run build');
  for (const file of files) {
    assert.ok(readFileSync(join(out, file)).equals(readFileSync(join('dist', file))), `dist/${file} is stale: run npm run build`);
  }
});

it('dist/cli.js runs with no node_modules', () => {
  const help = execFileSync(process.execPath, [join(out, 'cli.js'), '--help'], { cwd: out, encoding: 'utf8' });
  assert.match(help, /usage: chartship <command>/);
});

it('dist/index.js, alone in a directory, runs the action as the runner would', async () => {
  const repo = createRepo();
  try {
    repo.commit('feat: a chart', chartFiles('charts/solo', 'solo', '0.3.0'));
    const run = await runAction({ cwd: repo.dir, dir: join(out, 'run'), bundle: join(out, 'index.js'), inputs: { registry: `oci-layout:${join(out, 'layout')}` } });
    assert.equal(run.status, 0, run.log);
    const charts = JSON.parse(run.outputs['charts'] ?? '[]') as { name: string; status: string; registries: { digest: string }[] }[];
    assert.deepEqual(charts.map((c) => `${c.name} ${c.status}`), ['solo pushed']);
    assert.match(charts[0]?.registries[0]?.digest ?? '', /^sha256:[0-9a-f]{64}$/);
  } finally {
    repo.cleanup();
  }
});
