import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runAction } from '../helpers/action.js';
import { registryFixture } from '../helpers/fixture.js';
import { chartFiles } from '../helpers/git.js';

// What the reports say as GitHub shows them: the sticky comment, the releases and the summary, written by the action
// entry against the OpenAPI-checked GitHub API and a real registry.

/** `@name` or `@org/team` as GitHub links (and notifies) it: not after a word character, not inside a code span. */
function liveMentions(markdown: string): string[] {
  const outsideCode = markdown.replace(/(`+)[\s\S]*?\1/g, '').replace(/<code>[\s\S]*?<\/code>/g, '');
  return [...outsideCode.matchAll(/(?:^|[^\w])@([A-Za-z0-9][A-Za-z0-9-]*(?:\/[A-Za-z0-9][\w-]*)?)/g)].map((m) => `@${m[1]}`);
}

describe('what the reports say, as GitHub shows them', () => {
  let base = '';
  let head = '';
  const fx = registryFixture('report-text', { auth: 'none' }, {
    githubToken: 'ghs_reporttoken',
    setup: ({ repo }) => {
      base = repo.commit('chore: add web', chartFiles('charts/web', 'web', '1.0.0'));
      repo.commit('fix(web): bump @types/node, as @acme/platform asked', { 'charts/web/values.yaml': 'replicas: 2\n' });
      head = repo.commit('feat: add edge', chartFiles('charts/edge', 'edge', '2.0.0+build-5'));
      fx.github.state.commitPulls.set(head, [{ number: 7, state: 'open' }]);
    },
  });
  const { repo, scratch } = fx;

  function run(name: string, event: { name: string; payload: object }, inputs: Record<string, string> = {}) {
    return runAction({
      cwd: repo.dir,
      dir: join(scratch, name),
      event,
      env: { GITHUB_SHA: head, GITHUB_REF: 'refs/heads/main', GITHUB_REPOSITORY: 'acme/charts', GITHUB_API_URL: fx.github.url, GITHUB_RUN_ID: '7' },
      inputs: { registry: `oci://${fx.registry.host}/charts`, 'plain-http': 'true', 'create-releases': 'true', 'github-token': 'ghs_reporttoken', charts: 'charts/*', ...inputs },
    });
  }

  it('a commit subject naming @types/node or @acme/platform pings nobody: not in the plan comment, the release notes or the summary', async () => {
    const pr = await run('pr', { name: 'pull_request', payload: { number: 7, pull_request: { number: 7, base: { sha: base }, head: { sha: head } } } });
    assert.equal(pr.status, 0, pr.log);
    const plan = fx.github.state.comments.find((c) => c.issueNumber === 7)?.body ?? '';
    assert.match(plan, /bump .*types\/node, as .*acme\/platform asked/, plan);
    assert.deepEqual(liveMentions(plan), [], plan);

    const push = await run('push', { name: 'push', payload: { before: base, after: head } });
    assert.equal(push.status, 0, push.log);
    const web = fx.github.state.releases.find((r) => r.tag_name === 'web-1.0.1');
    assert.match(web?.body ?? '', /bump .*types\/node, as .*acme\/platform asked/, web?.body ?? '');
    assert.deepEqual(liveMentions(web?.body ?? ''), [], web?.body ?? '');
    assert.deepEqual(liveMentions(push.summary), [], push.summary);
    assert.deepEqual(liveMentions(fx.github.state.comments.find((c) => c.issueNumber === 7)?.body ?? ''), []);
    assert.deepEqual(fx.github.violations, []);
  });

  it('a version with build metadata that holds a dash (2.0.0+build-5) is a release, not a prerelease', () => {
    const edge = fx.github.state.releases.find((r) => r.tag_name === 'edge-2.0.0+build-5');
    assert.ok(edge, JSON.stringify(fx.github.state.releases.map((r) => r.tag_name)));
    assert.equal(edge.prerelease, false);
  });

  it('two chartship steps on one pull request (two registries) keep a comment each when their comment-ids differ, each updated in place', async () => {
    const pr = { name: 'pull_request', payload: { number: 11, pull_request: { number: 11, base: { sha: base }, head: { sha: head } } } };
    const mirror = { registry: `oci://${fx.registry.host}/mirror`, 'comment-id': 'mirror' };
    for (const [name, inputs] of [['ghcr', {}], ['mirror', mirror], ['ghcr-again', {}], ['mirror-again', mirror]] as const) {
      const step = await run(name, pr, inputs);
      assert.equal(step.status, 0, step.log);
    }
    const comments = fx.github.state.comments.filter((c) => c.issueNumber === 11);
    assert.deepEqual(comments.map((c) => c.body.split('\n')[0]), ['<!-- chartship:sticky -->', '<!-- chartship:mirror -->']);

    const bad = await run('bad-id', pr, { 'comment-id': 'a -- b' });
    assert.equal(bad.status, 1);
    assert.match(bad.log, /^::error::comment-id: "a -- b" may only use letters, digits/m);
    assert.deepEqual(fx.github.violations, []);
  });
});
