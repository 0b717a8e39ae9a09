/**
 * The action attests as a workflow with `permissions: id-token: write` runs it: the runner's token endpoint
 * (ACTIONS_ID_TOKEN_REQUEST_URL) served on loopback, a whole Sigstore instance on loopback, a real registry, and
 * GitHub's API as the OpenAPI-checked local server, which records the attestation as GitHub would and serves it
 * back by digest the way `gh attestation verify` looks it up.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as sigstore from 'sigstore';
import { runAction } from '../helpers/action.js';
import { runBundledCli } from '../helpers/cli.js';
import { chartFiles, createRepo, type TestRepo } from '../helpers/git.js';
import { start as startGitHubApi, type GitHubApi } from '../helpers/github-api.js';
import { startRegistry, type TestRegistry } from '../helpers/registry.js';
import { githubClaims, startSigstore, type SigstoreStack } from '../helpers/sigstore.js';
import { skopeoRaw } from '../oci/skopeo.js';

const TOKEN = 'ghs_attesttoken';
const sha = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

/** A private repository's manual run of main, as both describes below start the action. */
const DISPATCH = { name: 'workflow_dispatch', payload: { repository: { visibility: 'private' } } };
const runnerOf = (head: string) => ({ GITHUB_SHA: head, GITHUB_REF: 'refs/heads/main', GITHUB_REPOSITORY: 'acme/charts' });

interface ChartOutput {
  name: string;
  status: string;
  error?: string;
  registries: { ref: string; digest: string; attestation: { digest: string; status: string; via: string; verify: string; ghVerify?: string } | null }[];
  attestation?: { identity: string; issuer: string; instance: string; githubId?: number; verified: boolean };
}

describe('the action attests every pushed chart when the workflow grants id-token: write', () => {
  let registry: TestRegistry;
  let github: GitHubApi;
  let stack: SigstoreStack;
  let repo: TestRepo;
  let head = '';
  const scratch = mkdtempSync(join(tmpdir(), 'chartship-attest-action-'));
  const identity = 'https://github.com/acme/charts/.github/workflows/release.yml@refs/heads/main';

  before(async () => {
    [registry, github, stack] = await Promise.all([startRegistry({ auth: 'none' }), startGitHubApi({ token: TOKEN }), startSigstore()]);
    repo = createRepo();
    head = repo.commit('feat: web chart', chartFiles('charts/web', 'web', '0.3.0'));
    github.state.commitPulls.set(head, [{ number: 7, state: 'open' }]);
  });
  after(async () => {
    await Promise.all([registry?.stop(), github?.stop(), stack?.stop()]);
    repo?.cleanup();
    rmSync(scratch, { recursive: true, force: true });
  });

  const run = (name: string, env: Record<string, string>, inputs: Record<string, string> = {}) =>
    runAction({
      cwd: repo.dir,
      dir: join(scratch, name),
      event: DISPATCH,
      env: {
        ...runnerOf(head),
        GITHUB_SERVER_URL: 'https://github.com',
        GITHUB_API_URL: github.url,
        GITHUB_RUN_ID: '42',
        ...env,
      },
      inputs: {
        registry: `oci://${registry.host}/charts`,
        'plain-http': 'true',
        'github-token': TOKEN,
        'create-releases': 'true',
        'sigstore-signing-config': stack.signingConfigFile,
        'sigstore-trusted-root': stack.trustedRootFile,
        ...inputs,
      },
    });

  it('without id-token: write it publishes, and says attestations are off and why', async () => {
    const off = await run('off', {}, { charts: 'charts/*', 'dry-run': 'true' });
    assert.equal(off.status, 0, off.log);
    assert.match(off.log, /Attestations: off, because the workflow does not grant `id-token: write`/);
  });

  it('attest: true without id-token: write fails before anything is published, naming the permission', async () => {
    const refused = await run('refused', {}, { attest: 'true' });
    assert.equal(refused.status, 1, refused.log);
    assert.match(refused.log, /attest: needs an OIDC token.*id-token: write/);
    assert.equal((await fetch(`${registry.url}/v2/charts/web/tags/list`)).status, 404, 'nothing pushed');
  });

  it('signs with the runner\'s token, stores the bundle beside the chart, records it in GitHub, verifies it, and reports it everywhere', async () => {
    const done = await run('on', stack.actionsEnv(githubClaims({ sha: head })));
    assert.equal(done.status, 0, done.log);
    const [web] = JSON.parse(done.outputs['charts'] ?? '[]') as ChartOutput[];
    assert.equal(web?.status, 'pushed', web?.error);
    assert.deepEqual(stack.tokenRequests, ['sigstore'], 'one ID token, for Sigstore');
    const [reg] = web.registries;
    const attestation = reg!.attestation!;
    assert.equal(attestation.status, 'attested');
    assert.equal(attestation.via, 'referrers-tag');
    assert.equal(attestation.verify, `chartship verify oci://${registry.host}/charts/web:0.3.0 --certificate-identity ${identity} --certificate-oidc-issuer ${stack.issuer}`);
    assert.equal(attestation.ghVerify, `gh attestation verify oci://${registry.host}/charts/web:0.3.0 --repo acme/charts`);
    assert.equal(web.attestation?.identity, identity);
    assert.equal(web.attestation?.verified, true);
    assert.equal(typeof web.attestation?.githubId, 'number');

    // The referrer's subject is the manifest the registry serves.
    const chartManifest = await skopeoRaw(`docker://${registry.host}/charts/web:0.3.0`, ['--tls-verify=false']);
    assert.equal(sha(chartManifest), reg!.digest);
    const referrer = JSON.parse((await skopeoRaw(`docker://${registry.host}/charts/web@${attestation.digest}`, ['--tls-verify=false'])).toString()) as { subject: { digest: string } };
    assert.equal(referrer.subject.digest, reg!.digest);

    // GitHub got the bundle through POST /repos/{owner}/{repo}/attestations, as its description allows.
    assert.deepEqual(github.violations, []);
    assert.deepEqual(github.responseViolations, []);
    assert.ok(github.requests.some((r) => r.operationId === 'repos/create-attestation' && r.status === 201 && r.authenticated));

    // What `gh attestation verify oci://…` does: look the manifest digest up in the API, verify what it returns.
    const listed = await fetch(`${github.url}/repos/acme/charts/attestations/${reg!.digest}`, { headers: { authorization: `Bearer ${TOKEN}` } });
    assert.equal(listed.status, 200);
    const { attestations } = (await listed.json()) as { attestations: { bundle: sigstore.Bundle }[] };
    assert.equal(attestations.length, 1);
    await sigstore.verify(attestations[0]!.bundle, {
      tufMirrorURL: stack.tufUrl,
      tufRootPath: stack.tufRootFile,
      tufCachePath: mkdtempSync(join(scratch, 'tuf-')),
      certificateIssuer: stack.issuer,
      certificateIdentityURI: identity,
    });
    const statement = JSON.parse(Buffer.from((attestations[0]!.bundle as unknown as { dsseEnvelope: { payload: string } }).dsseEnvelope.payload, 'base64').toString()) as {
      subject: { name: string; digest: { sha256: string } }[];
      predicate: { buildDefinition: { buildType: string; resolvedDependencies: { uri: string; digest: { gitCommit: string } }[] }; runDetails: { metadata: { invocationId: string } } };
    };
    assert.deepEqual(statement.subject[0], { name: `${registry.host}/charts/web`, digest: { sha256: reg!.digest.slice(7) } });
    assert.equal(statement.predicate.buildDefinition.buildType, 'https://actions.github.io/buildtypes/workflow/v1');
    assert.deepEqual(statement.predicate.buildDefinition.resolvedDependencies, [{ uri: 'git+https://github.com/acme/charts@refs/heads/main', digest: { gitCommit: head } }]);
    assert.equal(statement.predicate.runDetails.metadata.invocationId, 'https://github.com/acme/charts/actions/runs/42/attempts/1');

    // The summary, the PR comment and the release notes show it with a command that verifies it.
    for (const [where, text] of [
      ['summary', done.summary],
      ['comment', github.state.comments.find((c) => c.issueNumber === 7)?.body ?? ''],
      ['release', github.state.releases.find((r) => r.tag_name === 'web-0.3.0')?.body ?? ''],
    ] as const) {
      assert.match(text, /### Provenance/, where);
      assert.ok(text.includes(attestation.digest), `${where} names the attestation`);
      assert.ok(text.includes(attestation.verify), `${where} has the verify command`);
    }

    // And the command it printed works, telling who built it from which commit.
    const verify = await runBundledCli(
      ['verify', `oci://${registry.host}/charts/web:0.3.0`, '--certificate-identity', identity, '--certificate-oidc-issuer', stack.issuer, '--trusted-root', stack.trustedRootFile, '--plain-http'],
      { cwd: scratch, env: { HOME: scratch } },
    );
    assert.equal(verify.code, 0, verify.stderr);
    assert.match(verify.stdout, new RegExp(`Source: https://github.com/acme/charts refs/heads/main @ ${head}`));
    assert.match(verify.stdout, /Workflow: https:\/\/github.com\/acme\/charts\/.github\/workflows\/release.yml@refs\/heads\/main/);
    assert.match(verify.stdout, /Run: https:\/\/github.com\/acme\/charts\/actions\/runs\/42\/attempts\/1/);
  });
});

describe('GitHub Enterprise Server has no artifact attestations', () => {
  let registry: TestRegistry;
  let stack: SigstoreStack;
  let repo: TestRepo;
  let head = '';
  const scratch = mkdtempSync(join(tmpdir(), 'chartship-attest-ghes-'));

  before(async () => {
    [registry, stack] = await Promise.all([startRegistry({ auth: 'none' }), startSigstore()]);
    repo = createRepo();
    head = repo.commit('feat: web chart', chartFiles('charts/web', 'web', '0.3.0'));
  });
  after(async () => {
    await Promise.all([registry?.stop(), stack?.stop()]);
    repo?.cleanup();
    rmSync(scratch, { recursive: true, force: true });
  });

  // A GHES job with `id-token: write` for another reason (AWS's OIDC login to ECR): its token is GHES's own.
  const run = (name: string, inputs: Record<string, string> = {}) =>
    runAction({
      cwd: repo.dir,
      dir: join(scratch, name),
      event: DISPATCH,
      env: {
        ...runnerOf(head),
        GITHUB_SERVER_URL: 'https://ghes.example.com',
        GITHUB_API_URL: 'https://ghes.example.com/api/v3',
        ...stack.actionsEnv(githubClaims({ sha: head, iss: 'https://ghes.example.com/_services/token' })),
      },
      inputs: { registry: `oci://${registry.host}/charts/${name}`, 'plain-http': 'true', 'pr-comment': 'false', policy: 'off', ...inputs },
    });

  it('by default a GHES run publishes without attesting, and says why', async () => {
    const done = await run('default');
    assert.equal(done.status, 0, done.log);
    assert.match(done.log, /Attestations: off, because GitHub Enterprise Server \(https:\/\/ghes\.example\.com\) has no artifact attestations/);
    const [web] = JSON.parse(done.outputs['charts'] ?? '[]') as ChartOutput[];
    assert.equal(web?.status, 'pushed', web?.error);
    assert.deepEqual(stack.tokenRequests, [], 'no ID token asked for');
  });

  it('attest: true on GHES without another Sigstore instance fails before anything is published', async () => {
    const refused = await run('refused', { attest: 'true' });
    assert.equal(refused.status, 1, refused.log);
    assert.match(refused.log, /attest: GitHub Enterprise Server \(https:\/\/ghes\.example\.com\) has no artifact attestations/);
    assert.equal((await fetch(`${registry.url}/v2/charts/refused/web/tags/list`)).status, 404, 'nothing pushed');
  });
});
