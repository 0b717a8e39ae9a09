/**
 * The action run again with `id-token: write`, as a workflow's rerun or its next push meets it: a run with nothing to
 * sign asks for no ID token (so a token service that is down, or a job without the permission, fails nothing); an
 * attestation already in the registry counts only if it verifies for the chart and this workflow, else the chart is
 * attested again and the outcome says why; a registry that refused the referrer the first time gets it, and GitHub's
 * attestations API, which holds the first one, gets no second. Real registries (distribution 2.8), a whole Sigstore
 * instance on loopback behind a fault-injecting proxy (its token endpoint is the runner's), GitHub's API as the
 * OpenAPI-checked local server; what is stored is checked with sigstore-js.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as sigstore from 'sigstore';
import { compress } from 'snappyjs';
import { openTarget } from '../../src/helm-oci/index.js';
import { runAction } from '../helpers/action.js';
import { startAttestationBlobs, type AttestationBlobs } from '../helpers/attestation-blobs.js';
import { runBundledCli } from '../helpers/cli.js';
import { startFlakyProxy, type FlakyProxy } from '../helpers/flaky-proxy.js';
import { startForwardProxy } from '../helpers/forward-proxy.js';
import { chartFiles, createRepo, type TestRepo } from '../helpers/git.js';
import { start as startGitHubApi, type FakeAttestation, type GitHubApi } from '../helpers/github-api.js';
import { readReferrers } from '../helpers/registry-charts.js';
import { startRegistry, type TestRegistry } from '../helpers/registry.js';
import { githubClaims, startSigstore, type SigstoreStack } from '../helpers/sigstore.js';

const BUNDLE = 'application/vnd.dev.sigstore.bundle.v0.3+json';
const TOKEN = 'ghs_reruntoken';
const WORKFLOW = 'acme/charts/.github/workflows/release.yml@refs/heads/main';
const IDENTITY = `https://github.com/${WORKFLOW}`;

interface ChartOutput {
  name: string;
  status: string;
  error?: string;
  registries: { ref: string; digest: string; attestation: { digest: string; status: string; ghVerify?: string; unverified?: { digest: string; reason: string }[] } | null }[];
}

describe('the action run again with id-token: write', () => {
  let one: TestRegistry;
  let two: TestRegistry;
  let front: FlakyProxy;
  let github: GitHubApi;
  let stack: SigstoreStack;
  let services: FlakyProxy;
  let blobs: AttestationBlobs;
  const repos: TestRepo[] = [];
  const scratch = mkdtempSync(join(tmpdir(), 'chartship-attest-rerun-'));

  before(async () => {
    [one, two, github, stack] = await Promise.all([startRegistry({ auth: 'none' }), startRegistry({ auth: 'none' }), startGitHubApi({ token: TOKEN }), startSigstore()]);
    [front, services, blobs] = await Promise.all([startFlakyProxy(two.url), startFlakyProxy(stack.url), startAttestationBlobs()]);
  });
  after(async () => {
    await Promise.all([one?.stop(), two?.stop(), front?.stop(), github?.stop(), stack?.stop(), services?.stop(), blobs?.stop()]);
    for (const repo of repos) repo.cleanup();
    rmSync(scratch, { recursive: true, force: true });
  });

  const chartRepo = (name: string) => {
    const repo = createRepo();
    repos.push(repo);
    return { repo, head: repo.commit(`feat: ${name}`, chartFiles(`charts/${name}`, name, '1.0.0')) };
  };
  let runs = 0;
  /** A run of the workflow on main; `token: false`: the job does not grant id-token: write. */
  const run = (at: { repo: TestRepo; head: string }, options: { registries?: string[]; claims?: Record<string, unknown>; token?: boolean; inputs?: Record<string, string>; env?: NodeJS.ProcessEnv } = {}) => {
    const actions = stack.actionsEnv(githubClaims({ sha: at.head, ...options.claims }));
    const url = new URL(actions.ACTIONS_ID_TOKEN_REQUEST_URL!);
    return runAction({
      cwd: at.repo.dir,
      dir: join(scratch, `run-${++runs}`),
      event: { name: 'workflow_dispatch', payload: { repository: { visibility: 'private' } } },
      env: {
        GITHUB_SHA: at.head, GITHUB_REF: 'refs/heads/main', GITHUB_REPOSITORY: 'acme/charts', GITHUB_SERVER_URL: 'https://github.com', GITHUB_API_URL: github.url,
        GITHUB_RUN_ID: '42', GITHUB_WORKFLOW_REF: WORKFLOW,
        // The runner's token endpoint, reached through the fault-injecting proxy.
        ...(options.token === false ? {} : { ACTIONS_ID_TOKEN_REQUEST_URL: `http://${services.host}${url.pathname}${url.search}`, ACTIONS_ID_TOKEN_REQUEST_TOKEN: actions.ACTIONS_ID_TOKEN_REQUEST_TOKEN! }),
        ...options.env,
      },
      inputs: {
        registry: (options.registries ?? [`oci://${one.host}/charts`]).join('\n'), 'plain-http': 'true', 'github-token': TOKEN, 'pr-comment': 'false', policy: 'off',
        'sigstore-signing-config': stack.signingConfigFile, 'sigstore-trusted-root': stack.trustedRootFile, ...options.inputs,
      },
    });
  };
  const chartsOf = (done: { outputs: Record<string, string> }) => JSON.parse(done.outputs['charts'] ?? '[]') as ChartOutput[];
  const tokenDown = () => services.rules.push({ method: 'GET', path: /^\/actions-token\//, fault: { kind: 'status', status: 500 }, times: 1000 });
  const bundlesIn = async (registry: TestRegistry | FlakyProxy, name: string, digest: string) => {
    const target = openTarget(`oci://${registry.host}/charts`, { plainHttp: true });
    try {
      return await readReferrers(target, name, digest, BUNDLE);
    } finally {
      await target.close();
    }
  };
  const verifiedAs = (layer: Buffer, identity: string) =>
    sigstore.verify(JSON.parse(layer.toString()) as sigstore.Bundle, {
      tufMirrorURL: stack.tufUrl,
      tufRootPath: stack.tufRootFile,
      tufCachePath: mkdtempSync(join(scratch, 'tuf-')),
      certificateIssuer: stack.issuer,
      certificateIdentityURI: identity,
    });

  it('a rerun with every chart attested asks for no ID token: the token service down, or no id-token: write, fails nothing', async () => {
    const web = chartRepo('web');
    const first = await run(web);
    assert.equal(first.status, 0, first.log);
    const [pushed] = chartsOf(first);
    assert.equal(pushed?.registries[0]?.attestation?.status, 'attested');
    const asked = stack.tokenRequests.length;

    tokenDown();
    try {
      const again = await run(web);
      assert.equal(again.status, 0, again.log);
      const [chart] = chartsOf(again);
      assert.equal(chart?.status, 'unchanged');
      assert.deepEqual(chart?.registries[0]?.attestation && { ...chart.registries[0].attestation }, { digest: pushed.registries[0].attestation.digest, status: 'existing' });
      assert.match(again.log, /every registry holds one of each chart already \(verified\): nothing to sign, no ID token asked for/);
    } finally {
      services.rules.length = 0;
    }
    const without = await run(web, { token: false, inputs: { attest: 'true' } });
    assert.equal(without.status, 0, without.log);
    assert.equal(chartsOf(without)[0]?.registries[0]?.attestation?.status, 'existing');
    assert.equal(stack.tokenRequests.length, asked, 'no token asked for');
  });

  it('the CLI on a runner, run again with every chart attested, asks for no ID token either', async () => {
    const cli = chartRepo('cli');
    const actions = stack.actionsEnv(githubClaims({ sha: cli.head }));
    const url = new URL(actions.ACTIONS_ID_TOKEN_REQUEST_URL!);
    const publish = () =>
      runBundledCli(
        ['publish', '--version-bump', 'none', '--registry', `oci://${one.host}/charts`, '--plain-http', '--attest', '--sigstore-signing-config', stack.signingConfigFile, '--sigstore-trusted-root', stack.trustedRootFile, '--json'],
        {
          cwd: cli.repo.dir,
          env: {
            HOME: scratch, GITHUB_ACTIONS: 'true', GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'acme/charts', GITHUB_WORKFLOW_REF: WORKFLOW,
            ACTIONS_ID_TOKEN_REQUEST_URL: `http://${services.host}${url.pathname}${url.search}`, ACTIONS_ID_TOKEN_REQUEST_TOKEN: actions.ACTIONS_ID_TOKEN_REQUEST_TOKEN!,
          },
        },
      );
    const first = await publish();
    assert.equal(first.code, 0, first.stderr);
    const attestation = (JSON.parse(first.stdout) as { charts: ChartOutput[] }).charts[0]!.registries[0]!.attestation!;
    assert.equal(attestation.status, 'attested');
    tokenDown();
    try {
      const again = await publish();
      assert.equal(again.code, 0, again.stderr);
      assert.deepEqual({ ...(JSON.parse(again.stdout) as { charts: ChartOutput[] }).charts[0]!.registries[0]!.attestation }, { digest: attestation.digest, status: 'existing' });
    } finally {
      services.rules.length = 0;
    }
  });

  it('a shard with no chart of its own asks for no ID token', async () => {
    const solo = chartRepo('solo');
    tokenDown();
    try {
      // One chart in wave 1 goes to shard 1/2: shard 2/2 publishes nothing.
      const empty = await run(solo, { inputs: { wave: '1', shard: '2/2', 'outcome-file': join(scratch, 'shard-2.json') } });
      assert.equal(empty.status, 0, empty.log);
      assert.equal((await fetch(`${one.url}/v2/charts/solo/tags/list`)).status, 404, 'nothing pushed');
    } finally {
      services.rules.length = 0;
    }
  });

  it('an unchanged chart that is not attested yet needs the token: its failure fails the run before anything is stored', async () => {
    const bare = chartRepo('bare');
    const unattested = await run(bare, { inputs: { attest: 'false' } });
    assert.equal(unattested.status, 0, unattested.log);
    const digest = chartsOf(unattested)[0]!.registries[0]!.digest;
    tokenDown();
    try {
      const refused = await run(bare);
      assert.equal(refused.status, 1, refused.log);
      assert.match(refused.log, /::error::.*token endpoint answered HTTP 500/);
    } finally {
      services.rules.length = 0;
    }
    assert.deepEqual(await bundlesIn(one, 'bare', digest), [], 'nothing stored');
    const attested = await run(bare);
    assert.equal(attested.status, 0, attested.log);
    assert.equal(chartsOf(attested)[0]?.registries[0]?.attestation?.status, 'attested');
  });

  /**
   * The run again as on public-good without a trusted root file: its trust root comes from Sigstore's TUF
   * repository, which is out of reach (every request leaving the machine goes to a proxy that refuses it).
   */
  const tufDown = async (at: { repo: TestRepo; head: string }) => {
    const proxy = await startForwardProxy();
    try {
      const done = await run(at, {
        env: { HTTPS_PROXY: proxy.url, HTTP_PROXY: proxy.url, NO_PROXY: '127.0.0.1' },
        inputs: { sigstore: 'public-good', 'sigstore-signing-config': '', 'sigstore-trusted-root': '' },
      });
      assert.ok(proxy.refused.includes('CONNECT tuf-repo-cdn.sigstore.dev:443'), `TUF asked for, through the proxy: ${proxy.refused.join(', ')}`);
      assert.deepEqual(proxy.refused.filter((r) => !r.startsWith('CONNECT tuf-repo-cdn.sigstore.dev:')), [], 'nothing else tried to leave');
      assert.equal(proxy.tunnels.size, 0, 'nothing left the machine');
      return done;
    } finally {
      await proxy.stop();
    }
  };
  const TUF_DOWN_WARNING = /::warning::Attestations: the public-good instance's trust root cannot be had \(cannot get Sigstore's trusted root through TUF: .+\): the attestations already stored are taken as stored, unverified, this time/;

  it("a rerun with nothing to sign passes when Sigstore's TUF repository cannot be reached: what is stored is taken unverified, and the log says so", async () => {
    const offline = chartRepo('offline');
    const first = await run(offline);
    assert.equal(first.status, 0, first.log);
    const stored = chartsOf(first)[0]!.registries[0]!.attestation!;
    assert.equal(stored.status, 'attested');

    const again = await tufDown(offline);
    assert.equal(again.status, 0, again.log);
    const [chart] = chartsOf(again);
    assert.equal(chart?.status, 'unchanged');
    assert.deepEqual(chart?.registries[0]?.attestation && { ...chart.registries[0].attestation }, { digest: stored.digest, status: 'existing' });
    assert.equal(again.log.match(TUF_DOWN_WARNING)?.length, 1, again.log);
    assert.equal(again.log.match(/::warning::Attestations: the public-good instance's trust root/g)?.length, 1, 'warned once');
    assert.match(again.log, /every registry holds one of each chart already: nothing to sign, no ID token asked for/);
  });

  it("a chart to sign while Sigstore's TUF repository cannot be reached fails the run before anything is stored, saying why", async () => {
    const unsigned = chartRepo('unsigned');
    const bare = await run(unsigned, { inputs: { attest: 'false' } });
    assert.equal(bare.status, 0, bare.log);
    const digest = chartsOf(bare)[0]!.registries[0]!.digest;

    const refused = await tufDown(unsigned);
    assert.equal(refused.status, 1, refused.log);
    // The hint names the setting that takes the trusted root when publishing.
    assert.match(refused.log, /::error::.*cannot get Sigstore's trusted root through TUF: .*sigstore-trusted-root/);
    assert.deepEqual(await bundlesIn(one, 'unsigned', digest), [], 'nothing stored');
  });

  it('an attestation in the registry by another workflow is not taken for this one: the chart is attested again, and the outcome says why', async () => {
    const api = chartRepo('api');
    const other = 'evil/charts/.github/workflows/release.yml@refs/heads/main';
    const planted = await run(api, { claims: { job_workflow_ref: other, workflow_ref: other } });
    assert.equal(planted.status, 0, planted.log);
    const [first] = chartsOf(planted);
    const digest = first!.registries[0]!.digest;
    const foreign = first!.registries[0]!.attestation!.digest;
    await verifiedAs((await bundlesIn(one, 'api', digest))[0]!.layer, `https://github.com/${other}`);

    const again = await run(api);
    assert.equal(again.status, 0, again.log);
    const [chart] = chartsOf(again);
    assert.equal(chart?.status, 'unchanged');
    const attestation = chart.registries[0]!.attestation!;
    assert.equal(attestation.status, 'attested');
    assert.notEqual(attestation.digest, foreign);
    assert.deepEqual(attestation.unverified?.map((u) => u.digest), [foreign]);
    assert.match(attestation.unverified[0]!.reason, /identity/);
    assert.match(again.log, new RegExp(`::warning::.*attestation ${foreign} does not verify for this chart and signer .*; attesting again`));
    const stored = await bundlesIn(one, 'api', digest);
    const ours = stored.find((r) => r.descriptor.digest === attestation.digest);
    assert.ok(ours, 'the new attestation is stored beside the other one');
    await verifiedAs(ours.layer, IDENTITY);

    // And a rerun now keeps it.
    const third = await run(api);
    assert.equal(third.status, 0, third.log);
    assert.deepEqual(chartsOf(third)[0]?.registries[0]?.attestation && { ...chartsOf(third)[0]!.registries[0]!.attestation }, { digest: attestation.digest, status: 'existing' });
  });

  /**
   * A chart attested in registry one and recorded in GitHub, refused by the registry behind `front`: its rerun
   * attests it there, and asks GitHub whether it holds the attestation already.
   */
  const refusedOnce = async (name: string) => {
    const at = chartRepo(name);
    const registries = [`oci://${one.host}/charts`, `oci://${front.host}/charts`];
    // As older registries do: the manifest with a `subject` (pushed by digest) is refused; the chart (by tag) is not.
    front.rules.push({ method: 'PUT', path: /\/manifests\/sha256:/, fault: { kind: 'status', status: 400, errors: [{ code: 'MANIFEST_INVALID', message: 'manifest invalid: unknown field "subject"' }] }, times: 10 });
    const first = await run(at, { registries });
    front.rules.length = 0;
    assert.equal(first.status, 1, first.log);
    const digest = chartsOf(first)[0]!.registries[0]!.digest;
    const recorded = () => github.state.attestations.filter((a) => a.subjects.includes(digest));
    assert.equal(recorded().length, 1, 'recorded in GitHub for the registry that took it');
    return { again: (env?: NodeJS.ProcessEnv) => run(at, { registries, ...(env && { env }) }), digest, recorded, ours: recorded()[0]! };
  };

  it('after a registry refused the referrer, the rerun attests it there and records nothing more in GitHub', async () => {
    const { again: rerun, digest, recorded } = await refusedOnce('db');
    const again = await rerun();
    assert.equal(again.status, 0, again.log);
    const [chart] = chartsOf(again);
    assert.deepEqual(chart?.registries.map((r) => r.attestation?.status), ['existing', 'attested']);
    assert.equal(recorded().length, 1, 'not recorded a second time');
    assert.equal(chart.registries[1]!.attestation!.ghVerify, `gh attestation verify oci://${front.host}/charts/db:1.0.0 --repo acme/charts`, 'gh finds the one GitHub holds');
    assert.match(again.log, /GitHub's attestations API holds one of sha256:[a-f0-9]{64} already: not recorded again/);
    const [inTwo] = await bundlesIn(front, 'db', digest);
    await verifiedAs(inTwo!.layer, IDENTITY);
    assert.ok(github.requests.some((r) => r.operationId === 'repos/list-attestations' && r.status === 200));
    assert.deepEqual(github.violations, []);
    assert.deepEqual(github.responseViolations, []);
  });

  it('a rerun after GitHub lost the record (it answers 404: none about the digest) records it there now', async () => {
    const { again: rerun, digest, recorded, ours } = await refusedOnce('auth');
    // As when the first run's record was refused (no `attestations: write` then) or deleted since.
    github.state.attestations.splice(github.state.attestations.indexOf(ours), 1);

    const again = await rerun();
    assert.equal(again.status, 0, again.log);
    assert.equal(recorded().length, 1, 'recorded in GitHub by the rerun');
    assert.ok(github.requests.some((r) => r.operationId === 'repos/list-attestations' && r.path.includes(encodeURIComponent(digest)) && r.status === 404), 'GitHub was asked, and answered 404');
    assert.ok(chartsOf(again)[0]!.registries[1]!.attestation!.ghVerify, 'gh attestation verify finds it');
    assert.doesNotMatch(again.log, /::warning::GitHub attestations API/);
    assert.deepEqual(github.violations, []);
    assert.deepEqual(github.responseViolations, []);
  });

  it("GitHub's attestation on a later page is found: 120 others of the digest (SBOMs) come first, and none is recorded again", async () => {
    const { again: rerun, digest, recorded, ours } = await refusedOnce('cache');
    const sbom = (n: number) => {
      const statement = { _type: 'https://in-toto.io/Statement/v1', subject: [{ name: `sbom-${n}`, digest: { sha256: digest.slice('sha256:'.length) } }], predicateType: 'https://spdx.dev/Document/v2.3', predicate: {} };
      const payload = Buffer.from(JSON.stringify(statement)).toString('base64');
      return { id: 90_000 + n, subjects: [digest], bundle: { mediaType: BUNDLE, verificationMaterial: {}, dsseEnvelope: { payload, payloadType: 'application/vnd.in-toto+json', signatures: [] } } };
    };
    github.state.attestations.splice(github.state.attestations.indexOf(ours), 0, ...Array.from({ length: 120 }, (_, n) => sbom(n)));
    const listed = () => github.requests.filter((r) => r.operationId === 'repos/list-attestations' && r.path.includes(encodeURIComponent(digest))).length;

    const again = await rerun();
    assert.equal(again.status, 0, again.log);
    assert.equal(recorded().length, 121, 'not recorded a second time');
    assert.ok(chartsOf(again)[0]!.registries[1]!.attestation!.ghVerify, 'gh finds the one GitHub holds');
    assert.match(again.log, /GitHub's attestations API holds one of sha256:[a-f0-9]{64} already: not recorded again/);
    assert.equal(listed(), 2, 'both pages read, and no more');
    assert.deepEqual(github.violations, []);
    assert.deepEqual(github.responseViolations, []);
  });

  it('an attestation GitHub lists only by bundle_url is read from its storage, snappy-compressed, without the token, and counts', async () => {
    const { again: rerun, recorded, ours } = await refusedOnce('queue');
    ours.bundleUrl = blobs.put(ours.bundle);
    const asked = blobs.requests.length;

    const again = await rerun();
    assert.equal(again.status, 0, again.log);
    assert.equal(recorded().length, 1, 'not recorded a second time');
    assert.match(again.log, /GitHub's attestations API holds one of sha256:[a-f0-9]{64} already: not recorded again/);
    const fetched = blobs.requests.slice(asked);
    assert.equal(fetched.length, 1, 'the bundle was fetched from its bundle_url');
    assert.deepEqual(fetched.map((r) => r.authorization), [undefined], 'no token sent to the storage');
    assert.deepEqual(github.violations, []);
    assert.deepEqual(github.responseViolations, []);
  });

  it("a bundle_url on a host of its own is fetched through the proxy the environment names for that host, not the API's", async () => {
    const { again: rerun, recorded, ours } = await refusedOnce('gateway');
    // The storage by a name only the proxy resolves: a fetch that bypassed the proxy (the API's host, 127.0.0.1, is in
    // NO_PROXY) cannot reach it.
    const url = new URL(blobs.put(ours.bundle));
    const storage = `attestations.test:${url.port}`;
    ours.bundleUrl = url.href.replace(url.host, storage);
    const proxy = await startForwardProxy({ hosts: { 'attestations.test': '127.0.0.1' } });
    try {
      const again = await rerun({ HTTPS_PROXY: proxy.url, HTTP_PROXY: proxy.url, NO_PROXY: '127.0.0.1' });
      assert.equal(again.status, 0, again.log);
      assert.equal(recorded().length, 1, 'not recorded a second time');
      assert.match(again.log, /GitHub's attestations API holds one of sha256:[a-f0-9]{64} already: not recorded again/);
      assert.ok((proxy.tunnels.get(storage) ?? 0) >= 1, `the bundle was fetched through the proxy: ${[...proxy.tunnels.keys()].join(', ')}`);
    } finally {
      await proxy.stop();
    }
  });

  for (const [chartName, what, spoil, reason] of [
    ['search', 'fails', () => (blobs.failWith = 503), /reading the attestation bundle at http:\/\/127\.0\.0\.1:\d+\/attestations\/\d+\.json\.sn\?\S*sig=REDACTED failed with HTTP 503/],
    ['mail', 'is larger than chartship reads', (ours: FakeAttestation) => (ours.bundleUrl = blobs.put(Buffer.from(compress(Buffer.alloc(17 * 1024 * 1024, ' '))))), /the attestation bundle at \S+sig=REDACTED is larger than 16777216 bytes uncompressed/],
  ] as const) {
    it(`a bundle_url that ${what}: a warning says GitHub could not be asked, and nothing is recorded`, async () => {
      const { again: rerun, recorded, ours } = await refusedOnce(chartName);
      ours.bundleUrl = blobs.put(ours.bundle);
      spoil(ours);
      try {
        const again = await rerun();
        assert.equal(again.status, 0, again.log);
        assert.equal(recorded().length, 1, 'no second one recorded');
        assert.equal(chartsOf(again)[0]!.registries[1]!.attestation!.status, 'attested', 'the registry holds it');
        assert.match(again.log, /::warning::GitHub attestations API: cannot tell whether it holds this attestation already, so none is recorded \(never a second one\): .+/);
        assert.match(again.log, reason);
        assert.doesNotMatch(again.log.replace(/^::add-mask::.*$/gm, ''), /c2lnbmVk|ghs_reruntoken/, 'neither the signature of the URL nor the token is printed');
      } finally {
        delete blobs.failWith;
      }
    });
  }
});
