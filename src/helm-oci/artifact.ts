import type { ChartMetadata } from '../model/metadata.js';
import { GoMap, goJson } from '../oci/gojson.js';
import { sha256 } from '../oci/registry.js';
import type { Blob } from '../oci/store.js';

export const HELM_CONFIG = 'application/vnd.cncf.helm.config.v1+json';
export const HELM_CHART = 'application/vnd.cncf.helm.chart.content.v1.tar+gzip';
export const HELM_PROV = 'application/vnd.cncf.helm.chart.provenance.v1.prov';
/** helm < 3.7 (`helm chart save`): accepted when reading, never written. */
export const HELM_CHART_LEGACY = 'application/tar+gzip';

export interface ChartArtifact {
  manifest: Buffer;
  digest: string;
  config: Blob;
  chart: Blob;
  prov?: Blob;
  /** config and layers, what must be in the registry before the manifest. */
  blobs: Blob[];
}

function blob(mediaType: string, bytes: Buffer): Blob {
  return { mediaType, digest: sha256(bytes), size: bytes.length, bytes };
}

const nonEmpty = <T>(value: T | undefined): T | undefined =>
  value === undefined || value === '' || value === false || (Array.isArray(value) && value.length === 0) ? undefined : value;

/** helm's config blob: Chart.yaml as Go marshals `chart.Metadata` (struct field order, omitempty). */
export function chartConfig(metadata: ChartMetadata): Buffer {
  const struct = {
    name: nonEmpty(metadata.name),
    home: nonEmpty(metadata.home),
    sources: nonEmpty(metadata.sources),
    version: nonEmpty(metadata.version),
    description: nonEmpty(metadata.description),
    keywords: nonEmpty(metadata.keywords),
    maintainers: nonEmpty(metadata.maintainers?.map((m) => ({ name: nonEmpty(m.name), email: nonEmpty(m.email), url: nonEmpty(m.url) }))),
    icon: nonEmpty(metadata.icon),
    apiVersion: nonEmpty(metadata.apiVersion),
    condition: nonEmpty(metadata.condition),
    tags: nonEmpty(metadata.tags),
    appVersion: nonEmpty(metadata.appVersion),
    deprecated: nonEmpty(metadata.deprecated),
    annotations: metadata.annotations && Object.keys(metadata.annotations).length > 0 ? new GoMap(metadata.annotations) : undefined,
    kubeVersion: nonEmpty(metadata.kubeVersion),
    dependencies: nonEmpty(
      metadata.dependencies?.map((d) => ({
        name: d.name,
        version: nonEmpty(d.version),
        repository: d.repository ?? '',
        condition: nonEmpty(d.condition),
        tags: nonEmpty(d.tags),
        enabled: nonEmpty(d.enabled),
        'import-values': nonEmpty(d['import-values']?.map((v) => sortedDeep(v))),
        alias: nonEmpty(d.alias),
      })),
    ),
    type: nonEmpty(metadata.type),
  };
  return Buffer.from(goJson(struct));
}

/** Values under `import-values` are YAML maps: Go holds them as maps, so their keys come out sorted. */
function sortedDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedDeep);
  if (value && typeof value === 'object') return new GoMap(Object.fromEntries(Object.entries(value).map(([k, v]) => [k, sortedDeep(v)])));
  return value;
}

/** helm's manifest annotations (≥ 3.12): OCI keys from the metadata, then the chart's own annotations on top. */
export function chartAnnotations(metadata: ChartMetadata, created: Date | string): Record<string, string> {
  const out: Record<string, string> = {};
  const set = (key: string, value: string | undefined) => {
    if (value !== undefined && value.trim() !== '') out[`org.opencontainers.image.${key}`] = value;
  };
  set('description', metadata.description);
  set('title', metadata.name);
  set('version', metadata.version);
  set('url', metadata.home);
  set('created', typeof created === 'string' ? created : rfc3339(created));
  set('source', metadata.sources?.[0]);
  if (metadata.maintainers && metadata.maintainers.length > 0) {
    set('authors', metadata.maintainers.map((m) => `${m.name ?? ''}${m.email ? ` (${m.email})` : ''}`).join(', '));
  }
  for (const [key, value] of Object.entries(metadata.annotations ?? {})) {
    if (key === 'org.opencontainers.image.title' || key === 'org.opencontainers.image.version') continue;
    out[key] = value;
  }
  return out;
}

/** Go's time.RFC3339 in UTC: whole seconds, `Z`. */
export function rfc3339(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * Go's time.RFC3339 in the process's local time zone (TZ), as a Go program formats a file's ModTime(): whole seconds,
 * then `Z` where the zone is at UTC's offset, else `+hh:mm` or `-hh:mm`.
 */
export function localRfc3339(date: Date): string {
  const offset = -date.getTimezoneOffset();
  if (offset === 0) return rfc3339(date);
  const pad = (n: number) => String(Math.floor(Math.abs(n))).padStart(2, '0');
  const local = new Date(Math.floor(date.getTime() / 1000) * 1000 + offset * 60_000).toISOString().slice(0, 19);
  return `${local}${offset > 0 ? '+' : '-'}${pad(offset / 60)}:${pad(offset % 60)}`;
}

/** The manifest and blobs helm would push for this archive (and provenance file). */
export function buildChartArtifact(input: { archive: Buffer; prov?: Buffer; metadata: ChartMetadata; created: Date | string }): ChartArtifact {
  const config = blob(HELM_CONFIG, chartConfig(input.metadata));
  const chart = blob(HELM_CHART, input.archive);
  const prov = input.prov ? blob(HELM_PROV, input.prov) : undefined;
  const layers = [chart, ...(prov ? [prov] : [])].sort((a, b) => (a.digest < b.digest ? -1 : a.digest > b.digest ? 1 : 0));
  const descriptor = (b: Blob) => ({ mediaType: b.mediaType, digest: b.digest, size: b.size });
  const manifest = Buffer.from(
    goJson({
      schemaVersion: 2,
      config: descriptor(config),
      layers: layers.map(descriptor),
      annotations: new GoMap(chartAnnotations(input.metadata, input.created)),
    }),
  );
  return { manifest, digest: sha256(manifest), config, chart, prov, blobs: [config, ...layers] };
}

