import { archiveError, readArchiveFiles, type ArchiveFiles } from '../archive/read.js';
import type { ChartMetadata } from '../model/metadata.js';
import { parseChartFiles } from './chartfile.js';
import { yamlText } from './yaml-input.js';

export interface ChartArchive extends ArchiveFiles {
  metadata: ChartMetadata;
}

/**
 * Reads a chart .tgz in memory and validates it the way `helm push` / `helm install` would load it: the archive's
 * files, then its Chart.yaml. `label` names the archive in errors (usually its path).
 */
export async function readChartArchive(bytes: Buffer, label: string): Promise<ChartArchive> {
  const { top, files, newestMtime } = await readArchiveFiles(bytes, label);
  const chartYaml = files.get('Chart.yaml');
  if (!chartYaml) return archiveError(label, `no ${top}/Chart.yaml in the archive`, `${top}/Chart.yaml`);
  // helm's loader reads requirements.yaml over Chart.yaml: a v1 archive's dependencies live there.
  const requirements = files.get('requirements.yaml');
  const chartFile = `${label}:${top}/Chart.yaml`;
  const requirementsFile = `${label}:${top}/requirements.yaml`;
  const { metadata } = parseChartFiles(
    { text: yamlText(chartYaml, chartFile, 'CHART_YAML_INVALID'), file: chartFile },
    requirements && { text: yamlText(requirements, requirementsFile, 'REQUIREMENTS_INVALID'), file: requirementsFile },
  );
  return { metadata, top, files, newestMtime };
}
