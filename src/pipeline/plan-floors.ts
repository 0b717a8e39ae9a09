import semverCompare from 'semver/functions/compare.js';
import type { ChartHistory } from '../changes/detect.js';
import type { DiscoveredChart } from '../charts/discover.js';
import type { Bump, PlanReason } from '../model/plan.js';
import { asSemver, bumpBetween } from '../versioning/next-version.js';

export interface ReleasedVersion {
  version: string;
  /** Where it was found, for the plan's reason: `release tag web-0.5.0`, `oci://ghcr.io/acme/charts`. */
  where: string;
}

/**
 * A released version ahead of Chart.yaml (bumps nothing recorded), and what a registry's content said of it:
 * `past`, it holds other content (this range comes after it); `rerun`, it holds what this run would publish there.
 */
export interface Floor extends ReleasedVersion {
  written: string;
  past?: boolean;
  rerun?: boolean;
}

/** Versions ordered as helm reads them (`v1.0` is 1.0.0). */
export function compareVersions(a: string, b: string): number {
  return semverCompare(asSemver(a).version, asSemver(b).version);
}

/** For each chart released (tagged, or published in a target) at a version ahead of its Chart.yaml: that version. */
export function releasedFloors(
  charts: DiscoveredChart[],
  histories: Map<string, ChartHistory>,
  published: Map<string, ReleasedVersion>,
  known: { pastPublished?: ReadonlySet<string>; republished?: ReadonlySet<string> },
): Map<string, Floor> {
  const floors = new Map<string, Floor>();
  for (const chart of charts) {
    const history = histories.get(chart.name);
    const written = chart.file.metadata.version;
    const tag = history?.lastRelease ? { version: history.lastRelease.version, where: `release tag ${history.lastRelease.tag}` } : undefined;
    const ahead = [tag, published.get(chart.name)].reduce<ReleasedVersion | undefined>(
      (best, r) => (r && compareVersions(r.version, best?.version ?? written) > 0 ? r : best),
      undefined,
    );
    if (ahead) floors.set(chart.name, { ...ahead, written, past: known.pastPublished?.has(chart.name), rerun: known.republished?.has(chart.name) });
  }
  return floors;
}

/**
 * A version planned from Chart.yaml, against the released version ahead of it: never below it, so below (or at it,
 * when this range comes after it) the plan starts again from it; a rerun stays at it. Undefined: the version stands
 * (the same version, left to the registry: its content makes it a rerun).
 */
export function onFloor(version: string, floor: Floor | undefined): 'rerun' | 'restart' | undefined {
  if (!floor) return undefined;
  const order = compareVersions(version, floor.version);
  if (order < 0 && floor.rerun) return 'rerun';
  return order < 0 || (order === 0 && floor.past) ? 'restart' : undefined;
}

/** Where a rerun stays: the floor, with the reason saying so. */
export function rerunAt(floor: Floor): { nextVersion: string; bump: Bump; reason: PlanReason } {
  return {
    nextVersion: floor.version,
    bump: bumpBetween(floor.written, floor.version),
    reason: { kind: 'released', version: floor.version, message: `Chart.yaml has ${floor.written}, but ${floor.version} (${floor.where}) already holds these changes: a rerun` },
  };
}

export function startedFrom(floor: Floor): PlanReason {
  return { kind: 'released', version: floor.version, message: `Chart.yaml has ${floor.written}, but ${floor.version} is already released (${floor.where}): starting from ${floor.version}` };
}
