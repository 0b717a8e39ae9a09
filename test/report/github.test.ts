import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import type { Clock } from '../../src/model/clock.js';
import { ChartshipError } from '../../src/model/errors.js';
import { stickyMarker } from '../../src/report/context.js';
import type { GitHubClient } from '../../src/pipeline/github.js';
import { createGitHubClient } from '../../src/report/github.js';
import type { ChartResult } from '../../src/model/plan.js';
import { silentLog } from '../../src/pipeline/log.js';
import { createReleases } from '../../src/pipeline/publish.js';
import { renderPlanComment, renderPublishComment, renderReleaseBody } from '../../src/report/index.js';
import { ctx, DIGEST, entry, plan as samplePlan, results as sampleResults } from './fixtures.js';
import { start, type GitHubApi } from '../helpers/github-api.js';

const TOKEN = 'ghs_not-a-real-token-0123456789';
const SHA = '1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d';

function clientFor(api: GitHubApi, over: Partial<Parameters<typeof createGitHubClient>[0]> = {}): GitHubClient {
  return createGitHubClient({ token: TOKEN, apiUrl: api.url, owner: 'acme', repo: 'charts', ...over });
}

/** The failure a promise ends with, as a ChartshipError. */
async function failure(promise: Promise<unknown>): Promise<ChartshipError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof ChartshipError, `expected a ChartshipError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected a failure');
}

describe('GitHub client against the local GitHub API (api.github.com description)', () => {
  let api: GitHubApi;
  let github: GitHubClient;
  before(async () => {
    api = await start({ token: TOKEN });
    github = clientFor(api);
  });
  after(async () => {
    await api.stop();
  });

  test('sticky comment: created once, then updated in place, found past the first 100 comments', async () => {
    for (let i = 0; i < 130; i++) api.state.addComment(7, `comment ${i}${i === 3 ? ' mentions <!-- chartship:sticky --> mid-text' : ''}`);
    const marker = stickyMarker();

    const first = await github.upsertStickyComment(7, marker, `${marker}\nplan v1`);
    assert.equal(first.created, true);
    assert.match(first.url, new RegExp(`/acme/charts/pull/7#issuecomment-${first.id}$`));

    const second = await github.upsertStickyComment(7, marker, `${marker}\nplan v2`);
    assert.deepEqual(second, { ...first, created: false });
    const ours = api.state.comments.filter((c) => c.body.startsWith(marker));
    assert.equal(ours.length, 1, 'not duplicated');
    assert.equal(ours[0]!.body, `${marker}\nplan v2`);
    assert.equal(api.state.comments.find((c) => c.body.includes('comment 3 '))!.body.includes('chartship'), true, 'a quoted marker is left alone');

    const listing = api.requests.filter((r) => r.operationId === 'issues/list-comments');
    assert.ok(listing.every((r) => r.query.per_page === '100'));
    assert.ok(listing.some((r) => r.query.page === '2'), 'the second page was read');
    assert.equal(api.requests.filter((r) => r.operationId === 'issues/update-comment').length, 1);
    assert.ok(api.requests.every((r) => r.authenticated));
  });

  test('sticky comment: ours is found on page 3 of 250 comments; a marker comment by someone else is never edited', async () => {
    const marker = stickyMarker('page-three');
    const impostor = api.state.addComment(11, `${marker}\nposted by a person, with our marker`, 'octocat');
    for (let i = 0; i < 220; i++) api.state.addComment(11, `comment ${i}`);
    const ours = api.state.addComment(11, `${marker}\nplan v1`, 'github-actions[bot]');
    for (let i = 0; i < 30; i++) api.state.addComment(11, `later ${i}`);
    const before = api.requests.length;

    const updated = await github.upsertStickyComment(11, marker, `${marker}\nplan v2`);
    assert.deepEqual({ id: updated.id, created: updated.created }, { id: ours.id, created: false });
    assert.equal(ours.body, `${marker}\nplan v2`);
    assert.equal(impostor.body, `${marker}\nposted by a person, with our marker`, 'not ours: left alone');
    const pages = api.requests.slice(before).filter((r) => r.operationId === 'issues/list-comments').map((r) => r.query.page ?? '1');
    assert.deepEqual(pages, ['1', '2', '3']);
    assert.equal(api.requests.filter((r) => r.operationId === 'graphql').length, 1, 'who the client is, is asked once');

    // With only the person's marker comment there, ours is made beside it.
    const alone = api.state.addComment(12, `${marker}\nhand-written`, 'octocat');
    const made = await github.upsertStickyComment(12, marker, `${marker}\nplan`);
    assert.equal(made.created, true);
    assert.notEqual(made.id, alone.id);
    assert.equal(alone.body, `${marker}\nhand-written`);
    assert.equal(api.state.comments.find((c) => c.id === made.id)!.login, 'github-actions[bot]');
  });

  test("sticky comment with a personal token: the person's own marker comment is theirs, another bot's is not", async () => {
    const pat = await start({ token: TOKEN, viewer: 'octocat' });
    try {
      const marker = stickyMarker();
      const bot = pat.state.addComment(3, `${marker}\nby a bot`, 'github-actions[bot]');
      const own = pat.state.addComment(3, `${marker}\nby octocat`, 'octocat');
      const posted = await clientFor(pat).upsertStickyComment(3, marker, 'new');
      assert.equal(posted.id, own.id);
      assert.equal(own.body, `${marker}\nnew`);
      assert.equal(bot.body, `${marker}\nby a bot`);
      assert.deepEqual(pat.violations, []);
    } finally {
      await pat.stop();
    }
  });

  test("sticky comment when GraphQL will not say who the token is: a bot's marker comment is taken, a person's never", async () => {
    const refused = await start({ token: TOKEN, viewer: null });
    try {
      const marker = stickyMarker();
      const person = refused.state.addComment(4, `${marker}\nby a person`, 'octocat');
      const bot = refused.state.addComment(4, `${marker}\nby the bot`, 'github-actions[bot]');
      const posted = await clientFor(refused).upsertStickyComment(4, marker, 'new');
      assert.equal(posted.id, bot.id);
      assert.equal(person.body, `${marker}\nby a person`);
      assert.deepEqual(refused.violations, []);
    } finally {
      await refused.stop();
    }
  });

  const longName = (i: number) => `service-${String(i).padStart(3, '0')}-with-a-longer-name`;

  test('300 charts in 3 registries, 5 failed: GitHub takes the comment, every chart and every failure in it, and it says what it left out', async () => {
    const registries = ['ghcr.io/acme/charts', 'registry.internal.example.com:5000/platform/charts', 'acme.azurecr.io/helm'];
    const many: ChartResult[] = Array.from({ length: 300 }, (_, i) => ({
      name: longName(i),
      version: '1.2.3',
      path: `charts/${longName(i)}`,
      status: i % 60 === 7 ? 'failed' : 'pushed',
      signed: false,
      registries: registries.map((r) => (i % 60 === 7 ? { registry: `oci://${r}`, ref: '', digest: '', status: 'failed' as const, error: `DENIED on ${r}` } : { registry: `oci://${r}`, ref: `${r}/${longName(i)}:1.2.3`, digest: DIGEST, status: 'pushed' as const })),
      changelog: [],
    }));
    const marker = stickyMarker();
    await github.upsertStickyComment(21, marker, renderPublishComment(many, ctx));
    const [comment] = api.state.comments.filter((c) => c.issueNumber === 21);
    assert.ok(comment, 'GitHub took it');
    assert.ok([...comment.body].length <= 65_536);
    assert.equal(many.filter((r) => comment.body.includes(`| \`${r.name}\` | 1.2.3 |`)).length, 300, 'one row per chart');
    assert.equal((comment.body.match(/^- \*\*service-\d+-with-a-longer-name\*\* 1\.2\.3 → oci:\/\/.*: DENIED on /gm) ?? []).length, 15, 'every failure');
    assert.match(comment.body, /^> GitHub takes 65,536 characters in a comment: the registry references, digests and pull commands are left out here; the job summary of the \[workflow run\]\(https:\/\/github\.example\.com\/acme\/charts\/actions\/runs\/42\) has them\.$/m);
  });

  test('a plan of 300 charts with long changelogs and an invalid chart: GitHub takes the comment, with every chart and the invalid one', async () => {
    const big = samplePlan();
    const api1 = big.charts.find((c) => c.name === 'api')!;
    big.charts = Array.from({ length: 300 }, (_, i) => ({
      ...api1,
      name: longName(i),
      changelog: Array.from({ length: 30 }, (_, j) => entry({ type: 'fix', subject: `fix ${j} of ${longName(i)}: ${'long words '.repeat(8)}` })),
    }));
    await github.upsertStickyComment(22, stickyMarker(), renderPlanComment(big, ctx));
    const [comment] = api.state.comments.filter((c) => c.issueNumber === 22);
    assert.ok(comment, 'GitHub took it');
    assert.equal(big.charts.filter((c) => comment.body.includes(`| \`${c.name}\` | 1.2.3 → **2.0.0** | major |`)).length, 300);
    assert.match(comment.body, /### Charts that cannot be published\n\nFix these files; the other charts are released without them\.\n\n- `charts\/broken\/Chart\.yaml:3`: version: is required/);
    assert.match(comment.body, /why each chart is released, its dependents and its changelog are left out here; the job summary of the \[workflow run\]/);
  });

  test('a second sticky run with an identical body writes nothing', async () => {
    const marker = stickyMarker('other-workflow');
    const first = await github.upsertStickyComment(8, marker, 'no marker in the body');
    const writes = () => api.requests.filter((r) => r.method !== 'GET').length;
    const before = writes();
    const again = await github.upsertStickyComment(8, marker, 'no marker in the body');
    assert.equal(again.id, first.id);
    assert.equal(writes(), before);
    assert.equal(api.state.comments.find((c) => c.id === first.id)!.body, `${marker}\nno marker in the body`, 'the marker is added when missing');
  });

  test('release created once; the second upsert is a no-op without a 422', async () => {
    const release = { tag: 'api-2.0.0+build.1', name: 'api 2.0.0+build.1', body: 'notes', sha: SHA };
    const first = await github.upsertRelease(release);
    assert.equal(first.created, true);
    const stored = api.state.releases.find((r) => r.tag_name === release.tag)!;
    assert.equal(stored.make_latest, 'false');
    assert.equal(stored.target_commitish, SHA);
    assert.equal(stored.prerelease, false);

    const second = await github.upsertRelease(release);
    assert.deepEqual(second, { ...first, created: false });
    assert.equal(api.state.releases.length, 1);
    assert.ok(!api.requests.some((r) => r.status === 422), 'never ran into already_exists');

    const updated = await github.upsertRelease({ ...release, body: 'better notes' });
    assert.equal(updated.created, false);
    assert.equal(api.state.releases[0]!.body, 'better notes');

    await github.upsertRelease({ tag: 'web-1.0.0', name: 'web 1.0.0', body: '', sha: SHA, makeLatest: true });
    assert.equal(api.state.releases.find((r) => r.tag_name === 'web-1.0.0')!.make_latest, 'true');
    await github.upsertRelease({ tag: 'web-1.1.0-rc.1', name: 'web 1.1.0-rc.1', body: '', sha: SHA, makeLatest: true, prerelease: true });
    const rc = api.state.releases.find((r) => r.tag_name === 'web-1.1.0-rc.1')!;
    assert.deepEqual([rc.prerelease, rc.make_latest], [true, 'false']);
  });

  test('a body GitHub gives back with CRLF line ends (saved once in its web editor) is not edited again for them', async () => {
    const marker = stickyMarker('crlf');
    const body = `${marker}\n## chartship release plan\n\n| Chart | Version |\n| --- | --- |\n| \`web\` | 1.1.0 |\n`;
    const ours = api.state.addComment(9, body.replace(/\n/g, '\r\n'), 'github-actions[bot]');
    const writes = () => api.requests.filter((r) => r.method !== 'GET' && r.operationId !== 'graphql').map((r) => r.operationId);
    const before = writes().length;
    const again = await github.upsertStickyComment(9, marker, body);
    assert.equal(again.id, ours.id);
    assert.deepEqual(writes().slice(before), [], 'the same text: nothing to write');
    // A change beyond the line ends is still written.
    await github.upsertStickyComment(9, marker, body.replace('1.1.0', '1.2.0'));
    assert.deepEqual(writes().slice(before), ['issues/update-comment']);
    assert.equal(ours.body, body.replace('1.1.0', '1.2.0'));

    const release = { tag: 'crlf-1.0.0', name: 'crlf 1.0.0', body: '## crlf 1.0.0\n\n- fix: x\n', sha: SHA };
    await github.upsertRelease(release);
    api.state.releases.find((r) => r.tag_name === release.tag)!.body = release.body.replace(/\n/g, '\r\n');
    const released = writes().length;
    await github.upsertRelease(release);
    assert.deepEqual(writes().slice(released), [], 'the same notes: nothing to write');
  });

  test('a chart with enormous notes is released: the notes give way inside 125,000 characters, the install section and digests stay', async () => {
    const [api1] = sampleResults();
    const section = (i: number) => [`### ${i}.0.0`, '', '<details><summary>values</summary>', '', '```yaml', ...Array.from({ length: 40 }, (_, j) => `key${j}: ${'v'.repeat(60)}`), '```', '', '</details>', ''];
    for (const notes of [Array.from({ length: 60 }, (_, i) => section(i)).flat().join('\n'), `${'x'.repeat(200_000)}\n- and a last line`]) {
      const tag = `huge-${api.state.releases.length}`;
      const body = renderReleaseBody({ ...api1!, notes }, ctx);
      const made = await github.upsertRelease({ tag, name: tag, body, sha: SHA });
      assert.equal(made.created, true, 'GitHub took it');
      const stored = api.state.releases.find((r) => r.tag_name === tag)!.body!;
      assert.ok([...stored].length <= 125_000);
      assert.match(stored, /These notes were cut to fit GitHub's release size limit of 125,000 characters; `charts\/api\/CHANGELOG\.md` has all of them\.\n\n### Install\n/);
      assert.ok(stored.includes(`| \`${DIGEST}\` |`), 'the digests stay');
      assert.match(stored, /### Verify[\s\S]*<sub>Released by chartship in \[this workflow run\]/);
      const notesPart = stored.slice(0, stored.indexOf('> [!NOTE]'));
      assert.equal((notesPart.match(/^```/gm) ?? []).length % 2, 0, 'every fence closed before the note');
      assert.equal((notesPart.match(/<details>/g) ?? []).length, (notesPart.match(/<\/details>/g) ?? []).length);
    }
  });

  test('a release created concurrently by another job is reported as existing', async () => {
    // The lookup misses once (as if the other job created it just after), so create runs into already_exists.
    api.state.releases.push({ id: 1, tag_name: 'db-1.0.0', name: 'db', body: 'x', target_commitish: SHA, draft: false, prerelease: false, created_at: '2025-01-01T00:00:00Z' });
    api.state.failures.set('repos/get-release-by-tag', { status: 404, message: 'Not Found', times: 1 });
    const result = await github.upsertRelease({ tag: 'db-1.0.0', name: 'db', body: 'x', sha: SHA });
    assert.deepEqual(result.created, false);
    assert.equal(result.id, 1);
  });

  test('pull request for a commit: open ones first; unknown commit → undefined', async () => {
    api.state.commitPulls.set(SHA, [
      { number: 3, state: 'closed', merged: true },
      { number: 9, state: 'open' },
    ]);
    api.state.commitPulls.set('b'.repeat(40), [{ number: 4, state: 'closed', merged: true }]);
    assert.equal(await github.pullRequestForCommit(SHA), 9);
    assert.equal(await github.pullRequestForCommit('b'.repeat(40)), 4);
    assert.equal(await github.pullRequestForCommit('c'.repeat(40)), undefined);
  });

  test('403 becomes a ChartshipError naming the permission, without the token', async () => {
    api.state.failures.set('repos/create-release', { status: 403, message: 'Resource not accessible by integration', times: 1 });
    const release = await failure(github.upsertRelease({ tag: 'denied-1.0.0', name: 'x', body: 'x', sha: SHA }));
    assert.equal(release.code, 'GITHUB_403');
    assert.match(release.describe(), /creating release denied-1\.0\.0 failed with HTTP 403: Resource not accessible by integration/);
    assert.match(release.hint ?? '', /permissions: contents: write/);

    api.state.failures.set('issues/create-comment', { status: 403, message: 'Resource not accessible by integration', times: 1 });
    const comment = await failure(github.upsertStickyComment(99, stickyMarker(), 'x'));
    assert.match(comment.hint ?? '', /pull-requests: write/);

    api.state.failures.set('issues/list-comments', {
      status: 403,
      message: 'API rate limit exceeded',
      // Years away: not waited for (one that resets in seconds is, see the retries below).
      headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1900000000' },
      times: 1,
    });
    // A client of its own: after a limit that holds for years, a client sends nothing more (see the retries below).
    const limited = await failure(clientFor(api).upsertStickyComment(99, stickyMarker(), 'x'));
    assert.match(limited.hint ?? '', /rate limit is used up until 2030-03-17T17:46:40\.000Z/);

    for (const error of [release, comment, limited]) assert.ok(!JSON.stringify({ ...error, text: error.describe(), stack: error.stack }).includes(TOKEN));
  });

  test('bad credentials and unknown repositories get their own hints', async () => {
    const wrongToken = await failure(clientFor(api, { token: 'ghs_wrong' }).upsertRelease({ tag: 't', name: 't', body: '', sha: SHA }));
    assert.equal(wrongToken.code, 'GITHUB_401');
    assert.match(wrongToken.hint ?? '', /token/);
    const wrongRepo = await failure(clientFor(api, { repo: 'nope' }).upsertStickyComment(1, stickyMarker(), 'x'));
    assert.equal(wrongRepo.code, 'GITHUB_404');
    assert.match(wrongRepo.hint ?? '', /acme\/nope exists/);
  });

  test('release asset: uploaded once to the upload_url, kept when the same bytes are there, refused over other bytes', async () => {
    await github.upsertRelease({ tag: 'web-2.0.0', name: 'web 2.0.0', body: '', sha: SHA });
    const data = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0xff, 0xfe, 0x00, 0x80]);
    const first = await github.uploadReleaseAsset({ tag: 'web-2.0.0', name: 'web-2.0.0.tgz', data, contentType: 'application/gzip' });
    assert.equal(first.uploaded, true);
    assert.equal(first.url, `${api.origin}/acme/charts/releases/download/web-2.0.0/web-2.0.0.tgz`);
    const stored = api.state.releases.find((r) => r.tag_name === 'web-2.0.0')!.assets![0]!;
    assert.deepEqual([stored.name, stored.content_type, stored.data], ['web-2.0.0.tgz', 'application/gzip', data], 'the bytes arrive unchanged');
    const upload = api.requests.find((r) => r.operationId === 'repos/upload-release-asset')!;
    assert.equal(upload.path, '/repos/acme/charts/releases/' + String(api.state.releases.find((r) => r.tag_name === 'web-2.0.0')!.id) + '/assets');
    assert.equal(upload.query['name'], 'web-2.0.0.tgz');

    const again = await github.uploadReleaseAsset({ tag: 'web-2.0.0', name: 'web-2.0.0.tgz', data, contentType: 'application/gzip' });
    assert.deepEqual(again, { url: first.url, uploaded: false });
    assert.equal(api.requests.filter((r) => r.operationId === 'repos/upload-release-asset').length, 1, 'no second upload');

    const other = await failure(github.uploadReleaseAsset({ tag: 'web-2.0.0', name: 'web-2.0.0.tgz', data: Buffer.from('other'), contentType: 'application/gzip' }));
    assert.equal(other.code, 'RELEASE_ASSET_EXISTS');
    const missing = await failure(github.uploadReleaseAsset({ tag: 'web-9.9.9', name: 'x.tgz', data, contentType: 'application/gzip' }));
    assert.equal(missing.code, 'RELEASE_MISSING');
  });

  test('release pull requests: listed by head branch (never a fork\'s), opened, updated, closed; branch protection', async () => {
    api.state.pulls.push({ number: 40, state: 'open', head: 'chartship/release', fork: true }, { number: 41, state: 'open', head: 'feature-x' });
    assert.deepEqual(await github.openPullRequests('chartship/release'), [], 'a fork\'s branch of that name is not ours');
    const opened = await github.createPullRequest({ head: 'chartship/release', base: 'main', title: 'chore(release): web 1.1.0', body: 'plan' });
    assert.equal(opened.head, 'chartship/release');
    assert.equal(opened.base, 'main');
    assert.equal(opened.state, 'open');
    assert.match(opened.url, new RegExp(`/acme/charts/pull/${opened.number}$`));
    assert.deepEqual((await github.openPullRequests('chartship/release')).map((p) => p.number), [opened.number]);

    const perChart = await github.createPullRequest({ head: 'chartship/release/web', base: 'main', title: 't', body: 'b' });
    assert.deepEqual((await github.openPullRequests('chartship/release', { prefix: true })).map((p) => p.number), [perChart.number]);
    // Only the exact head: the per-chart branch is not the single release branch.
    assert.deepEqual((await github.openPullRequests('chartship/release')).map((p) => p.number), [opened.number]);

    await github.updatePullRequest(opened.number, { title: 'chore(release): web 1.2.0', body: 'plan 2' });
    assert.deepEqual(api.state.pulls.find((p) => p.number === opened.number), { number: opened.number, state: 'open', title: 'chore(release): web 1.2.0', head: 'chartship/release', base: 'main', body: 'plan 2' });
    await github.updatePullRequest(perChart.number, { state: 'closed' });
    assert.deepEqual(await github.openPullRequests('chartship/release', { prefix: true }), []);

    api.state.merge(opened.number, SHA.replace('1a', '9f'));
    const ofCommit = await github.pullRequestsOfCommit(SHA.replace('1a', '9f'));
    assert.deepEqual(ofCommit.map((p) => [p.number, p.merged, p.head]), [[opened.number, true, 'chartship/release']]);

    api.state.protectedBranches.add('main');
    assert.equal(await github.branchProtection('main'), 'protected');
    assert.equal(await github.branchProtection('develop'), 'unprotected');
    api.state.failures.set('repos/get-branch', { status: 403, message: 'Resource not accessible by integration', times: 1 });
    assert.equal(await github.branchProtection('main'), 'unknown');
    api.state.failures.set('pulls/create', { status: 403, message: 'GitHub Actions is not permitted to create or approve pull requests.', times: 1 });
    const refused = await failure(github.createPullRequest({ head: 'chartship/release', base: 'main', title: 't', body: 'b' }));
    assert.match(refused.describe(), /opening a pull request from chartship\/release into main failed with HTTP 403/);
    assert.match(refused.describe(), /Workflow permissions/);
  });

  test('every request matched the description, and so did every answer', () => {
    assert.deepEqual(api.violations, []);
    assert.deepEqual(api.responseViolations, []);
    assert.ok(api.requests.length > 10);
  });
});

/** Time that passes only when the client waits: retries cost the test nothing, and each wait is recorded. */
function fakeClock(): Clock & { sleeps: number[] } {
  let now = Date.parse('2026-01-01T00:00:00Z');
  const sleeps: number[] = [];
  return { sleeps, now: () => now, sleep: (ms) => { sleeps.push(ms); now += ms; return Promise.resolve(); } };
}

describe('GitHub client retries: transient failures survived, creates never doubled, 4xx final', () => {
  let api: GitHubApi;
  let clock: ReturnType<typeof fakeClock>;
  let lines: string[];
  let github: GitHubClient;
  before(async () => {
    api = await start({ token: TOKEN });
  });
  beforeEach(() => {
    api.state.failures.clear();
    api.requests.length = 0;
    clock = fakeClock();
    lines = [];
    github = clientFor(api, { clock, onRetry: (line) => lines.push(line) });
  });
  after(async () => {
    await api.stop();
  });
  const calls = (operationId: string) => api.requests.filter((r) => r.operationId === operationId).length;

  test('Retry-After of a secondary rate limit is waited for, within the cap; one beyond the cap ends at once with the message of today', async () => {
    api.state.failures.set('repos/get-release-by-tag', { status: 403, message: 'You have exceeded a secondary rate limit', headers: { 'retry-after': '30' }, times: 1 });
    const made = await github.upsertRelease({ tag: 'limited-1.0.0', name: 'limited 1.0.0', body: 'b', sha: SHA });
    assert.equal(made.created, true);
    assert.deepEqual(clock.sleeps, [30_000]);
    assert.deepEqual(lines, ['GitHub API: reading release limited-1.0.0: HTTP 403; waiting 30 s, as GitHub asks (Retry-After), before attempt 2 of 4']);

    api.state.failures.set('issues/list-comments', { status: 429, message: 'Too Many Requests', headers: { 'retry-after': '3600' } });
    const error = await failure(github.upsertStickyComment(5, '<!-- m -->', 'body'));
    assert.equal(error.message, 'GitHub API: listing comments of #5 failed with HTTP 429: Too Many Requests');
    assert.equal(calls('issues/list-comments'), 1);
    assert.deepEqual(clock.sleeps, [30_000], 'an hour is not waited for');
  });

  /** `count` published charts, released as the action does (createReleases: one after another). */
  async function release(count: number): Promise<ChartResult[]> {
    const results: ChartResult[] = Array.from({ length: count }, (_, i) => ({
      name: `svc-${i}`,
      version: '1.0.0',
      path: `charts/svc-${i}`,
      status: 'pushed',
      signed: false,
      registries: [{ registry: 'oci://r/c', ref: `r/c/svc-${i}:1.0.0`, digest: `sha256:${'a'.repeat(64)}`, status: 'pushed' }],
      changelog: [],
    }));
    await createReleases(results, { client: github, tagTemplate: '{name}-{version}', makeLatest: false, sha: SHA, render: (r) => `notes of ${r.name}` }, silentLog);
    return results;
  }
  const SECONDARY = 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.';

  test('300 releases past a secondary rate limit without Retry-After: one wait of a minute, as GitHub documents, and none lost', async () => {
    api.state.releases.length = 0;
    api.state.failures.set('repos/create-release', { status: 403, message: SECONDARY, after: 80, times: 1 });
    const results = await release(300);
    assert.deepEqual(results.filter((r) => r.error).map((r) => r.error), []);
    assert.equal(api.state.releases.length, 300);
    assert.deepEqual(clock.sleeps, [60_000]);
    assert.equal(calls('repos/create-release'), 301);
    assert.deepEqual(lines, ['GitHub API: creating release svc-80-1.0.0: HTTP 403; waiting 60 s, as GitHub asks (secondary rate limit), before attempt 2 of 4']);
  });

  test('a rate limit longer than a retry waits: the releases after it are not sent (no retry storm), each says why', async () => {
    api.state.releases.length = 0;
    api.state.failures.set('repos/create-release', { status: 403, message: SECONDARY, headers: { 'retry-after': '900' }, after: 80 });
    const results = await release(300);
    assert.equal(api.state.releases.length, 80);
    assert.equal(calls('repos/create-release'), 81, 'the one refused, then none');
    assert.equal(calls('repos/get-release-by-tag'), 81);
    assert.deepEqual(clock.sleeps, []);
    assert.match(results[80]!.error ?? '', /^release svc-80-1\.0\.0 not created: GitHub API: creating release svc-80-1\.0\.0 failed with HTTP 403: You have exceeded a secondary rate limit/);
    assert.match(results[80]!.error ?? '', /secondary rate limit \(too many requests in a short time\) held past the retries: rerun the job in a few minutes/);
    assert.equal(results.slice(81).filter((r) => /not sent: GitHub's rate limit holds until 2026-01-01T00:15:00\.000Z \(rerun the job once the rate limit is over\)$/.test(r.error ?? '')).length, 219);
  });

  test('a primary rate limit that resets in seconds is waited for until the reset; one that resets in an hour is not', async () => {
    const reset = (seconds: number) => String(clock.now() / 1000 + seconds);
    api.state.failures.set('repos/list-pull-requests-associated-with-commit', { status: 403, message: 'API rate limit exceeded', headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset(5) }, times: 1 });
    api.state.commitPulls.set(SHA, [{ number: 8, state: 'open' }]);
    assert.equal(await github.pullRequestForCommit(SHA), 8);
    assert.deepEqual(clock.sleeps, [5000]);
    assert.match(lines[0] ?? '', /^GitHub API: finding the pull request of 1a2b3c4d5e6f: HTTP 403; waiting 5 s, as GitHub asks \(x-ratelimit-reset\), before attempt 2 of 4$/);

    api.state.failures.set('repos/list-pull-requests-associated-with-commit', { status: 403, message: 'API rate limit exceeded', headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset(3600) } });
    const error = await failure(github.pullRequestForCommit(SHA));
    assert.match(error.describe(), /failed with HTTP 403: API rate limit exceeded \(GitHub's API rate limit is used up until 2026-01-01T01:00:05\.000Z\)/);
    assert.deepEqual(clock.sleeps, [5000]);
  });

  test('reads and updates are retried on 5xx with capped backoff, a bounded number of times', async () => {
    api.state.addComment(6, '<!-- m -->\nold', 'github-actions[bot]');
    api.state.failures.set('issues/update-comment', { status: 503, message: 'Service Unavailable', times: 1 });
    const updated = await github.upsertStickyComment(6, '<!-- m -->', 'new');
    assert.equal(updated.created, false);
    assert.equal(api.state.comments.find((c) => c.issueNumber === 6)!.body, '<!-- m -->\nnew');
    assert.equal(lines.length, 1);

    api.state.failures.set('pulls/update', { status: 502, message: 'Bad Gateway' });
    api.state.pulls.push({ number: 60, state: 'open', head: 'x' });
    const error = await failure(github.updatePullRequest(60, { state: 'closed' }));
    assert.equal(error.message, 'GitHub API: closing pull request #60 failed with HTTP 502: Bad Gateway');
    assert.equal(calls('pulls/update'), 4);
    assert.equal(clock.sleeps.length, 4, 'one wait for the comment, three for the pull request');
    assert.ok(clock.sleeps.every((ms, i) => ms <= 300 * 2 ** (i === 0 ? 0 : i - 1)), `backoff capped: ${clock.sleeps.join(', ')}`);
  });

  test('a pull request or asset GitHub made but answered 502 for is found by its branch or name, not made twice', async () => {
    api.state.failures.set('pulls/create', { status: 502, message: 'Bad Gateway', times: 1, afterEffect: true });
    const opened = await github.createPullRequest({ head: 'chartship/retry', base: 'main', title: 't', body: 'b' });
    assert.equal(api.state.pulls.filter((p) => p.head === 'chartship/retry').length, 1);
    assert.equal(opened.head, 'chartship/retry');
    assert.equal(calls('pulls/create'), 1);

    await github.upsertRelease({ tag: 'asset-1.0.0', name: 'asset 1.0.0', body: '', sha: SHA });
    api.state.failures.set('repos/upload-release-asset', { status: 500, message: 'Server Error', times: 1, afterEffect: true, drop: true });
    const data = Buffer.from('chart bytes');
    const uploaded = await github.uploadReleaseAsset({ tag: 'asset-1.0.0', name: 'asset-1.0.0.tgz', data, contentType: 'application/gzip' });
    assert.equal(uploaded.uploaded, false, 'found there on the second attempt');
    assert.equal(api.state.releases.find((r) => r.tag_name === 'asset-1.0.0')!.assets!.length, 1);
    assert.equal(calls('repos/upload-release-asset'), 1);
  });

  test('an attestation is retried after a rate limit or a 5xx, looked for first after a 5xx: this very bundle is never recorded twice; a 4xx is final', async () => {
    const bundleOf = (sig: string) => {
      const statement = { _type: 'https://in-toto.io/Statement/v1', subject: [{ name: 'c', digest: { sha256: 'a'.repeat(64) } }] };
      return { dsseEnvelope: { payload: Buffer.from(JSON.stringify(statement)).toString('base64'), payloadType: 'application/vnd.in-toto+json', signatures: [{ sig: Buffer.from(sig).toString('base64'), keyid: '' }] } };
    };
    const held = (sig: string) => api.state.attestations.filter((a) => JSON.stringify(a.bundle) === JSON.stringify(bundleOf(sig))).length;
    api.state.failures.set('repos/create-attestation', { status: 429, message: 'Too Many Requests', headers: { 'retry-after': '2' }, times: 1 });
    assert.ok((await github.createAttestation(bundleOf('one'))).id);
    // The same statement signed again (another run) is another bundle: GitHub holding that one does not count.
    api.state.failures.set('repos/create-attestation', { status: 502, message: 'Bad Gateway', times: 1 });
    assert.ok((await github.createAttestation(bundleOf('two'))).id, 'not made by the failed attempt: made by the next');
    api.state.failures.set('repos/create-attestation', { status: 502, message: 'Bad Gateway', times: 1, afterEffect: true, drop: true });
    assert.deepEqual(await github.createAttestation(bundleOf('three')), {}, 'found, so without the id the lost answer held');
    assert.deepEqual([held('one'), held('two'), held('three')], [1, 1, 1], 'one each, none twice');
    assert.equal(calls('repos/create-attestation'), 5);
    assert.match(lines.at(-1) ?? '', /^GitHub API: recording the attestation: no answer \(.+\); waiting \d+ ms before attempt 2 of 4$/);

    const listed = calls('repos/list-attestations');
    api.state.failures.set('repos/create-attestation', { status: 502, message: 'Bad Gateway' });
    assert.equal((await failure(github.createAttestation(bundleOf('four')))).code, 'GITHUB_502');
    assert.equal(held('four'), 0);
    assert.equal(calls('repos/create-attestation'), 9, 'every attempt of the policy');
    assert.equal(calls('repos/list-attestations') - listed, 3, 'looked for before each attempt after the first');
    api.state.failures.delete('repos/create-attestation');
    api.state.failures.set('issues/list-comments', { status: 404, message: 'Not Found', times: 1 });
    assert.equal((await failure(github.upsertStickyComment(9, '<!-- m -->', 'b'))).code, 'GITHUB_404');
    assert.equal(calls('issues/list-comments'), 1);
    assert.equal(clock.sleeps[0], 2000);
  });

  test('every request matched the description', () => {
    assert.deepEqual(api.violations, []);
  });
});

describe('GitHub client against a GitHub Enterprise Server base URL (/api/v3)', () => {
  let api: GitHubApi;
  before(async () => {
    api = await start({ prefix: '/api/v3', token: TOKEN });
  });
  after(async () => {
    await api.stop();
  });

  test('all calls go below /api/v3 and validate against the GHES description', async () => {
    assert.match(api.url, /^http:\/\/127\.0\.0\.1:\d+\/api\/v3$/);
    const github = clientFor(api, { apiUrl: `${api.url}/` });
    for (let i = 0; i < 101; i++) api.state.addComment(5, `c${i}`);
    const comment = await github.upsertStickyComment(5, stickyMarker(), 'x');
    assert.equal((await github.upsertStickyComment(5, stickyMarker(), 'y')).id, comment.id);
    assert.equal((await github.upsertRelease({ tag: 'api-1.0.0', name: 'api 1.0.0', body: 'b', sha: SHA })).created, true);
    api.state.commitPulls.set(SHA, [{ number: 2, state: 'open' }]);
    assert.equal(await github.pullRequestForCommit(SHA), 2);

    assert.ok(api.requests.some((r) => r.query.page === '2'), 'pagination links kept the /api/v3 prefix');
    // The only miss is the release lookup before creating it.
    const misses = api.requests.filter((r) => r.operationId === undefined || r.status >= 300);
    assert.deepEqual(misses.map((r) => `${r.operationId} ${r.status}`), ['repos/get-release-by-tag 404']);
    assert.deepEqual(api.violations, []);
    assert.deepEqual(api.responseViolations, []);
  });

  test('a client without the /api/v3 prefix is caught', async () => {
    const before = api.violations.length;
    const github = clientFor(api, { apiUrl: api.origin });
    const error = await failure(github.upsertRelease({ tag: 'x', name: 'x', body: '', sha: SHA }));
    assert.equal(error.code, 'GITHUB_404');
    assert.ok(api.violations.length > before);
    api.violations.splice(before);
  });

  test('an unreachable API is a ChartshipError about reachability', async () => {
    const closed = await start();
    const url = closed.url;
    await closed.stop();
    const clock = fakeClock();
    const lines: string[] = [];
    const error = await failure(createGitHubClient({ token: TOKEN, apiUrl: url, owner: 'acme', repo: 'charts', clock, onRetry: (line) => lines.push(line) }).pullRequestForCommit(SHA));
    assert.equal(error.code, 'GITHUB_API');
    assert.equal(lines.length, 3, 'a connection refused is tried again, a bounded number of times');
    assert.match(lines[0] ?? '', /^GitHub API: finding the pull request of 1a2b3c4d5e6f: no answer \(.+\); waiting \d+ ms before attempt 2 of 4$/);
    assert.match(error.hint ?? '', /is reachable/);
    assert.ok(!error.describe().includes(TOKEN));
  });

  test('a bad API URL or a missing token is refused before any request', () => {
    assert.throws(() => clientFor(api, { apiUrl: 'ftp://example.com' }), (e: unknown) => e instanceof ChartshipError && e.code === 'GITHUB_API_URL_INVALID');
    assert.throws(() => clientFor(api, { token: '' }), (e: unknown) => e instanceof ChartshipError && e.code === 'GITHUB_TOKEN_MISSING');
  });
});
