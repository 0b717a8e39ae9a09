import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ApiDescription } from '../helpers/github-api-description.js';
import { SchemaChecker } from '../helpers/github-api-schema.js';
import { start, type GitHubApi } from '../helpers/github-api.js';

/** The test server itself: its request check must be able to fail, or the client tests prove nothing. */
describe('local GitHub API server', () => {
  let api: GitHubApi;
  before(async () => {
    api = await start();
  });
  after(async () => {
    await api.stop();
  });

  const send = async (method: string, path: string, body?: unknown, contentType = 'application/json') => {
    const response = await fetch(`${api.url}${path}`, {
      method,
      headers: { authorization: 'token t', ...(body === undefined ? {} : { 'content-type': contentType }) },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, link: response.headers.get('link'), json: text ? (JSON.parse(text) as Record<string, unknown>) : undefined };
  };

  /** Sends one request and returns the problems it was recorded with. */
  const problemsOf = async (method: string, path: string, body?: unknown, contentType?: string) => {
    const before = api.violations.length;
    const answer = await send(method, path, body, contentType);
    const recorded = api.violations.slice(before);
    api.violations.splice(before);
    return { status: answer.status, problems: recorded.flatMap((v) => v.problems) };
  };

  test('make_latest as a boolean is rejected: the description wants the string enum', async () => {
    const { status, problems } = await problemsOf('POST', '/repos/acme/charts/releases', { tag_name: 'v1', make_latest: false });
    assert.equal(status, 422);
    assert.deepEqual(problems, ['body.make_latest: must be string, got boolean false']);
    assert.equal(api.state.releases.length, 0, 'nothing was created');
  });

  test('unknown paths, wrong methods, bad parameters and bodies are all recorded', async () => {
    const cases: [string, string, unknown, number, RegExp][] = [
      ['GET', '/repos/acme/charts/no-such-thing', undefined, 404, /no operation in the description matches GET/],
      ['DELETE', '/repos/acme/charts/releases', undefined, 404, /has no DELETE operation \(it has GET, POST\)/],
      ['GET', '/repos/acme/charts/issues/abc/comments', undefined, 422, /path parameter issue_number: must be integer, got string "abc"/],
      ['GET', '/repos/acme/charts/issues/1/comments?per_page=lots', undefined, 422, /query parameter per_page: must be integer/],
      ['POST', '/repos/acme/charts/issues/1/comments', { text: 'hi' }, 422, /body\.body: is required/],
      ['POST', '/repos/acme/charts/issues/1/comments', undefined, 422, /a JSON request body is required/],
      ['PATCH', '/repos/acme/charts/issues/comments/5', { body: 42 }, 422, /body\.body: must be string, got integer 42/],
      ['POST', '/repos/acme/charts/releases', '{"tag_name": ', 400, /the body is not JSON/],
      // This operation's schema has additionalProperties: false.
      ['POST', '/orgs/acme/campaigns', { name: 'n', description: 'd', ends_at: '2030-01-01T00:00:00Z', surprise: 1 }, 422, /body\.surprise: is not a known property/],
    ];
    for (const [method, path, body, status, pattern] of cases) {
      const answer = await problemsOf(method, path, body);
      assert.equal(answer.status, status, `${method} ${path}`);
      assert.ok(answer.problems.some((p) => pattern.test(p)), `${method} ${path}: ${JSON.stringify(answer.problems)}`);
    }
    const wrongType = await problemsOf('POST', '/repos/acme/charts/issues/1/comments', 'body=x', 'application/x-www-form-urlencoded');
    assert.ok(wrongType.problems.some((p) => /must be sent as application\/json/.test(p)), JSON.stringify(wrongType.problems));
  });

  test('valid requests leave no violation; comments paginate with GitHub-style Link headers', async () => {
    for (let i = 0; i < 250; i++) api.state.addComment(3, `c${i}`);
    const first = await send('GET', '/repos/acme/charts/issues/3/comments?per_page=100');
    assert.equal((first.json as unknown as unknown[]).length, 100);
    assert.equal(first.link, `<${api.url}/repos/acme/charts/issues/3/comments?per_page=100&page=2>; rel="next", <${api.url}/repos/acme/charts/issues/3/comments?per_page=100&page=3>; rel="last"`);
    const middle = await send('GET', '/repos/acme/charts/issues/3/comments?per_page=100&page=2');
    assert.deepEqual(middle.link?.split(', ').map((l) => /rel="(\w+)"/.exec(l)?.[1]), ['prev', 'next', 'last', 'first']);
    const last = await send('GET', '/repos/acme/charts/issues/3/comments?per_page=100&page=3');
    assert.equal((last.json as unknown as { body: string }[]).map((c) => c.body).at(-1), 'c249');
    assert.equal((await send('GET', '/repos/acme/charts/issues/3/comments')).json?.length, 30, 'default page size');
    assert.equal((await send('GET', '/repos/acme/charts/issues/3/comments?per_page=500')).json?.length, 100, 'per_page is capped');

    const created = await send('POST', '/repos/acme/charts/releases', { tag_name: 'v1', make_latest: 'false' });
    assert.equal(created.status, 201);
    const duplicate = await send('POST', '/repos/acme/charts/releases', { tag_name: 'v1' });
    assert.equal(duplicate.status, 422);
    assert.deepEqual(duplicate.json?.errors, [{ resource: 'Release', code: 'already_exists', field: 'tag_name' }]);
    assert.equal((await send('GET', '/repos/acme/charts/releases/tags/missing')).status, 404);
    assert.equal((await send('GET', '/repos/acme/charts/releases/tags/v1')).json?.tag_name, 'v1');

    const tooLong = await send('POST', '/repos/acme/charts/issues/3/comments', { body: 'x'.repeat(65_537) });
    assert.equal(tooLong.status, 422, 'GitHub refuses comments over 65,536 characters');
    // Releases take up to 125,000 characters, pull requests 65,536, counted as characters (not UTF-16 units).
    assert.equal((await send('POST', '/repos/acme/charts/releases', { tag_name: 'v2', body: 'x'.repeat(125_001) })).status, 422);
    assert.equal((await send('POST', '/repos/acme/charts/releases', { tag_name: 'v2', body: '😀'.repeat(125_000) })).status, 201);
    const release = api.state.releases.find((r) => r.tag_name === 'v1')!;
    const releaseTooLong = await send('PATCH', `/repos/acme/charts/releases/${release.id}`, { body: 'x'.repeat(125_001) });
    assert.deepEqual(releaseTooLong.json?.errors, [{ resource: 'Release', code: 'custom', field: 'body', message: 'body is too long (maximum is 125000 characters)' }]);
    assert.equal(release.body, null, 'a refused update changes nothing');
    const pullTooLong = await send('POST', '/repos/acme/charts/pulls', { head: 'release', base: 'main', title: 't', body: 'x'.repeat(65_537) });
    assert.equal(pullTooLong.status, 422, 'GitHub refuses pull request bodies over 65,536 characters');
    assert.equal(api.state.pulls.length, 0);
    const pull = await send('POST', '/repos/acme/charts/pulls', { head: 'release', base: 'main', title: 't', body: 'x'.repeat(65_536) });
    assert.equal(pull.status, 201);
    assert.equal((await send('PATCH', `/repos/acme/charts/pulls/${String(pull.json?.number)}`, { body: 'x'.repeat(65_537) })).status, 422);

    assert.deepEqual(api.violations, []);
    assert.deepEqual(api.responseViolations, []);
  });

  test('an operation GitHub has but the checked-in subset lacks fails the test, naming the generator', async () => {
    const { status, problems } = await problemsOf('GET', '/repos/acme/charts/branches');
    assert.equal(status, 501);
    assert.deepEqual(problems, [
      "repos/list-branches is in GitHub's description but not in the checked-in subset @octokit/openapi@23.0.2: add it to scripts/github-openapi-subset.mjs and rerun it",
    ]);
    assert.equal(api.requests.at(-1)?.operationId, 'repos/list-branches');
  });

  test('requests without a token get 401 like GitHub', async () => {
    const response = await fetch(`${api.url}/repos/acme/charts/releases`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"tag_name":"x"}' });
    assert.equal(response.status, 401);
    assert.equal(api.requests.at(-1)?.authenticated, false);
  });
});

describe('schema checker', () => {
  const description = ApiDescription.load('api.github.com');

  test('a GitHub object missing its required fields is caught (the answer check can fail too)', () => {
    const problems = description.checker.check({ $ref: '#/components/schemas/issue-comment' }, { id: 'one', body: 'x' });
    assert.deepEqual(
      problems.map((p) => `${p.at}: ${p.message}`).sort(),
      ['id: must be integer, got string "one"', 'node_id: is required', 'html_url: is required', 'issue_url: is required', 'user: is required', 'url: is required', 'created_at: is required', 'updated_at: is required'].sort(),
    );
  });

  test('samples of GitHub objects satisfy their own schema', () => {
    for (const name of ['issue-comment', 'release', 'pull-request-simple']) {
      const schema = { $ref: `#/components/schemas/${name}` };
      assert.deepEqual(description.checker.check(schema, description.checker.sample(schema)), [], name);
    }
  });

  test('nullable, enum, oneOf, items, additionalProperties and $ref', () => {
    const checker = new SchemaChecker({ components: { schemas: { id: { type: 'integer', minimum: 1 } } } });
    const schema = {
      type: 'object',
      required: ['kind'],
      additionalProperties: false,
      properties: {
        kind: { type: 'string', enum: ['a', 'b'] },
        note: { type: 'string', nullable: true },
        ids: { type: 'array', items: { $ref: '#/components/schemas/id' } },
        either: { oneOf: [{ type: 'string' }, { type: 'integer' }] },
      },
    };
    const messages = (value: unknown) => checker.check(schema, value).map((p) => `${p.at}: ${p.message}`);
    assert.deepEqual(messages({ kind: 'a', note: null, ids: [1, 2], either: 3 }), []);
    assert.deepEqual(messages({ kind: 'c', ids: [0], either: true, extra: 1 }), [
      'kind: must be one of "a", "b", got "c"',
      'ids[0]: must be >= 1',
      'either: matches none of the 2 oneOf alternatives (closest: either: must be string, got boolean true)',
      'extra: is not a known property (additionalProperties: false)',
    ]);
    assert.deepEqual(messages({ note: 1 }), ['kind: is required', 'note: must be string, got integer 1']);
  });

  test('the subset routes like the full description: a stubbed literal path is not taken for a neighbour', () => {
    // Without the stub, /issues/comments would fall through to issues/get with issue_number "comments".
    assert.deepEqual(description.match('GET', '/repos/o/r/issues/comments'), { kind: 'not-in-subset', operationId: 'issues/list-comments-for-repo' });
    assert.deepEqual(description.match('GET', '/repos/o/r/issues/7'), { kind: 'not-in-subset', operationId: 'issues/get' });
    // Stubs keep their methods, so a wrong method still lists what the path allows.
    assert.deepEqual(description.match('PUT', '/repos/o/r/issues/7'), { kind: 'no-method', allowed: ['GET', 'PATCH'] });
  });

  test('routes prefer literal segments and allow multi-segment tags', () => {
    const latest = description.match('GET', '/repos/o/r/releases/latest');
    assert.equal(latest.kind === 'found' && latest.operation.operationId, 'repos/get-latest-release');
    const byTag = description.match('GET', '/repos/o/r/releases/tags/charts%2Fapi-1.0.0%2Bb');
    assert.equal(byTag.kind === 'found' && byTag.pathParams.tag, 'charts/api-1.0.0+b');
    const slashed = description.match('GET', '/repos/o/r/releases/tags/charts/api-1.0.0');
    assert.equal(slashed.kind === 'found' && slashed.pathParams.tag, 'charts/api-1.0.0');
  });
});

describe('GitHub Enterprise Server prefix', () => {
  let api: GitHubApi;
  before(async () => {
    api = await start({ prefix: '/api/v3' });
  });
  after(async () => {
    await api.stop();
  });

  test('requests outside /api/v3 are violations; inside they are served', async () => {
    const outside = await fetch(`${api.origin}/repos/acme/charts/releases/tags/x`, { headers: { authorization: 'token t' } });
    assert.equal(outside.status, 404);
    assert.match(api.violations[0]?.problems[0] ?? '', /outside the API root \/api\/v3/);
    api.violations.length = 0;
    const inside = await fetch(`${api.url}/repos/acme/charts/issues/1/comments`, { headers: { authorization: 'token t' } });
    assert.equal(inside.status, 200);
    assert.deepEqual(api.violations, []);
  });
});
