import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ChartshipError } from '../../src/model/errors.js';
import { groupChangelog } from '../../src/model/changelog.js';
import { stickyMarker } from '../../src/report/context.js';
import { publishCommentOver, renderPlanComment, renderPlanSummary, renderPublishComment, renderReleaseBody, renderSummary } from '../../src/report/index.js';
import { renderChangelog } from '../../src/report/changelog.js';
import { renderChangelogText } from '../../src/report/plan-text.js';
import { renderChangelogSection, renderReleasePrBody } from '../../src/report/release-pr.js';
import { code, COMMENT_LIMIT, fitBody, inline, prose, tableCode } from '../../src/report/markdown.js';
import { helmPullCommand, ociRepository } from '../../src/report/results.js';
import { changelogEntry } from '../../src/versioning/changelog.js';
import { changelogSection } from '../../src/versioning/changelog-file.js';
import { parseCommit } from '../../src/versioning/commit.js';
import { ctx, DIGEST, entry, plan, results, SHA_A, SHA_B } from './fixtures.js';

const commit = (sha: string) => `[\`${sha.slice(0, 7)}\`](https://github.example.com/acme/charts/commit/${sha})`;

describe('escaping', () => {
  test('inline text cannot open HTML, emphasis, code or a table cell', () => {
    assert.equal(inline('a|b <img src=x> *x* `y` [l](u) &amp;'), 'a\\|b &lt;img src=x&gt; \\*x\\* \\`y\\` \\[l\\](u) &amp;amp;');
    assert.equal(inline('line one\r\nline two\tend'), 'line one line two end');
  });

  test('a mention in untrusted text (@user, @org/team) is broken with a zero-width space; an address or a digest reference is not', () => {
    assert.equal(inline('bump @types/node (thanks @acme/platform)'), 'bump @&#8203;types/node (thanks @&#8203;acme/platform)');
    assert.equal(inline('@lead: see dev@example.com and web@sha256:abc'), '@&#8203;lead: see dev@example.com and web@sha256:abc');
  });

  test('code spans survive backticks; table code spans escape pipes', () => {
    assert.equal(code('plain'), '`plain`');
    assert.equal(code('a `b` c'), '``a `b` c``');
    assert.equal(code('`edge'), '`` `edge ``');
    assert.equal(tableCode('x|y'), '`x\\|y`');
  });

  test("chartship's own sentences show their `code` as code spans; what else they quote stays escaped", () => {
    assert.equal(prose('helm is not on PATH: this rule renders the chart with `helm template`'), 'helm is not on PATH: this rule renders the chart with `helm template`');
    assert.equal(prose('add `.git/` to <b>*x*</b> | a lone ` stays'), 'add `.git/` to &lt;b&gt;\\*x\\*&lt;/b&gt; \\| a lone \\` stays');
    assert.equal(prose('a `x|y` in a table', 100, true), 'a `x\\|y` in a table');
    assert.equal(prose('`<img src=x>`'), '`<img src=x>`', 'a code span shows HTML literally');
  });

  test('a hidden marker in a commit subject does not survive as HTML', () => {
    const body = renderReleaseBody({ ...results()[0]!, changelog: [entry({ type: 'fix', subject: '<!-- chartship:sticky --> x' })] }, ctx);
    assert.ok(!body.includes('<!--'));
    assert.ok(body.includes('&lt;!-- chartship:sticky --&gt; x'));
  });
});

describe('renderPlanComment', () => {
  const body = renderPlanComment(plan(), ctx);
  const lines = body.split('\n');

  test('starts with the sticky marker, which can be configured', () => {
    assert.equal(lines[0], '<!-- chartship:sticky -->');
    assert.equal(renderPlanComment(plan(), { ...ctx, marker: 'prod' }).split('\n')[0], '<!-- chartship:prod -->');
    assert.throws(() => stickyMarker('x -->'), ChartshipError);
    assert.throws(() => stickyMarker('a--b'), ChartshipError);
  });

  test('one row per released chart: current → next, bump, linked reasons, dependents', () => {
    assert.ok(lines.includes('| Chart | Version | Bump | Why | Dependents |'));
    assert.ok(
      lines.includes(
        `| \`api\` | 1.2.3 → **2.0.0** | major | ${commit(SHA_A)} feat(api): add ingress class (#12)<br>${commit(SHA_B)} fix: a\\|b &lt;b&gt;bold&lt;/b&gt; | \`web\` |`,
      ),
      body,
    );
    assert.ok(lines.includes('| `web` | 0.9.0 → **0.9.1** | patch | depends on a released chart (`api`) | — |'), body);
    assert.ok(!lines.some((line) => line.startsWith('| `lib`') || line.startsWith('| `db`')), 'only released charts get rows');
  });

  test('collapsed changelog per chart, unchanged, skipped and deleted charts', () => {
    assert.ok(body.includes('<details>\n<summary>Changelog of <code>api</code> 2.0.0 (5 commits)</summary>\n\n#### Breaking changes\n'), body);
    assert.ok(!body.includes('Changelog of <code>web</code>'), 'a chart without commits has no changelog block');
    assert.ok(lines.includes('**Already published with the same content:** `db` 4.0.0'));
    assert.ok(lines.includes('**No changes:** `lib`'));
    assert.ok(lines.includes('### Deleted charts'));
    assert.ok(lines.includes('- `old` (`charts/old`)'));
    assert.equal((body.match(/<details>/g) ?? []).length, (body.match(/<\/details>/g) ?? []).length);
  });

  test('an empty plan says so', () => {
    const empty = renderPlanComment({ root: '/repo', head: SHA_A, patterns: ['charts/*'], charts: [], deleted: [], invalid: [] }, { ...ctx, runUrl: undefined });
    assert.ok(empty.includes('\nNo chart will be released.\n'));
    assert.ok(empty.endsWith(`<sub>Planned for ${commit(SHA_A)} by chartship.</sub>`), empty);
  });

  test('a plan too long for a comment drops its reasons and changelogs first, and keeps the sections after the table', () => {
    const big = plan();
    const api = big.charts.find((c) => c.name === 'api')!;
    api.changelog = Array.from({ length: 2000 }, (_, i) => entry({ type: 'fix', subject: `fix number ${i} ${'x'.repeat(40)}` }));
    const cut = renderPlanComment(big, ctx);
    assert.ok(cut.length <= COMMENT_LIMIT, `${cut.length}`);
    assert.ok(cut.startsWith('<!-- chartship:sticky -->\n## chartship release plan\n\n> [!NOTE]\n> GitHub takes 65,536 characters in a comment: why each chart is released, its dependents and its changelog are left out here; the job summary of the [workflow run](https://github.example.com/acme/charts/actions/runs/42) has them.\n'), cut);
    assert.ok(cut.includes('| `api` | 1.2.3 → **2.0.0** | major |\n'), cut);
    assert.ok(!cut.includes('<details>') && !cut.includes('fix number'));
    assert.ok(cut.includes('### Charts that cannot be published'), 'what the author must fix stays');
  });

  test('a plan too long even so is cut in its table, with how many charts it does not list and its blocks closed', () => {
    const big = plan();
    const api = big.charts.find((c) => c.name === 'api')!;
    big.charts = Array.from({ length: 3000 }, (_, i) => ({ ...api, name: `service-${i}-with-a-longer-name` }));
    const cut = renderPlanComment(big, ctx);
    assert.ok(cut.length <= COMMENT_LIMIT, `${cut.length}`);
    const listed = big.charts.filter((c) => cut.includes(`| \`${c.name}\` |`)).length;
    assert.ok(listed > 100 && listed < 3000, `${listed}`);
    assert.ok(cut.endsWith(`> Cut to fit GitHub's comment size limit: ${3000 - listed} of 3000 charts to release are not listed here, nor what follows them; the job summary of the [workflow run](https://github.example.com/acme/charts/actions/runs/42) has all of it.`), cut.slice(-400));
  });

  test("a release pull request's body for a huge plan stays under GitHub's limit with its intro", () => {
    const big = plan();
    big.charts.find((c) => c.name === 'api')!.changelog = Array.from({ length: 2000 }, (_, i) => entry({ type: 'fix', subject: `fix number ${i} ${'x'.repeat(40)}` }));
    for (const mergeAfter of [[], ['db', 'lib']]) {
      const body = renderReleasePrBody(big, ctx, undefined, mergeAfter);
      assert.ok(body.length <= COMMENT_LIMIT, `${body.length}`);
      assert.match(body, /^<!-- chartship:chartship-release-pr -->\n## chartship release plan\n\nMerging this pull request publishes the charts below/);
      assert.match(body, /\n> GitHub takes 65,536 characters in a comment: why each chart is released, its dependents and its changelog are left out here; the job summary of the \[workflow run\]/);
    }
  });

  test("a CHANGELOG.md section links its version to the diff since the previous release tag, as release-please does; a first release's is unlinked", () => {
    const api = { ...plan().charts.find((c) => c.name === 'api')!, previousTag: 'charts/api/v1.2.3' };
    const linked = renderChangelogSection(api, ctx, '2026-12-01', 'charts/api/v2.0.0');
    // The server the run is on (here a GitHub Enterprise Server), a tag's `/` kept as compare takes it.
    assert.match(linked, /^## \[2\.0\.0\]\(https:\/\/github\.example\.com\/acme\/charts\/compare\/charts\/api\/v1\.2\.3\.\.\.charts\/api\/v2\.0\.0\) \(2026-12-01\)\n\n### /);
    assert.equal(changelogSection(`# Changelog\n\n${linked}`, '2.0.0'), linked.replace(/^.*\n\n/, '').trim(), 'read back under its linked heading');
    const { previousTag: _, ...first } = api;
    assert.match(renderChangelogSection(first, ctx, '2026-12-01', 'charts/api/v2.0.0'), /^## 2\.0\.0 \(2026-12-01\)\n\n### /);
  });

  test('a dry run\'s job summary keeps what the comment had to cut, the run its note points to', () => {
    const big = plan();
    big.charts.find((c) => c.name === 'api')!.changelog = Array.from({ length: 1000 }, (_, i) => entry({ type: 'fix', subject: `fix number ${i} ${'x'.repeat(40)}` }));
    assert.ok(!renderPlanComment(big, ctx).includes('fix number 999 '));
    const summary = renderPlanSummary(big, ctx);
    assert.ok(summary.length > COMMENT_LIMIT && summary.includes('fix number 999 '), `${summary.length}`);
    assert.ok(!summary.includes('was cut'));
  });
});

describe('renderPublishComment', () => {
  const body = renderPublishComment(results(), ctx);
  const lines = body.split('\n');

  test('table row per chart and registry with code-formatted ref and digest', () => {
    assert.equal(lines[0], '<!-- chartship:sticky -->');
    assert.ok(lines.includes('| Chart | Version | Status | Registry ref | Digest |'));
    const release = '[2.0.0+build.1](https://github.example.com/acme/charts/releases/tag/api-2.0.0%2Bbuild.1)';
    assert.ok(lines.includes(`| \`api\` | ${release} | ✅ pushed | \`ghcr.io/acme/charts/api:2.0.0_build.1\` | \`${DIGEST}\` |`), body);
    assert.ok(lines.includes(`| \`api\` | ${release} | ✅ pushed | \`localhost:5000/mirror/api:2.0.0_build.1\` | \`${DIGEST}\` |`), body);
    assert.ok(lines.includes('| `web\\|x` | 0.9.1 | ❌ failed | — | — |'), body);
    assert.ok(lines.includes('| `lib` | 0.3.0 | ⏭️ skipped | — | — |'), body);
  });

  test('failures with their (escaped, one-line) errors and a helm pull per chart', () => {
    assert.ok(lines.includes('- **web\\|x** 0.9.1: push failed: DENIED &lt;requested access to the resource is denied&gt;'), body);
    assert.ok(lines.includes('- **web\\|x** 0.9.1 → oci://ghcr.io/acme/charts: DENIED \\| no write'), body);
    assert.ok(body.includes('```sh\nhelm pull oci://ghcr.io/acme/charts/api --version 2.0.0+build.1\n```'), body);
    assert.equal(body.match(/helm pull/g)?.length, 1, 'one command per chart, only for charts that can be pulled');
  });

  test('an enormous error is clipped, the comment stays under the limit', () => {
    const many = Array.from({ length: 400 }, (_, i) => ({ ...results()[1]!, name: `chart-${i}`, error: 'E'.repeat(50_000) }));
    const cut = renderPublishComment(many, ctx);
    assert.ok(cut.length <= COMMENT_LIMIT);
    // The failures come first, and here they take all the room.
    assert.ok(cut.endsWith("> Cut to fit GitHub's comment size limit: 400 of 400 charts are not listed here; the job summary of the [workflow run](https://github.example.com/acme/charts/actions/runs/42) lists every one."), cut.slice(-300));
    assert.ok(!cut.includes('E'.repeat(1_001)), 'a single error never takes more than the field limit');
  });
});

describe('publishCommentOver: a re-run over the comment an earlier attempt wrote', () => {
  const [api, web, lib] = results();
  const first = renderPublishComment(results(), ctx);
  const skipped = { ...api!, status: 'skipped' as const, registries: [], signed: false, release: undefined };

  test('a chart it skips as released already keeps the rows, digests, release link and pull command it had', () => {
    const fixed = { ...web!, status: 'pushed' as const, error: undefined, registries: [{ registry: 'oci://ghcr.io/acme/charts', ref: 'ghcr.io/acme/charts/web|x:0.9.1', digest: DIGEST, status: 'pushed' as const }] };
    const body = publishCommentOver(first, [skipped, fixed, lib!], ctx)!;
    for (const line of first.split('\n').filter((l) => l.startsWith('| `api` |'))) assert.ok(body.split('\n').includes(line), body);
    assert.match(body, /^2 pushed · 1 skipped$/m);
    assert.ok(body.includes('helm pull oci://ghcr.io/acme/charts/api --version 2.0.0+build.1'), body);
    assert.doesNotMatch(body, /`api` \| [^|]+ \| ⏭️ skipped/);
  });

  test('not a row of another version, nor one that did not reach the registry; nothing of its own leaves the comment as it is', () => {
    const older = publishCommentOver(first, [{ ...skipped, version: '2.0.1' }, web!], ctx)!;
    assert.match(older, /^\| `api` \| 2\.0\.1 \| ⏭️ skipped \| — \| — \|$/m);
    const failed = publishCommentOver(first, [{ ...web!, status: 'skipped', registries: [], error: undefined }, api!], ctx)!;
    assert.match(failed, /^\| `web\\\|x` \| 0\.9\.1 \| ⏭️ skipped \| — \| — \|$/m);
    assert.equal(publishCommentOver(first, [skipped, lib!], ctx), undefined);
    assert.equal(publishCommentOver(undefined, [skipped, lib!], ctx), undefined);
  });
});

describe('renderReleaseBody', () => {
  const body = renderReleaseBody(results()[0]!, ctx);

  test('changelog grouped: breaking first, then features, fixes, performance, other', () => {
    const headings = body.split('\n').filter((line) => line.startsWith('### '));
    assert.deepEqual(headings, ['### Breaking changes', '### Features', '### Bug Fixes', '### Performance', '### Other', '### Install', '### Verify']);
    assert.ok(body.startsWith('Changes since 1.2.3.\n'));
    assert.ok(body.includes(`- **api:** add ingress class (${commit(SHA_A)}) ([#12](https://github.example.com/acme/charts/pull/12))`), body);
    assert.ok(body.includes(`- handle \\\`a\\|b\\\` values &lt;script&gt;alert(1)&lt;/script&gt; (${commit(SHA_B)})`), body);
  });

  test('a breaking change says what broke, in the words of its footer, under its line', () => {
    const message = 'feat(api)!: new values layout\n\nMoves the image settings.\n\nBREAKING CHANGE: `image.repository` is now `image.name`;\nset it before upgrading.\nRefs: #3\n';
    const breaking = changelogEntry(parseCommit(SHA_A, message));
    assert.equal(breaking.breakingNote, '`image.repository` is now `image.name`;\nset it before upgrading.');
    const text = renderReleaseBody({ ...results()[0]!, changelog: [breaking, entry({ type: 'fix', subject: 'plain fix', breaking: true })] }, ctx);
    assert.ok(
      text.includes(`### Breaking changes\n\n- **api:** new values layout (${commit(SHA_A)})\n\n  \\\`image.repository\\\` is now \\\`image.name\\\`; set it before upgrading.\n- plain fix (`), text);
    // A `!` with no footer has nothing more to say.
    assert.equal(changelogEntry(parseCommit(SHA_B, 'fix!: drop v1 values')).breakingNote, undefined);
  });

  test('pull and verify commands and the digests', () => {
    assert.ok(body.includes('helm pull oci://ghcr.io/acme/charts/api --version 2.0.0+build.1\nhelm pull oci://localhost:5000/mirror/api --version 2.0.0+build.1\n'));
    // GnuPG 2.1+ keeps keys in pubring.kbx, which helm cannot read: the notes export the key to a keyring file first.
    const signedBody = renderReleaseBody({ ...results()[0]!, signer: { fingerprint: 'ABCDEF0123456789ABCDEF0123456789ABCDEF01', userId: 'Release Bot <bot@example.com>' } }, ctx);
    assert.match(signedBody, /The chart is signed by Release Bot &lt;bot@example\.com&gt; with key `ABCDEF0123456789ABCDEF0123456789ABCDEF01`\./);
    assert.match(signedBody, /gpg --recv-keys ABCDEF0123456789ABCDEF0123456789ABCDEF01/);
    assert.ok(
      signedBody.includes(
        '```sh\ngpg --export ABCDEF0123456789ABCDEF0123456789ABCDEF01 > pubring.gpg\nhelm pull oci://ghcr.io/acme/charts/api --version 2.0.0+build.1 --verify --keyring pubring.gpg\n',
      ),
      signedBody,
    );
    assert.ok(body.includes('gpg --export FINGERPRINT > pubring.gpg'), 'without a known signer the command names what to fill in');
    assert.ok(body.includes(`| oci://ghcr.io/acme/charts | \`ghcr.io/acme/charts/api:2.0.0_build.1\` | \`${DIGEST}\` |`));
    const unsigned = renderReleaseBody({ ...results()[0]!, signed: false }, { ...ctx, keyring: 'keys.gpg' });
    assert.ok(!unsigned.includes('--verify'));
    const custom = renderReleaseBody(results()[0]!, { ...ctx, keyring: 'my keys.gpg' });
    assert.ok(custom.includes("--verify --keyring 'my keys.gpg'"), 'an odd keyring path is shell-quoted');
  });

  test('no changelog still produces notes', () => {
    assert.ok(renderReleaseBody({ ...results()[0]!, changelog: [], previousVersion: undefined }, ctx).startsWith('_No notable changes._\n'));
  });
});

describe('renderSummary', () => {
  /** `count` charts pushed to 3 registries, each failed one with an error of multi-byte characters. */
  const pushed = (count: number, error = '') =>
    Array.from({ length: count }, (_, i) => ({
      ...results()[0]!,
      name: `service-${i}-with-a-longer-name`,
      release: undefined,
      ...(error ? { status: 'failed' as const, error } : {}),
      registries: ['ghcr.io/acme/charts', 'registry.internal.example.com:5000/platform/charts', 'acme.azurecr.io/helm'].map((r) => ({ registry: `oci://${r}`, ref: `${r}/service-${i}:1.0.0`, digest: DIGEST, status: 'pushed' as const })),
    }));

  test('1,500 charts in 3 registries fit the 1 MiB the runner takes: every chart is there, nothing cut', () => {
    const summary = renderSummary(pushed(1500), ctx);
    assert.ok(summary.length > 256 * 1024 && Buffer.byteLength(summary) < 1024 * 1024, `${summary.length}`);
    assert.ok(!summary.includes('was cut'));
    assert.ok(summary.includes('| `service-1499-with-a-longer-name` |'));
  });

  test('a summary over 1 MiB of UTF-8 is cut by bytes, as the runner counts, and says where every chart is', () => {
    const summary = renderSummary(pushed(900, 'ошибка реестра: '.repeat(60)), ctx);
    assert.ok(Buffer.byteLength(summary) <= 1_000_000, `${Buffer.byteLength(summary)}`);
    assert.ok(summary.endsWith("> This summary was cut to fit the runner's 1 MiB for a job summary: the `charts` JSON (the action's `charts-file`, the CLI's `--json`) has every chart, the [workflow run](https://github.example.com/acme/charts/actions/runs/42)'s log all of it."), summary.slice(-300));
  });

  test('one table of chart, version, status, registry, digest', () => {
    const lines = renderSummary(results(), ctx).split('\n');
    assert.equal(lines[0], '## chartship');
    assert.ok(lines.includes('1 pushed · 1 skipped · 1 failed'));
    assert.ok(lines.includes('| Chart | Version | Status | Registry | Digest |'));
    assert.ok(lines.some((l) => l.endsWith(`| ✅ pushed | oci://localhost:5000/mirror | \`${DIGEST}\` |`)));
    assert.ok(lines.includes('| `web\\|x` | 0.9.1 | ❌ failed | oci://ghcr.io/acme/charts | — |'));
  });

  test('a failed chart without a version renders cleanly, and each failure is listed once', () => {
    const invalid = { name: 'broken', version: '', path: 'charts/broken', status: 'failed' as const, error: 'charts/broken/Chart.yaml:2:1: name: is required', signed: false, registries: [], changelog: [] };
    const partial = {
      name: 'api',
      version: '1.0.0',
      path: 'charts/api',
      status: 'failed' as const,
      error: 'oci://b.example/x: DENIED; oci://c.example/y: timeout',
      signed: false,
      registries: [
        { registry: 'oci://a.example/x', ref: 'a.example/x/api:1.0.0', digest: DIGEST, status: 'pushed' as const },
        { registry: 'oci://b.example/x', ref: '', digest: '', status: 'failed' as const, error: 'DENIED' },
        { registry: 'oci://c.example/y', ref: '', digest: '', status: 'failed' as const, error: 'timeout' },
      ],
      changelog: [],
    };
    const summary = renderSummary([invalid, partial], ctx);
    assert.ok(summary.includes('| `broken` | — | ❌ failed | — | — |'), summary);
    assert.ok(summary.includes('- **broken**: charts/broken/Chart.yaml:2:1: name: is required'), summary);
    const failures = summary.slice(summary.indexOf('### Failures')).split('\n').filter((l) => l.startsWith('- '));
    assert.deepEqual(failures, ['- **broken**: charts/broken/Chart.yaml:2:1: name: is required', '- **api** 1.0.0 → oci://b.example/x: DENIED', '- **api** 1.0.0 → oci://c.example/y: timeout']);
  });
});

describe('helpers', () => {
  test('ociRepository keeps a registry port and drops the tag', () => {
    assert.equal(ociRepository('localhost:5000/ns/api:1.0.0_b'), 'oci://localhost:5000/ns/api');
    assert.equal(ociRepository('localhost:5000/ns/api'), 'oci://localhost:5000/ns/api');
    assert.equal(ociRepository('ghcr.io/a/b@sha256:abc'), 'oci://ghcr.io/a/b');
  });

  test('helm pull quotes anything a shell would interpret', () => {
    const registry = { registry: 'oci://r', ref: 'r.example/ns/api:1', digest: DIGEST, status: 'pushed' as const };
    assert.equal(helmPullCommand(registry, '1.0.0;rm -rf'), "helm pull oci://r.example/ns/api --version '1.0.0;rm -rf'");
  });

  test('groupChangelog lists each entry once', () => {
    const groups = groupChangelog([entry({ type: 'fix', subject: 'a', breaking: true }), entry({ type: 'docs', subject: 'b' })]);
    assert.deepEqual(
      groups.map((g) => [g.title, g.entries.map((e) => e.subject)]),
      [
        ['Breaking changes', ['a']],
        ['Other', ['b']],
      ],
    );
  });

  test('an entry under Other keeps its type (and scope) as the commit wrote it: `component: change` headers lose no word', () => {
    const other = [entry({ type: 'cinder', subject: 'allow volume types' }), entry({ type: 'chore', scope: 'deps', subject: 'bump yaml' }), entry({ type: 'other', subject: 'Update README' })];
    const lines = renderChangelog(other, ctx).filter((line) => line.startsWith('- '));
    assert.deepEqual(
      lines.map((line) => line.replace(/ \(\[`.*$/, '')),
      ['- cinder: allow volume types', '- chore(deps): bump yaml', '- Update README'],
    );
    assert.deepEqual(renderChangelogText(other).split('\n').filter((line) => line.startsWith('- ')).map((line) => line.replace(/ \(\w+\)$/, '')), ['- cinder: allow volume types', '- chore(deps): bump yaml', '- Update README']);
  });

  test('fitBody closes an open code fence and respects the limit', () => {
    const body = ['start', '```sh', ...Array.from({ length: 100 }, (_, i) => `line ${i}`), '```'].join('\n');
    const cut = fitBody(body, 200, 'NOTE');
    assert.ok(cut.length <= 200);
    assert.ok(cut.endsWith('```\n\nNOTE'), cut);
    assert.equal(fitBody('short', 200, 'NOTE'), 'short');
  });
});
