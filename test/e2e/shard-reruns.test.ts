import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runAction, type ActionRun } from '../helpers/action.js';
import { startFlakyProxy, type FlakyProxy } from '../helpers/flaky-proxy.js';
import { chartFiles, createRepo, type TestRepo } from '../helpers/git.js';
import { start as startGitHubApi } from '../helpers/github-api.js';
import { startRegistry, type TestRegistry } from '../helpers/registry.js';

interface ChartOutput {
  name: string;
  version: string;
  status: string;
  error?: string;
  registries: { digest: string }[];
}
interface MatrixEntry {
  wave: number;
  shard: string;
  charts: string[];
}

const dependsOn = (name: string) => `dependencies:\n  - name: ${name}\n    version: ">=1.0.0"\n    repository: file://../${name}\n`;
const refused = (chart: string) => ({
  method: 'PUT',
  path: new RegExp(`/v2/charts/${chart}/manifests/`),
  fault: { kind: 'status' as const, status: 403, errors: [{ code: 'DENIED', message: 'requested access to the resource is denied' }] },
  times: 1000,
});

/**
 * README's "Publishing across runners" workflow as GitHub runs it: a plan job, one job per matrix entry of each wave,
 * each on a runner of its own (a fresh clone with fetch-depth 0, its own RUNNER_TEMP, the default outcome-file), its
 * outcome uploaded as `chartship-outcome-<wave>-<job-index>-<run attempt>`; a wave's jobs run only when every job of the
 * wave before succeeded (`needs`); the merge job (if: always()) downloads every artifact, each into a directory of its
 * name. "Re-run failed jobs" runs the failed jobs and those skipped after them again, in the same run, as its next
 * attempt (GITHUB_RUN_ATTEMPT; the other attempts' artifacts stay).
 */
function shardedWorkflow(repoOf: () => { repo: TestRepo; sha: string }) {
  const work = mkdtempSync(join(tmpdir(), 'chartship-shard-reruns-'));
  const origin = join(work, 'origin.git');
  const artifacts = new Map<string, string>();
  const w = {
    registry: undefined as unknown as TestRegistry,
    proxy: undefined as unknown as FlakyProxy,
    github: undefined as unknown as Awaited<ReturnType<typeof startGitHubApi>>,
    repo: undefined as unknown as TestRepo,
    sha: '',
    origin,
    jobs: 0,
    attempt: 1,
    async start() {
      w.registry = await startRegistry({ auth: 'none' });
      w.proxy = await startFlakyProxy(w.registry.url);
      w.github = await startGitHubApi({ token: 'ghs_shards' });
      ({ repo: w.repo, sha: w.sha } = repoOf());
      w.repo.addOrigin(origin);
      w.github.state.commitPulls.set(w.sha, [{ number: 7, state: 'open' }]);
    },
    async stop() {
      await w.github?.stop();
      await w.proxy?.stop();
      await w.registry?.stop();
      w.repo?.cleanup();
      rmSync(work, { recursive: true, force: true });
    },
    async job(name: string, inputs: Record<string, string>): Promise<ActionRun> {
      const dir = join(work, `${++w.jobs}-${name}`);
      const checkout = join(dir, 'checkout');
      mkdirSync(join(dir, 'temp'), { recursive: true });
      execFileSync('git', ['clone', '-q', origin, checkout]);
      execFileSync('git', ['-C', checkout, 'checkout', '-q', '--detach', w.sha]);
      return runAction({
        cwd: checkout,
        dir: join(dir, 'runner'),
        event: { name: 'push', payload: { before: w.repo.git('rev-parse', `${w.sha}~1`), after: w.sha, ref: 'refs/heads/main' } },
        env: {
          GITHUB_SHA: w.sha,
          GITHUB_REF: 'refs/heads/main',
          GITHUB_REPOSITORY: 'acme/charts',
          GITHUB_SERVER_URL: 'https://github.example',
          GITHUB_API_URL: w.github.url,
          GITHUB_RUN_ID: '7',
          GITHUB_RUN_ATTEMPT: String(w.attempt),
          RUNNER_TEMP: join(dir, 'temp'),
        },
        inputs: { registry: `oci://${w.proxy.host}/charts`, 'plain-http': 'true', 'github-token': 'ghs_shards', policy: 'off', ...inputs },
      });
    },
    async plan(): Promise<MatrixEntry[][]> {
      const plan = await w.job('plan', { 'dry-run': 'true', 'pr-comment': 'false', shards: '2' });
      assert.equal(plan.status, 0, plan.log);
      return (JSON.parse(plan.outputs['shards']!) as { include: MatrixEntry[] }[]).map((wave) => wave.include);
    },
    /** The jobs of one wave, at once; the outcome uploaded if the step set `outcome-file`. */
    async wave(entries: MatrixEntry[], only?: (index: number) => boolean): Promise<(ActionRun | undefined)[]> {
      return Promise.all(
        entries.map(async (entry, index) => {
          if (only && !only(index)) return undefined;
          const run = await w.job(`wave-${entry.wave}-${index}`, { wave: String(entry.wave), shard: entry.shard });
          if (run.outputs['outcome-file']) artifacts.set(`chartship-outcome-${entry.wave}-${index}-${w.attempt}`, run.outputs['outcome-file']);
          return run;
        }),
      );
    },
    /** download-artifact (pattern) into a directory per artifact, then the merge step; its releases tagged on the origin as GitHub does. */
    async merge(name: string): Promise<ActionRun> {
      const outcomes = join(work, `${name}-outcomes`);
      for (const [artifact, file] of artifacts) {
        mkdirSync(join(outcomes, artifact), { recursive: true });
        copyFileSync(file, join(outcomes, artifact, basename(file)));
      }
      const run = await w.job(name, { 'merge-outcomes': outcomes, 'create-releases': 'true' });
      const tags = execFileSync('git', ['--git-dir', origin, 'tag'], { encoding: 'utf8' }).split('\n');
      for (const release of w.github.state.releases) if (!tags.includes(release.tag_name)) execFileSync('git', ['--git-dir', origin, 'tag', release.tag_name, w.sha]);
      return run;
    },
    served(chart: string, version: string): string | undefined {
      const link = join(w.registry.storageDir, 'docker/registry/v2/repositories/charts', chart, '_manifests/tags', version, 'current/link');
      return existsSync(link) ? readFileSync(link, 'utf8').trim() : undefined;
    },
    /** Every chart the merge reports published is what the registry serves, in the outputs, the summary and the one comment. */
    assertReportsRegistry(merged: ActionRun) {
      const charts = JSON.parse(merged.outputs['charts']!) as ChartOutput[];
      const comments = w.github.state.comments.filter((c) => c.issueNumber === 7);
      assert.equal(comments.length, 1, 'one sticky comment');
      for (const chart of charts.filter((c) => c.status === 'pushed' || c.status === 'unchanged')) {
        const served = w.served(chart.name, chart.version);
        assert.ok(served, `${chart.name} ${chart.version} is in the registry`);
        assert.equal(chart.registries[0]?.digest, served, chart.name);
        assert.equal(merged.outputs[`${chart.name}--digest`], served, chart.name);
        assert.ok(merged.summary.includes(served), `${chart.name}'s digest in the summary`);
        assert.ok(comments[0]!.body.includes(served), `${chart.name}'s digest in the comment`);
      }
      for (const chart of charts.filter((c) => c.status === 'failed')) {
        assert.ok(merged.summary.includes(`\`${chart.name}\``), `${chart.name}'s failure in the summary`);
        assert.ok(comments[0]!.body.includes(`\`${chart.name}\``), `${chart.name}'s failure in the comment`);
      }
      assert.deepEqual(w.github.violations, []);
      return charts;
    },
  };
  return w;
}

describe('a sharded workflow whose first wave fails, then "Re-run failed jobs"', () => {
  const w = shardedWorkflow(() => {
    const repo = createRepo();
    repo.commit('chore: init', { 'README.md': 'charts\n' });
    const sha = repo.commit('feat: charts', {
      ...chartFiles('charts/lib', 'lib', '1.0.0'),
      ...chartFiles('charts/web', 'web', '1.0.0'),
      ...chartFiles('charts/api', 'api', '1.0.0'),
      ...chartFiles('charts/app', 'app', '1.0.0', dependsOn('lib')),
    });
    return { repo, sha };
  });
  before(() => w.start());
  after(() => w.stop());

  it('the merge after the failure reports what was pushed and why the next wave was not, the rerun completes it', async () => {
    const waves = await w.plan();
    assert.deepEqual(waves.map((wave) => wave.map((e) => e.charts)), [[['api', 'web'], ['lib']], [['app']]]);

    // Attempt 1: the registry refuses web, so its wave-1 job fails and wave 2 (needs: wave-1) does not run.
    w.proxy.rules.push(refused('web'));
    const first = await w.wave(waves[0]!);
    assert.deepEqual(first.map((r) => r!.status), [1, 0]);
    const failed = await w.merge('merge-1');
    assert.equal(failed.status, 1, failed.log);
    assert.match(failed.log, /::error::2 chart\(s\) failed: /);
    const reported = w.assertReportsRegistry(failed);
    assert.deepEqual(Object.fromEntries(reported.map((c) => [c.name, c.status])), { api: 'pushed', lib: 'pushed', web: 'failed', app: 'failed' });
    assert.match(reported.find((c) => c.name === 'web')!.error!, /403 DENIED/);
    assert.equal(reported.find((c) => c.name === 'app')!.error, 'not published: wave 2 shard 1/2 did not run after web failed in an earlier wave; rerun the failed jobs');
    assert.equal(w.served('app', '1.0.0'), undefined);
    assert.deepEqual(w.github.state.releases.map((r) => r.tag_name).sort(), ['api-1.0.0', 'lib-1.0.0']);

    // Re-run failed jobs: web's job, then wave 2, then the merge; the registry takes web now.
    w.proxy.rules.length = 0;
    w.attempt = 2;
    const rerun = await w.wave(waves[0]!, (index) => first[index]!.status !== 0);
    assert.equal(rerun[1], undefined);
    assert.equal(rerun[0]!.status, 0, rerun[0]!.log);
    const second = await w.wave(waves[1]!);
    assert.equal(second[0]!.status, 0, second[0]!.log);
    const merged = await w.merge('merge-2');
    assert.equal(merged.status, 0, merged.log);
    const charts = w.assertReportsRegistry(merged);
    // api shared web's shard: the first attempt pushed it, the rerun found it in place; this run pushed it all the same.
    assert.deepEqual(Object.fromEntries(charts.map((c) => [c.name, c.status])), { api: 'pushed', lib: 'pushed', web: 'pushed', app: 'pushed' });
    assert.equal(merged.outputs['pushed'], '4');
    const comment = w.github.state.comments.find((c) => c.issueNumber === 7)!.body;
    for (const text of [merged.summary, comment]) assert.doesNotMatch(text, /unchanged/, text);
    assert.equal(merged.outputs['released-charts']!.split(' ').sort().join(' '), 'api app lib web');
    assert.deepEqual(w.github.state.releases.map((r) => r.tag_name).sort(), ['api-1.0.0', 'app-1.0.0', 'lib-1.0.0', 'web-1.0.0']);
  });
});

describe('a sharded workflow whose second wave fails after the first was released, then "Re-run failed jobs"', () => {
  const w = shardedWorkflow(() => {
    const repo = createRepo();
    repo.commit('feat: charts', { ...chartFiles('charts/lib', 'lib', '1.0.0'), ...chartFiles('charts/web', 'web', '1.0.0'), ...chartFiles('charts/app', 'app', '1.0.0', dependsOn('lib')) });
    for (const chart of ['lib', 'web', 'app']) repo.tag(`${chart}-1.0.0`);
    const sha = repo.commit('feat: tune lib and app', { 'charts/lib/values.yaml': 'replicas: 2\n', 'charts/app/values.yaml': 'replicas: 2\n' });
    return { repo, sha };
  });
  before(() => w.start());
  after(() => w.stop());

  it('the rerun plans again with the first merge\'s release tags and still finds app in wave 2', async () => {
    // A run rerun before, on its ninth attempt: the tenth's artifact names sort before the ninth's.
    w.attempt = 9;
    const waves = await w.plan();
    assert.deepEqual(waves.map((wave) => wave.flatMap((e) => e.charts).sort()), [['lib', 'web'], ['app']]);
    w.proxy.rules.push(refused('app'));
    for (const run of await w.wave(waves[0]!)) assert.equal(run!.status, 0, run!.log);
    assert.equal((await w.wave(waves[1]!))[0]!.status, 1);
    const failed = await w.merge('merge-1');
    assert.equal(failed.status, 1, failed.log);
    w.assertReportsRegistry(failed);
    assert.ok(execFileSync('git', ['--git-dir', w.origin, 'tag'], { encoding: 'utf8' }).includes('lib-1.1.0'), 'lib released by the first merge');

    w.proxy.rules.length = 0;
    w.attempt = 10;
    const rerun = await w.wave(waves[1]!);
    assert.equal(rerun[0]!.status, 0, rerun[0]!.log);
    const merged = await w.merge('merge-2');
    assert.equal(merged.status, 0, merged.log);
    const charts = w.assertReportsRegistry(merged);
    assert.deepEqual(Object.fromEntries(charts.map((c) => [c.name, `${c.version} ${c.status}`])), { lib: '1.1.0 pushed', app: '1.1.0 pushed', web: '1.0.0 pushed' });
    assert.deepEqual(w.github.state.releases.map((r) => r.tag_name).sort(), ['app-1.1.0', 'lib-1.1.0', 'web-1.0.0']);
  });
});
