import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import semver from 'semver';
import { cloneWithDist } from '../helpers/bundle.js';
import { createRepo } from '../helpers/git.js';

const root = join(import.meta.dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  name: string;
  bin: Record<string, string>;
  files?: string[];
  engines: { node: string };
  scripts: Record<string, string>;
  dependencies?: Record<string, string>;
};
const scratch = mkdtempSync(join(tmpdir(), 'chartship-install-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** Only what a user's machine has: node, npm and git on PATH, a home of its own, an empty npm cache. */
const userEnv = (home: string): NodeJS.ProcessEnv => ({ PATH: process.env['PATH'], HOME: home, npm_config_cache: join(home, '.npm'), npm_config_update_notifier: 'false' });

/** The README demo, run with an installed `chartship` on the example charts of a fresh repository. */
function demoWith(command: string[], home: string): void {
  const repo = createRepo('chartship-install-demo-');
  try {
    cpSync(join(root, 'examples'), join(repo.dir, 'examples'), { recursive: true });
    repo.commit('feat: example charts');
    const run = spawnSync(command[0]!, [...command.slice(1), 'publish', '--charts', 'examples/charts/*', '--registry', 'oci-layout:.chartship/oci-layout', '--json'], {
      cwd: repo.dir,
      encoding: 'utf8',
      env: userEnv(home),
      timeout: 120_000,
    });
    assert.equal(run.status, 0, run.stderr);
    const charts = (JSON.parse(run.stdout) as { charts: { name: string; status: string }[] }).charts;
    const examples = readdirSync(join(root, 'examples', 'charts'));
    assert.deepEqual(charts.map((c) => `${c.name} ${c.status}`).sort(), examples.map((name) => `${name} pushed`).sort());
    const index = JSON.parse(readFileSync(join(repo.dir, '.chartship', 'oci-layout', 'index.json'), 'utf8')) as { manifests: unknown[] };
    assert.equal(index.manifests.length, examples.length);
  } finally {
    repo.cleanup();
  }
}

describe('install paths', () => {
  it('package.json engines agree with every locked package: npm ci on the oldest declared Node warns no EBADENGINE', () => {
    const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, { engines?: unknown; version?: string }> };
    // The oldest Node the engines range admits, and the action's runtime (action.yml runs.using: node24).
    const oldest = semver.minVersion(pkg.engines.node)?.version;
    assert.ok(oldest, pkg.engines.node);
    const checked = [oldest, '24.0.0'];
    const refused: string[] = [];
    for (const [path, entry] of Object.entries(lock.packages)) {
      const range = entry.engines && typeof entry.engines === 'object' && !Array.isArray(entry.engines) ? (entry.engines as { node?: string }).node : undefined;
      if (!path || range === undefined) continue;
      for (const node of checked) if (!semver.satisfies(node, range)) refused.push(`${path}@${entry.version}: node ${range} excludes ${node}`);
    }
    assert.deepEqual(refused, []);
  });

  it('npm pack makes a package that installs offline into an empty directory and runs --help and the demo', { timeout: 300_000 }, () => {
    // Runtime code is bundled into dist/cli.js: the package must need nothing from a registry once packed.
    assert.equal(pkg.dependencies, undefined, 'dependencies are bundled; list them as devDependencies');
    assert.deepEqual(pkg.bin, { chartship: 'dist/cli.js' });
    assert.ok(!pkg.scripts['prepare'] && !pkg.scripts['prepack'] && !pkg.scripts['postinstall'], 'no install-time script that needs devDependencies');
    const clone = cloneWithDist(join(scratch, 'source'));
    const home = join(scratch, 'home-pack');
    mkdirSync(home);
    const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', scratch], { cwd: clone, encoding: 'utf8', env: userEnv(home) })) as {
      filename: string;
      files: { path: string }[];
    }[];
    const tarball = join(scratch, packed[0]!.filename);
    // cli.js and every chunk (a command, openpgp, the AWS SDK are read only when used), not the action's index.js.
    const chunks = readdirSync(join(clone, 'dist', 'chunks')).map((name) => `dist/chunks/${name}`);
    assert.ok(chunks.length > 0);
    assert.deepEqual(packed[0]!.files.map((f) => f.path).sort(), ['README.md', 'dist/cli.js', ...chunks, 'package.json'].sort());

    const app = join(scratch, 'app');
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), '{"private":true}\n');
    // --offline with an empty cache: any registry request would fail the install.
    const install = spawnSync('npm', ['install', '--offline', '--no-audit', '--no-fund', tarball], { cwd: app, encoding: 'utf8', env: userEnv(home), timeout: 120_000 });
    assert.equal(install.status, 0, install.stderr);
    assert.doesNotMatch(install.stderr, /EBADENGINE/);
    const bin = join(app, 'node_modules', '.bin', 'chartship');
    const help = spawnSync(bin, ['--help'], { encoding: 'utf8', env: userEnv(home) });
    assert.equal(help.status, 0, help.stderr);
    assert.match(help.stdout, /^usage: chartship <command>/);
    // The installed package knows which version it is (the one a bug report should name).
    const version = spawnSync(bin, ['--version'], { encoding: 'utf8', env: userEnv(home) });
    assert.equal(version.stdout, `chartship ${(JSON.parse(readFileSync(join(app, 'node_modules', 'chartship', 'package.json'), 'utf8')) as { version: string }).version}\n`, version.stderr);
    demoWith([bin], home);
  });

  it('a clone of a release tag runs with node alone: committed dist/, no install, no build', { timeout: 300_000 }, () => {
    const source = cloneWithDist(join(scratch, 'tagged'));
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: source, stdio: 'ignore' });
    // The release commit carries its dist/, as the project's tags do.
    git('add', '--force', 'dist');
    git('commit', '--quiet', '--allow-empty', '-m', 'chore: release');
    git('tag', 'v1');
    const home = join(scratch, 'home-git');
    mkdirSync(home);
    const checkout = join(scratch, 'chartship-v1');
    execFileSync('git', ['clone', '--quiet', '--depth', '1', '--branch', 'v1', `file://${source}`, checkout], { stdio: 'ignore', env: userEnv(home) });
    const cli = join(checkout, pkg.bin['chartship']!);
    const help = spawnSync(process.execPath, [cli, '--help'], { encoding: 'utf8', env: userEnv(home) });
    assert.equal(help.status, 0, help.stderr);
    assert.match(help.stdout, /^usage: chartship <command>/);
    demoWith([process.execPath, cli], home);
  });
});
