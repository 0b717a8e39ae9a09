/**
 * Keyless attestations from GitLab CI, run again: Fulcio names a GitLab pipeline by its configuration file at its ref
 * (`https://` + the token's `ci_config_ref_uri`), so an attestation already in the registry counts for this pipeline
 * only if its certificate names that; one another project on the same GitLab made (it could push to the namespace)
 * is not taken for this one's. The bundled CLI with a GitLab-style ID token, a real registry (distribution 2.8), a
 * Sigstore instance on loopback whose Fulcio follows that rule (helpers/sigstore.ts).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runBundledCli } from '../helpers/cli.js';
import { chartFiles, createRepo, type TestRepo } from '../helpers/git.js';
import { startRegistry, type TestRegistry } from '../helpers/registry.js';
import { startSigstore, type SigstoreStack } from '../helpers/sigstore.js';

interface Outcome {
  charts: {
    name: string;
    status: string;
    error?: string;
    registries: { attestation: { digest: string; status: string; unverified?: { digest: string; reason: string }[] } | null }[];
    attestation?: { identity: string; verified: boolean };
  }[];
}

/** The claims of a GitLab CI job's ID token for `project` on `main`. */
const gitlabClaims = (project: string) => ({
  sub: `project_path:${project}:ref_type:branch:ref:main`,
  project_path: project,
  ci_config_ref_uri: `gitlab.example.com/${project}//.gitlab-ci.yml@refs/heads/main`,
});

describe('attestations from GitLab CI, run again', () => {
  let registry: TestRegistry;
  let stack: SigstoreStack;
  let repo: TestRepo;
  const scratch = mkdtempSync(join(tmpdir(), 'chartship-attest-gitlab-'));

  before(async () => {
    [registry, stack] = await Promise.all([startRegistry({ auth: 'none' }), startSigstore()]);
    repo = createRepo();
    repo.commit('feat: web', chartFiles('charts/web', 'web', '1.0.0'));
  });
  after(async () => {
    await Promise.all([registry?.stop(), stack?.stop()]);
    repo?.cleanup();
    rmSync(scratch, { recursive: true, force: true });
  });

  /** `chartship publish --attest` as project `project`'s pipeline, on the same chart and registry. */
  const publish = async (project: string) => {
    const run = await runBundledCli(
      [
        'publish', '--charts', 'charts/*', '--version-bump', 'none', '--registry', `oci://${registry.host}/charts`, '--plain-http', '--attest',
        '--sigstore-signing-config', stack.signingConfigFile, '--sigstore-trusted-root', stack.trustedRootFile, '--json',
      ],
      { cwd: repo.dir, env: { HOME: scratch, GITLAB_CI: 'true', SIGSTORE_ID_TOKEN: await stack.token(gitlabClaims(project)) } },
    );
    assert.equal(run.code, 0, run.stderr);
    const [web] = (JSON.parse(run.stdout) as Outcome).charts;
    return { web: web!, stderr: run.stderr };
  };

  it("names the pipeline as Fulcio does, and takes another project's attestation of the same chart for none of its own", async () => {
    // Another project on the same GitLab publishes the same chart to the namespace first, attested as itself.
    const other = await publish('mallory/charts');
    assert.equal(other.web.status, 'pushed', other.web.error);
    assert.equal(other.web.attestation?.identity, 'https://gitlab.example.com/mallory/charts//.gitlab-ci.yml@refs/heads/main');
    const planted = other.web.registries[0]!.attestation!.digest;

    // This project's pipeline: the chart is there, unchanged, but what attests it names another pipeline.
    const ours = await publish('acme/charts');
    assert.equal(ours.web.status, 'unchanged', ours.web.error);
    const attestation = ours.web.registries[0]!.attestation!;
    assert.equal(attestation.status, 'attested');
    assert.notEqual(attestation.digest, planted);
    assert.deepEqual(attestation.unverified?.map((u) => u.digest), [planted]);
    assert.match(attestation.unverified?.[0]?.reason ?? '', /mallory\/charts/);
    assert.match(ours.stderr, new RegExp(`attestation ${planted} does not verify for this chart and signer`));
    assert.deepEqual(ours.web.attestation && { identity: ours.web.attestation.identity, verified: ours.web.attestation.verified }, {
      identity: 'https://gitlab.example.com/acme/charts//.gitlab-ci.yml@refs/heads/main',
      verified: true,
    });

    // Run again: its own attestation is there and verifies, so nothing is signed.
    const again = await publish('acme/charts');
    assert.deepEqual(again.web.registries[0]!.attestation && { digest: again.web.registries[0]!.attestation.digest, status: again.web.registries[0]!.attestation.status }, { digest: attestation.digest, status: 'existing' });
  });
});
