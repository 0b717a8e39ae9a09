/**
 * Pushes whose runs never ran, or failed: README's workflow queues the runs of a branch (`concurrency`, no
 * cancel-in-progress), and GitHub keeps one run pending there, cancelling the one pending before it when a third
 * push comes. The next run's push event starts at the push before it (`before`), so the commits of the cancelled run's
 * push are in no run's range; nor are those of a run that failed and was not rerun. Without commit-bump or release
 * tags the registry is the only record of releases, and such a `fix(web)` was never released. The run now starts its
 * range at the commit of the last successful run of its workflow on the branch, and the registries' content tells what
 * of that wider range is released already.
 *
 * The bundled action on the runner's node, a real git repository, a real docker-registry (token auth, to refuse one
 * chart's push) and the local GitHub API checked against GitHub's OpenAPI description.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { runAction, runnerNode } from '../helpers/action.js';
import { registryFixture } from '../helpers/fixture.js';
import { chartFiles, createRepo, type TestRepo } from '../helpers/git.js';
import type { FakeWorkflowRun } from '../helpers/github-api.js';

const TOKEN = 'ghs_skippedruns';
const NULL_SHA = '0'.repeat(40);
/** Charts whose repositories the registry lets no one push to, for the while a test says. */
const refused = new Set<string>();
const fx = registryFixture(
  'skipped-runs',
  { auth: 'token', token: { grant: (_user, repository, actions) => (refused.has(repository.split('/').pop()!) ? actions.filter((a) => a !== 'push') : actions) } },
  { githubToken: TOKEN },
);
const { scratch } = fx;
let node = '';
before(async () => {
  node = (await runnerNode()).path;
});

type Row = { name: string; version: string; status: string };
let runs = 0;

/** A repository of its own, and the runs of its workflow as GitHub records them. */
function workflow(repo: TestRepo, namespace: string, inputs: Record<string, string> = {}) {
  const record = (run: FakeWorkflowRun) => {
    const list = fx.github.state.workflowRuns;
    // A rerun is the same run, made when it was first.
    const at = list.findIndex((r) => r.id === run.id);
    list.splice(at < 0 ? list.length : at, at < 0 ? 0 : 1, run);
  };
  return {
    /** The action as the runner starts it for run `id` of a push of `from..to`; GitHub records how it ended. */
    async push(id: number, from: string, to: string) {
      // The runner checks out the commit the run is for (a rerun of an older run: its own).
      repo.git('checkout', '-q', to);
      const run = await runAction({
        cwd: repo.dir,
        dir: join(scratch, `run-${++runs}`),
        node,
        inputs: { registry: `oci://${fx.registry.host}/${namespace}`, 'plain-http': 'true', username: fx.registry.username!, password: fx.registry.password!, policy: 'off', 'github-token': TOKEN, ...inputs },
        event: { name: 'push', payload: { before: from, after: to, ref: 'refs/heads/main' } },
        env: { GITHUB_SHA: to, GITHUB_REF: 'refs/heads/main', GITHUB_REPOSITORY: 'acme/charts', GITHUB_API_URL: fx.github.url, GITHUB_RUN_ID: String(id) },
      }).finally(() => repo.git('checkout', '-q', 'main'));
      record({ id, headSha: to, status: 'completed', conclusion: run.status === 0 ? 'success' : 'failure' });
      const rows = (JSON.parse(run.outputs['charts'] ?? '[]') as Row[]).map((r) => `${r.name} ${r.version} ${r.status}`).sort();
      return { ...run, rows };
    },
    /** A push whose run GitHub cancelled while it was pending: it never ran. */
    cancelled(id: number, to: string) {
      record({ id, headSha: to, status: 'completed', conclusion: 'cancelled' });
    },
    versions: async (chart: string) => fx.versions(namespace, chart),
  };
}

const web = (replicas: number) => ({ 'charts/web/values.yaml': `replicas: ${replicas}\n` });
const api = (replicas: number) => ({ 'charts/api/values.yaml': `replicas: ${replicas}\n` });

describe('a push whose run never ran, or failed, is released by the next run', () => {
  it('publish mode, no commit-bump, no release tags: cancelled while pending, failed on a registry refusal, rerun', async () => {
    const repo = createRepo('chartship-skipped-runs-');
    try {
      const flow = workflow(repo, 'plain');
      const c0 = repo.commit('chore: two charts', { ...chartFiles('charts/web', 'web', '1.0.0'), ...chartFiles('charts/api', 'api', '1.0.0') });
      const first = await flow.push(101, NULL_SHA, c0);
      assert.equal(first.status, 0, first.log);
      assert.deepEqual(first.rows, ['api 1.0.0 pushed', 'web 1.0.0 pushed']);

      // Push 2 waits behind run 101 and is cancelled, pending, when push 3 comes.
      const c1 = repo.commit('fix(web): two replicas', web(2));
      flow.cancelled(102, c1);
      const c2 = repo.commit('fix(api): two replicas', api(2));
      const third = await flow.push(103, c1, c2);
      assert.equal(third.status, 0, third.log);
      assert.deepEqual(third.rows, ['api 1.0.1 pushed', 'web 1.0.1 pushed'], "push 2's fix(web) is released by the run after it");
      assert.match(third.log, new RegExp(`^the range starts at ${c0.slice(0, 12)}, the commit of run 101, the last that passed on main, not at the push's ${c1.slice(0, 12)}$`, 'm'));

      // Run 103 rerun once it passed: nothing new, no version skipped or bumped twice.
      const rerun = await flow.push(103, c1, c2);
      assert.equal(rerun.status, 0, rerun.log);
      assert.deepEqual(rerun.rows, ['api 1.0.1 unchanged', 'web 1.0.1 unchanged']);

      // Run 104 fails: the registry refuses api's push, after web's went out.
      repo.commit('fix(web): three replicas', web(3));
      const c4 = repo.commit('fix(api): three replicas', api(3));
      refused.add('api');
      const failed = await flow.push(104, c2, c4).finally(() => refused.delete('api'));
      assert.equal(failed.status, 1, failed.log);
      assert.deepEqual(failed.rows, ['api 1.0.2 failed', 'web 1.0.2 pushed']);
      // The next push changes neither chart: its run releases api's fix, and leaves web's (out already) as it is.
      const c5 = repo.commit('docs: a readme', { 'README.md': 'charts\n' });
      const next = await flow.push(105, c4, c5);
      assert.equal(next.status, 0, next.log);
      assert.deepEqual(next.rows, ['api 1.0.2 pushed', 'web 1.0.2 unchanged']);
      assert.deepEqual([await flow.versions('web'), await flow.versions('api')], [['1.0.0', '1.0.1', '1.0.2'], ['1.0.0', '1.0.1', '1.0.2']]);

      // A token that may not read the workflow's runs: the push's own range, and one warning saying what that risks.
      const c6 = repo.commit('fix(web): four replicas', web(4));
      flow.cancelled(106, c6);
      const c7 = repo.commit('fix(api): four replicas', api(4));
      fx.github.state.failures.set('actions/list-workflow-runs', { status: 403, message: 'Resource not accessible by integration' });
      const denied = await flow.push(107, c6, c7).finally(() => fx.github.state.failures.clear());
      assert.equal(denied.status, 0, denied.log);
      assert.deepEqual(denied.rows, ['api 1.0.3 pushed', 'web 1.0.0 skipped'], 'the fix of push 106 waits for the next change of web');
      // Besides the one every run of this configuration gives (bumps published, nothing records them).
      const warnings = denied.log.split('\n').filter((line) => line.startsWith('::warning') && !line.includes('without recording them'));
      assert.equal(warnings.length, 1, denied.log);
      assert.match(warnings[0]!, /^::warning::GitHub API: listing the runs of this workflow failed with HTTP 403: Resource not accessible by integration \(give the workflow `permissions: actions: read`\): the range starts at the push's before \w{12}: a push whose run was cancelled or failed is not released until its charts change again$/);

      assert.deepEqual(fx.github.violations, []);
      assert.deepEqual(fx.github.responseViolations, []);
    } finally {
      repo.cleanup();
    }
  });

  it('create-releases: the release tags of the cancelled push are made by the next run', async () => {
    const repo = createRepo('chartship-skipped-runs-tags-');
    try {
      const flow = workflow(repo, 'tagged', { 'create-releases': 'true', 'pr-comment': 'false' });
      /** GitHub makes each release's tag at its commit: the next checkout fetches them. */
      const tagReleases = () => {
        for (const release of fx.github.state.releases) if (!repo.git('tag', '--list', release.tag_name)) repo.tag(release.tag_name, release.target_commitish);
      };
      const c0 = repo.commit('chore: two charts', { ...chartFiles('charts/web', 'web', '1.0.0'), ...chartFiles('charts/api', 'api', '1.0.0') });
      const first = await flow.push(201, NULL_SHA, c0);
      assert.equal(first.status, 0, first.log);
      tagReleases();
      const c1 = repo.commit('feat(web): a port', web(2));
      flow.cancelled(202, c1);
      const c2 = repo.commit('fix(api): two replicas', api(2));
      const third = await flow.push(203, c1, c2);
      assert.equal(third.status, 0, third.log);
      assert.deepEqual(third.rows, ['api 1.0.1 pushed', 'web 1.1.0 pushed']);
      tagReleases();
      const rerun = await flow.push(203, c1, c2);
      assert.equal(rerun.status, 0, rerun.log);
      assert.deepEqual(rerun.rows, ['api 1.0.1 unchanged', 'web 1.1.0 unchanged']);
      const tags = fx.github.state.releases.map((r) => r.tag_name).filter((t) => t.startsWith('web-') || t.startsWith('api-')).sort();
      assert.deepEqual(tags, ['api-1.0.0', 'api-1.0.1', 'web-1.0.0', 'web-1.1.0']);
      assert.deepEqual(fx.github.violations, []);
    } finally {
      repo.cleanup();
    }
  });
});
