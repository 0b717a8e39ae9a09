import { join } from 'node:path';
import semver from 'semver';
import { describeError } from '../model/errors.js';
import { buildChartArtifact, type ChartTarget } from '../helm-oci/index.js';
import { packageChart } from './package.js';
import type { DigestsOf, PublishedState } from './plan-published.js';
import type { ReleasedVersion } from './plan.js';

/**
 * Digests of what publishing would push: the chart packaged at its next version. Only the config and chart-layer
 * digests are compared, so the creation time given to the artifact does not matter.
 */
export function packagedDigests(root: string, env?: NodeJS.ProcessEnv): DigestsOf {
  return async (chart) => {
    const packaged = await packageChart(join(root, chart.path), {
      version: chart.nextVersion,
      ...(chart.nextAppVersion === undefined ? {} : { appVersion: chart.nextAppVersion }),
      ...(env === undefined ? {} : { env }),
    });
    const artifact = buildChartArtifact({ archive: packaged.archive, metadata: packaged.metadata, created: packaged.sourceDate });
    return { configDigest: artifact.config.digest, chartDigest: artifact.chart.digest };
  };
}

export function publishedStateOf(target: ChartTarget): PublishedState {
  return { inspect: (name, version) => target.inspectChart(name, version) };
}

/**
 * The highest version of a chart any target holds. A target that cannot be listed (a fork's pull request has no
 * credentials) is left out with one warning: the plan then rests on Chart.yaml and the release tags.
 */
export function highestPublished(targets: ChartTarget[], warn: (message: string) => void): (chart: string) => Promise<ReleasedVersion | undefined> {
  const unreadable = new Set<string>();
  return async (chart) => {
    let best: ReleasedVersion | undefined;
    for (const target of targets) {
      if (unreadable.has(target.spec)) continue;
      let versions: string[];
      try {
        versions = await target.listVersions(chart);
      } catch (error) {
        if (!unreadable.has(target.spec)) warn(`could not list the published versions in ${target.spec}: ${describeError(error)}`);
        unreadable.add(target.spec);
        continue;
      }
      const top = versions.filter((v) => semver.valid(v)).sort(semver.rcompare)[0];
      if (top && (!best || semver.gt(top, best.version))) best = { version: top, where: target.spec };
    }
    return best;
  };
}
