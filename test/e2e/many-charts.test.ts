/**
 * Hundreds of charts against GitHub's size limits, through the action as a runner starts it and the local GitHub API,
 * which refuses what GitHub refuses (comments and pull request bodies over 65,536 characters, releases over 125,000):
 * the reports stay under their limits with a note, the job summary under its 1 MiB, and a step with hundreds of
 * failing charts still shows its verdict among the 10 error annotations GitHub keeps.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runAction } from '../helpers/action.js';
import { start as startGitHubApi, type GitHubApi } from '../helpers/github-api.js';
import { chartFiles, createRepo, type TestRepo } from '../helpers/git.js';

const scratch = mkdtempSync(join(tmpdir(), 'chartship-many-'));
const TOKEN = 'ghs_manycharts';
const name = (i: number) => `service-${String(i).padStart(3, '0')}-with-a-longer-name`;
const annotations = (log: string, kind: 'error' | 'warning') => log.split('\n').filter((line) => line.startsWith(`::${kind}`));

let github: GitHubApi;
before(async () => {
  github = await startGitHubApi({ token: TOKEN });
});
after(async () => {
  await github?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

/** `count` charts, then one commit that changes each (and breaks every `broken`-th Chart.yaml). */
function manyCharts(count: number, broken = 0): { repo: TestRepo; base: string; head: string } {
  const repo = createRepo();
  const files: Record<string, string> = {};
  for (let i = 0; i < count; i++) Object.assign(files, chartFiles(`charts/${name(i)}`, name(i), '1.0.0'));
  const base = repo.commit('chore: the charts', files);
  const changed: Record<string, string> = {};
  for (let i = 0; i < count; i++) changed[`charts/${name(i)}/values.yaml`] = 'replicas: 2\n';
  for (let i = 0; broken > 0 && i < count; i += broken) changed[`charts/${name(i)}/Chart.yaml`] = `apiVersion: v2\nname: ${name(i)}\nversion: [1\n`;
  const head = repo.commit('feat: every service runs two replicas, as the capacity review of the platform team asked', changed);
  return { repo, base, head };
}

const runner = (head: string) => ({ GITHUB_SHA: head, GITHUB_REF: 'refs/heads/main', GITHUB_REPOSITORY: 'acme/charts', GITHUB_SERVER_URL: 'https://github.example', GITHUB_API_URL: github.url, GITHUB_RUN_ID: '42' });

describe('the action with hundreds of charts', () => {
  it('450 charts, 150 of them broken: the comment, releases and summary fit, and the verdict is an annotation GitHub shows', { timeout: 300_000 }, async () => {
    const { repo, base, head } = manyCharts(450, 3);
    try {
      github.state.commitPulls.set(head, [{ number: 7, state: 'open' }]);
      const run = await runAction({
        cwd: repo.dir,
        dir: join(scratch, 'publish'),
        event: { name: 'push', payload: { before: base, after: head, ref: 'refs/heads/main' } },
        env: runner(head),
        // The default policy warns five times per chart here (no schema, sources, maintainers, kubeVersion, icon).
        inputs: { registry: `oci-layout:${join(scratch, 'layout')}`, 'create-releases': 'true', 'github-token': TOKEN, 'pr-comment': 'true' },
      });
      assert.equal(run.status, 1, run.log.slice(-2000));

      // At most 10 annotations of a kind: 9 of the errors, then the verdict, which counts the charts and the rest.
      const errors = annotations(run.log, 'error');
      assert.equal(errors.length, 10, errors.join('\n'));
      assert.match(errors.at(-1)!, /^::error::150 chart\(s\) failed: service-000-with-a-longer-name, service-003-with-a-longer-name, .* and 130 more; the job summary lists each with its error \(141 more errors in the log \(GitHub shows 10 annotations of a kind per step\)\)$/);
      const warnings = annotations(run.log, 'warning');
      assert.ok(warnings.length <= 10, `${warnings.length} warning annotations`);
      assert.match(warnings.at(-1)!, /^::warning::\d+ more warnings in the log \(GitHub shows 10 annotations of a kind per step\)$/);
      // Every broken chart is still named in the log, with its file and line.
      for (let i = 0; i < 450; i += 3) assert.ok(run.log.includes(`charts/${name(i)}/Chart.yaml`), name(i));
      assert.match(run.log, /^error: charts\/service-447-with-a-longer-name\/Chart\.yaml:4:1: malformed YAML/m);

      // The sticky comment was accepted (GitHub's 422 would have left none), cut with a note.
      const comments = github.state.comments.filter((c) => c.issueNumber === 7);
      assert.equal(comments.length, 1, run.log.split('\n').filter((l) => l.includes('PR comment')).join('\n'));
      assert.ok(comments[0]!.body.length <= 65_536);
      assert.match(comments[0]!.body, /^> GitHub takes 65,536 characters in a comment: the registry references, digests and pull commands are left out here; the job summary of the \[workflow run\]\(https:\/\/github\.example\/acme\/charts\/actions\/runs\/42\) has them\.$/m);
      // One row per chart, every one of the 450.
      for (let i = 0; i < 450; i++) assert.ok(comments[0]!.body.includes(`| \`${name(i)}\` |`), name(i));
      // One release per published chart, and the summary has every chart within its 1 MiB.
      assert.equal(github.state.releases.length, 300);
      assert.ok(Buffer.byteLength(run.summary) < 1024 * 1024);
      for (let i = 0; i < 450; i++) assert.ok(run.summary.includes(name(i)), name(i));
      assert.equal((JSON.parse(run.outputs['charts'] ?? '[]') as unknown[]).length, 450);
      assert.deepEqual(github.violations, []);
    } finally {
      repo.cleanup();
    }
  });

  it('a release pull request for 800 charts is opened: its body fits GitHub\'s 65,536 characters, intro included', { timeout: 300_000 }, async () => {
    const { repo, base, head } = manyCharts(800);
    try {
      repo.addOrigin(join(scratch, 'origin.git'));
      const run = await runAction({
        cwd: repo.dir,
        dir: join(scratch, 'release-pr'),
        event: { name: 'push', payload: { before: base, after: head, ref: 'refs/heads/main' } },
        env: runner(head),
        inputs: { registry: `oci-layout:${join(scratch, 'layout-pr')}`, 'github-token': TOKEN, mode: 'release-pr', policy: 'off' },
      });
      assert.equal(run.status, 0, run.log.slice(-2000));
      const pull = github.state.pulls.find((p) => p.head === 'chartship/release');
      assert.ok(pull, run.log.slice(-2000));
      assert.equal(pull.title, 'chore(release): 800 charts');
      assert.ok(pull.body!.length <= 65_536);
      assert.match(pull.body!, /^<!-- chartship:chartship-release-pr -->\n## chartship release plan\n\nMerging this pull request publishes the charts below/);
      assert.match(pull.body!, /why each chart is released, its dependents and its changelog are left out here; the job summary of the \[workflow run\]/);
      // The summary the body sends readers to has the whole plan.
      for (let i = 0; i < 800; i++) assert.ok(run.summary.includes(`| \`${name(i)}\` | **1.0.0** (new) | none | first release of 1.0.0 | — |`), name(i));
      assert.equal(run.outputs['release-pr'], String(pull.number));
      assert.deepEqual(github.violations, []);
    } finally {
      repo.cleanup();
    }
  });
});
