import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { MadeCache } from './made-cache.js';

const root = join(import.meta.dirname, '..', '..');
/** Set by scripts/test.mjs, which builds the bundles once for the whole run. */
const FROM_RUNNER = 'CHARTSHIP_TEST_BUNDLE';
let built: string | undefined;

/**
 * Directory holding index.js (the action) and cli.js, bundled by scripts/build.mjs from the sources as they are
 * now: end-to-end tests run what users run, and a child starts in a fraction of the time tsx needs. Never the
 * committed dist/, which lags the sources on a branch until it is rebuilt (test/dist.test.ts checks that).
 * A test file run without scripts/test.mjs builds its own copy, once per process.
 */
export function bundleDir(): string {
  const given = process.env[FROM_RUNNER];
  if (given) return given;
  if (!built) {
    const dir = mkdtempSync(join(tmpdir(), 'chartship-bundle-'));
    // Readable by every user: some tests run the CLI as an unprivileged one.
    chmodSync(dir, 0o755);
    execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs'), '--outdir', dir], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    built = dir;
  }
  return built;
}

/** Set by scripts/test.mjs: the same build with its source maps, and esbuild's metafile (scripts/test-bundle.mjs). */
const MAPPED_FROM_RUNNER = 'CHARTSHIP_TEST_BUNDLE_MAPPED';

/**
 * The bundle as `node scripts/build.mjs --sourcemap --metafile FILE` writes it: `dist` holds the code users run with
 * its .map files beside it, `metafile` esbuild's account of every output. The run's own build when scripts/test.mjs
 * made one (its code is the bundle's, byte for byte), else built here, once per process.
 */
export async function mappedBundle(): Promise<{ dist: string; metafile: string }> {
  const { mappedLayout } = (await import(join(root, 'scripts', 'test-bundle.mjs'))) as {
    mappedLayout: (dir: string) => { dist: string; metafile: string };
  };
  const given = process.env[MAPPED_FROM_RUNNER];
  if (given) return mappedLayout(given);
  if (!mappedBuilt) {
    const dir = mkdtempSync(join(tmpdir(), 'chartship-mapped-'));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    const { dist, metafile } = mappedLayout(dir);
    execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs'), '--outdir', dist, '--sourcemap', '--metafile', metafile], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
    mappedBuilt = dir;
  }
  return mappedLayout(mappedBuilt);
}
let mappedBuilt: string | undefined;

/** The action's entry point, as `runs.main` names it. */
export const actionBundle = (): string => join(bundleDir(), 'index.js');

/** The CLI, as `npx chartship` runs it. */
export const cliBundle = (): string => join(bundleDir(), 'cli.js');

/**
 * What the suite tells every chartship process it starts beside PATH (scripts/test-env.mjs): the short waits
 * between retries of loopback Sigstore services and token endpoints (src/sign/attest/sign.ts, firstRetryWaitMs).
 */
export function productTestEnv(): { CHARTSHIP_TEST_RETRY_WAIT_MS?: string } {
  const wait = process.env['CHARTSHIP_TEST_RETRY_WAIT_MS'];
  return wait === undefined ? {} : { CHARTSHIP_TEST_RETRY_WAIT_MS: wait };
}

/** Both entry points and their folder. */
export function bundle(): { dir: string; cli: string; action: string } {
  return { dir: bundleDir(), cli: cliBundle(), action: actionBundle() };
}

/** What scripts/build.mjs reads besides node_modules. */
const BUILD_INPUTS = ['src', 'scripts/build.mjs', 'scripts/bundle', 'package.json', 'package-lock.json', 'tsconfig.json'];

/**
 * HEAD's dist/, by HEAD's build inputs and the installed dependencies, as a clone of HEAD built it: the end-to-end
 * tests that clone the repository ask for it several times in a run, and in run after run while the work tree
 * differs from HEAD (test/helpers/made-cache.ts). Kept a week after it was built.
 */
const HEAD_DIST = new MadeCache<Record<string, string>>('head-dist', 7 * 24 * 60 * 60 * 1000);

/**
 * A clone of the committed HEAD, as a new user gets it, with dist/ built from that HEAD's sources (the committed
 * dist/ may lag behind them on a branch). The dependencies are borrowed for the build only and removed again. The
 * build is byte-stable (test/dist.test.ts), so when the work tree's build inputs are HEAD's, the bundle
 * scripts/test.mjs built for this run is that build, and it is copied instead of built again; otherwise HEAD's build
 * is built once and kept (HEAD_DIST).
 */
export function cloneWithDist(into: string): string {
  execFileSync('git', ['clone', '--quiet', root, into], { stdio: 'ignore' });
  // As the build does: dist/ is what it writes, nothing of an earlier build (chunks of other hashes) stays.
  const dist = join(into, 'dist');
  const given = process.env[FROM_RUNNER];
  if (given && execFileSync('git', ['status', '--porcelain', '--', ...BUILD_INPUTS], { cwd: root, encoding: 'utf8' }) === '') {
    rmSync(dist, { recursive: true, force: true });
    cpSync(given, dist, { recursive: true });
    return into;
  }
  const inputs = execFileSync('git', ['rev-parse', ...BUILD_INPUTS.map((input) => `HEAD:${input}`)], { cwd: root, encoding: 'utf8' }).split('\n');
  const modules = createHash('sha256').update(readFileSync(join(root, 'node_modules', '.package-lock.json'))).digest('hex');
  const entry = HEAD_DIST.entry({ inputs, modules }, new Set());
  if (entry.value) {
    rmSync(dist, { recursive: true, force: true });
    for (const [file, base64] of Object.entries(entry.value)) {
      mkdirSync(dirname(join(dist, file)), { recursive: true });
      writeFileSync(join(dist, file), Buffer.from(base64, 'base64'));
    }
    return into;
  }
  symlinkSync(join(root, 'node_modules'), join(into, 'node_modules'));
  try {
    execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: into, stdio: ['ignore', 'ignore', 'inherit'] });
  } finally {
    unlinkSync(join(into, 'node_modules'));
  }
  const files = readdirSync(dist, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
  entry.store(Object.fromEntries(files.map((e) => [relative(dist, join(e.parentPath, e.name)), readFileSync(join(e.parentPath, e.name)).toString('base64')])));
  return into;
}
