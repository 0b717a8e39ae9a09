import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildSLSAProvenancePredicate } from '@actions/attest';
import * as sigstore from 'sigstore';
import { actionAttestSettings } from '../../src/action/attest.js';
import { runnerContext } from '../../src/action/context.js';
import { ChartshipError } from '../../src/model/errors.js';
import { parseChartReference } from '../../src/helm-oci/chart-reference.js';
import { resolveSettings } from '../../src/pipeline/settings.js';
import { buildStatement, chartSubjects, loadTrust, provenancePredicate, readTrustedRoot, resolveInstance, signStatement, SLSA_PROVENANCE_V1, tokenClaims, verifyBundle } from '../../src/sign/attest/index.js';
import { githubClaims, startSigstore, type SigstoreStack } from '../helpers/sigstore.js';

const scratch = mkdtempSync(join(tmpdir(), 'chartship-attest-unit-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

describe('the provenance predicate', () => {
  let stack: SigstoreStack;
  before(async () => (stack = await startSigstore()));
  after(() => stack?.stop());

  it('for a GitHub Actions token is exactly what @actions/attest builds from the same token', async () => {
    const claims = githubClaims({ sha: 'b'.repeat(40), ref: 'refs/tags/v1.2.0', event_name: 'release' });
    const saved = { ...process.env };
    // @actions/attest reads the runner's variables and fetches its own token (audience `nobody`) and the issuer's keys.
    Object.assign(process.env, stack.actionsEnv(claims), { GITHUB_SERVER_URL: 'https://github.com' });
    let theirs;
    try {
      theirs = await buildSLSAProvenancePredicate(stack.issuer);
    } finally {
      for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
      Object.assign(process.env, saved);
    }
    assert.equal(theirs.type, SLSA_PROVENANCE_V1);
    const ours = provenancePredicate(tokenClaims(await stack.token(claims)), { serverUrl: 'https://github.com' });
    assert.deepEqual(ours, theirs.params);
  });

  it('for another CI names the source, the issuer and the run from the context', async () => {
    const claims = tokenClaims(await stack.token({ sub: 'project_path:acme/charts:ref_type:branch:ref:main' }));
    const predicate = provenancePredicate(claims, { serverUrl: 'https://gitlab.example', repositoryUrl: 'https://gitlab.example/acme/charts', ref: 'main', commit: 'c'.repeat(40), runUrl: 'https://gitlab.example/acme/charts/-/jobs/9' });
    assert.deepEqual(predicate, {
      buildDefinition: {
        buildType: 'https://github.com/chartship/chartship/blob/v1/docs/attestations.md#build-type-ci-v1',
        externalParameters: { source: { repository: 'https://gitlab.example/acme/charts', ref: 'main', commit: 'c'.repeat(40) } },
        internalParameters: { oidc: { issuer: stack.issuer, subject: 'project_path:acme/charts:ref_type:branch:ref:main' } },
        resolvedDependencies: [{ uri: 'git+https://gitlab.example/acme/charts@main', digest: { gitCommit: 'c'.repeat(40) } }],
      },
      runDetails: { builder: { id: stack.issuer }, metadata: { invocationId: 'https://gitlab.example/acme/charts/-/jobs/9' } },
    });
  });

  it('a token that is not a JWT is refused by name', () => {
    assert.throws(() => tokenClaims('not-a-token'), (e: unknown) => e instanceof ChartshipError && e.code === 'OIDC_TOKEN_INVALID');
  });
});

describe('statement subjects', () => {
  it('name each repository once per digest, without a tag, then the archive', () => {
    const digest = `sha256:${'a'.repeat(64)}`;
    assert.deepEqual(
      chartSubjects({
        manifests: [
          { repository: 'ghcr.io/acme/charts/web', digest },
          { repository: 'ghcr.io/acme/charts/web', digest },
          { repository: 'registry.example/charts/web', digest },
          { repository: 'docker.io/acme/web', digest },
        ],
        archive: { fileName: 'web-1.0.0.tgz', sha256: 'b'.repeat(64) },
      }),
      [
        { name: 'ghcr.io/acme/charts/web', digest: { sha256: 'a'.repeat(64) } },
        { name: 'registry.example/charts/web', digest: { sha256: 'a'.repeat(64) } },
        { name: 'index.docker.io/acme/web', digest: { sha256: 'a'.repeat(64) } },
        { name: 'web-1.0.0.tgz', digest: { sha256: 'b'.repeat(64) } },
      ],
    );
  });
});

describe('Sigstore instances', () => {
  let stack: SigstoreStack;
  before(async () => (stack = await startSigstore()));
  after(() => stack?.stop());

  it('public-good: Sigstore\'s Fulcio and Rekor, verified through TUF', async () => {
    assert.deepEqual(await resolveInstance({ sigstore: 'public-good', serverUrl: 'https://github.com' }), {
      name: 'public-good',
      fulcioUrl: 'https://fulcio.sigstore.dev',
      rekorUrl: 'https://rekor.sigstore.dev',
      trust: { kind: 'tuf' },
    });
  });

  it('github: GitHub\'s Fulcio and timestamp authority beside the server (githubapp.com for github.com)', async () => {
    const dotcom = await resolveInstance({ sigstore: 'github', serverUrl: 'https://github.com' });
    assert.equal(dotcom.fulcioUrl, 'https://fulcio.githubapp.com');
    assert.equal(dotcom.tsaUrl, 'https://timestamp.githubapp.com');
    assert.equal(dotcom.rekorUrl, undefined);
    assert.equal(dotcom.trust.kind, 'none');
    const tenant = await resolveInstance({ sigstore: 'github', serverUrl: 'https://acme.ghe.com', trustedRootFile: stack.trustedRootFile });
    assert.equal(tenant.fulcioUrl, 'https://fulcio.acme.ghe.com');
    assert.equal(tenant.trust.kind, 'root');
  });

  it('a signing config picks the services valid now, newest first, and needs a trusted root', async () => {
    const file = join(scratch, 'signing.json');
    const service = (url: string, start: string, end?: string, version = 1) => ({ url, majorApiVersion: version, validFor: { start, ...(end ? { end } : {}) }, operator: 'x' });
    writeFileSync(
      file,
      JSON.stringify({
        mediaType: 'application/vnd.dev.sigstore.signingconfig.v0.2+json',
        caUrls: [service('https://old-ca.example', '2020-01-01T00:00:00Z', '2021-01-01T00:00:00Z'), service('https://ca.example/', '2022-01-01T00:00:00Z')],
        oidcUrls: [],
        rekorTlogUrls: [service('https://rekor-v2.example', '2024-01-01T00:00:00Z', undefined, 2), service('https://rekor.example', '2022-01-01T00:00:00Z')],
        tsaUrls: [service('https://tsa.example/api/v1/timestamp', '2022-01-01T00:00:00Z')],
      }),
    );
    const instance = await resolveInstance({ sigstore: 'public-good', serverUrl: 'https://github.com', signingConfigFile: file, trustedRootFile: stack.trustedRootFile });
    assert.deepEqual({ ...instance, trust: instance.trust.kind }, { name: 'custom', fulcioUrl: 'https://ca.example', rekorUrl: 'https://rekor.example', tsaUrl: 'https://tsa.example', trust: 'root' });
    await assert.rejects(resolveInstance({ sigstore: 'public-good', serverUrl: 'https://github.com', signingConfigFile: file }), (e: unknown) => e instanceof ChartshipError && e.field === 'sigstore-trusted-root');
    writeFileSync(join(scratch, 'broken.json'), '{"mediaType": ');
    await assert.rejects(readTrustedRoot(join(scratch, 'broken.json')), (e: unknown) => e instanceof ChartshipError && e.file === join(scratch, 'broken.json') && /not JSON/.test(e.message));
  });

  it('the action picks them as @actions/attest does: public repositories public-good, others GitHub\'s', () => {
    const settingsFor = (visibility: string | undefined, sigstore?: string) => {
      const event = join(scratch, `event-${visibility}.json`);
      writeFileSync(event, JSON.stringify(visibility ? { repository: { visibility } } : {}));
      const env = { GITHUB_EVENT_PATH: event, GITHUB_REPOSITORY: 'acme/charts', GITHUB_SHA: 'a'.repeat(40), GITHUB_WORKSPACE: scratch, ACTIONS_ID_TOKEN_REQUEST_URL: 'http://127.0.0.1:1/t', ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'x' };
      const context = runnerContext(env);
      return actionAttestSettings(resolveSettings({ registry: 'oci://ghcr.io/acme/charts', ...(sigstore ? { sigstore } : {}) }, context), env, context, undefined)?.sigstore;
    };
    assert.equal(settingsFor('public'), 'public-good');
    assert.equal(settingsFor('private'), 'github');
    assert.equal(settingsFor('internal'), 'github');
    assert.equal(settingsFor(undefined), 'github');
    assert.equal(settingsFor('private', 'public-good'), 'public-good');
    assert.throws(() => settingsFor('public', 'rekor'), (e: unknown) => e instanceof ChartshipError && e.field === 'sigstore');
  });
});

describe('an instance with a timestamp authority and no transparency log (as GitHub\'s)', () => {
  let stack: SigstoreStack;
  before(async () => (stack = await startSigstore({ tsa: true, rekor: false })));
  after(() => stack?.stop());

  it('signs with an RFC 3161 timestamp instead of a log entry, and verifies against the trusted root', async () => {
    const instance = await resolveInstance({ sigstore: 'public-good', serverUrl: 'https://github.com', signingConfigFile: stack.signingConfigFile, trustedRootFile: stack.trustedRootFile });
    assert.equal(instance.rekorUrl, undefined);
    const digest = `sha256:${'d'.repeat(64)}`;
    const statement = buildStatement(chartSubjects({ manifests: [{ repository: 'r.example/web', digest }], archive: { fileName: 'web-1.0.0.tgz', sha256: 'e'.repeat(64) } }), SLSA_PROVENANCE_V1, {});
    const token = await stack.token({ sub: 'someone' });
    const bundle = await signStatement(statement, { instance, token });
    assert.equal(bundle.verificationMaterial.tlogEntries?.length ?? 0, 0);
    assert.equal(bundle.verificationMaterial.timestampVerificationData?.rfc3161Timestamps.length, 1);
    assert.ok(stack.requests.some((r) => r.path === '/tsa/api/v1/timestamp' && r.status === 201));
    const trust = await loadTrust(instance.trust);
    const verified = verifyBundle(bundle, trust, { issuer: stack.issuer, identity: 'someone' });
    assert.deepEqual(verified.statement, statement);
    assert.equal(verified.logIndex, undefined);
    // The independent verifier agrees (it needs no log entry when told so).
    await sigstore.verify(bundle, { tufMirrorURL: stack.tufUrl, tufRootPath: stack.tufRootFile, tufCachePath: mkdtempSync(join(scratch, 'tuf-')), tlogThreshold: 0, certificateIssuer: stack.issuer });
  });

  it('a token Fulcio does not accept fails the signing with the reason and without the token', async () => {
    const instance = await resolveInstance({ sigstore: 'public-good', serverUrl: 'https://github.com', signingConfigFile: stack.signingConfigFile, trustedRootFile: stack.trustedRootFile });
    const wrongAudience = await stack.token({ sub: 'someone' }, 'nobody');
    await assert.rejects(signStatement(buildStatement([{ name: 'x', digest: { sha256: 'f'.repeat(64) } }], SLSA_PROVENANCE_V1, {}), { instance, token: wrongAudience }), (e: unknown) => {
      assert.ok(e instanceof ChartshipError);
      assert.equal(e.code, 'ATTEST_FAILED');
      assert.match(e.message, /signing certificate.*401/);
      assert.ok(!e.message.includes(wrongAudience));
      return true;
    });
  });
});

describe('chart references', () => {
  it('split oci://HOST/NS/CHART:VERSION into the target, the chart and the version (tag _ is +)', () => {
    assert.deepEqual(parseChartReference('oci://ghcr.io/acme/charts/web:1.2.0_build.5'), { target: 'oci://ghcr.io/acme/charts', name: 'web', version: '1.2.0+build.5' });
    assert.deepEqual(parseChartReference('oci://127.0.0.1:5000/web:0.1.0'), { target: 'oci://127.0.0.1:5000', name: 'web', version: '0.1.0' });
    for (const bad of ['oci://ghcr.io/acme/web', 'ghcr.io/acme/web:1.0.0', 'oci://ghcr.io/acme/web:latest']) {
      assert.throws(() => parseChartReference(bad), (e: unknown) => e instanceof ChartshipError && e.code === 'REFERENCE_INVALID', bad);
    }
  });
});
