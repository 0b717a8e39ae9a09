import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseRepositoryIndex } from '../../src/charts/repo-index.js';
import { runAction } from '../helpers/action.js';
import { chartFiles, createRepo, type TestRepo } from '../helpers/git.js';
import { plannedIn } from '../helpers/plan-log.js';
import { start as startGitHubApi } from '../helpers/github-api.js';
import { startRegistry, type TestRegistry } from '../helpers/registry.js';

interface ChartOutput {
  name: string;
  status: string;
  registries: { digest: string }[];
}

describe('the action in shards: plan job, one matrix job per wave, merge job', () => {
  let registry: TestRegistry;
  let github: Awaited<ReturnType<typeof startGitHubApi>>;
  let repo: TestRepo;
  let sha = '';
  const work = mkdtempSync(join(tmpdir(), 'chartship-action-shards-'));

  before(async () => {
    registry = await startRegistry({ auth: 'none' });
    github = await startGitHubApi({ token: 'ghs_shards' });
    repo = createRepo();
    sha = repo.commit('feat: charts', {
      ...chartFiles('charts/lib', 'lib', '1.0.0'),
      ...chartFiles('charts/web', 'web', '1.0.0'),
      ...chartFiles('charts/app', 'app', '1.0.0', 'dependencies:\n  - name: lib\n    version: ">=1.0.0"\n    repository: file://../lib\n'),
    });
    github.state.commitPulls.set(sha, [{ number: 7, state: 'open' }]);
  });
  after(async () => {
    await github?.stop();
    await registry?.stop();
    repo?.cleanup();
    rmSync(work, { recursive: true, force: true });
  });

  const job = (name: string, inputs: Record<string, string>) =>
    runAction({
      cwd: repo.dir,
      dir: join(work, name),
      event: { name: 'push', payload: { after: sha, ref: 'refs/heads/main' } },
      env: { GITHUB_SHA: sha, GITHUB_REF: 'refs/heads/main', GITHUB_REPOSITORY: 'acme/charts', GITHUB_SERVER_URL: 'https://github.example', GITHUB_API_URL: github.url, GITHUB_RUN_ID: '7' },
      inputs: { registry: `oci://${registry.host}/charts`, 'plain-http': 'true', charts: 'charts/*', 'github-token': 'ghs_shards', policy: 'off', ...inputs },
    });

  it('publishes wave after wave, then one summary, one comment and every release from the merged outcomes', async () => {
    const plan = await job('plan', { 'dry-run': 'true', 'pr-comment': 'false', shards: '2' });
    assert.equal(plan.status, 0, plan.log);
    assert.equal(plan.outputs['waves'], '2');
    const waves = JSON.parse(plan.outputs['shards']!) as { include: { wave: number; shard: string; charts: string[] }[] }[];
    assert.deepEqual(waves.map((w) => w.include.flatMap((e) => e.charts).sort()), [['lib', 'web'], ['app']]);
    const all = ['app', 'lib', 'web'];
    assert.deepEqual(plannedIn(plan.log, all), { rows: all, details: all }, 'the plan job logs the whole plan');

    const outcomes = join(work, 'outcomes');
    mkdirSync(outcomes);
    for (const wave of waves) {
      const runs = await Promise.all(
        wave.include.map((e) => job(`wave-${e.wave}-${e.shard.replace('/', '-')}`, { wave: String(e.wave), shard: e.shard, 'create-releases': 'true', 'classic-index': 'public', 'outcome-file': join(outcomes, `${e.wave}-${e.shard.replace('/', '-')}.json`) })),
      );
      runs.forEach((run, i) => {
        assert.equal(run.status, 0, run.log);
        assert.ok(existsSync(run.outputs['outcome-file']!), run.log);
        // A shard job's log leads with its own charts, and counts the rest in one line.
        const own = [...wave.include[i]!.charts].sort();
        assert.deepEqual(plannedIn(run.log, all), { rows: own, details: own }, run.log);
        assert.match(run.log, new RegExp(`^Plan for .*: ${own.length} of ${own.length} charts to release$`, 'm'));
        assert.match(run.log, new RegExp(`^${all.length - own.length} more chart\\(s\\) in other shards and waves$`, 'm'));
      });
    }
    assert.equal(github.state.releases.length, 0, 'shard jobs leave the releases to the merge');
    assert.equal(existsSync(join(repo.dir, 'public', 'index.yaml')), false, 'and the classic index');
    assert.equal(github.state.comments.length, 0, 'and the comment');

    const merged = await job('merge', { 'merge-outcomes': outcomes, 'create-releases': 'true', 'classic-index': 'public' });
    assert.equal(merged.status, 0, merged.log);
    const charts = JSON.parse(merged.outputs['charts']!) as ChartOutput[];
    assert.deepEqual(charts.map((c) => `${c.name} ${c.status}`).sort(), ['app pushed', 'lib pushed', 'web pushed']);
    assert.equal(merged.outputs['pushed'], '3');
    assert.deepEqual(github.state.releases.map((r) => r.tag_name).sort(), ['app-1.0.0', 'lib-1.0.0', 'web-1.0.0']);
    const comments = github.state.comments.filter((c) => c.issueNumber === 7);
    assert.equal(comments.length, 1);
    for (const chart of charts) {
      const link = join(registry.storageDir, 'docker/registry/v2/repositories/charts', chart.name, '_manifests/tags/1.0.0/current/link');
      const served = readFileSync(link, 'utf8').trim();
      assert.equal(chart.registries[0]?.digest, served, chart.name);
      assert.ok(merged.summary.includes(served), `${chart.name}'s digest in the summary`);
      assert.ok(comments[0]!.body.includes(served), `${chart.name}'s digest in the comment`);
    }
    // The classic index, from the archives read back from the registry, served from the releases they were attached to.
    const index = parseRepositoryIndex(readFileSync(join(repo.dir, 'public', 'index.yaml'), 'utf8'), 'index.yaml');
    assert.deepEqual([...index.entries.keys()].sort(), ['app', 'lib', 'web']);
    for (const [name, [entry]] of index.entries) {
      assert.deepEqual(entry!.urls, [`${github.origin}/acme/charts/releases/download/${name}-1.0.0/${name}-1.0.0.tgz`]);
      const asset = github.state.releases.find((r) => r.tag_name === `${name}-1.0.0`)?.assets?.find((a) => a.name === `${name}-1.0.0.tgz`);
      assert.ok(asset, `${name}'s archive attached to its release`);
      const digest = createHash('sha256').update(asset.data).digest('hex');
      assert.equal(entry!.digest, digest);
      assert.ok(existsSync(join(registry.storageDir, 'docker/registry/v2/blobs/sha256', digest.slice(0, 2), digest, 'data')), `${name}: the archive is the chart layer the registry holds`);
    }
    assert.deepEqual(github.violations, []);
  });

  it('refuses more shards than GitHub runs jobs of one matrix, naming the input and the limit', async () => {
    const run = await job('too-many', { 'dry-run': 'true', shards: '300' });
    assert.equal(run.status, 1, run.log);
    assert.match(run.log, /^::error.*::shards: must be at most 256 \(GitHub's matrix job limit\)$/m);
    assert.doesNotMatch(run.log, /^Plan for /m, 'refused before planning');
  });
});

describe('commit-bump in a sharded workflow: the merge job commits the bumps once', () => {
  const work = mkdtempSync(join(tmpdir(), 'chartship-action-shards-bump-'));
  const origin = join(work, 'origin.git');
  let remote: (...args: string[]) => string;
  let registry: TestRegistry;
  let repo: TestRepo;
  let before1 = '';
  let sha = '';

  before(async () => {
    registry = await startRegistry({ auth: 'none' });
    repo = createRepo();
    before1 = repo.commit('feat: charts', { ...chartFiles('charts/lib', 'lib', '1.0.0'), ...chartFiles('charts/app', 'app', '1.0.0', 'dependencies:\n  - name: lib\n    version: ">=1.0.0"\n    repository: file://../lib\n') });
    sha = repo.commit('feat: tune both', { 'charts/lib/values.yaml': 'replicas: 2\n', 'charts/app/values.yaml': 'replicas: 2\n' });
    remote = repo.addOrigin(origin);
  });
  after(async () => {
    await registry?.stop();
    repo?.cleanup();
    rmSync(work, { recursive: true, force: true });
  });

  // Every job of the workflow sets commit-bump, as one shared `with:` block would.
  const job = (name: string, inputs: Record<string, string>) =>
    runAction({
      cwd: repo.dir,
      dir: join(work, name),
      event: { name: 'push', payload: { before: before1, after: sha, ref: 'refs/heads/main' } },
      env: { GITHUB_SHA: sha, GITHUB_REF: 'refs/heads/main', GITHUB_REPOSITORY: 'acme/charts' },
      inputs: { registry: `oci://${registry.host}/bumps`, 'plain-http': 'true', policy: 'off', 'commit-bump': 'true', ...inputs },
    });

  it('the shard jobs push nothing and leave their checkouts clean; the merge job pushes one commit with every bump', async () => {
    const plan = await job('plan', { 'dry-run': 'true', shards: '2' });
    assert.equal(plan.status, 0, plan.log);
    const waves = JSON.parse(plan.outputs['shards']!) as { include: { wave: number; shard: string }[] }[];
    const outcomes = join(work, 'outcomes');
    mkdirSync(outcomes);
    for (const wave of waves) {
      for (const e of wave.include) {
        const run = await job(`wave-${e.wave}-${e.shard.replace('/', '-')}`, { wave: String(e.wave), shard: e.shard, 'outcome-file': join(outcomes, `${e.wave}-${e.shard.replace('/', '-')}.json`) });
        assert.equal(run.status, 0, run.log);
        assert.equal(remote('rev-parse', 'main'), sha, 'a shard job pushes no commit');
        assert.equal(repo.git('status', '--porcelain'), '', 'nor leaves its bumps behind');
      }
    }
    const merged = await job('merge', { 'merge-outcomes': outcomes });
    assert.equal(merged.status, 0, merged.log);
    assert.match(merged.log, /committed the version bumps as [0-9a-f]{40}/);
    assert.equal(remote('rev-parse', 'main~1'), sha);
    assert.match(remote('log', '-1', '--format=%s', 'main'), /^chore\(release\): (?=.*\blib 1\.1\.0\b)(?=.*\bapp 1\.1\.0\b).*\[skip ci\]$/);
    for (const name of ['lib', 'app']) assert.match(remote('show', `main:charts/${name}/Chart.yaml`), /^version: 1\.1\.0$/m, name);
  });
});
