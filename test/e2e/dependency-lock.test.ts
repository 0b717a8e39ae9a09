import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { x as untar } from 'tar';
import { runBundledCli, runCli } from '../helpers/cli.js';
import { start as startGitHubApi } from '../helpers/github-api.js';
import { chartFiles, createRepo } from '../helpers/git.js';
import { HELM_MAJORS, isolatedHelm, type Helm } from '../helpers/helm.js';
import { createDev, createOrigin } from '../helpers/protected-origin.js';
import { startRegistry } from '../helpers/registry.js';

const scratch = mkdtempSync(join(tmpdir(), 'chartship-lock-'));
const helms = new Map(HELM_MAJORS.map((major) => [major, isolatedHelm(major)]));
const helm4 = helms.get(4)!;
const env = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' };
let registry: Awaited<ReturnType<typeof startRegistry>>;

before(async () => {
  registry = await startRegistry({ auth: 'none' });
});
after(async () => {
  await registry?.stop();
  for (const helm of helms.values()) helm.cleanup();
  rmSync(scratch, { recursive: true, force: true });
});

const LOCKS = { web: 'charts/web/Chart.lock', api: 'charts/api/Chart.lock', legacy: 'charts/legacy/requirements.lock' };

/**
 * common, and three charts depending on it by file://: web on ~1.0.0 (a minor release of common raises it), api on
 * ^1.0.0 (which admits it: only the lock's pin moves), legacy, apiVersion v1, in requirements.yaml. Their locks are
 * the ones the real `helm dependency update` writes; the charts/*.tgz it fetches stay out of git, as in most repositories.
 */
async function chartsWithLocks(): Promise<Record<string, string>> {
  const files: Record<string, string> = {
    '.gitignore': '*.tgz\n',
    ...chartFiles('charts/common', 'common', '1.0.0'),
    ...chartFiles('charts/web', 'web', '1.0.0', 'dependencies:\n  - name: common\n    version: ~1.0.0\n    repository: file://../common\n'),
    ...chartFiles('charts/api', 'api', '2.0.0', 'dependencies:\n  # the shared chart\n  - name: common\n    version: ^1.0.0\n    repository: "file://../common"\n'),
    'charts/legacy/Chart.yaml': 'apiVersion: v1\nname: legacy\nversion: 0.1.0\n',
    'charts/legacy/requirements.yaml': 'dependencies:\n  - name: common\n    version: ~1.0.0\n    repository: file://../common\n',
  };
  const dir = mkdtempSync(join(scratch, 'locking-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  for (const lock of Object.values(LOCKS)) {
    await helm4.run(['dependency', 'update', join(dir, dirname(lock))]);
    files[lock] = readFileSync(join(dir, lock), 'utf8');
  }
  return files;
}

const generated = (lock: string) => /^generated: .*$/m.exec(lock)?.[0];

/**
 * What the real helm makes of a committed tree: `helm dependency build` takes every lock as in sync and fetches what it
 * pins; `helm dependency update` on a copy computes the same digest, so it leaves the lock as it is; and on a copy
 * without the lock it writes the same text but for the time it stamps.
 */
async function assertLocksAsHelmHasThem(tree: string, committed: Record<string, string>, helm: Helm, label: string): Promise<void> {
  for (const [chart, lock] of Object.entries(LOCKS)) {
    const built = join(scratch, `${label}-build-${chart}`);
    cpSync(tree, built, { recursive: true });
    const said = await helm.run(['dependency', 'build', join(built, dirname(lock))]);
    assert.doesNotMatch(said, /out of sync|can't get a valid version/, `${label} ${chart}`);
    assert.ok(existsSync(join(built, dirname(lock), 'charts', 'common-1.1.0.tgz')), `${label} ${chart}: ${said}`);

    const updated = join(scratch, `${label}-update-${chart}`);
    cpSync(tree, updated, { recursive: true });
    await helm.run(['dependency', 'update', join(updated, dirname(lock))]);
    assert.equal(readFileSync(join(updated, lock), 'utf8'), committed[lock], `${label} ${chart}: helm's digest is the committed one`);

    rmSync(join(updated, lock));
    await helm.run(['dependency', 'update', join(updated, dirname(lock))]);
    const fresh = readFileSync(join(updated, lock), 'utf8');
    assert.equal(fresh.replace(generated(fresh)!, generated(committed[lock]!)!), committed[lock], `${label} ${chart}: as helm writes it`);
  }
}

/** The named file of a chart archive. */
function archived(archive: string, name: string): string {
  const out = mkdtempSync(join(scratch, 'untar-'));
  untar({ file: archive, cwd: out, sync: true });
  return readFileSync(join(out, name), 'utf8');
}

describe("a released local chart's dependents", () => {
  it('commit-bump commits their locks as helm dependency update writes them, and the archives hold what helm packages from that tree', async () => {
    const repo = createRepo();
    try {
      const files = await chartsWithLocks();
      const first = repo.commit('chore: the charts', files);
      repo.commit('feat(common): a name helper', { 'charts/common/templates/_helpers.tpl': '{{- define "common.name" -}}x{{- end -}}\n' });
      const git = repo.addOrigin(join(scratch, 'bump-origin.git'));
      const run = await runCli(['publish', '--cwd', repo.dir, '--base', first, '--registry', `oci://${registry.host}/bump`, '--plain-http', '--commit-bump'], { cwd: scratch, env });
      assert.equal(run.code, 0, run.stderr);
      assert.doesNotMatch(run.stderr, /out of sync/);
      for (const line of ['common` | 1.1.0', 'web` | 1.0.1', 'api` | 2.0.1', 'legacy` | 0.1.1']) assert.ok(run.stdout.includes(`${line} | ✅ pushed |`), `${line}\n${run.stdout}`);

      assert.deepEqual(git('diff', '--name-only', 'main~1', 'main').split('\n').sort(), [
        'charts/api/Chart.lock',
        'charts/api/Chart.yaml',
        'charts/common/Chart.yaml',
        'charts/legacy/Chart.yaml',
        'charts/legacy/requirements.lock',
        'charts/legacy/requirements.yaml',
        'charts/web/Chart.lock',
        'charts/web/Chart.yaml',
      ]);
      assert.match(git('show', 'main:charts/web/Chart.yaml'), /version: ~1\.1\.0/);
      assert.match(git('show', 'main:charts/api/Chart.yaml'), /version: \^1\.0\.0/, "api's constraint admits 1.1.0 as it is");
      const committed = Object.fromEntries(Object.values(LOCKS).map((lock) => [lock, `${git('show', `main:${lock}`)}\n`]));
      for (const lock of Object.values(LOCKS)) {
        assert.match(committed[lock]!, /^ {2}version: 1\.1\.0$/m, lock);
        // helm stamps the wall clock there; chartship keeps it, so a rerun of the commit writes the same lock.
        assert.equal(generated(committed[lock]!), generated(files[lock]!), lock);
      }

      const tree = join(scratch, 'bump-tree');
      execFileSync('git', ['clone', '-q', join(scratch, 'bump-origin.git'), tree], { env });
      for (const [major, helm] of helms) await assertLocksAsHelmHasThem(tree, committed, helm, `bump-helm${major}`);

      // The archives pushed in that run hold the lock `helm dependency build && helm package` makes of the committed tree.
      for (const [chart, version] of [['web', '1.0.1'], ['api', '2.0.1'], ['legacy', '0.1.1']] as const) {
        const lock = LOCKS[chart];
        const pulled = mkdtempSync(join(scratch, 'pulled-'));
        await helm4.run(['pull', `oci://${registry.host}/bump/${chart}`, '--version', version, '--plain-http', '-d', pulled]);
        const packaged = mkdtempSync(join(scratch, 'packaged-'));
        const built = join(scratch, `bump-package-${chart}`);
        cpSync(tree, built, { recursive: true });
        await helm4.run(['dependency', 'build', join(built, dirname(lock))]);
        await helm4.run(['package', join(built, dirname(lock)), '-d', packaged]);
        const name = `${chart}/${lock.split('/').pop()}`;
        assert.equal(archived(join(pulled, `${chart}-${version}.tgz`), name), archived(join(packaged, `${chart}-${version}.tgz`), name), chart);
      }
    } finally {
      repo.cleanup();
    }
  });

  it('a dependent whose lock helm cannot load fails alone, naming the lock, while the others publish', async () => {
    const repo = createRepo();
    try {
      const files = await chartsWithLocks();
      const first = repo.commit('chore: the charts', { ...files, [LOCKS.web]: files[LOCKS.web]!.replace(/^generated: .*$/m, 'generated: yesterday') });
      repo.commit('feat(common): a name helper', { 'charts/common/templates/_helpers.tpl': '{{- define "common.name" -}}x{{- end -}}\n' });
      const run = await runCli(['publish', '--cwd', repo.dir, '--base', first, '--registry', `oci-layout:${join(scratch, 'broken-layout')}`], { cwd: scratch, env });
      assert.equal(run.code, 1, run.stderr);
      for (const line of ['common` | 1.1.0', 'api` | 2.0.1', 'legacy` | 0.1.1']) assert.ok(run.stdout.includes(`${line} | ✅ pushed |`), `${line}\n${run.stdout}`);
      assert.match(run.stderr, /charts\/web\/Chart\.lock:\d+:\d+: generated: "yesterday" is not an RFC 3339 time/);
    } finally {
      repo.cleanup();
    }
  });

  it('a release pull request carries their locks, so its branch builds with helm as it will be merged', async () => {
    const token = 'ghs_locktoken';
    const github = await startGitHubApi({ token });
    try {
      const origin = createOrigin(scratch, 'pr-origin');
      const dev = createDev(scratch, origin.dir, 'pr-dev');
      const first = dev.land('chore: the charts', await chartsWithLocks());
      for (const tag of ['common-1.0.0', 'web-1.0.0', 'api-2.0.0', 'legacy-0.1.0']) origin.git('tag', tag, first);
      dev.land('feat(common): a name helper', { 'charts/common/templates/_helpers.tpl': '{{- define "common.name" -}}x{{- end -}}\n' });
      const checkout = join(scratch, 'pr-checkout');
      execFileSync('git', ['clone', '-q', origin.dir, checkout], { env });
      const run = await runBundledCli(['publish', '--mode', 'release-pr', '--registry', `oci://${registry.host}/pr`, '--plain-http', '--policy', 'off', '--cwd', checkout], {
        cwd: scratch,
        env: { HOME: scratch, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', GITHUB_TOKEN: token, GITHUB_REPOSITORY: 'acme/charts', GITHUB_API_URL: github.url },
      });
      assert.equal(run.code, 0, run.stderr);
      assert.deepEqual(github.state.pulls.map((p) => p.title), ['chore(release): common 1.1.0, api 2.0.1, legacy 0.1.1, web 1.0.1']);
      const changed = origin.git('diff', '--name-only', 'main', 'chartship/release').split('\n');
      for (const lock of Object.values(LOCKS)) assert.ok(changed.includes(lock), `${lock} in ${changed.join(', ')}`);

      const tree = join(scratch, 'pr-tree');
      execFileSync('git', ['clone', '-q', '-b', 'chartship/release', origin.dir, tree], { env });
      const committed = Object.fromEntries(Object.values(LOCKS).map((lock) => [lock, readFileSync(join(tree, lock), 'utf8')]));
      for (const [major, helm] of helms) await assertLocksAsHelmHasThem(tree, committed, helm, `pr-helm${major}`);
      assert.deepEqual(github.violations, []);
    } finally {
      await github.stop();
    }
  });
});
