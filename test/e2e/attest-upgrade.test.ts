/**
 * A registry upgraded under published charts: attestations stored while it had no referrers API (distribution 2.8,
 * so the `sha256-<hex>` tag lists them) must still be found through the bundled CLI once it has the API (the
 * referrers front on the same storage, as distribution 3, Harbor 2.9 or zot): `chartship verify` accepts them and a
 * rerun attaches no second copy.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { referrersTag } from '../../src/oci/referrers.js';
import { runBundledCli } from '../helpers/cli.js';
import { chartFiles, createRepo, type TestRepo } from '../helpers/git.js';
import { startReferrersFront, type ReferrersFront } from '../helpers/referrers-front.js';
import { startRegistry, type TestRegistry } from '../helpers/registry.js';
import { startSigstore, type SigstoreStack } from '../helpers/sigstore.js';

interface Outcome {
  charts: { name: string; status: string; error?: string; registries: { digest: string; attestation: { digest: string; status: string; via?: string } | null }[] }[];
}

const CHARTS = ['api', 'web'];

describe('attestations stored under the referrers tag, read after the registry gained the referrers API', () => {
  let registry: TestRegistry;
  let front: ReferrersFront;
  let stack: SigstoreStack;
  let repo: TestRepo;
  let initial = '';
  let published: Outcome;
  const scratch = mkdtempSync(join(tmpdir(), 'chartship-attest-upgrade-'));
  const claims = { sub: 'project_path:acme/charts:ref_type:branch:ref:main', project_path: 'acme/charts' };
  const env = (extra: Record<string, string> = {}) => ({ HOME: scratch, ...extra });
  const publish = async (host: string, extra: string[] = []) => {
    const run = await runBundledCli(
      ['publish', '--charts', 'charts/*', '--version-bump', 'none', ...extra, '--registry', `oci://${host}/charts`, '--plain-http', '--attest', '--sigstore-signing-config', stack.signingConfigFile, '--sigstore-trusted-root', stack.trustedRootFile, '--json'],
      { cwd: repo.dir, env: env({ SIGSTORE_ID_TOKEN: await stack.token(claims) }) },
    );
    assert.equal(run.code, 0, run.stderr);
    return JSON.parse(run.stdout) as Outcome;
  };

  before(async () => {
    [registry, stack] = await Promise.all([startRegistry({ auth: 'none' }), startSigstore()]);
    repo = createRepo();
    initial = repo.commit('chore: start', { 'README.md': 'charts\n' });
    repo.commit('feat: charts', { ...chartFiles('charts/api', 'api', '0.3.0'), ...chartFiles('charts/web', 'web', '1.2.0') });
    // Published while the registry had no referrers API, then the API put in front of the same storage.
    published = await publish(registry.host);
    front = await startReferrersFront(registry.url);
  });
  after(async () => {
    await Promise.all([front?.stop(), registry?.stop(), stack?.stop()]);
    repo?.cleanup();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('were stored under the tag before the upgrade', () => {
    assert.deepEqual(published.charts.map((c) => [c.name, c.status, c.registries[0]?.attestation?.via]), CHARTS.map((name) => [name, 'pushed', 'referrers-tag']));
  });

  it('chartship verify finds and accepts them through the referrers API registry', async () => {
    const ref = `oci://${front.host}/charts/web:1.2.0`;
    const run = await runBundledCli(['verify', ref, '--certificate-identity', claims.sub, '--certificate-oidc-issuer', stack.issuer, '--trusted-root', stack.trustedRootFile, '--plain-http'], { cwd: scratch, env: env() });
    assert.equal(run.code, 0, `${run.stdout}\n${run.stderr}`);
    const web = published.charts.find((c) => c.name === 'web')!.registries[0]!;
    assert.match(run.stdout, new RegExp(`^Verified: ${ref} \\(${web.digest}\\)$`, 'm'));
    assert.match(run.stdout, new RegExp(`Attestation: ${web.attestation!.digest}`));
    assert.ok(front.referrersCalls.includes(`GET /v2/charts/web/referrers/${web.digest}`), 'the API was asked');
  });

  it('a rerun signs and attaches nothing, at one more request per chart (the tag GET)', async () => {
    const signed = stack.requests.length;
    await registry.reset();
    const apiCalls = front.referrersCalls.length;
    const rerun = await publish(front.host, ['--base', initial]);
    const seen = await registry.settle();
    assert.deepEqual(
      rerun.charts.map((c) => [c.name, c.status, c.registries[0]?.attestation?.status, c.registries[0]?.attestation?.digest]),
      published.charts.map((c) => [c.name, 'unchanged', 'existing', c.registries[0]?.attestation?.digest]),
    );
    assert.equal(stack.requests.length, signed, 'no request to Fulcio or Rekor');
    // The push probe opens (and cancels) an upload; nothing is stored.
    assert.deepEqual(seen.filter((r) => r.method === 'PUT'), [], 'no blob or manifest stored');
    for (const chart of published.charts) {
      const digest = chart.registries[0]!.digest;
      const tagReads = seen.filter((r) => r.path === `/v2/charts/${chart.name}/manifests/${referrersTag(digest)}`);
      assert.deepEqual(tagReads.map((r) => `${r.method} ${r.status}`), ['GET 200'], chart.name);
    }
    assert.equal(front.referrersCalls.length - apiCalls, CHARTS.length, 'one referrers API call per chart');
  });
});
