import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chartAnnotations, chartConfig, rfc3339 } from '../../src/helm-oci/artifact.js';
import { goString } from '../../src/oci/gojson.js';
import { parseOciTarget, repositoryFor } from '../../src/oci/reference.js';
import { tagForVersion, versionForTag } from '../../src/helm-oci/tags.js';
import { readErrorBody } from '../../src/oci/errors.js';
import { nextLink } from '../../src/oci/pages.js';
import { redactText, redactUrl } from '../../src/model/redact.js';
import { backoffMs, defaultRetryPolicy, retryAfterMs, TransientError, withRetry, type Attempted } from '../../src/oci/retry.js';
import type { Clock } from '../../src/model/clock.js';
import { ChartshipError } from '../../src/model/errors.js';

test('oci targets: host, port, empty and nested namespaces', () => {
  assert.deepEqual(parseOciTarget('oci://ghcr.io/acme/charts'), { host: 'ghcr.io', namespace: 'acme/charts' });
  assert.deepEqual(parseOciTarget('oci://127.0.0.1:5000'), { host: '127.0.0.1:5000', namespace: '' });
  assert.deepEqual(parseOciTarget('oci://localhost:5000/'), { host: 'localhost:5000', namespace: '' });
  assert.deepEqual(parseOciTarget('oci://r.example/a/b/c/'), { host: 'r.example', namespace: 'a/b/c' });
  assert.throws(() => parseOciTarget('https://ghcr.io/x'), /not an OCI target/);
  assert.throws(() => parseOciTarget('oci://ghcr.io/Acme/Charts'), (error: unknown) => {
    assert.ok(error instanceof ChartshipError);
    assert.match(error.describe(), /not a valid repository path \(repository paths are lowercase: write oci:\/\/ghcr\.io\/acme\/charts\)/);
    return true;
  });
  assert.throws(() => parseOciTarget('oci://ghcr.io/a//b'), /not a valid repository path/);
});

test('repository names and tags follow the distribution rules', () => {
  assert.equal(repositoryFor({ host: 'h', namespace: 'ns' }, 'my-chart'), 'ns/my-chart');
  assert.equal(repositoryFor({ host: 'h', namespace: '' }, 'a__b.c'), 'a__b.c');
  const error = (() => {
    try {
      repositoryFor({ host: 'h', namespace: 'ns' }, 'MyChart');
    } catch (e) {
      return e;
    }
  })();
  assert.ok(error instanceof ChartshipError);
  assert.equal(error.field, 'name');
  assert.match(error.describe(), /lowercase/);
  assert.throws(() => repositoryFor({ host: 'h', namespace: '' }, 'a..b'), /cannot be pushed/);
  assert.throws(() => repositoryFor({ host: 'h', namespace: '' }, '-a'), /cannot be pushed/);
  assert.equal(tagForVersion('1.2.3+build.7'), '1.2.3_build.7');
  assert.equal(versionForTag('1.2.3_build.7'), '1.2.3+build.7');
  assert.equal(versionForTag('latest'), undefined);
  assert.equal(versionForTag('v1.2.3'), undefined);
  assert.equal(versionForTag('sha256-abc'), undefined);
});

test('Go JSON escaping and helm config key order', () => {
  assert.equal(goString('a<b>&c\u2028"\\\n\b\f\u0001é'), '"a\\u003cb\\u003e\\u0026c\\u2028\\"\\\\\\n\\b\\f\\u0001é"');
  const config = chartConfig({
    apiVersion: 'v2',
    name: 'demo',
    version: '1.0.0',
    description: 'A <b> & c',
    type: 'application',
    appVersion: '2.0',
    home: 'https://x',
    keywords: [],
    deprecated: false,
    annotations: { z: '1', a: '2' },
    maintainers: [{ name: 'Ann', email: 'ann@x' }],
    dependencies: [{ name: 'dep', version: '1.x', enabled: false, 'import-values': [{ parent: 'p', child: 'c' }] }],
  }).toString();
  assert.equal(
    config,
    '{"name":"demo","home":"https://x","version":"1.0.0","description":"A \\u003cb\\u003e \\u0026 c","maintainers":[{"name":"Ann","email":"ann@x"}],' +
      '"apiVersion":"v2","appVersion":"2.0","annotations":{"a":"2","z":"1"},"dependencies":[{"name":"dep","version":"1.x","repository":"",' +
      '"import-values":[{"child":"c","parent":"p"}]}],"type":"application"}',
  );
});

test('manifest annotations as helm sets them', () => {
  const annotations = chartAnnotations(
    {
      apiVersion: 'v2',
      name: 'demo',
      version: '1.0.0+b',
      description: '  ',
      sources: ['https://src/1', 'https://src/2'],
      maintainers: [{ name: 'Ann', email: 'a@x' }, { name: 'Bob' }],
      annotations: { 'org.opencontainers.image.title': 'ignored', 'org.opencontainers.image.url': 'https://override', custom: 'v' },
    },
    new Date('2024-05-01T12:00:00.000Z'),
  );
  assert.deepEqual(annotations, {
    'org.opencontainers.image.title': 'demo',
    'org.opencontainers.image.version': '1.0.0+b',
    'org.opencontainers.image.created': '2024-05-01T12:00:00Z',
    'org.opencontainers.image.source': 'https://src/1',
    'org.opencontainers.image.authors': 'Ann (a@x), Bob',
    'org.opencontainers.image.url': 'https://override',
    custom: 'v',
  });
  assert.equal(rfc3339(new Date(0)), '1970-01-01T00:00:00Z');
});

test('Link headers as RFC 8288 writes them: the next page wherever it stands, whatever its parameters', () => {
  const base = new URL('https://r.example/v2/a/tags/list?n=2');
  const next = (header: string | undefined) => nextLink(header, base)?.href;
  assert.equal(next('</v2/a/tags/list?n=2&last=b>; rel="next"'), 'https://r.example/v2/a/tags/list?n=2&last=b');
  assert.equal(next('</v2/a/tags/list?last=b>; rel=next'), 'https://r.example/v2/a/tags/list?last=b');
  assert.equal(next('<https://r.example/v2/a/tags/list?last=a>; rel="prev", </v2/a/tags/list?last=c>; rel="next"'), 'https://r.example/v2/a/tags/list?last=c');
  assert.equal(next('</v2/a/tags/list?last=d>; type="application/json"; rel="next"'), 'https://r.example/v2/a/tags/list?last=d');
  assert.equal(next('</v2/a/tags/list?last=e>; REL="last next"'), 'https://r.example/v2/a/tags/list?last=e');
  assert.equal(next('</v2/a/tags/list?last=f>; title="next, please"; rel="prev"'), undefined, 'a quoted "next" in another parameter is no relation');
  assert.equal(next('</v2/a/tags/list?last=g>; rel="nextpage"'), undefined);
  assert.equal(next('</v2/a/tags/list?last=h>; rel="prev"'), undefined);
  assert.equal(next(''), undefined);
  assert.equal(next(undefined), undefined);
});

test('redaction hides upload state, signatures and tokens', () => {
  const url = redactUrl('https://user:pw@r.example/v2/a/blobs/uploads/x?_state=SECRET&digest=sha256:1&X-Amz-Signature=abc');
  assert.doesNotMatch(url, /SECRET|pw|abc/);
  assert.match(url, /digest=sha256/);
  assert.doesNotMatch(redactText('Authorization: Bearer abc.def.ghi token=xyz'), /abc\.def|xyz/);
  // git names the remote it failed to reach with the login in it.
  assert.equal(redactText("fatal: unable to access 'https://oauth2:glpat-s3cret@gitlab.example.com/acme/charts.git/'"), "fatal: unable to access 'https://REDACTED@gitlab.example.com/acme/charts.git/'");
  assert.equal(redactText('see https://gitlab.example.com/acme and git@github.com:acme/x'), 'see https://gitlab.example.com/acme and git@github.com:acme/x');
});

test('error bodies: the distribution form, Docker Hub\'s token server ({"details"}), OAuth2 ({"error_description"}), short plain text', () => {
  const read = (text: string) => readErrorBody(Buffer.from(text));
  assert.deepEqual(read('{"errors":[{"code":"DENIED","message":"requested access to the resource is denied"}]}'), { code: 'DENIED', message: 'requested access to the resource is denied' });
  assert.deepEqual(read('{"details":"incorrect username or password"}'), { message: 'incorrect username or password' });
  assert.deepEqual(read('{"error":"invalid_grant","error_description":"refresh token expired"}'), { message: 'refresh token expired' });
  assert.deepEqual(read('{"error":"invalid_grant"}'), { message: 'invalid_grant' });
  assert.deepEqual(read('{"errors":[{"code":"MANIFEST_BLOB_UNKNOWN","message":"blob unknown to registry","detail":"sha256:abc"}]}'), { code: 'MANIFEST_BLOB_UNKNOWN', message: 'blob unknown to registry: sha256:abc' });
  assert.deepEqual(read('{"errors":[{"code":"MANIFEST_INVALID","message":"manifest invalid","detail":{"message":"manifest schema version not supported"}}]}'), { code: 'MANIFEST_INVALID', message: 'manifest invalid: manifest schema version not supported' });
  assert.deepEqual(
    read('{"errors":[{"code":"UNAUTHORIZED","message":"authentication required","detail":[{"Type":"repository","Class":"","Name":"charts/x","Action":"push"}]}]}'),
    { code: 'UNAUTHORIZED', message: 'authentication required' },
    'a detail that is a structure for programs is left out',
  );
  assert.deepEqual(read('{"errors":[{"code":"NAME_UNKNOWN","message":"repository name not known to registry","detail":{"name":"charts/x"}}]}'), { code: 'NAME_UNKNOWN', message: 'repository name not known to registry' });
  assert.deepEqual(read('{"errors":[{"code":"DENIED","detail":"no push to this project"}]}'), { code: 'DENIED', message: 'no push to this project' });
  assert.deepEqual(read('{"errors":[]}'), {});
  assert.deepEqual(read('upstream connect error'), { message: 'upstream connect error' });
  assert.deepEqual(read('<html><body>502</body></html>'), {});
});

test('Retry-After as seconds or HTTP date; jittered backoff is capped', () => {
  const now = Date.parse('2024-01-01T00:00:00Z');
  assert.equal(retryAfterMs('3', now), 3000);
  assert.equal(retryAfterMs('Mon, 01 Jan 2024 00:00:05 GMT', now), 5000);
  assert.equal(retryAfterMs('garbage', now), undefined);
  assert.equal(backoffMs(20, defaultRetryPolicy, () => 0.999999), Math.floor(0.999999 * defaultRetryPolicy.maxDelayMs));
  assert.equal(backoffMs(0, defaultRetryPolicy, () => 0.5), Math.floor(0.5 * defaultRetryPolicy.baseDelayMs));
});

function fakeClock(): Clock & { sleeps: number[] } {
  let now = 1_000_000;
  const sleeps: number[] = [];
  return { sleeps, now: () => now, sleep: (ms) => { sleeps.push(ms); now += ms; return Promise.resolve(); } };
}

test('withRetry: retries transient answers and errors, honours Retry-After, gives up at the deadline', async () => {
  const clock = fakeClock();
  const answers: (Attempted | 'error')[] = [{ status: 503, headers: { 'retry-after': '2' } }, 'error', { status: 200, headers: {} }];
  let calls = 0;
  const result = await withRetry(() => {
    const next = answers[calls++]!;
    return next === 'error' ? Promise.reject(new TransientError('reset')) : Promise.resolve(next);
  }, { policy: defaultRetryPolicy, clock, random: () => 0.5 });
  assert.equal(result.status, 200);
  assert.equal(calls, 3);
  assert.deepEqual(clock.sleeps, [2000, 300]);

  const slow = fakeClock();
  const last = await withRetry(() => Promise.resolve({ status: 429, headers: { 'retry-after': '3600' } }), { policy: defaultRetryPolicy, clock: slow });
  assert.equal(last.status, 429, 'a Retry-After beyond the per-wait cap ends the retries');
  assert.deepEqual(slow.sleeps, []);

  const deadline = fakeClock();
  let n = 0;
  await assert.rejects(
    withRetry(() => { n++; return Promise.reject(new TransientError('down')); }, { policy: { ...defaultRetryPolicy, attempts: 100, deadlineMs: 5000, baseDelayMs: 1000 }, clock: deadline, random: () => 1 }),
    /down/,
  );
  assert.ok(deadline.now() - 1_000_000 <= 5000, 'never sleeps past the deadline');
  assert.ok(n > 1 && n < 100);

  await assert.rejects(withRetry(() => Promise.reject(new Error('fatal')), { policy: defaultRetryPolicy, clock: fakeClock() }), /fatal/);
});
