import { ChartshipError } from '../model/errors.js';
import { readChartArchive } from './archive.js';
import { finishChartFile, mergeRequirements, readChartYaml, type ChartFile, type ChartYamlDraft } from './chartfile.js';
import { findJsonError, lineColumn } from './json-check.js';
import { parseChartLock, type ChartLock } from './lockfile.js';
import { checkValuesText } from './values.js';
import type { ChartMetadata } from '../model/metadata.js';
import { MAX_FILE_SIZE, type ChartEntry } from './walk.js';
import { yamlText } from './yaml-input.js';

/** A chart in memory, split the way helm's loader splits it, so it can be written back in helm's order. */
export interface LoadedChart {
  /** Where it came from, as a user recognises it (a directory, or `archive.tgz`). */
  source: string;
  chartFile: ChartFile;
  metadata: ChartMetadata;
  /**
   * The lock helm's loader ends up with: Chart.lock, overridden by requirements.lock when both exist. A v2 chart's is
   * re-marshaled into the archive as Chart.lock; a v1 chart keeps requirements.lock as a plain file instead.
   */
  lock?: ChartLock;
  lockFile?: 'Chart.lock' | 'requirements.lock';
  /** Whether the chart's .helmignore leaves out a file of this name (set for chart directories). */
  ignores?: (name: string) => boolean;
  values?: Buffer;
  schema?: Buffer;
  /** `templates/…` in load order. */
  templates: ChartEntry[];
  /** Every other file kept by helm, in load order. */
  files: ChartEntry[];
  /** Charts found under charts/ (directories and expanded archives). */
  subcharts: LoadedChart[];
  /** Set for a chart directory: the real paths outside it that its symbolic links reach. */
  linked?: string[];
}

/**
 * helm's `LoadFiles`: classifies a chart's files. `source` names the chart in errors; `label(name)` names one file.
 * Subchart directories under charts/ become charts; `charts/*.tgz` are expanded; `charts/_*` and `charts/.*` are
 * skipped as helm skips them.
 */
export async function assembleChart(
  entries: ChartEntry[],
  source: string,
  label: (name: string) => string,
  ignores?: (name: string) => boolean,
): Promise<LoadedChart> {
  const chartYamlEntry = entries.find((e) => e.name === 'Chart.yaml');
  if (!chartYamlEntry) throw new ChartshipError('Chart.yaml is missing', { file: label('Chart.yaml'), code: 'CHART_INVALID' });
  const draft = readChartYaml(yamlText(chartYamlEntry.data, label('Chart.yaml'), 'CHART_YAML_INVALID'), label('Chart.yaml'));
  const chart: Omit<LoadedChart, 'chartFile' | 'metadata'> = { source, templates: [], files: [], subcharts: [], ...(ignores && { ignores }) };
  const subchartEntries = classifyFiles(entries, draft, chart, label);
  const chartFile = finishChartFile(draft);
  const loaded: LoadedChart = { ...chart, chartFile, metadata: chartFile.metadata };
  loaded.subcharts.push(...(await loadSubcharts(subchartEntries, label)));
  return loaded;
}

/**
 * Sorts a chart's files into the parts helm's loader keeps apart (lock, values, schema, templates, other files),
 * reading requirements.yaml into the Chart.yaml draft. Returns the entries under charts/, by top-level name.
 */
function classifyFiles(entries: ChartEntry[], draft: ChartYamlDraft, chart: Omit<LoadedChart, 'chartFile' | 'metadata'>, label: (name: string) => string): Map<string, ChartEntry[]> {
  const v1 = draft.raw['apiVersion'] === 'v1';
  const subchartEntries = new Map<string, ChartEntry[]>();
  for (const entry of entries) {
    const { name, data } = entry;
    if (data.length > MAX_FILE_SIZE) {
      throw new ChartshipError(`file is ${data.length} bytes, over helm's limit of ${MAX_FILE_SIZE} (5 MiB)`, { file: label(name), code: 'CHART_FILE_TOO_LARGE' });
    }
    if (name === 'Chart.yaml') continue;
    if (name === 'Chart.lock' || name === 'requirements.lock') {
      // Read whatever the apiVersion (a later requirements.lock wins); only a v1 chart keeps requirements.lock as a file.
      const lock = parseChartLock(yamlText(data, label(name), 'CHART_LOCK_INVALID'), label(name));
      if (lock) {
        chart.lock = lock;
        chart.lockFile = name;
      } else {
        delete chart.lock;
        delete chart.lockFile;
      }
      if (v1 && name === 'requirements.lock') chart.files.push(entry);
    } else if (name === 'requirements.yaml') {
      // helm reads its dependencies into the metadata for any apiVersion; a v2 chart's Chart.yaml then carries them.
      mergeRequirements(draft, yamlText(data, label(name), 'REQUIREMENTS_INVALID'), label(name));
      if (v1) chart.files.push(entry);
      else draft.warnings.push(new ChartshipError('dependencies belong in Chart.yaml since apiVersion v2; helm still reads this file, and so does chartship', { file: label(name), code: 'REQUIREMENTS_V2' }));
    } else if (name === 'values.yaml') {
      checkValues(data, label(name));
      chart.values = data;
    } else if (name === 'values.schema.json') {
      checkSchema(data, label(name));
      chart.schema = data;
    } else if (name.startsWith('templates/')) {
      chart.templates.push(entry);
    } else if (name.startsWith('charts/') && !name.endsWith('.prov')) {
      const rest = name.slice('charts/'.length);
      const top = rest.split('/', 1)[0]!;
      const list = subchartEntries.get(top) ?? [];
      list.push({ name: rest, data });
      subchartEntries.set(top, list);
    } else {
      chart.files.push(entry);
    }
  }
  return subchartEntries;
}

/** charts/<name>/ directories and charts/<name>.tgz archives as charts; `_` and `.` entries are skipped as helm skips them. */
async function loadSubcharts(subchartEntries: Map<string, ChartEntry[]>, label: (name: string) => string): Promise<LoadedChart[]> {
  const subcharts: LoadedChart[] = [];
  for (const [top, list] of subchartEntries) {
    if (top.startsWith('_') || top.startsWith('.')) continue;
    const where = label(`charts/${top}`);
    if (top.endsWith('.tgz')) {
      const archive = list.length === 1 && list[0]!.name === top ? list[0]!.data : undefined;
      if (!archive) throw new ChartshipError('expected a chart archive, found a directory', { file: where, code: 'CHART_INVALID' });
      subcharts.push(await loadChartArchive(archive, where));
      continue;
    }
    const inner = list.filter((e) => e.name.includes('/')).map((e) => ({ name: e.name.slice(top.length + 1), data: e.data }));
    if (inner.length === 0) {
      throw new ChartshipError('is neither a chart directory nor a chart archive (.tgz)', {
        file: where,
        code: 'CHART_INVALID',
        hint: 'helm fails on stray files in charts/: remove it or list it in .helmignore',
      });
    }
    subcharts.push(await assembleChart(inner, where, (n) => `${where}/${n}`));
  }
  return subcharts;
}

/** A packaged chart (`.tgz` bytes) as a LoadedChart; `where` names it in errors. */
export async function loadChartArchive(archive: Buffer, where: string): Promise<LoadedChart> {
  const read = await readChartArchive(archive, where);
  const entries: ChartEntry[] = [...read.files].map(([name, data]) => ({ name, data }));
  return assembleChart(entries, where, (n) => `${where}:${read.top}/${n}`);
}

function checkValues(data: Buffer, file: string): void {
  checkValuesText(yamlText(data, file, 'VALUES_INVALID'), file);
}

function checkSchema(data: Buffer, file: string): void {
  const text = data.toString('utf8');
  try {
    JSON.parse(text);
  } catch (error) {
    const found = findJsonError(text);
    const pos = found ? lineColumn(text, found.offset) : undefined;
    throw new ChartshipError(`invalid JSON: ${found?.message ?? (error as Error).message}`, {
      file,
      line: pos?.line,
      column: pos?.column,
      code: 'SCHEMA_INVALID',
    });
  }
}
