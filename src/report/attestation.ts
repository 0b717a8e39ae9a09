import type { ChartResult } from '../model/plan.js';
import { clip, code, inline, oneLine, table, tableCode } from './markdown.js';

/** The registries of a chart that hold an attestation, with it. */
function attested(result: ChartResult) {
  return result.registries.flatMap((registry) => (registry.attestation && registry.status !== 'failed' ? [{ registry, attestation: registry.attestation }] : []));
}

/** A fenced block long enough that nothing inside can close it. */
function codeBlock(language: string, lines: string[]): string[] {
  const content = lines.map((line) => clip(oneLine(line), 2_000));
  const longest = Math.max(2, ...content.flatMap((line) => (line.match(/`+/g) ?? []).map((run) => run.length)));
  const fence = '`'.repeat(longest + 1);
  return [`${fence}${language}`, ...content, fence];
}

/** The commands that verify each chart's attestation: one per chart (its first registry), gh's beside it. */
function verifyCommands(results: ChartResult[]): string[] {
  return results.flatMap((result) => {
    const first = attested(result).find(({ attestation }) => attestation.verify);
    return first ? [first.attestation.verify!, ...(first.attestation.ghVerify ? [first.attestation.ghVerify] : [])] : [];
  });
}

/**
 * The job summary's and the PR comment's provenance part: which attestation each registry holds, who signed it,
 * and how to verify it. Empty when no chart has one.
 */
export function provenanceSection(results: ChartResult[]): string[] {
  const rows = results.flatMap((result) =>
    attested(result).map(({ registry, attestation }) => [
      tableCode(result.name, 200),
      inline(result.version, 100),
      inline(registry.registry, 300),
      tableCode(attestation.digest, 100),
      attestation.status === 'existing' ? 'already attested' : result.attestation ? `${inline(result.attestation.identity, 300)}${result.attestation.verified ? ' ✅' : ''}` : '—',
    ]),
  );
  if (rows.length === 0) return [];
  const commands = verifyCommands(results);
  return [
    '',
    '### Provenance',
    '',
    'Keyless Sigstore attestations (SLSA build provenance), stored beside each chart as an OCI referrer.',
    '',
    ...table(['Chart', 'Version', 'Registry', 'Attestation', 'Signed by'], rows),
    ...(commands.length > 0 ? ['', ...codeBlock('sh', commands)] : []),
  ];
}

/** A release's provenance: who signed this version, where its attestations are, and how to verify them. */
export function releaseProvenance(result: ChartResult): string[] {
  const found = attested(result);
  if (found.length === 0) return [];
  const signer = result.attestation;
  const commands = found.flatMap(({ attestation }) => [...(attestation.verify ? [attestation.verify] : []), ...(attestation.ghVerify ? [attestation.ghVerify] : [])]);
  return [
    '### Provenance',
    '',
    signer
      ? `Signed keylessly with Sigstore (${inline(signer.instance, 50)}) by ${code(signer.identity, 300)}, issuer ${code(signer.issuer, 300)}: SLSA build provenance for the chart manifest and archive${signer.logIndex ? `, transparency log index ${inline(signer.logIndex, 30)}` : ''}.`
      : 'Signed keylessly with Sigstore: SLSA build provenance for the chart manifest and archive.',
    'Policy engines and admission controllers (Kyverno, cosign, `gh attestation verify`) find it as an OCI referrer of the chart.',
    '',
    ...table(
      ['Registry', 'Attestation'],
      found.map(({ registry, attestation }) => [inline(registry.registry, 300), tableCode(attestation.digest, 100)]),
    ),
    ...(commands.length > 0 ? ['', ...codeBlock('sh', [...new Set(commands)])] : []),
  ];
}
