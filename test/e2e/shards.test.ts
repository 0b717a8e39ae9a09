import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runBundledCli } from '../helpers/cli.js';
import { chartFiles, createRepo, type TestRepo } from '../helpers/git.js';
import { startRegistry, type TestRegistry } from '../helpers/registry.js';
import { plannedIn } from '../helpers/plan-log.js';

/**
 * A clone of `repo` for one shard's job: a matrix's jobs each check the repository out on a runner of their own, so
 * shards that run at once never share a work tree (each writes its plan's bumps into its own, and puts them back).
 */
function jobClone(repo: string, scratch: string, job: string): string {
  const dir = join(scratch, `job-${job.replace(/\W+/g, '-')}`);
  execFileSync('git', ['clone', '-q', repo, dir]);
  return dir;
}

interface ShardEntry {
  wave: number;
  shard: string;
  charts: string[];
}

const dependsOn = (dep: string) => `dependencies:\n  - name: ${dep}\n    version: ">=1.0.0"\n    repository: file://../${dep}\n`;
/** lib, web and api depend on nothing; app1-3 on lib; top on app1: three waves. */
const CHARTS: Record<string, string | undefined> = { lib: undefined, web: undefined, api: undefined, app1: 'lib', app2: 'lib', app3: 'lib', top: 'app1' };

describe('publishing in shards and waves, merged into one report', () => {
  let registry: TestRegistry;
  let repo: TestRepo;
  const scratch = mkdtempSync(join(tmpdir(), 'chartship-shards-'));

  before(async () => {
    registry = await startRegistry({ auth: 'none' });
    repo = createRepo();
    repo.commit(
      'feat: charts',
      Object.fromEntries(Object.entries(CHARTS).flatMap(([name, dep]) => Object.entries(chartFiles(`charts/${name}`, name, '1.0.0', dep ? dependsOn(dep) : '')))),
    );
  });
  after(async () => {
    await registry?.stop();
    repo?.cleanup();
    rmSync(scratch, { recursive: true, force: true });
  });

  const cli = (args: string[]) => runBundledCli(args, { cwd: repo.dir, env: { HOME: scratch } });
  const target = () => ['--registry', `oci://${registry.host}/charts`, '--plain-http'];
  /** What the registry's storage says a tag points at, and when it was written. */
  const tagOf = (name: string) => {
    const link = join(registry.storageDir, 'docker/registry/v2/repositories/charts', name, '_manifests/tags/1.0.0/current/link');
    return { digest: readFileSync(link, 'utf8').trim(), at: statSync(link).mtimeMs };
  };

  it('runs every shard as its own process wave after wave; the merge lists every chart with the digest the registry serves', async () => {
    const planned = await cli(['plan', '--charts', 'charts/*', '--shards', '2', '--json', ...target()]);
    assert.equal(planned.code, 0, planned.stderr);
    const waves = (JSON.parse(planned.stdout) as { shards: ShardEntry[][] }).shards;
    const waveOf = new Map(waves.flatMap((entries, w) => entries.flatMap((e) => e.charts.map((c) => [c, w + 1] as const))));
    assert.deepEqual([...waveOf.keys()].sort(), Object.keys(CHARTS).sort(), 'every chart in exactly one shard');
    assert.equal(waveOf.size, waves.flat().reduce((n, e) => n + e.charts.length, 0));
    for (const [name, dep] of Object.entries(CHARTS)) if (dep) assert.ok(waveOf.get(dep)! < waveOf.get(name)!, `${dep} in a wave before ${name}`);
    assert.deepEqual(waves.map((entries) => entries.length), [2, 2, 1]);

    const files: string[] = [];
    const outcomes = join(scratch, 'outcomes');
    mkdirSync(outcomes);
    for (const entries of waves) {
      // The shards of one wave run at once, as a matrix's jobs do.
      const runs = await Promise.all(
        entries.map((e) => {
          const file = join(outcomes, `outcome-${e.wave}-${e.shard.replace('/', '-of-')}.json`);
          files.push(file);
          const cwd = jobClone(repo.dir, scratch, `publish-${e.wave}-${e.shard}`);
          return runBundledCli(['publish', '--charts', 'charts/*', '--policy', 'off', ...target(), '--wave', String(e.wave), '--shard', e.shard, '--outcome-file', file, '--json'], { cwd, env: { HOME: scratch } });
        }),
      );
      runs.forEach((run, i) => assert.equal(run.code, 0, `${entries[i]!.shard}: ${run.stderr}`));
      entries.forEach((e, i) => {
        const pushed = (JSON.parse(runs[i]!.stdout) as { charts: { name: string; status: string }[] }).charts.filter((c) => c.status === 'pushed').map((c) => c.name);
        assert.deepEqual(pushed.sort(), [...e.charts].sort(), `wave ${e.wave} shard ${e.shard} publishes only its charts`);
        // and its log shows only those of the plan, counting the others in one line
        const own = [...e.charts].sort();
        assert.deepEqual(plannedIn(runs[i]!.stderr, Object.keys(CHARTS)), { rows: own, details: own }, runs[i]!.stderr);
        assert.match(runs[i]!.stderr, new RegExp(`^${Object.keys(CHARTS).length - own.length} more chart\\(s\\) in other shards and waves$`, 'm'));
      });
    }

    // A dependent's tag was written after its dependency's.
    for (const [name, dep] of Object.entries(CHARTS)) if (dep) assert.ok(tagOf(dep).at < tagOf(name).at, `${dep} pushed before ${name}`);

    const merged = await cli(['merge', ...files, '--json']);
    assert.equal(merged.code, 0, merged.stderr);
    const report = JSON.parse(merged.stdout) as { pushed: number; charts: { name: string; status: string; registries: { digest: string }[] }[] };
    assert.equal(report.pushed, Object.keys(CHARTS).length);
    assert.deepEqual(report.charts.map((c) => c.name).sort(), Object.keys(CHARTS).sort());
    for (const chart of report.charts) {
      assert.equal(chart.status, 'pushed', chart.name);
      assert.equal(chart.registries[0]?.digest, tagOf(chart.name).digest, `${chart.name}: the merged digest is the one the registry serves`);
    }

    const text = await cli(['merge', ...files]);
    assert.equal(text.code, 0, text.stderr);
    for (const name of Object.keys(CHARTS)) assert.match(text.stdout, new RegExp(`\\b${name}\\b[^\\n]*${tagOf(name).digest.slice(7, 19)}`), `${name} in the summary with its digest`);

    // As the action's merge-outcomes takes them: the directory an artifact download left them in. A path that is not
    // there is named, not answered with node's ENOENT.
    const fromDirectory = await cli(['merge', outcomes, '--json']);
    assert.equal(fromDirectory.code, 0, fromDirectory.stderr);
    assert.deepEqual(JSON.parse(fromDirectory.stdout), JSON.parse(merged.stdout));
    const gone = await cli(['merge', 'no-such-outcomes']);
    assert.equal(gone.code, 1);
    assert.match(gone.stderr, new RegExp(`^Error: .*cannot read ${join(repo.dir, 'no-such-outcomes')}: ENOENT`));

    const incomplete = await cli(['merge', ...files.slice(1)]);
    assert.equal(incomplete.code, 1);
    assert.match(incomplete.stderr, /missing the outcome of wave 1 shard 1\/2/);

    // The classic index the shards leave to the merge: from flags, or from the variables a CI sets for every job.
    const byFlags = join(scratch, 'index-flags');
    const indexed = await cli(['merge', ...files, '--classic-index', byFlags, ...target()]);
    assert.equal(indexed.code, 0, indexed.stderr);
    assert.match(indexed.stderr, /classic index \S+: added /);
    const entries = (dir: string) => readFileSync(join(dir, 'index.yaml'), 'utf8').match(/^ {2}[a-z0-9]+:$/gm)?.map((l) => l.trim().slice(0, -1)).sort();
    assert.deepEqual(entries(byFlags), Object.keys(CHARTS).sort());
    for (const name of Object.keys(CHARTS)) assert.ok(statSync(join(byFlags, `${name}-1.0.0.tgz`)).size > 0, `${name}-1.0.0.tgz beside the index`);
    const byEnv = join(scratch, 'index-env');
    const fromEnv = await runBundledCli(['merge', ...files], { cwd: repo.dir, env: { HOME: scratch, CHARTSHIP_CLASSIC_INDEX: byEnv, CHARTSHIP_REGISTRY: `oci://${registry.host}/charts`, CHARTSHIP_PLAIN_HTTP: 'true' } });
    assert.equal(fromEnv.code, 0, fromEnv.stderr);
    assert.deepEqual(entries(byEnv), Object.keys(CHARTS).sort());
    const nowhere = await cli(['merge', ...files, '--classic-index', join(scratch, 'index-nowhere')]);
    assert.equal(nowhere.code, 1);
    assert.match(nowhere.stderr, /registry: is required/);
  });
});

describe('commit-bump across shards: the merge records the bumps, once', () => {
  let registry: TestRegistry;
  let repo: TestRepo;
  const scratch = mkdtempSync(join(tmpdir(), 'chartship-shards-bump-'));
  const origin = join(scratch, 'origin.git');
  let remote: (...args: string[]) => string;
  let released = '';
  const files: string[] = [];

  before(async () => {
    registry = await startRegistry({ auth: 'none' });
    repo = createRepo();
    // Released at 1.0.0 (their release tags), then a feature in each: 1.1.0 to publish, app in a wave after lib's.
    repo.commit('feat: charts', { ...chartFiles('charts/lib', 'lib', '1.0.0'), ...chartFiles('charts/web', 'web', '1.0.0'), ...chartFiles('charts/app', 'app', '1.0.0', dependsOn('lib')) });
    for (const name of ['lib', 'web', 'app']) repo.tag(`${name}-1.0.0`);
    released = repo.commit('feat: tune every chart', { 'charts/lib/values.yaml': 'replicas: 2\n', 'charts/web/values.yaml': 'replicas: 2\n', 'charts/app/values.yaml': 'replicas: 2\n' });
    remote = repo.addOrigin(origin);
  });
  after(async () => {
    await registry?.stop();
    repo?.cleanup();
    rmSync(scratch, { recursive: true, force: true });
  });

  const cli = (args: string[]) => runBundledCli(args, { cwd: repo.dir, env: { HOME: scratch, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' } });

  it('shards given --commit-bump push no commit and leave their work trees as they were; the merge commits every bump', async () => {
    const target = ['--registry', `oci://${registry.host}/bumps`, '--plain-http'];
    const planned = await cli(['plan', '--shards', '2', '--json', ...target]);
    assert.equal(planned.code, 0, planned.stderr);
    const waves = (JSON.parse(planned.stdout) as { shards: ShardEntry[][] }).shards;
    assert.ok(waves.length >= 2, 'app waits for lib');
    const clones: string[] = [];
    for (const entries of waves) {
      const runs = await Promise.all(
        entries.map((e) => {
          const file = join(scratch, `outcome-${e.wave}-${e.shard.replace('/', '-of-')}.json`);
          files.push(file);
          const cwd = jobClone(repo.dir, scratch, `bump-${e.wave}-${e.shard}`);
          clones.push(cwd);
          return runBundledCli(['publish', '--policy', 'off', ...target, '--commit-bump', '--wave', String(e.wave), '--shard', e.shard, '--outcome-file', file], { cwd, env: { HOME: scratch, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' } });
        }),
      );
      runs.forEach((run, i) => assert.equal(run.code, 0, `${entries[i]!.shard}: ${run.stderr}`));
      assert.equal(remote('rev-parse', 'main'), released, 'no shard pushed a commit');
      for (const clone of clones) assert.equal(execFileSync('git', ['status', '--porcelain'], { cwd: clone, encoding: 'utf8' }), '', `no shard left a bump in its work tree (${clone})`);
    }

    const merged = await cli(['merge', ...files, '--commit-bump', '--cwd', repo.dir]);
    assert.equal(merged.code, 0, merged.stderr);
    assert.equal(remote('rev-parse', 'main~1'), released, 'one commit on top of the published one');
    assert.match(remote('log', '-1', '--format=%s', 'main'), /^chore\(release\): (?=.*\blib 1\.1\.0\b)(?=.*\bweb 1\.1\.0\b)(?=.*\bapp 1\.1\.0\b).* \[skip ci\]$/);
    assert.deepEqual(remote('diff', '--name-only', 'main~1', 'main').split('\n').sort(), ['charts/app/Chart.yaml', 'charts/lib/Chart.yaml', 'charts/web/Chart.yaml']);
    for (const name of ['lib', 'web', 'app']) assert.match(remote('show', `main:charts/${name}/Chart.yaml`), /^version: 1\.1\.0$/m, name);
    assert.doesNotMatch(merged.stderr, /without recording them/);
  });

  it('a failed chart in any shard commits nothing, and says why', async () => {
    assert.ok(files.length > 0, 'runs after the shards above');
    // The last shard's outcome as if its chart had failed to push.
    const failed = JSON.parse(readFileSync(files.at(-1)!, 'utf8')) as { owned: string[]; results: { name: string; status: string; error?: string }[] };
    for (const result of failed.results) if (failed.owned.includes(result.name)) Object.assign(result, { status: 'failed', error: 'the registry refused it' });
    const doctored = join(scratch, 'failed.json');
    writeFileSync(doctored, JSON.stringify(failed));
    const head = remote('rev-parse', 'main');
    repo.git('reset', '-q', '--hard', released);
    const merged = await cli(['merge', ...files.slice(0, -1), doctored, '--commit-bump', '--cwd', repo.dir]);
    assert.equal(merged.code, 1, merged.stderr);
    assert.match(merged.stderr, /version bumps not committed because a chart failed/);
    assert.equal(remote('rev-parse', 'main'), head, 'nothing pushed');
  });

  it('without --commit-bump the merge warns that nothing records the bumps', async () => {
    const merged = await cli(['merge', ...files]);
    assert.equal(merged.code, 0, merged.stderr);
    assert.match(merged.stderr, /published bumped versions \(.*lib 1\.0\.0 → 1\.1\.0.*\) without recording them: pass --commit-bump/);
  });
});
