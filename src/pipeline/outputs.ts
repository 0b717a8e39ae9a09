import type { ChartResult, Plan } from '../model/plan.js';

/** The `charts` output: one object per chart, the same JSON the CLI prints with --json. */
export function chartsOutput(results: ChartResult[]): object[] {
  return results.map((r) => ({
    name: r.name,
    version: r.version,
    previousVersion: r.previousVersion ?? null,
    path: r.path,
    status: r.status,
    ...(r.error ? { error: r.error } : {}),
    registries: r.registries.map((reg) => ({
      registry: reg.registry,
      ref: reg.ref,
      digest: reg.digest,
      provDigest: reg.provDigest ?? null,
      attestation: reg.attestation ?? null,
    })),
    ...(r.attestation ? { attestation: r.attestation } : {}),
    ...(r.release ? { release: r.release } : {}),
  }));
}

/** A strategy matrix of the charts to release, for workflows that shard publishing across jobs. */
export function matrixOutput(plan: Plan): { include: { chart: string; path: string; version: string }[] } {
  return {
    include: plan.charts.filter((c) => c.action === 'release').map((c) => ({ chart: c.name, path: c.path, version: c.nextVersion })),
  };
}

export function pushedCount(results: ChartResult[]): number {
  return results.filter((r) => r.status === 'pushed').length;
}
