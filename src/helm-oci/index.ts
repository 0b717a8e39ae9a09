import { openStore, type TargetOptions } from '../oci/index.js';
import { StoreTarget, type ChartTarget } from './target.js';

/** Charts on `oci://host[:port]/namespace` or `oci-layout:DIR`, as helm pushes and pulls them. */
export function openTarget(spec: string, options: TargetOptions = {}): ChartTarget {
  return new StoreTarget(spec, openStore(spec, options));
}

export type { ChartReferrer, ChartTarget, PublishedChart, PushResult } from './target.js';
export { parseChartReference, type ChartReference } from './chart-reference.js';
export { describeManifest } from './target.js';
export { buildChartArtifact, chartConfig, chartAnnotations, localRfc3339, HELM_CHART, HELM_CHART_LEGACY, HELM_CONFIG, HELM_PROV } from './artifact.js';
export { tagForVersion, versionForTag, type TagVersions } from './tags.js';
