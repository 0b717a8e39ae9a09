/**
 * Attestations when something on the way fails, as users meet it through the bundled CLI: a registry that refuses the
 * referrer manifest, Fulcio or Rekor answering 5xx, a timestamp authority that is not there, the OIDC token endpoint
 * refusing. The outcome must say what is stored and nothing more, and a rerun must complete only the attestation.
 * Sigstore is served on loopback (helpers/sigstore.ts) behind a fault-injecting proxy; the registries are real
 * distribution 2.8 (no referrers API: the sha256-<hex> tag schema applies); bundles are checked with sigstore-js.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as jose from 'jose';
import * as sigstore from 'sigstore';
import { openTarget } from '../../src/helm-oci/index.js';
import { referrersTag } from '../../src/oci/referrers.js';
import { readReferrers } from '../helpers/registry-charts.js';
import { runAction } from '../helpers/action.js';
import { runBundledCli } from '../helpers/cli.js';
import { startFlakyProxy, type FlakyProxy } from '../helpers/flaky-proxy.js';
import { startForwardProxy } from '../helpers/forward-proxy.js';
import { chartFiles, createRepo, type TestRepo } from '../helpers/git.js';
import { start as startGitHubApi, type GitHubApi } from '../helpers/github-api.js';
import { startRegistry, type TestRegistry } from '../helpers/registry.js';
import { githubClaims, startSigstore, type SigstoreStack } from '../helpers/sigstore.js';
import { skopeoRaw } from '../oci/skopeo.js';

const BUNDLE = 'application/vnd.dev.sigstore.bundle.v0.3+json';

interface Outcome {
  charts: {
    name: string;
    version: string;
    status: string;
    error?: string;
    registries: { registry: string; ref: string; digest: string; status: string; attestation?: { digest: string; status: string; verify?: string } | null }[];
    attestation?: { identity: string; verified: boolean };
  }[];
}

describe('attestations when a registry or a Sigstore service fails', () => {
  let one: TestRegistry;
  let two: TestRegistry;
  let front: FlakyProxy;
  let stack: SigstoreStack;
  let services: FlakyProxy;
  let signingConfig = '';
  const scratch = mkdtempSync(join(tmpdir(), 'chartship-attest-failures-'));
  const claims = { sub: 'project_path:acme/charts:ref_type:branch:ref:main' };
  const repos: TestRepo[] = [];

  before(async () => {
    [one, two, stack] = await Promise.all([startRegistry({ auth: 'none' }), startRegistry({ auth: 'none' }), startSigstore()]);
    [front, services] = await Promise.all([startFlakyProxy(two.url), startFlakyProxy(stack.url)]);
    // The same instance, reached through the proxy: its faults are what Fulcio, Rekor or the TSA would answer.
    signingConfig = join(scratch, 'signing_config.json');
    writeFileSync(signingConfig, readFileSync(stack.signingConfigFile, 'utf8').replaceAll(stack.url, `http://${services.host}`));
  });
  after(async () => {
    await Promise.all([one?.stop(), two?.stop(), front?.stop(), services?.stop(), stack?.stop()]);
    for (const repo of repos) repo.cleanup();
    rmSync(scratch, { recursive: true, force: true });
  });

  const chartRepo = (name: string, version = '1.0.0') => {
    const repo = createRepo();
    repos.push(repo);
    repo.commit(`feat: ${name}`, chartFiles(`charts/${name}`, name, version));
    return repo;
  };
  const publish = async (repo: TestRepo, registries: string[], extra: string[] = [], env: Record<string, string> = {}) => {
    const run = await runBundledCli(
      [
        'publish', '--version-bump', 'none', ...registries.flatMap((r) => ['--registry', r]), '--plain-http',
        '--attest', '--sigstore-signing-config', signingConfig, '--sigstore-trusted-root', stack.trustedRootFile, '--json', ...extra,
      ],
      { cwd: repo.dir, env: { HOME: scratch, SIGSTORE_ID_TOKEN: await stack.token(claims), ...env } },
    );
    return { ...run, outcome: run.stdout ? (JSON.parse(run.stdout) as Outcome) : undefined };
  };
  const bundlesOf = async (registry: string, name: string, digest: string) => {
    const target = openTarget(registry, { plainHttp: true });
    try {
      return await readReferrers(target, name, digest, BUNDLE);
    } finally {
      await target.close();
    }
  };
  const independentlyVerified = async (layer: Buffer) =>
    sigstore.verify(JSON.parse(layer.toString()) as sigstore.Bundle, {
      tufMirrorURL: stack.tufUrl,
      tufRootPath: stack.tufRootFile,
      tufCachePath: mkdtempSync(join(scratch, 'tuf-')),
      certificateIssuer: stack.issuer,
      certificateIdentityURI: claims.sub,
    });

  it('one registry refusing the referrer manifest: the outcome names it, keeps what the other registry holds, and a rerun attests only there', async () => {
    const repo = chartRepo('api');
    const a = `oci://${one.host}/charts`;
    const b = `oci://${front.host}/charts`;
    // As older registries do: the manifest with a `subject` (pushed by digest) is refused; the chart (by tag) is not.
    front.rules.push({ method: 'PUT', path: /\/manifests\/sha256:/, fault: { kind: 'status', status: 400, errors: [{ code: 'MANIFEST_INVALID', message: 'manifest invalid: unknown field "subject"' }] }, times: 10 });
    const first = await publish(repo, [a, b]);
    assert.equal(first.code, 1, first.stderr);
    const [api] = first.outcome!.charts;
    assert.equal(api?.status, 'failed');
    assert.match(api?.error ?? '', new RegExp(`pushed, but not attested: ${front.host}/charts/api: .*manifest invalid`), 'the error names the registry that refused and why');
    const [inA, inB] = api.registries;
    assert.match(inA?.digest ?? '', /^sha256:/);
    assert.equal(inB?.digest, inA?.digest, 'the chart is in both');
    // The registry that took it holds a verifiable attestation, and the outcome says so; the other holds none and says none.
    const stored = await bundlesOf(a, 'api', inA!.digest);
    assert.equal(stored.length, 1);
    await independentlyVerified(stored[0]!.layer);
    assert.equal(inA?.attestation?.digest, stored[0]!.descriptor.digest);
    assert.equal(inA?.attestation?.status, 'attested');
    assert.ok(!inB?.attestation, 'nothing claimed for the registry that refused');
    assert.deepEqual(await bundlesOf(b, 'api', inB!.digest), []);

    front.rules.length = 0;
    const signedBefore = stack.requests.filter((r) => r.path.endsWith('/signingCert')).length;
    const rerun = await publish(repo, [a, b]);
    assert.equal(rerun.code, 0, rerun.stderr);
    const [again] = rerun.outcome!.charts;
    assert.equal(again?.status, 'unchanged', 'the chart itself is not pushed again');
    assert.deepEqual(again?.registries.map((r) => r.attestation?.status), ['existing', 'attested']);
    assert.equal(stack.requests.filter((r) => r.path.endsWith('/signingCert')).length, signedBefore + 1, 'signed once, for the registry that missed it');
    assert.equal((await bundlesOf(a, 'api', inA.digest)).length, 1, 'the registry that had it gets no second one');
    const nowInB = await bundlesOf(b, 'api', inB!.digest);
    assert.equal(nowInB.length, 1);
    await independentlyVerified(nowInB[0]!.layer);
  });

  for (const [service, path] of [
    ['Fulcio', /^\/fulcio\//],
    ['Rekor', /^\/rekor\//],
  ] as const) {
    it(`${service} answering 503: the chart is pushed, the outcome says it is not attested, nothing is stored; a rerun attests it only`, async () => {
      const repo = chartRepo(service.toLowerCase());
      services.rules.push({ method: 'POST', path, fault: { kind: 'status', status: 503 }, times: 100 });
      const first = await publish(repo, [`oci://${one.host}/charts`]);
      services.rules.length = 0;
      assert.equal(first.code, 1, first.stderr);
      const [chart] = first.outcome!.charts;
      assert.equal(chart?.status, 'failed');
      assert.match(chart?.error ?? '', /pushed, but not attested: signing with Sigstore .* failed: .*503/);
      assert.match(chart?.registries[0]?.digest ?? '', /^sha256:/, 'the chart is pushed');
      assert.ok(!chart?.registries[0]?.attestation);
      assert.ok(!chart?.attestation);
      assert.deepEqual(await bundlesOf(`oci://${one.host}/charts`, chart.name, chart.registries[0]!.digest), []);

      const rerun = await publish(repo, [`oci://${one.host}/charts`]);
      assert.equal(rerun.code, 0, rerun.stderr);
      const [again] = rerun.outcome!.charts;
      assert.equal(again?.status, 'unchanged');
      assert.equal(again?.registries[0]?.digest, chart?.registries[0]?.digest);
      assert.equal(again?.registries[0]?.attestation?.status, 'attested');
      const [stored] = await bundlesOf(`oci://${one.host}/charts`, chart.name, chart.registries[0]!.digest);
      await independentlyVerified(stored!.layer);
    });
  }

  it('a timestamp authority that is not there: the chart is pushed and the outcome names the failure', async () => {
    const repo = chartRepo('tsa');
    const config = join(scratch, 'tsa-only.json');
    const json = JSON.parse(readFileSync(signingConfig, 'utf8')) as { rekorTlogUrls: unknown[]; tsaUrls: { url: string }[]; caUrls: { url: string }[] };
    json.rekorTlogUrls = [];
    json.tsaUrls = [{ ...json.caUrls[0]!, url: `http://${services.host}/no-tsa/api/v1/timestamp` }];
    writeFileSync(config, JSON.stringify(json));
    const first = await publish(repo, [`oci://${one.host}/charts`], ['--sigstore-signing-config', config]);
    assert.equal(first.code, 1, first.stderr);
    const [chart] = first.outcome!.charts;
    assert.equal(chart?.status, 'failed');
    assert.match(chart?.error ?? '', /pushed, but not attested: signing with Sigstore .*404/);
    assert.deepEqual(await bundlesOf(`oci://${one.host}/charts`, 'tsa', chart.registries[0]!.digest), []);
  });

  it('the runner\'s token endpoint refusing fails before anything is published', async () => {
    const repo = chartRepo('oidc');
    const actions = stack.actionsEnv(githubClaims());
    const url = new URL(actions.ACTIONS_ID_TOKEN_REQUEST_URL!);
    services.rules.push({ method: 'GET', path: /^\/actions-token\//, fault: { kind: 'status', status: 500 }, times: 100 });
    try {
      const run = await runBundledCli(
        ['publish', '--version-bump', 'none', '--registry', `oci://${one.host}/charts`, '--plain-http', '--attest', '--sigstore-signing-config', signingConfig, '--sigstore-trusted-root', stack.trustedRootFile],
        { cwd: repo.dir, env: { HOME: scratch, GITHUB_ACTIONS: 'true', ACTIONS_ID_TOKEN_REQUEST_URL: `http://${services.host}${url.pathname}${url.search}`, ACTIONS_ID_TOKEN_REQUEST_TOKEN: actions.ACTIONS_ID_TOKEN_REQUEST_TOKEN! } },
      );
      assert.equal(run.code, 1, run.stderr);
      assert.match(run.stderr, /token endpoint answered HTTP 500/);
      const target = openTarget(`oci://${one.host}/charts`, { plainHttp: true });
      assert.deepEqual(await target.listVersions('oidc'), [], 'nothing pushed');
      await target.close();
    } finally {
      services.rules.length = 0;
    }
  });

  it('the CLI on a runner behind a proxy reaches the token endpoint through it, as @actions/core does', async () => {
    const repo = chartRepo('proxied');
    const proxy = await startForwardProxy({ hosts: { 'token.test': '127.0.0.1' } });
    try {
      const actions = stack.actionsEnv(githubClaims());
      const url = new URL(actions.ACTIONS_ID_TOKEN_REQUEST_URL!);
      // A name only the proxy resolves: a request that bypassed the proxy fails to reach it.
      const endpoint = `http://token.test:${url.port}${url.pathname}${url.search}`;
      const run = await runBundledCli(
        ['publish', '--version-bump', 'none', '--registry', `oci://${one.host}/charts`, '--plain-http', '--attest', '--sigstore-signing-config', signingConfig, '--sigstore-trusted-root', stack.trustedRootFile, '--json'],
        { cwd: repo.dir, env: { HOME: scratch, GITHUB_ACTIONS: 'true', HTTP_PROXY: proxy.url, NO_PROXY: '127.0.0.1', ACTIONS_ID_TOKEN_REQUEST_URL: endpoint, ACTIONS_ID_TOKEN_REQUEST_TOKEN: actions.ACTIONS_ID_TOKEN_REQUEST_TOKEN! } },
      );
      assert.equal(run.code, 0, run.stderr);
      assert.equal((JSON.parse(run.stdout) as Outcome).charts[0]?.registries[0]?.attestation?.status, 'attested');
      assert.ok((proxy.tunnels.get(`token.test:${url.port}`) ?? 0) >= 1, 'through the proxy');
    } finally {
      await proxy.stop();
    }
  });

  it('an expired ID token fails before anything is published', async () => {
    const repo = chartRepo('expired');
    const expired = new jose.UnsecuredJWT({ sub: claims.sub }).setIssuer(stack.issuer).setAudience('sigstore').setIssuedAt(Math.floor(Date.now() / 1000) - 900).setExpirationTime(Math.floor(Date.now() / 1000) - 300).encode();
    const run = await publish(repo, [`oci://${one.host}/charts`], [], { SIGSTORE_ID_TOKEN: expired });
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, /the OIDC identity token expired at \d{4}-/);
    const target = openTarget(`oci://${one.host}/charts`, { plainHttp: true });
    assert.deepEqual(await target.listVersions('expired'), [], 'nothing pushed');
    await target.close();
  });
});

describe('chartship verify oci://… when the chart or its attestation is not what was asked for', () => {
  let registry: TestRegistry;
  let stack: SigstoreStack;
  let repo: TestRepo;
  const scratch = mkdtempSync(join(tmpdir(), 'chartship-attest-verify-'));
  const identity = 'https://github.com/acme/charts/.github/workflows/release.yml@refs/heads/main';

  before(async () => {
    [registry, stack] = await Promise.all([startRegistry({ auth: 'none' }), startSigstore()]);
    repo = createRepo();
    repo.commit('feat: charts', { ...chartFiles('charts/web', 'web', '1.0.0'), ...chartFiles('charts/bare', 'bare', '1.0.0') });
    const [web, bare] = await Promise.all([publish('charts/web', true), publish('charts/bare', false)]);
    assert.equal(web.code, 0, web.stderr);
    assert.equal(bare.code, 0, bare.stderr);
  });
  after(async () => {
    await Promise.all([registry?.stop(), stack?.stop()]);
    repo?.cleanup();
    rmSync(scratch, { recursive: true, force: true });
  });

  const publish = async (charts: string, attest: boolean) =>
    runBundledCli(
      ['publish', '--charts', charts, '--version-bump', 'none', '--registry', `oci://${registry.host}/charts`, '--plain-http', '--json', ...(attest ? ['--attest', '--sigstore-signing-config', stack.signingConfigFile, '--sigstore-trusted-root', stack.trustedRootFile] : [])],
      { cwd: repo.dir, env: { HOME: scratch, SIGSTORE_ID_TOKEN: await stack.token(githubClaims()) } },
    );
  const verify = (ref: string, who = identity) =>
    runBundledCli(['verify', ref, '--certificate-identity', who, '--certificate-oidc-issuer', stack.issuer, '--trusted-root', stack.trustedRootFile, '--plain-http'], { cwd: scratch, env: { HOME: scratch } });

  it('accepts the attested chart', async () => {
    const run = await verify(`oci://${registry.host}/charts/web:1.0.0`);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^Verified: /m);
  });

  it('an attestation from another repository\'s workflow is rejected, naming who signed it', async () => {
    const run = await verify(`oci://${registry.host}/charts/web:1.0.0`, 'https://github.com/other/charts/.github/workflows/release.yml@refs/heads/main');
    assert.equal(run.code, 1);
    assert.match(run.stdout, /^Rejected: attestation sha256:[a-f0-9]{64}: .*identity error - expected https:\/\/github.com\/other\/.*, got https:\/\/github.com\/acme\/charts\//m);
    assert.match(run.stderr, /no attestation of .* verifies/);
  });

  it('a chart with no attestation: a clear message and a non-zero exit', async () => {
    const run = await verify(`oci://${registry.host}/charts/bare:1.0.0`);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /bare:1\.0\.0 \(sha256:[a-f0-9]{64}\) has no Sigstore attestation/);
  });

  it('a referrer listed but gone (deleted, expired by a retention policy): verify rejects it alone, and a rerun keeps the attestation that is there', async () => {
    const chartManifest = await skopeoRaw(`docker://${registry.host}/charts/web:1.0.0`, ['--tls-verify=false']);
    const digest = `sha256:${createHash('sha256').update(chartManifest).digest('hex')}`;
    const target = openTarget(`oci://${registry.host}/charts`, { plainHttp: true });
    const [real] = await readReferrers(target, 'web', digest, BUNDLE);
    // A newer provenance referrer, listed in the sha256-<hex> tag, whose manifest is then deleted: a rerun that trusted
    // the listing would take it for the attestation.
    const gone = await target.attach('web', { digest, size: chartManifest.length }, { artifactType: BUNDLE, mediaType: BUNDLE, bytes: real!.layer, annotations: { ...real!.annotations, 'org.opencontainers.image.created': '2999-01-01T00:00:00.000Z' } });
    await target.close();
    const deleted = await fetch(`${registry.url}/v2/charts/web/manifests/${gone.digest}`, { method: 'DELETE' });
    assert.equal(deleted.status, 202);
    const tag = (await (await fetch(`${registry.url}/v2/charts/web/manifests/${referrersTag(digest)}`, { headers: { accept: 'application/vnd.oci.image.index.v1+json' } })).json()) as { manifests: { digest: string }[] };
    assert.ok(tag.manifests.some((m) => m.digest === gone.digest), 'still listed');

    const run = await verify(`oci://${registry.host}/charts/web:1.0.0`);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, new RegExp(`^Verified: .*\\n  Attestation: ${real!.descriptor.digest}`, 'm'));
    assert.match(run.stdout, new RegExp(`^Rejected: attestation ${gone.digest}: .*missing`, 'm'));

    const rerun = await publish('charts/web', true);
    assert.equal(rerun.code, 0, rerun.stderr);
    const [web] = (JSON.parse(rerun.stdout) as Outcome).charts;
    assert.deepEqual(web?.registries[0]?.attestation && { ...web.registries[0].attestation }, { digest: real!.descriptor.digest, status: 'existing' });
  });

  it('another kind of attestation (an SBOM) is not build provenance: a rerun attests the chart', async () => {
    const target = openTarget(`oci://${registry.host}/charts`, { plainHttp: true });
    const [listed] = await target.listReferrers('web', (await target.inspectChart('web', '1.0.0'))!.digest, BUNDLE);
    const real = await target.readReferrer('web', listed!);
    const bare = (await target.inspectChart('bare', '1.0.0'))!;
    const size = (await skopeoRaw(`docker://${registry.host}/charts/bare:1.0.0`, ['--tls-verify=false'])).length;
    // A bundle of another predicate type (its content does not matter here: only what it says it is).
    await target.attach('bare', { digest: bare.digest, size }, { artifactType: BUNDLE, mediaType: BUNDLE, bytes: real.layer, annotations: { ...real.annotations, 'dev.sigstore.bundle.predicateType': 'https://spdx.dev/Document' } });
    const run = await publish('charts/bare', true);
    assert.equal(run.code, 0, run.stderr);
    const [chart] = (JSON.parse(run.stdout) as Outcome).charts;
    assert.equal(chart?.registries[0]?.attestation?.status, 'attested');
    const stored = await readReferrers(target, 'bare', bare.digest, BUNDLE);
    await target.close();
    assert.deepEqual(stored.map((r) => r.annotations['dev.sigstore.bundle.predicateType']).sort(), ['https://slsa.dev/provenance/v1', 'https://spdx.dev/Document']);
  });

  it('another chart under the same tag (the tag moved to other content) does not verify', async () => {
    const { chartArchive } = await import('../helpers/registry-charts.js');
    const target = openTarget(`oci://${registry.host}/charts`, { plainHttp: true });
    await target.pushChart({ archive: chartArchive({ name: 'web', version: '1.0.0', extra: 'keywords: [tampered]\n' }) }, { overwrite: true });
    await target.close();
    const run = await verify(`oci://${registry.host}/charts/web:1.0.0`);
    assert.equal(run.code, 1);
    assert.doesNotMatch(run.stdout, /^Verified/m);
    // The attestation is about the manifest the tag named before: the message must not only say to turn attestations on.
    assert.match(run.stderr, /web:1\.0\.0 \(sha256:[a-f0-9]{64}\) has no Sigstore attestation .*the tag now names other content than what was attested/);
  });
});

describe('the action with id-token: write, run again', () => {
  let registry: TestRegistry;
  let github: GitHubApi;
  let stack: SigstoreStack;
  let services: FlakyProxy;
  let repo: TestRepo;
  let head = '';
  const TOKEN = 'ghs_reruntoken';
  const scratch = mkdtempSync(join(tmpdir(), 'chartship-attest-rerun-'));

  before(async () => {
    [registry, github, stack] = await Promise.all([startRegistry({ auth: 'none' }), startGitHubApi({ token: TOKEN }), startSigstore()]);
    services = await startFlakyProxy(stack.url);
    repo = createRepo();
    head = repo.commit('feat: web chart', chartFiles('charts/web', 'web', '0.3.0'));
  });
  after(async () => {
    await Promise.all([registry?.stop(), github?.stop(), stack?.stop(), services?.stop()]);
    repo?.cleanup();
    rmSync(scratch, { recursive: true, force: true });
  });

  // The runner's token endpoint, reached through the fault-injecting proxy.
  const run = (name: string, attempt: string) => {
    const actions = stack.actionsEnv(githubClaims({ sha: head, run_attempt: attempt }));
    const url = new URL(actions.ACTIONS_ID_TOKEN_REQUEST_URL!);
    return runAction({
      cwd: repo.dir,
      dir: join(scratch, name),
      event: { name: 'workflow_dispatch', payload: { repository: { visibility: 'private' } } },
      env: {
        GITHUB_SHA: head, GITHUB_REF: 'refs/heads/main', GITHUB_REPOSITORY: 'acme/charts', GITHUB_SERVER_URL: 'https://github.com', GITHUB_API_URL: github.url,
        GITHUB_RUN_ID: '42', GITHUB_RUN_ATTEMPT: attempt,
        ACTIONS_ID_TOKEN_REQUEST_URL: `http://${services.host}${url.pathname}${url.search}`, ACTIONS_ID_TOKEN_REQUEST_TOKEN: actions.ACTIONS_ID_TOKEN_REQUEST_TOKEN!,
      },
      inputs: { registry: `oci://${registry.host}/charts`, 'plain-http': 'true', 'github-token': TOKEN, 'pr-comment': 'false', policy: 'off', 'sigstore-signing-config': stack.signingConfigFile, 'sigstore-trusted-root': stack.trustedRootFile },
    });
  };
  const signed = () => stack.requests.filter((r) => r.path.endsWith('/signingCert')).length;

  it('the token endpoint refusing fails the step before anything is pushed', async () => {
    services.rules.push({ method: 'GET', path: /^\/actions-token\//, fault: { kind: 'status', status: 500 }, times: 100 });
    try {
      const refused = await run('refused', '1');
      assert.equal(refused.status, 1, refused.log);
      assert.match(refused.log, /::error::.*(token|OIDC|ID token)/i);
      assert.equal((await fetch(`${registry.url}/v2/charts/web/tags/list`)).status, 404, 'nothing pushed');
    } finally {
      services.rules.length = 0;
    }
  });

  it('attests once; a rerun of the unchanged chart signs nothing, stores and records nothing more', async () => {
    const first = await run('first', '1');
    assert.equal(first.status, 0, first.log);
    assert.equal(signed(), 1);
    const [web] = JSON.parse(first.outputs['charts'] ?? '[]') as Outcome['charts'];
    const digest = web!.registries[0]!.digest;
    for (const attempt of ['2', '3']) {
      const again = await run(`again-${attempt}`, attempt);
      assert.equal(again.status, 0, again.log);
      const [chart] = JSON.parse(again.outputs['charts'] ?? '[]') as Outcome['charts'];
      assert.equal(chart?.registries[0]?.attestation?.status, 'existing');
    }
    assert.equal(signed(), 1, 'no certificate asked for again');
    const target = openTarget(`oci://${registry.host}/charts`, { plainHttp: true });
    assert.equal((await readReferrers(target, 'web', digest, BUNDLE)).length, 1, 'the referrers list does not grow');
    await target.close();
    assert.equal(github.state.attestations.length, 1, 'recorded in GitHub once');
  });
});
