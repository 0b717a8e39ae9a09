import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { verifyCommand } from '../../src/pipeline/attest.js';
import type { ChartResult } from '../../src/model/plan.js';
import { renderPublishComment, renderReleaseBody, renderSummary } from '../../src/report/index.js';
import { ctx, results } from './fixtures.js';

const REFERRER = `sha256:${'9'.repeat(64)}`;
const identity = 'https://github.com/acme/charts/.github/workflows/release.yml@refs/heads/main';
const issuer = 'https://token.actions.githubusercontent.com';

function attested(): ChartResult[] {
  const [api, ...rest] = results();
  const verify = verifyCommand(api!.registries[0]!.ref, identity, issuer);
  return [
    {
      ...api!,
      registries: api!.registries.map((r, i) => ({ ...r, attestation: { digest: REFERRER, status: 'attested', via: 'referrers-tag', ...(i === 0 ? { verify, ghVerify: 'gh attestation verify oci://ghcr.io/acme/charts/api:2.0.0_build.1 --repo acme/charts' } : {}) } })),
      attestation: { identity, issuer, instance: 'public-good', predicateType: 'https://slsa.dev/provenance/v1', logIndex: '123', verified: true },
    },
    ...rest,
  ];
}

describe('provenance in the reports', () => {
  test('the verify command quotes what the shell would split', () => {
    assert.equal(
      verifyCommand('ghcr.io/acme/charts/api:2.0.0_build.1', "https://x/.github/workflows/a b.yml@refs/heads/it's", issuer),
      `chartship verify oci://ghcr.io/acme/charts/api:2.0.0_build.1 --certificate-identity 'https://x/.github/workflows/a b.yml@refs/heads/it'\\''s' --certificate-oidc-issuer ${issuer}`,
    );
  });

  test('summary and PR comment: one row per registry holding an attestation, then the commands that verify each chart', () => {
    for (const body of [renderSummary(attested(), ctx), renderPublishComment(attested(), ctx)]) {
      const lines = body.split('\n');
      assert.ok(lines.includes('### Provenance'), body);
      assert.ok(lines.includes(`| \`api\` | 2.0.0+build.1 | oci://ghcr.io/acme/charts | \`${REFERRER}\` | ${identity.replace(/_/g, '\\_')} ✅ |`), body);
      assert.ok(lines.includes(`| \`api\` | 2.0.0+build.1 | oci://localhost:5000/mirror | \`${REFERRER}\` | ${identity.replace(/_/g, '\\_')} ✅ |`), body);
      const block = body.slice(body.indexOf('```sh', body.indexOf('### Provenance')));
      assert.ok(block.startsWith(`\`\`\`sh\n${verifyCommand('ghcr.io/acme/charts/api:2.0.0_build.1', identity, issuer)}\ngh attestation verify`), block);
    }
  });

  test('release notes name the signer, the instance and the log entry', () => {
    const body = renderReleaseBody(attested()[0]!, ctx);
    assert.match(body, /### Provenance\n\nSigned keylessly with Sigstore \(public-good\) by `https:\/\/github\.com\/acme\/charts\/\.github\/workflows\/release\.yml@refs\/heads\/main`, issuer `https:\/\/token\.actions\.githubusercontent\.com`: .*transparency log index 123\./);
    assert.ok(body.includes(`| oci://localhost:5000/mirror | \`${REFERRER}\` |`), body);
  });

  test('an identity with backticks cannot close the code block', () => {
    const hostile = attested();
    hostile[0]!.registries[0]!.attestation!.verify = 'chartship verify x --certificate-identity ```\n<script>';
    const body = renderSummary(hostile, ctx);
    const start = body.indexOf('### Provenance');
    const fence = /\n(`{4,})sh\n/.exec(body.slice(start));
    assert.ok(fence, body);
    assert.ok(body.slice(start).includes(`${fence[1]}sh\nchartship verify x --certificate-identity \`\`\` <script>\n`), 'kept on one line, inside a longer fence');
  });

  test('no attestation, no provenance section', () => {
    assert.ok(!renderSummary(results(), ctx).includes('Provenance'));
    assert.ok(!renderReleaseBody(results()[0]!, ctx).includes('Provenance'));
  });
});
