/**
 * The action records each attestation in GitHub's attestations API through a flaky GitHub: a 5xx before the write is
 * retried, one after it (the record made, the answer lost) is found by looking for this very bundle before another
 * attempt, and GitHub failing every attempt leaves the warning of today. GitHub never holds the bundle twice. A real
 * registry, a whole Sigstore instance on loopback, GitHub's API as the OpenAPI-checked local server with its failure
 * injection.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { runAction } from '../helpers/action.js';
import { chartFiles, createRepo, type TestRepo } from '../helpers/git.js';
import { start as startGitHubApi, type GitHubApi } from '../helpers/github-api.js';
import { startRegistry, type TestRegistry } from '../helpers/registry.js';
import { githubClaims, startSigstore, type SigstoreStack } from '../helpers/sigstore.js';

const TOKEN = 'ghs_attestretrytoken';
const CREATE = 'repos/create-attestation';

interface ChartOutput {
  registries: { digest: string; attestation: { status: string; ghVerify?: string } | null }[];
}

describe('the action records the attestation in GitHub once, through transient failures', () => {
  let registry: TestRegistry;
  let github: GitHubApi;
  let stack: SigstoreStack;
  const repos: TestRepo[] = [];
  const scratch = mkdtempSync(join(tmpdir(), 'chartship-attest-retry-'));

  before(async () => {
    [registry, github, stack] = await Promise.all([startRegistry({ auth: 'none' }), startGitHubApi({ token: TOKEN }), startSigstore()]);
  });
  afterEach(() => {
    github.state.failures.clear();
  });
  after(async () => {
    await Promise.all([registry?.stop(), github?.stop(), stack?.stop()]);
    for (const repo of repos) repo.cleanup();
    rmSync(scratch, { recursive: true, force: true });
  });

  /** A first release of chart `name` with attestations on; what GitHub holds about its manifest afterwards. */
  const release = async (name: string) => {
    const repo = createRepo();
    repos.push(repo);
    const head = repo.commit(`feat: ${name}`, chartFiles(`charts/${name}`, name, '1.0.0'));
    const created = github.requests.filter((r) => r.operationId === CREATE).length;
    const done = await runAction({
      cwd: repo.dir,
      dir: join(scratch, name),
      event: { name: 'workflow_dispatch', payload: { repository: { visibility: 'private' } } },
      env: {
        GITHUB_SHA: head, GITHUB_REF: 'refs/heads/main', GITHUB_REPOSITORY: 'acme/charts', GITHUB_SERVER_URL: 'https://github.com', GITHUB_API_URL: github.url, GITHUB_RUN_ID: '42',
        ...stack.actionsEnv(githubClaims({ sha: head })),
      },
      inputs: {
        registry: `oci://${registry.host}/charts`, 'plain-http': 'true', 'github-token': TOKEN, 'pr-comment': 'false', policy: 'off', attest: 'true',
        'sigstore-signing-config': stack.signingConfigFile, 'sigstore-trusted-root': stack.trustedRootFile,
      },
    });
    assert.equal(done.status, 0, done.log);
    const [chart] = JSON.parse(done.outputs['charts'] ?? '[]') as ChartOutput[];
    const registered = chart!.registries[0]!;
    assert.equal(registered.attestation?.status, 'attested');
    return {
      log: done.log,
      ghVerify: registered.attestation.ghVerify,
      held: github.state.attestations.filter((a) => a.subjects.includes(registered.digest)),
      creates: github.requests.filter((r) => r.operationId === CREATE).length - created,
    };
  };
  const retryLines = (log: string) => log.split('\n').filter((line) => /^GitHub API: recording the attestation: .* before attempt \d of 4$/.test(line));
  const NO_WARNING = /::warning::GitHub attestations API/;

  it('a 502 before GitHub wrote it: retried, recorded once, no warning', async () => {
    github.state.failures.set(CREATE, { status: 502, message: 'Bad Gateway', times: 1 });
    const run = await release('before');
    assert.equal(run.held.length, 1, 'recorded');
    assert.equal(run.creates, 2);
    assert.deepEqual(retryLines(run.log).map((line) => line.replace(/waiting \d+ ms/, 'waiting N')), ['GitHub API: recording the attestation: HTTP 502; waiting N before attempt 2 of 4']);
    assert.doesNotMatch(run.log, NO_WARNING);
    assert.equal(run.ghVerify, `gh attestation verify oci://${registry.host}/charts/before:1.0.0 --repo acme/charts`);
    assert.deepEqual(github.violations, []);
  });

  it('a 502 after GitHub wrote it (the answer lost): found by the lookup, recorded once, not twice, no warning', async () => {
    github.state.failures.set(CREATE, { status: 502, message: 'Bad Gateway', times: 1, afterEffect: true });
    const run = await release('after');
    assert.equal(run.held.length, 1, 'not recorded twice');
    assert.equal(run.creates, 1, 'the second attempt found it and sent nothing');
    assert.equal(retryLines(run.log).length, 1, run.log);
    assert.doesNotMatch(run.log, NO_WARNING);
    assert.equal(run.ghVerify, `gh attestation verify oci://${registry.host}/charts/after:1.0.0 --repo acme/charts`, 'gh finds the one GitHub holds');
    assert.deepEqual(github.violations, []);
  });

  it('a connection dropped after GitHub wrote it: found the same way', async () => {
    github.state.failures.set(CREATE, { status: 500, message: 'Server Error', times: 1, afterEffect: true, drop: true });
    const run = await release('dropped');
    assert.equal(run.held.length, 1, 'not recorded twice');
    assert.equal(run.creates, 1);
    assert.match(retryLines(run.log)[0] ?? '', /^GitHub API: recording the attestation: no answer \(.+\); waiting \d+ ms before attempt 2 of 4$/);
    assert.doesNotMatch(run.log, NO_WARNING);
  });

  it('GitHub failing every attempt: the warning of today, the chart published, nothing recorded twice', async () => {
    // Refused before the write every time: each attempt after the first looks, finds nothing, and tries again.
    github.state.failures.set(CREATE, { status: 502, message: 'Bad Gateway' });
    const run = await release('never');
    assert.equal(run.held.length, 0);
    assert.equal(run.creates, 4, 'every attempt of the policy, no more');
    assert.equal(retryLines(run.log).length, 3, run.log);
    assert.match(run.log, /^::warning::GitHub attestations API: GitHub API: recording the attestation failed with HTTP 502: Bad Gateway/m);
    assert.equal(run.ghVerify, undefined, 'no gh command for a record GitHub does not hold');
    assert.deepEqual(github.violations, []);
  });
});
