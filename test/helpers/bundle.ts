import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, symlinkSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');
let built: { dir: string; cli: string; action: string } | undefined;

/**
 * The CLI and action bundled from the current sources into a scratch directory, once per test process: tests that
 * run chartship as users do (`node dist/cli.js …`, real processes) must not depend on whether dist/ was rebuilt.
 */
export function bundle(): { dir: string; cli: string; action: string } {
  if (!built) {
    const dir = mkdtempSync(join(tmpdir(), 'chartship-bundle-'));
    // Readable by every user: some tests run the CLI as an unprivileged one.
    chmodSync(dir, 0o755);
    execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs'), '--outdir', dir], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
    built = { dir, cli: join(dir, 'cli.js'), action: join(dir, 'index.js') };
    process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
  return built;
}

/**
 * A clone of the committed HEAD, as a new user gets it, with dist/ built from that HEAD's sources (the committed
 * dist/ may lag behind them on a branch). The dependencies are borrowed for the build only and removed again.
 */
export function cloneWithDist(into: string): string {
  execFileSync('git', ['clone', '--quiet', root, into], { stdio: 'ignore' });
  symlinkSync(join(root, 'node_modules'), join(into, 'node_modules'));
  try {
    execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: into, stdio: ['ignore', 'ignore', 'inherit'] });
  } finally {
    unlinkSync(join(into, 'node_modules'));
  }
  return into;
}
