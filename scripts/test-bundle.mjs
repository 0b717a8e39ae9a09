// The bundle the tests run (test/helpers/bundle.ts), built once per run from the current sources by
// scripts/build.mjs, for scripts/test.mjs and bench/suite.ts. One esbuild run serves every test that needs "what the
// sources build to": the build writes its source maps and metafile too (test/bundle-loading.test.ts reads them), and
// since the code it writes is byte-identical with or without them, the run's bundle is that build's code alone,
// hard-linked beside it, as `npm run build` would write dist/. Only node built-ins: loaded before node_modules exists.
import { spawn } from 'node:child_process';
import { chmodSync, copyFileSync, linkSync, mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');

/** The mapped build's layout, as test/helpers/bundle.ts's mappedBundle() reads it. */
export const mappedLayout = (dir) => ({ dist: join(dir, 'dist'), metafile: join(dir, 'meta.json') });

/** Every file below `from` except the source maps, linked (or copied, across filesystems) into `to`. */
function linkCode(from, to) {
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    if (entry.isDirectory()) linkCode(join(from, entry.name), join(to, entry.name));
    else if (!entry.name.endsWith('.map')) {
      try {
        linkSync(join(from, entry.name), join(to, entry.name));
      } catch {
        copyFileSync(join(from, entry.name), join(to, entry.name));
      }
    }
  }
}

/**
 * Starts the build; `built` settles when it is done. `env` is what the test processes get: CHARTSHIP_TEST_BUNDLE
 * (index.js, cli.js and their chunks) and CHARTSHIP_TEST_BUNDLE_MAPPED (the same build with its .map files, and its
 * metafile). The caller removes `dir`.
 */
export function buildTestBundle() {
  const dir = mkdtempSync(join(tmpdir(), 'chartship-bundle-'));
  // Readable by every user: some tests run the CLI as an unprivileged one.
  chmodSync(dir, 0o755);
  const mapped = join(dir, 'mapped');
  const run = join(dir, 'run');
  const { dist, metafile } = mappedLayout(mapped);
  const built = new Promise((done, fail) => {
    const child = spawn(process.execPath, ['scripts/build.mjs', '--outdir', dist, '--sourcemap', '--metafile', metafile], { cwd: root, stdio: 'inherit' });
    child.on('error', fail);
    child.on('close', (code) => (code === 0 ? done() : fail(new Error(`scripts/build.mjs exited with ${code}`))));
  }).then(() => linkCode(dist, run));
  return { dir, built, env: { CHARTSHIP_TEST_BUNDLE: run, CHARTSHIP_TEST_BUNDLE_MAPPED: mapped } };
}
