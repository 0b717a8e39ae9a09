/**
 * The action's GitHub side where GitHub refuses: a token that may not comment (a fork's pull request), and outputs
 * larger than a job may carry. Through the action as a runner starts it and the local GitHub API.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ChartResult } from '../../src/model/plan.js';
import { CHARTS_OUTPUT_LIMIT, chartsOutput, chartsOutputValue } from '../../src/pipeline/outputs.js';
import { runAction } from '../helpers/action.js';
import { chartFiles, createRepo, type TestRepo } from '../helpers/git.js';
import { start as startGitHubApi, type GitHubApi } from '../helpers/github-api.js';
import { DIGEST } from './fixtures.js';

const TOKEN = 'ghs_forktoken';
const scratch = mkdtempSync(join(tmpdir(), 'chartship-limits-'));

describe('the action where GitHub refuses', () => {
  let github: GitHubApi;
  let repo: TestRepo;
  let base = '';
  let head = '';
  before(async () => {
    github = await startGitHubApi({ token: TOKEN });
    repo = createRepo();
    base = repo.commit('chore: the charts', { ...chartFiles('charts/web', 'web', '1.0.0'), ...chartFiles('charts/api', 'api', '2.0.0') });
    head = repo.commit('feat: two replicas', { 'charts/web/values.yaml': 'replicas: 2\n', 'charts/api/values.yaml': 'replicas: 2\n' });
  });
  after(async () => {
    await github?.stop();
    repo?.cleanup();
    rmSync(scratch, { recursive: true, force: true });
  });

  const run = (name: string, event: { name: string; payload: object }) =>
    runAction({
      cwd: repo.dir,
      dir: join(scratch, name),
      event,
      env: { GITHUB_SHA: head, GITHUB_REF: 'refs/heads/main', GITHUB_REPOSITORY: 'acme/charts', GITHUB_SERVER_URL: 'https://github.example', GITHUB_API_URL: github.url, GITHUB_RUN_ID: '42', RUNNER_TEMP: join(scratch, name) },
      inputs: { registry: `oci-layout:${join(scratch, 'layout')}`, 'github-token': TOKEN, 'pr-comment': 'true', 'create-releases': 'true' },
    });

  it("a fork's pull request (a read-only token: 403 on the comment): the plan stands, a warning names pull-requests: write", { timeout: 120_000 }, async () => {
    github.state.failures.set('issues/create-comment', { status: 403, message: 'Resource not accessible by integration' });
    const payload = { number: 31, pull_request: { number: 31, base: { sha: base }, head: { sha: head } } };
    const result = await run('fork', { name: 'pull_request', payload });
    assert.equal(result.status, 0, result.log.slice(-3000));
    const warning = result.log.split('\n').find((line) => line.includes('PR comment:'));
    // An annotation the run's page shows, though the policy's warnings took the first 8 of the 10 GitHub shows; the
    // 10th counts the rest.
    assert.equal(
      warning,
      '::warning::PR comment: GitHub API: commenting on #31 failed with HTTP 403: Resource not accessible by integration (give the workflow `permissions: pull-requests: write`; pull requests from forks only get a read-only token)',
    );
    const warnings = result.log.split('\n').filter((line) => line.startsWith('::warning'));
    assert.deepEqual(warnings.slice(8), [warning, '::warning::3 more warnings in the log (GitHub shows 10 annotations of a kind per step)']);
    assert.match(result.summary, /## chartship release plan[\s\S]*2 charts will be released/);
    assert.equal(github.state.comments.length, 0);
    assert.equal(github.requests.filter((r) => r.operationId === 'issues/create-comment').length, 1, 'a 403 is not retried');
    assert.ok(!result.log.replace(/::add-mask::.*\n/g, '').includes(TOKEN), 'the token is told to the runner to mask, nowhere else');
    github.state.failures.clear();
  });

  it('a warning after the PR comment\'s (a bump nothing records) is counted in the 10 GitHub shows, and listed in the job summary', { timeout: 120_000 }, async () => {
    github.state.commitPulls.set(head, [{ number: 32, state: 'closed', merged: true }]);
    github.state.failures.set('issues/create-comment', { status: 403, message: 'Resource not accessible by integration' });
    const result = await runAction({
      cwd: repo.dir,
      dir: join(scratch, 'late'),
      event: { name: 'push', payload: { before: base, after: head, ref: 'refs/heads/main' } },
      env: { GITHUB_SHA: head, GITHUB_REF: 'refs/heads/main', GITHUB_REPOSITORY: 'acme/charts', GITHUB_SERVER_URL: 'https://github.example', GITHUB_API_URL: github.url, GITHUB_RUN_ID: '43', RUNNER_TEMP: join(scratch, 'late') },
      inputs: { registry: `oci-layout:${join(scratch, 'late-layout')}`, 'github-token': TOKEN, 'pr-comment': 'true' },
    });
    github.state.failures.clear();
    assert.equal(result.status, 0, result.log.slice(-3000));
    const warnings = result.log.split('\n').filter((line) => line.startsWith('::warning'));
    assert.equal(warnings.length, 10, warnings.join('\n'));
    // The one the page must show, and then the count of all the log has beyond the annotations, the late one too.
    assert.match(warnings[8]!, /^::warning::PR comment: GitHub API: commenting on #32 failed with HTTP 403: .*pull-requests: write/);
    assert.equal(warnings[9], '::warning::4 more warnings in the log (GitHub shows 10 annotations of a kind per step)');
    const late = 'published bumped versions (api 2.0.0 → 2.1.0, web 1.0.0 → 1.1.0) without recording them';
    assert.ok(result.log.split('\n').some((line) => line.startsWith(`warning: ${late}`)), 'in the log');
    assert.match(result.summary, /### Not annotated\n\nGitHub shows 10 annotations of a kind per step; these are in the log too:\n\n(- warning: .*\n){3}/);
    assert.ok(result.summary.includes(`- warning: ${late}: turn on commit-bump`), result.summary.slice(-2000));
  });

  it('every run writes the whole charts JSON to the file charts-file names, beside the charts output', { timeout: 120_000 }, async () => {
    github.state.commitPulls.set(head, []);
    const result = await run('push', { name: 'push', payload: { before: base, after: head, ref: 'refs/heads/main' } });
    assert.equal(result.status, 0, result.log.slice(-3000));
    const file = result.outputs['charts-file'] ?? '';
    assert.ok(file.startsWith(join(scratch, 'push', 'chartship-')), file);
    const whole = JSON.parse(readFileSync(file, 'utf8')) as { name: string; registries: { digest: string }[] }[];
    assert.deepEqual(whole, JSON.parse(result.outputs['charts'] ?? ''));
    assert.deepEqual(whole.map((c) => c.name).sort(), ['api', 'web']);
    assert.ok(whole.every((c) => /^sha256:[0-9a-f]{64}$/.test(c.registries[0]?.digest ?? '')));
    assert.deepEqual(github.violations, []);
  });
});

describe('the charts output past what GitHub keeps of a job (1 MB, counted as UTF-16)', () => {
  const results = (count: number): ChartResult[] =>
    Array.from({ length: count }, (_, i) => ({
      name: `service-${String(i).padStart(4, '0')}-with-a-longer-name`,
      version: '1.2.3',
      path: `charts/service-${i}`,
      status: 'pushed',
      signed: false,
      changelog: [],
      registries: ['ghcr.io/acme/charts', 'registry.internal.example.com:5000/platform/charts', 'acme.azurecr.io/helm'].map((r) => ({ registry: `oci://${r}`, ref: `${r}/service-${i}:1.2.3`, digest: DIGEST, status: 'pushed' as const })),
    }));

  it('whole up to 256 KiB; past it each chart\'s name, version and status; past that again, none', () => {
    const few = chartsOutputValue(results(200));
    assert.equal(few.whole, true);
    assert.equal(few.value, JSON.stringify(chartsOutput(results(200))));

    const many = results(1000);
    assert.ok(JSON.stringify(chartsOutput(many)).length > CHARTS_OUTPUT_LIMIT * 2, 'over the whole 1 MB a job may keep');
    const brief = chartsOutputValue(many);
    assert.equal(brief.whole, false);
    assert.ok(brief.value.length <= CHARTS_OUTPUT_LIMIT);
    assert.deepEqual(JSON.parse(brief.value), many.map((r) => ({ name: r.name, version: '1.2.3', status: 'pushed' })));

    const none = chartsOutputValue(results(5000));
    assert.deepEqual(none, { value: '[]', whole: false });
  });
});
