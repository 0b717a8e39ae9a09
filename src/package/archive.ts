import { ChartshipError } from '../model/errors.js';
import { archivedMetadata, helmChartLock, helmChartYaml } from '../charts/helm-yaml.js';
import { compareHelmVersions, parseHelmVersion } from '../model/helm-semver.js';
import type { LoadedChart } from '../charts/tree.js';
import { gzip } from '../archive/gzip.js';
import { MAX_FILE_BYTES, MAX_TOTAL_BYTES } from '../archive/read.js';
import { writeTar, type TarFile } from '../archive/tar.js';

/**
 * helm's entry order (chartutil.writeTarContents): Chart.yaml, Chart.lock (v2 only), values.yaml,
 * values.schema.json, templates, other files, then every subchart the same way under `<name>/charts/<sub>/`.
 * Chart.yaml and Chart.lock are helm's re-marshaled structs, never the files as written; the rest is copied raw.
 * helm takes subcharts in Go map order (random); they are sorted here by name, then version, so the bytes repeat.
 */
export function archiveEntries(chart: LoadedChart, prefix = ''): TarFile[] {
  const base = `${prefix}${chart.metadata.name}`;
  const out: TarFile[] = [{ name: `${base}/Chart.yaml`, data: Buffer.from(helmChartYaml(archivedMetadata(chart.metadata)), 'utf8') }];
  if (chart.metadata.apiVersion === 'v2' && chart.lock) out.push({ name: `${base}/Chart.lock`, data: Buffer.from(helmChartLock(chart.lock), 'utf8') });
  if (chart.values) out.push({ name: `${base}/values.yaml`, data: chart.values });
  if (chart.schema) out.push({ name: `${base}/values.schema.json`, data: chart.schema });
  for (const f of [...chart.templates, ...chart.files]) out.push({ name: `${base}/${f.name}`, data: f.data });

  const subcharts = [...chart.subcharts].sort(
    (a, b) => Buffer.compare(Buffer.from(a.metadata.name), Buffer.from(b.metadata.name)) || compareVersions(a.metadata.version, b.metadata.version),
  );
  subcharts.forEach((sub, i) => {
    const previous = subcharts[i - 1];
    if (previous && previous.metadata.name === sub.metadata.name) {
      // Both would land in charts/<name>/ and overwrite each other when unpacked.
      throw new ChartshipError(`two subcharts are named ${JSON.stringify(sub.metadata.name)}: ${previous.source} and ${sub.source}`, {
        file: chart.chartFile.file,
        code: 'SUBCHART_DUPLICATE',
        hint: 'keep one version of each chart in charts/',
      });
    }
    out.push(...archiveEntries(sub, `${base}/charts/`));
  });
  return out;
}

/**
 * The .tgz bytes of a chart, every entry stamped with `mtime`, and whether helm's loader takes them back: `helm
 * package` writes subcharts unpacked, so a parent with large dependencies can exceed what `helm push` and `helm
 * install` read (5 MiB a file, 100 MiB in all), which only reading the archive again reports.
 */
export async function writeChartArchive(chart: LoadedChart, mtime: Date): Promise<{ archive: Buffer; loadable: boolean }> {
  const entries = archiveEntries(chart);
  let total = 0;
  let loadable = true;
  for (const { data } of entries) {
    total += data.length;
    if (data.length > MAX_FILE_BYTES) loadable = false;
  }
  return { archive: await gzip(writeTar(entries, mtime)), loadable: loadable && total <= MAX_TOTAL_BYTES };
}

/** By precedence, then by the text (build metadata, `v` prefixes): a total order, so the bytes repeat. */
function compareVersions(a: string, b: string): number {
  const pa = parseHelmVersion(a);
  const pb = parseHelmVersion(b);
  return (pa && pb ? compareHelmVersions(pa, pb) : 0) || Buffer.compare(Buffer.from(a), Buffer.from(b));
}
