import { shownPath, type ChartResult, type Plan, type RegistryResult } from '../model/plan.js';

/** The `charts` output: one object per chart, the same JSON the CLI prints with --json. */
export function chartsOutput(results: ChartResult[]): object[] {
  return results.map((r) => ({
    name: r.name,
    version: r.version,
    previousVersion: r.previousVersion ?? null,
    path: shownPath(r.path),
    status: r.status,
    ...(r.error ? { error: r.error } : {}),
    registries: r.registries.map((reg) => ({
      registry: reg.registry,
      ref: reg.ref,
      digest: reg.digest ?? null,
      provDigest: reg.provDigest ?? null,
      attestation: reg.attestation ?? null,
    })),
    ...(r.attestation ? { attestation: r.attestation } : {}),
    ...(r.release ? { release: r.release } : {}),
    ...(r.copiedFrom ? { copiedFrom: r.copiedFrom } : {}),
  }));
}

/**
 * GitHub keeps at most 1 MB of outputs a job, "approximated based on UTF-16 encoding" (2 bytes a character), and a
 * job over it fails at its end; the `charts` output keeps to half of that, leaving the rest to the outputs beside it.
 */
export const CHARTS_OUTPUT_LIMIT = 256 * 1024;

/**
 * The `charts` output as a job can carry it: whole (`json`, the file of `charts-file` too) when it fits the limit,
 * else each chart's name, version and status, else an empty list; `whole` says which.
 */
export function chartsOutputValue(results: ChartResult[], json = JSON.stringify(chartsOutput(results))): { value: string; whole: boolean } {
  if (json.length <= CHARTS_OUTPUT_LIMIT) return { value: json, whole: true };
  const brief = JSON.stringify(results.map((r) => ({ name: r.name, version: r.version, status: r.status })));
  return { value: brief.length <= CHARTS_OUTPUT_LIMIT ? brief : '[]', whole: false };
}

/** A strategy matrix of the charts to release, for workflows that shard publishing across jobs. */
export function matrixOutput(plan: Plan): { include: { chart: string; path: string; version: string }[] } {
  return {
    include: plan.charts.filter((c) => c.action === 'release').map((c) => ({ chart: c.name, path: shownPath(c.path), version: c.nextVersion })),
  };
}

export function pushedCount(results: ChartResult[]): number {
  return results.filter((r) => r.status === 'pushed').length;
}

/** A chart this run published: pushed, or found pushed already by a rerun (it has digests either way). */
export function isPublished(result: ChartResult): boolean {
  return (result.status === 'pushed' || result.status === 'unchanged') && result.registries.length > 0;
}

/**
 * Outputs a workflow reads without fromJSON, as release-please and build-push-action offer them: `released`,
 * `released-charts`, and per published chart `<chart>--version`, `--digest` and `--ref` (its first registry).
 */
export function releaseOutputs(results: ChartResult[]): Record<string, string> {
  // A copy to a registry that lacked a chart's release (copiedFrom) releases nothing.
  const published = results.filter((r) => isPublished(r) && r.copiedFrom === undefined);
  const outputs: Record<string, string> = { released: String(published.length > 0), 'released-charts': published.map((r) => r.name).join(' ') };
  for (const result of published) {
    // Published: every registry has its digest.
    const first = result.registries[0] as Required<RegistryResult>;
    outputs[`${result.name}--version`] = result.version;
    outputs[`${result.name}--digest`] = first.digest;
    outputs[`${result.name}--ref`] = first.ref;
  }
  return outputs;
}
