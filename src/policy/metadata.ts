import type { ChartMetadata } from '../model/metadata.js';
import type { MetadataField } from '../config/index.js';
import type { PolicyChart, PolicyContext, RuleOutcome, Spot } from './types.js';

/** Why a catalogue wants each field, said with the finding. */
const WHY: Record<MetadataField, string> = {
  description: 'one line on what the chart deploys',
  maintainers: 'who owns the chart, each with a name',
  sources: 'where the chart and its images are built from',
  kubeVersion: 'the Kubernetes versions it supports, e.g. ">=1.25.0-0"',
  icon: 'an image URL catalogues show',
};

function present(metadata: ChartMetadata, field: MetadataField): boolean {
  switch (field) {
    case 'maintainers':
      return (metadata.maintainers?.length ?? 0) > 0 && metadata.maintainers!.every((m) => (m.name ?? '').trim() !== '');
    case 'sources':
      return (metadata.sources ?? []).some((s) => s.trim() !== '');
    default:
      return (metadata[field] ?? '').trim() !== '';
  }
}

/**
 * `chart-metadata`: the fields a catalogue shows, and a version that names one content. The version is compared
 * with what the registries hold at it only when the caller can reach them (`ctx.published`).
 */
export async function checkMetadata(chart: PolicyChart, fields: MetadataField[], ctx: PolicyContext): Promise<RuleOutcome> {
  const metadata = chart.file.metadata;
  const at = (path: (string | number)[]) => {
    const pos = chart.file.locate(path);
    return { file: pos?.file ?? chart.chartYaml, line: pos?.line ?? 1, column: pos?.column ?? 1 };
  };
  const spots: Spot[] = [];
  for (const field of fields) {
    if (present(metadata, field)) continue;
    spots.push({ message: `Chart.yaml has no ${field} (${WHY[field]})`, ...at([field]) });
  }
  if (ctx.published) {
    const state = await ctx.published.compare(chart, metadata.version);
    if (state === 'differs') {
      spots.push({
        message: `version ${metadata.version} is already published in ${ctx.published.where} with other content: the chart changed without a version bump`,
        ...at(['version']),
      });
    }
  }
  return { spots };
}
