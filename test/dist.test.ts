import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';

const out = mkdtempSync(join(tmpdir(), 'chartship-dist-'));
after(() => rmSync(out, { recursive: true, force: true }));

// Users run dist/ as committed (`uses: …@ref`), so a stale bundle is a shipped bug.
it('dist/ is what the sources build to', () => {
  execFileSync(process.execPath, ['scripts/build.mjs', '--outdir', out]);
  for (const file of ['index.js', 'cli.js']) {
    assert.ok(readFileSync(join(out, file)).equals(readFileSync(join('dist', file))), `dist/${file} is stale: run npm run build`);
  }
});

it('dist/cli.js runs with no node_modules', () => {
  const help = execFileSync(process.execPath, [join(out, 'cli.js'), '--help'], { cwd: out, encoding: 'utf8' });
  assert.match(help, /usage: chartship <command>/);
});
