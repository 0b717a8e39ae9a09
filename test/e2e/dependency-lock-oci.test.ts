import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runBundledCli } from '../helpers/cli.js';
import { assertArchivedLockAsHelmPackages, assertLocksAsHelmHasThem, generated } from '../helpers/dependency-locks.js';
import { chartFiles, createRepo } from '../helpers/git.js';
import { suiteHelms, type Helm } from '../helpers/helm.js';
import { startRegistry } from '../helpers/registry.js';

let registry: Awaited<ReturnType<typeof startRegistry>>;

before(async () => {
  registry = await startRegistry({ auth: 'none' });
});
after(() => registry?.stop());

const LOCKS = { web: 'charts/web/Chart.lock', api: 'charts/api/Chart.lock' };

/**
 * common and base, published by the real helm (common where this repository publishes, base in another namespace),
 * and two charts depending on them by oci://: web on common ~1.0.0 (a minor release raises it) and on the other
 * namespace's base, api on common ^1.0.0 (which admits the release: only its pin moves). Their locks are the ones the
 * real `helm dependency update` writes against the registry.
 */
async function chartsWithOciLocks(scratch: string, helm4: Helm): Promise<Record<string, string>> {
  const [charts, shared] = [`oci://${registry.host}/charts`, `oci://${registry.host}/shared`];
  const files: Record<string, string> = {
    '.gitignore': '*.tgz\n',
    ...chartFiles('charts/common', 'common', '1.0.0'),
    ...chartFiles('charts/base', 'base', '1.0.0'),
    ...chartFiles('charts/web', 'web', '1.0.0', `dependencies:\n  - name: common\n    version: ~1.0.0\n    repository: ${charts}\n  - name: base\n    version: ^1.0.0\n    repository: ${shared}\n`),
    ...chartFiles('charts/api', 'api', '2.0.0', `dependencies:\n  - name: common\n    version: ^1.0.0\n    repository: "${charts}"\n`),
  };
  const dir = mkdtempSync(join(scratch, 'locking-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  for (const [chart, target] of [['common', charts], ['base', shared]]) {
    await helm4.run(['package', join(dir, 'charts', chart!), '-d', dir]);
    await helm4.run(['push', join(dir, `${chart}-1.0.0.tgz`), target!, '--plain-http']);
  }
  for (const lock of Object.values(LOCKS)) {
    await helm4.run(['dependency', 'update', join(dir, dirname(lock)), '--plain-http']);
    files[lock] = readFileSync(join(dir, lock), 'utf8');
  }
  return files;
}

/** The version a lock pins `name` at. */
const pinned = (lock: string, name: string) => new RegExp(`- name: ${name}\\n\\s+repository: \\S+\\n\\s+version: (\\S+)`).exec(lock)?.[1];

describe("a released chart's dependents by oci:// where this repository publishes it", () => {
  const { scratch, helms } = suiteHelms('chartship-oci-lock-');
  const helm4 = helms.get(4)!;
  const env = { HOME: scratch, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' };

  it('commit-bump commits their locks pinning the released version as helm dependency update writes them, and the archives hold what helm packages', async () => {
    const repo = createRepo();
    try {
      const files = await chartsWithOciLocks(scratch, helm4);
      const first = repo.commit('chore: the charts', files);
      repo.commit('feat(common): a name helper', { 'charts/common/templates/_helpers.tpl': '{{- define "common.name" -}}x{{- end -}}\n' });
      repo.commit('feat(base): a label helper', { 'charts/base/templates/_helpers.tpl': '{{- define "base.label" -}}x{{- end -}}\n' });
      const git = repo.addOrigin(join(scratch, 'bump-origin.git'));
      // The target as written with a trailing slash: the dependencies name the same namespace.
      const run = await runBundledCli(['publish', '--cwd', repo.dir, '--base', first, '--registry', `oci://${registry.host}/charts/`, '--plain-http', '--commit-bump'], { cwd: scratch, env });
      assert.equal(run.code, 0, run.stderr);
      assert.doesNotMatch(run.stderr, /out of sync/);
      for (const line of ['common` | 1.1.0', 'base` | 1.1.0', 'web` | 1.0.1', 'api` | 2.0.1']) assert.ok(run.stdout.includes(`${line} | ✅ pushed |`), `${line}\n${run.stdout}`);

      const changed = git('diff', '--name-only', 'main~1', 'main').split('\n');
      for (const lock of Object.values(LOCKS)) assert.ok(changed.includes(lock), `${lock} in ${changed.join(', ')}`);
      const committed = Object.fromEntries(Object.values(LOCKS).map((lock) => [lock, `${git('show', `main:${lock}`)}\n`]));
      assert.match(git('show', 'main:charts/web/Chart.yaml'), /version: ~1\.1\.0/);
      assert.equal(pinned(committed[LOCKS.web]!, 'common'), '1.1.0');
      assert.equal(pinned(committed[LOCKS.api]!, 'common'), '1.1.0', "api's constraint admits 1.1.0: its pin follows the release");
      // base is released too, but web takes it from another namespace, which holds 1.0.0 only.
      assert.match(git('show', 'main:charts/web/Chart.yaml'), /version: \^1\.0\.0/);
      assert.equal(pinned(committed[LOCKS.web]!, 'base'), '1.0.0');
      for (const lock of Object.values(LOCKS)) assert.equal(generated(committed[lock]!), generated(files[lock]!), lock);

      const tree = join(scratch, 'bump-tree');
      execFileSync('git', ['clone', '-q', join(scratch, 'bump-origin.git'), tree], { env: { ...process.env, ...env } });
      const locked = { scratch, tree, committed, args: ['--plain-http'], fetched: { [LOCKS.web]: ['common-1.1.0.tgz', 'base-1.0.0.tgz'], [LOCKS.api]: ['common-1.1.0.tgz'] } };
      for (const [major, helm] of helms) await assertLocksAsHelmHasThem(locked, helm, `helm${major}`);
      for (const [chart, version] of [['web', '1.0.1'], ['api', '2.0.1']] as const) {
        await assertArchivedLockAsHelmPackages(locked, helm4, { repository: `oci://${registry.host}/charts`, chart, version, lock: LOCKS[chart] });
      }
    } finally {
      repo.cleanup();
    }
  });
});
