/**
 * Keyless attestations through the bundled CLI, offline: a whole Sigstore instance on loopback (helpers/sigstore.ts),
 * two real registries (distribution 2.8, which has no referrers API), an independent verifier (sigstore-js with the
 * instance's TUF repository), skopeo reading back what was stored, and tampering that must fail verification.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as sigstore from 'sigstore';
import { openTarget } from '../../src/helm-oci/index.js';
import { referrersTag } from '../../src/oci/referrers.js';
import { runBundledCli } from '../helpers/cli.js';
import { chartFiles, createRepo, type TestRepo } from '../helpers/git.js';
import { startRegistry, type TestRegistry } from '../helpers/registry.js';
import { startSigstore, type SigstoreStack } from '../helpers/sigstore.js';
import { skopeoRaw } from '../oci/skopeo.js';
import { readReferrers } from '../helpers/registry-charts.js';

const BUNDLE = 'application/vnd.dev.sigstore.bundle.v0.3+json';
const sha = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

interface Attestation {
  digest: string;
  status: string;
  via?: string;
  verify?: string;
}
interface Outcome {
  charts: {
    name: string;
    version: string;
    status: string;
    error?: string;
    registries: { registry: string; ref: string; digest: string; attestation: Attestation | null }[];
    attestation?: { identity: string; issuer: string; instance: string; predicateType: string; logIndex?: string; verified: boolean };
  }[];
}
interface Statement {
  _type: string;
  subject: { name: string; digest: { sha256: string } }[];
  predicateType: string;
  predicate: { buildDefinition: { buildType: string; externalParameters: { source: Record<string, string> }; resolvedDependencies: { uri: string; digest: { gitCommit: string } }[] } };
}

describe('chartship publish --attest, then chartship verify oci://…', () => {
  let one: TestRegistry;
  let two: TestRegistry;
  let stack: SigstoreStack;
  let repo: TestRepo;
  let head = '';
  let initial = '';
  let outcome: Outcome;
  const scratch = mkdtempSync(join(tmpdir(), 'chartship-attest-cli-'));
  const claims = { sub: 'project_path:acme/charts:ref_type:branch:ref:main', project_path: 'acme/charts' };

  before(async () => {
    [one, two, stack] = await Promise.all([startRegistry({ auth: 'none' }), startRegistry({ auth: 'none' }), startSigstore()]);
    repo = createRepo();
    initial = repo.commit('chore: start', { 'README.md': 'charts\n' });
    head = repo.commit('feat: web chart', chartFiles('charts/web', 'web', '1.2.0'));
  });
  after(async () => {
    await Promise.all([one?.stop(), two?.stop(), stack?.stop()]);
    repo?.cleanup();
    rmSync(scratch, { recursive: true, force: true });
  });

  const env = (extra: Record<string, string> = {}) => ({ HOME: scratch, ...extra });
  const verifyArgs = (ref: string, identity = claims.sub) => ['verify', ref, '--certificate-identity', identity, '--certificate-oidc-issuer', stack.issuer, '--trusted-root', stack.trustedRootFile, '--plain-http'];

  it('signs each chart once, stores the bundle beside the chart in every registry, and reports it', async () => {
    const token = await stack.token(claims);
    const run = await runBundledCli(
      [
        'publish', '--charts', 'charts/*', '--version-bump', 'none', '--registry', `oci://${one.host}/charts`, '--registry', `oci://${two.host}/charts`, '--plain-http',
        '--attest', '--oidc-token-env', 'CI_ID_TOKEN', '--sigstore-signing-config', stack.signingConfigFile, '--sigstore-trusted-root', stack.trustedRootFile, '--json',
      ],
      { cwd: repo.dir, env: env({ CI_ID_TOKEN: token }) },
    );
    assert.equal(run.code, 0, run.stderr);
    assert.ok(!run.stderr.includes(token), 'the token is never printed');
    outcome = JSON.parse(run.stdout) as Outcome;
    const [web] = outcome.charts;
    assert.equal(web?.status, 'pushed', web?.error);
    assert.equal(stack.requests.filter((r) => r.path.endsWith('/api/v2/signingCert')).length, 1, 'one certificate for both registries');
    assert.equal(stack.requests.filter((r) => r.path.endsWith('/api/v1/log/entries')).length, 1, 'one transparency log entry');
    // Both registries got byte-identical chart manifests, so one statement names one digest twice.
    const [a, b] = web.registries;
    assert.equal(a!.digest, b!.digest);
    assert.equal(a!.attestation?.digest, b!.attestation?.digest);
    assert.equal(a!.attestation?.via, 'referrers-tag');
    assert.deepEqual(web.attestation && { ...web.attestation, logIndex: undefined }, {
      identity: claims.sub,
      issuer: stack.issuer,
      instance: 'custom',
      predicateType: 'https://slsa.dev/provenance/v1',
      logIndex: undefined,
      verified: true,
    });
    assert.match(web.attestation!.logIndex ?? '', /^\d+$/);
    assert.equal(a!.attestation?.verify, `chartship verify oci://${one.host}/charts/web:1.2.0 --certificate-identity ${claims.sub} --certificate-oidc-issuer ${stack.issuer}`);
    assert.match(run.stderr, /attested by project_path:acme\/charts:ref_type:branch:ref:main \(custom, log index \d+, verified\)/);
  });

  it('what is stored reads back with skopeo: a referrer whose subject is the chart manifest, listed in the sha256-<hex> tag', async () => {
    const [a] = outcome.charts[0]!.registries;
    const chartManifest = await skopeoRaw(`docker://${one.host}/charts/web:1.2.0`, ['--tls-verify=false']);
    assert.equal(sha(chartManifest), a!.digest);
    const referrer = await skopeoRaw(`docker://${one.host}/charts/web@${a!.attestation!.digest}`, ['--tls-verify=false']);
    const manifest = JSON.parse(referrer.toString()) as { artifactType: string; config: { mediaType: string }; layers: { mediaType: string; digest: string }[]; subject: { digest: string; size: number }; annotations: Record<string, string> };
    assert.equal(manifest.artifactType, BUNDLE);
    assert.equal(manifest.config.mediaType, 'application/vnd.oci.empty.v1+json');
    assert.deepEqual(manifest.layers.map((l) => l.mediaType), [BUNDLE]);
    assert.deepEqual(manifest.subject, { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: a!.digest, size: chartManifest.length });
    assert.equal(manifest.annotations['dev.sigstore.bundle.predicateType'], 'https://slsa.dev/provenance/v1');
    assert.equal(manifest.annotations['dev.sigstore.bundle.content'], 'dsse-envelope');
    const index = JSON.parse((await skopeoRaw(`docker://${one.host}/charts/web:${referrersTag(a!.digest)}`, ['--tls-verify=false'])).toString()) as { manifests: { digest: string; artifactType: string }[] };
    assert.deepEqual(index.manifests.map((m) => [m.digest, m.artifactType]), [[a!.attestation!.digest, BUNDLE]]);
  });

  it('an independent verifier (sigstore-js, trust root from the instance\'s TUF repository) accepts the bundle, and the statement names the manifest and the archive', async () => {
    const [a] = outcome.charts[0]!.registries;
    const target = openTarget(`oci://${one.host}/charts`, { plainHttp: true });
    const [found] = await readReferrers(target, 'web', a!.digest, BUNDLE);
    await target.close();
    const bundle = JSON.parse(found!.layer.toString()) as sigstore.Bundle;
    await sigstore.verify(bundle, {
      tufMirrorURL: stack.tufUrl,
      tufRootPath: stack.tufRootFile,
      tufCachePath: mkdtempSync(join(scratch, 'tuf-')),
      certificateIssuer: stack.issuer,
      certificateIdentityURI: claims.sub,
    });
    const envelope = (bundle as unknown as { dsseEnvelope: { payload: string; payloadType: string } }).dsseEnvelope;
    assert.equal(envelope.payloadType, 'application/vnd.in-toto+json');
    const statement = JSON.parse(Buffer.from(envelope.payload, 'base64').toString()) as Statement;
    assert.equal(statement._type, 'https://in-toto.io/Statement/v1');
    const archive = (await openTarget(`oci://${one.host}/charts`, { plainHttp: true }).pullChart('web', '1.2.0')).archive;
    assert.deepEqual(statement.subject, [
      { name: `${one.host}/charts/web`, digest: { sha256: a!.digest.slice(7) } },
      { name: `${two.host}/charts/web`, digest: { sha256: a!.digest.slice(7) } },
      { name: 'web-1.2.0.tgz', digest: { sha256: sha(archive).slice(7) } },
    ]);
    const definition = statement.predicate.buildDefinition;
    assert.equal(definition.buildType, 'https://github.com/chartship/chartship/blob/v1/docs/attestations.md#build-type-ci-v1');
    assert.equal(definition.externalParameters.source['commit'], head);
  });

  it('a rerun of the same commit signs nothing: every registry already holds an attestation', async () => {
    const before = stack.requests.length;
    const token = await stack.token(claims);
    const run = await runBundledCli(
      // The same range again: the chart is planned, found published with the same content, and left as it is.
      ['publish', '--charts', 'charts/*', '--version-bump', 'none', '--base', initial, '--registry', `oci://${one.host}/charts`, '--plain-http', '--attest', '--sigstore-signing-config', stack.signingConfigFile, '--sigstore-trusted-root', stack.trustedRootFile, '--json'],
      { cwd: repo.dir, env: env({ SIGSTORE_ID_TOKEN: token }) },
    );
    assert.equal(run.code, 0, run.stderr);
    const [web] = (JSON.parse(run.stdout) as Outcome).charts;
    assert.equal(web?.status, 'unchanged');
    assert.equal(web?.registries[0]?.attestation?.status, 'existing');
    assert.equal(web?.registries[0]?.attestation?.digest, outcome.charts[0]!.registries[0]!.attestation!.digest);
    assert.equal(stack.requests.length, before, 'no request to Fulcio or Rekor');
  });

  it('chartship verify oci://… accepts it (trusted root from a file, or through TUF) and says who built it from which commit', async () => {
    const ref = `oci://${two.host}/charts/web:1.2.0`;
    const fromFile = await runBundledCli(verifyArgs(ref), { cwd: scratch, env: env() });
    assert.equal(fromFile.code, 0, fromFile.stderr);
    assert.match(fromFile.stdout, new RegExp(`^Verified: ${ref} \\(sha256:[a-f0-9]{64}\\)$`, 'm'));
    assert.match(fromFile.stdout, new RegExp(`Signed by: ${claims.sub.replace(/[|\\{}()[\]^$+*?.]/g, '\\$&')}`));
    assert.match(fromFile.stdout, new RegExp(`@ ${head}`), 'the commit it was built from');
    const viaTuf = await runBundledCli(
      ['verify', ref, '--certificate-identity-regexp', '^project_path:acme/', '--certificate-oidc-issuer', stack.issuer, '--tuf-mirror', stack.tufUrl, '--tuf-root', stack.tufRootFile, '--plain-http', '--json'],
      { cwd: scratch, env: env() },
    );
    assert.equal(viaTuf.code, 0, viaTuf.stderr);
    const json = JSON.parse(viaTuf.stdout) as { verified: { identity: string }[]; rejected: unknown[] };
    assert.deepEqual(json.verified.map((v) => v.identity), [claims.sub]);
    assert.deepEqual(json.rejected, []);
  });

  it('refuses another signer or issuer', async () => {
    const ref = `oci://${one.host}/charts/web:1.2.0`;
    const wrongIdentity = await runBundledCli(verifyArgs(ref, 'project_path:evil/charts'), { cwd: scratch, env: env() });
    assert.equal(wrongIdentity.code, 1);
    assert.match(wrongIdentity.stdout, /Rejected: attestation sha256:[a-f0-9]{64}: .*certificate identity error/);
    assert.match(wrongIdentity.stderr, /no attestation of .* verifies/);
    const wrongIssuer = await runBundledCli(['verify', ref, '--certificate-identity', claims.sub, '--certificate-oidc-issuer', 'https://token.actions.githubusercontent.com', '--trusted-root', stack.trustedRootFile, '--plain-http'], { cwd: scratch, env: env() });
    assert.equal(wrongIssuer.code, 1);
    assert.match(wrongIssuer.stdout, /Rejected: .*issuer/);
  });

  it('fails when the bundle is moved onto another chart manifest (the statement is not about it)', async () => {
    const [a] = outcome.charts[0]!.registries;
    const target = openTarget(`oci://${one.host}/charts`, { plainHttp: true });
    const [found] = await readReferrers(target, 'web', a!.digest, BUNDLE);
    const other = await target.pushChart({ archive: (await target.pullChart('web', '1.2.0')).archive, label: 'same content' }).catch(() => undefined);
    assert.equal(other?.status, 'unchanged');
    // Another version of the chart, carrying the first version's attestation.
    const { chartArchive } = await import('../helpers/registry-charts.js');
    const forged = await target.pushChart({ archive: chartArchive({ name: 'web', version: '6.6.6' }) });
    await target.attach('web', forged, { artifactType: BUNDLE, mediaType: BUNDLE, bytes: found!.layer, annotations: found!.annotations });
    await target.close();
    const run = await runBundledCli(verifyArgs(`oci://${one.host}/charts/web:6.6.6`), { cwd: scratch, env: env() });
    assert.equal(run.code, 1, run.stdout);
    assert.match(run.stdout, new RegExp(`Rejected: attestation sha256:[a-f0-9]{64}: the signed statement is about sha256:${a!.digest.slice(7)}.*not the manifest ${forged.digest}`));
  });

  it('fails when a byte of the bundle is flipped (the registry serves only the altered one)', async () => {
    const [a] = outcome.charts[0]!.registries;
    const target = openTarget(`oci://${two.host}/charts`, { plainHttp: true });
    const [found] = await readReferrers(target, 'web', a!.digest, BUNDLE);
    const bundle = JSON.parse(found!.layer.toString()) as { dsseEnvelope: { payload: string } };
    const payload = Buffer.from(bundle.dsseEnvelope.payload, 'base64');
    const at = payload.indexOf(Buffer.from(head)) + 5;
    payload[at] = payload[at]! ^ 0x01;
    bundle.dsseEnvelope.payload = payload.toString('base64');
    const altered = await target.attach('web', { digest: a!.digest, size: (await skopeoRaw(`docker://${two.host}/charts/web:1.2.0`, ['--tls-verify=false'])).length }, {
      artifactType: BUNDLE,
      mediaType: BUNDLE,
      bytes: Buffer.from(JSON.stringify(bundle)),
      annotations: found!.annotations,
    });
    await target.close();
    // The independent verifier refuses it too.
    await assert.rejects(
      sigstore.verify(bundle as unknown as sigstore.Bundle, { tufMirrorURL: stack.tufUrl, tufRootPath: stack.tufRootFile, tufCachePath: mkdtempSync(join(scratch, 'tuf-')), certificateIssuer: stack.issuer }),
    );
    // Someone with push rights rewrites the referrers tag so that only the altered bundle is listed.
    const index = { schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: altered.digest, size: 0, artifactType: BUNDLE }] };
    const referrerBytes = await skopeoRaw(`docker://${two.host}/charts/web@${altered.digest}`, ['--tls-verify=false']);
    index.manifests[0]!.size = referrerBytes.length;
    const put = await fetch(`${two.url}/v2/charts/web/manifests/${referrersTag(a!.digest)}`, { method: 'PUT', headers: { 'content-type': 'application/vnd.oci.image.index.v1+json' }, body: JSON.stringify(index) });
    assert.equal(put.status, 201);
    const run = await runBundledCli(verifyArgs(`oci://${two.host}/charts/web:1.2.0`), { cwd: scratch, env: env() });
    assert.equal(run.code, 1, run.stdout);
    assert.match(run.stdout, /Rejected: attestation sha256:[a-f0-9]{64}: the attestation does not verify: .*(signature|hash)/);
    assert.doesNotMatch(run.stdout, /^Verified/m);
  });

  it('verifies before storing: a bundle the trust root does not vouch for fails the chart and is not stored; a rerun attests it', async () => {
    const other = await startSigstore();
    const fresh = createRepo();
    try {
      fresh.commit('feat: db', chartFiles('charts/db', 'db', '3.0.0'));
      const publish = async (trustedRoot: string) =>
        runBundledCli(
          ['publish', '--version-bump', 'none', '--registry', `oci://${one.host}/charts`, '--plain-http', '--attest', '--sigstore-signing-config', stack.signingConfigFile, '--sigstore-trusted-root', trustedRoot, '--json'],
          { cwd: fresh.dir, env: env({ SIGSTORE_ID_TOKEN: await stack.token(claims) }) },
        );
      // Signed by this instance, checked against another one's trust root.
      const wrong = await publish(other.trustedRootFile);
      assert.equal(wrong.code, 1, wrong.stderr);
      const [db] = (JSON.parse(wrong.stdout) as Outcome).charts;
      assert.equal(db?.status, 'failed');
      assert.match(db?.error ?? '', /pushed, but not attested: the new attestation does not verify against the custom instance's trust root/);
      assert.equal(db?.registries[0]?.digest.length, 71, 'the chart itself is published');
      const target = openTarget(`oci://${one.host}/charts`, { plainHttp: true });
      assert.deepEqual(await readReferrers(target, 'db', db.registries[0].digest, BUNDLE), [], 'nothing stored');
      const right = await publish(stack.trustedRootFile);
      assert.equal(right.code, 0, right.stderr);
      const [again] = (JSON.parse(right.stdout) as Outcome).charts;
      assert.equal(again?.status, 'unchanged');
      assert.equal(again?.registries[0]?.attestation?.status, 'attested');
      assert.equal((await readReferrers(target, 'db', db.registries[0].digest, BUNDLE)).length, 1);
      await target.close();
    } finally {
      fresh.cleanup();
      await other.stop();
    }
  });

  it('--attest without any ID token fails before anything is published', async () => {
    const fresh = createRepo();
    try {
      fresh.commit('feat: api', chartFiles('charts/api', 'api', '0.1.0'));
      const run = await runBundledCli(['publish', '--registry', `oci://${one.host}/charts`, '--plain-http', '--attest'], { cwd: fresh.dir, env: env() });
      assert.equal(run.code, 1);
      assert.match(run.stderr, /attest: --attest needs an OIDC identity token.*SIGSTORE_ID_TOKEN/s);
      assert.deepEqual(await openTarget(`oci://${one.host}/charts`, { plainHttp: true }).listVersions('api'), []);
    } finally {
      fresh.cleanup();
    }
  });
});
