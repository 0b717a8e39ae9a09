import type { ChartTarget, PushResult } from '../helm-oci/index.js';

/**
 * A signature made now differs from one made before (its time, openpgp.js's salt), so a rerun that completes a chart
 * some registries took already (a run killed half-way, a registry that refused) would leave another manifest of the
 * same version in the others. The registries this run pushed to get the .prov a registry held instead: every registry
 * then serves one manifest, as a run that went through gives.
 */
export async function withHeldProv(
  targets: ChartTarget[],
  pushes: PromiseSettledResult<PushResult>[],
  chart: { name: string; version: string },
): Promise<PromiseSettledResult<PushResult>[]> {
  const done = pushes.map((p) => (p.status === 'fulfilled' ? p.value : undefined));
  const held = done.findIndex((r) => r?.status === 'unchanged' && r.provDigest !== undefined);
  const heldDigest = done[held]?.digest;
  const apart = done.map((r) => r !== undefined && r.status !== 'unchanged' && r.provDigest !== undefined && r.digest !== heldDigest);
  if (held < 0 || !apart.includes(true)) return pushes;
  const { archive, prov } = await targets[held]!.pullChart(chart.name, chart.version);
  return Promise.all(pushes.map((p, i) => (apart[i] ? settled(targets[i]!.pushChart({ archive, ...(prov ? { prov } : {}) }, { overwrite: true })) : Promise.resolve(p))));
}

/** One promise's outcome as Promise.allSettled reports it, so a push done again stands beside those done once. */
function settled<T>(promise: Promise<T>): Promise<PromiseSettledResult<T>> {
  return promise.then(
    (value) => ({ status: 'fulfilled', value }),
    (reason: unknown) => ({ status: 'rejected', reason }),
  );
}
