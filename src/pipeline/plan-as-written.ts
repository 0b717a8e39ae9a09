import type { ChartHistory } from '../changes/detect.js';
import type { VersionDecision } from '../versioning/decide.js';
import { bumpBetween, isAbove } from '../versioning/next-version.js';

/**
 * A chart planned as its Chart.yaml is written (the publish after a release pull request is merged): released at
 * that version when it is above the chart's newest release tag (without a tag: above what every target holds), and
 * otherwise left alone; commits, Release-As and dependencies bump nothing. A release tag is created only once a chart
 * reached every target, so a publish that failed half-way is completed by the next one.
 */
export function writtenDecision(
  current: string,
  decision: VersionDecision,
  history: ChartHistory | undefined,
  published: { version: string; where: string } | undefined,
): VersionDecision {
  const released = history?.lastRelease ? { version: history.lastRelease.version, where: `release tag ${history.lastRelease.tag}` } : published;
  if (released && !isAbove(current, released.version)) return { release: false, bump: 'none', nextVersion: current, reasons: [], changelog: decision.changelog };
  return {
    release: true,
    bump: released ? bumpBetween(released.version, current) : 'none',
    nextVersion: current,
    reasons: [
      released
        ? { kind: 'manual-version', message: `Chart.yaml has ${current}, above ${released.version} (${released.where})` }
        : { kind: 'first-release', message: `first release of ${current}` },
    ],
    changelog: decision.changelog,
  };
}
