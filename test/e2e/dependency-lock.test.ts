import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runBundledCli, runCli } from '../helpers/cli.js';
import { start as startGitHubApi } from '../helpers/github-api.js';
import { chartFiles, createRepo } from '../helpers/git.js';
import { HELM_MAJORS, isolatedHelm } from '../helpers/helm.js';
import { assertArchivedLockAsHelmPackages, assertLocksAsHelmHasThem, generated, type LockedTree } from '../helpers/dependency-locks.js';
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

/** Every lock of the tree, each fetching the released common. */
const lockedTree = (tree: string, committed: Record<string, string>): LockedTree => ({
  scratch,
  tree,
  committed,
  fetched: Object.fromEntries(Object.values(LOCKS).map((lock) => [lock, ['common-1.1.0.tgz']])),
});

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
      const locked = lockedTree(tree, committed);
      for (const [major, helm] of helms) await assertLocksAsHelmHasThem(locked, helm, `bump-helm${major}`);

      // The archives pushed in that run hold the lock `helm dependency build && helm package` makes of the committed tree.
      for (const [chart, version] of [['web', '1.0.1'], ['api', '2.0.1'], ['legacy', '0.1.1']] as const) {
        await assertArchivedLockAsHelmPackages(locked, helm4, { repository: `oci://${registry.host}/bump`, chart, version, lock: LOCKS[chart] });
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
      for (const [major, helm] of helms) await assertLocksAsHelmHasThem(lockedTree(tree, committed), helm, `pr-helm${major}`);
      assert.deepEqual(github.violations, []);
    } finally {
      await github.stop();
    }
  });
});
