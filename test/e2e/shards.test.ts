import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runBundledCli } from '../helpers/cli.js';
import { chartFiles, createRepo, type TestRepo } from '../helpers/git.js';
import { startRegistry, type TestRegistry } from '../helpers/registry.js';

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
    for (const entries of waves) {
      // The shards of one wave run at once, as a matrix's jobs do.
      const runs = await Promise.all(
        entries.map((e) => {
          const file = join(scratch, `outcome-${e.wave}-${e.shard.replace('/', '-of-')}.json`);
          files.push(file);
          return cli(['publish', '--charts', 'charts/*', '--policy', 'off', ...target(), '--wave', String(e.wave), '--shard', e.shard, '--outcome-file', file, '--json']);
        }),
      );
      runs.forEach((run, i) => assert.equal(run.code, 0, `${entries[i]!.shard}: ${run.stderr}`));
      entries.forEach((e, i) => {
        const pushed = (JSON.parse(runs[i]!.stdout) as { charts: { name: string; status: string }[] }).charts.filter((c) => c.status === 'pushed').map((c) => c.name);
        assert.deepEqual(pushed.sort(), [...e.charts].sort(), `wave ${e.wave} shard ${e.shard} publishes only its charts`);
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

    const incomplete = await cli(['merge', ...files.slice(1)]);
    assert.equal(incomplete.code, 1);
    assert.match(incomplete.stderr, /missing the outcome of wave 1 shard 1\/2/);
  });
});
