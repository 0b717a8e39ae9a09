import { join } from 'node:path';
import { buildChartArtifact, type ChartTarget } from '../oci/index.js';
import { packageChart } from '../package/index.js';
import type { DigestsOf, PublishedState } from './plan-published.js';

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
