import { resolve } from 'node:path';
import { openTarget, parseChartReference } from '../../helm-oci/index.js';
import { ChartshipError } from '../../model/errors.js';
import { parseCommand, usage } from '../args.js';
import type { CliIO } from '../io.js';
import { REGISTRY_FLAGS, registryHelp, registryOptions } from '../registry-flags.js';

export const HELP = `usage: chartship verify oci://HOST[:PORT]/NAMESPACE/CHART:VERSION --certificate-identity ID --certificate-oidc-issuer URL [options]

Finds the Sigstore attestations stored beside the chart version (OCI referrers: the registry's referrers API and the
sha256-<digest> tag), verifies each against Sigstore's trust root (through TUF, or --trusted-root), checks that it is
about the manifest the registry serves for that version (and its chart archive), and prints who built it, from
which repository and commit. Exits non-zero unless at least one attestation verifies.

options:
  --certificate-identity ID          the signer, exactly; for a GitHub workflow the workflow file at its ref, e.g.
                                     https://github.com/OWNER/REPO/.github/workflows/release.yml@refs/heads/main
  --certificate-identity-regexp RE   instead: a regular expression the signer must match (anchor it with ^…$)
  --certificate-oidc-issuer URL      the signer's OIDC issuer (GitHub Actions: https://token.actions.githubusercontent.com)
  --trusted-root FILE                verify against this Sigstore trusted root instead of Sigstore's public-good one
                                     from TUF (offline machines, private instances, gh attestation trusted-root)
  --tuf-mirror URL                   fetch the trusted root from this TUF repository
  --tuf-root FILE                    that repository's root.json
${registryHelp(37)}
  --json                             print the result as JSON
  -h, --help                         show this help
`;

const COMMAND = { name: 'verify', help: HELP };

export async function run(argv: string[], io: CliIO): Promise<number> {
  const parsed = await parseCommand(
    {
      ...COMMAND,
      positionals: { min: 1, max: 1, what: 'one chart reference' },
      options: {
        'certificate-identity': { type: 'string' },
        'certificate-identity-regexp': { type: 'string' },
        'certificate-oidc-issuer': { type: 'string' },
        'trusted-root': { type: 'string' },
        'tuf-mirror': { type: 'string' },
        'tuf-root': { type: 'string' },
        ...REGISTRY_FLAGS,
        json: { type: 'boolean' },
      },
    },
    argv,
    io,
  );
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  const identity = values['certificate-identity'];
  const identityRegexp = values['certificate-identity-regexp'];
  const issuer = values['certificate-oidc-issuer'];
  if (!issuer) return usage(COMMAND, '--certificate-oidc-issuer is required', io);
  if ((identity === undefined) === (identityRegexp === undefined)) return usage(COMMAND, 'give exactly one of --certificate-identity and --certificate-identity-regexp', io);
  if (identityRegexp !== undefined) {
    try {
      new RegExp(identityRegexp);
    } catch (error) {
      return usage(COMMAND, `--certificate-identity-regexp: ${(error as Error).message}`, io);
    }
  }
  if (values['trusted-root'] && (values['tuf-mirror'] || values['tuf-root'])) return usage(COMMAND, '--trusted-root replaces TUF: give it or --tuf-mirror/--tuf-root, not both', io);

  const reference = parseChartReference(positionals[0] as string);
  const options = await registryOptions(values, io, 'verify');
  // The Sigstore stack is loaded only for this command.
  const attest = await import('../../sign/attest/index.js');
  const { verifyChartAttestations } = await import('../../pipeline/attest-verify.js');
  const trust = await attest.loadTrust(
    values['trusted-root']
      ? await attest.readTrustedRoot(resolve(io.cwd, values['trusted-root']))
      : {
          kind: 'tuf',
          ...(values['tuf-mirror'] ? { mirrorUrl: values['tuf-mirror'] } : {}),
          ...(values['tuf-root'] ? { rootFile: resolve(io.cwd, values['tuf-root']) } : {}),
        },
  );
  const target = openTarget(reference.target, options);
  let result;
  try {
    result = await verifyChartAttestations(target, reference.name, reference.version, trust, {
      issuer,
      ...(identity !== undefined ? { identity } : {}),
      ...(identityRegexp !== undefined ? { identityRegexp } : {}),
    });
  } finally {
    await target.close();
  }
  const ref = positionals[0] as string;

  if (values.json) {
    io.stdout(
      `${JSON.stringify(
        {
          reference: ref,
          digest: result.digest,
          chartDigest: result.chartDigest,
          verified: result.verified.map(({ referrer, bundle }) => ({
            attestation: referrer,
            predicateType: bundle.statement.predicateType,
            identity: bundle.identity,
            issuer: bundle.issuer,
            build: bundle.build,
            ...(bundle.logIndex !== undefined ? { logIndex: bundle.logIndex } : {}),
            subjects: bundle.statement.subject,
            predicate: bundle.statement.predicate,
          })),
          rejected: result.rejected,
        },
        null,
        2,
      )}\n`,
    );
  } else {
    const lines: string[] = [];
    for (const { referrer, bundle } of result.verified) {
      const source = describeSource(bundle.build, bundle.statement.predicate);
      lines.push(
        `Verified: ${ref} (${result.digest})`,
        `  Attestation: ${referrer} (${bundle.statement.predicateType})`,
        `  Signed by: ${bundle.identity}`,
        `  Issuer: ${bundle.issuer}`,
        ...(source.repository || source.commit ? [`  Source: ${[source.repository, source.ref].filter(Boolean).join(' ') || 'commit'}${source.commit ? ` @ ${source.commit}` : ''}`] : []),
        ...(source.workflow ? [`  Workflow: ${source.workflow}`] : []),
        ...(source.run ? [`  Run: ${source.run}`] : []),
        ...(bundle.logIndex !== undefined ? [`  Transparency log index: ${bundle.logIndex}`] : []),
      );
    }
    for (const { referrer, reason } of result.rejected) lines.push(`Rejected: attestation ${referrer}: ${reason}`);
    if (lines.length > 0) io.stdout(`${lines.join('\n')}\n`);
  }
  if (result.verified.length > 0) return 0;
  throw new ChartshipError(
    result.rejected.length === 0 ? `${ref} (${result.digest}) has no Sigstore attestation` : `no attestation of ${ref} (${result.digest}) verifies`,
    { code: 'ATTESTATION_UNVERIFIED', ...(result.rejected.length === 0 ? { hint: 'publish it with attestations on (attest input, or chartship publish --attest); if it was published so, the tag now names other content than what was attested' } : {}) },
  );
}

/**
 * Who built it from what: the certificate's extensions (Fulcio certified them from the CI's token), else the
 * provenance predicate (which the signer wrote).
 */
function describeSource(build: Record<string, string | undefined>, predicate: Record<string, unknown>): { repository?: string; ref?: string; commit?: string; workflow?: string; run?: string } {
  const definition = (predicate['buildDefinition'] ?? {}) as {
    externalParameters?: { source?: { repository?: string; ref?: string; commit?: string }; workflow?: { repository?: string; ref?: string; path?: string } };
    resolvedDependencies?: { uri?: string; digest?: { gitCommit?: string } }[];
  };
  const external = definition.externalParameters ?? {};
  const details = (predicate['runDetails'] ?? {}) as { metadata?: { invocationId?: string } };
  const dependency = definition.resolvedDependencies?.[0];
  const fromPredicate = /^git\+(.+?)(?:@(.+))?$/.exec(dependency?.uri ?? '');
  const pick = (...values: (string | undefined)[]) => values.find((v) => v !== undefined && v !== '');
  return {
    repository: pick(build['sourceRepositoryURI'], fromPredicate?.[1], external.source?.repository, external.workflow?.repository),
    ref: pick(build['sourceRepositoryRef'], fromPredicate?.[2], external.source?.ref, external.workflow?.ref),
    commit: pick(build['sourceRepositoryDigest'], dependency?.digest?.gitCommit, external.source?.commit),
    workflow: pick(build['buildConfigURI'], external.workflow?.path),
    run: pick(build['runInvocationURI'], details.metadata?.invocationId),
  };
}
