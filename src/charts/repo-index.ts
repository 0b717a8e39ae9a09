import { ChartshipError } from '../model/errors.js';
import { METADATA } from './helm-structs.js';
import { decodeInto, readGoYaml, type GoNode, type GoType } from './go-decode.js';
import { readIndexRoot } from './index-by-chart.js';
import './yaml-full.js';
import { compareHelmVersions, parseHelmVersion } from '../model/helm-semver.js';
import { marshalGoYaml, type GoYamlValue } from './goyaml.js';
import { goTime } from './lockfile.js';
import { DEPENDENCY_ALIAS, isChartType, type ChartMetadata } from '../model/metadata.js';

/**
 * A classic chart repository's index.yaml (helm's repo.IndexFile), read and written as helm and chart-releaser do:
 * `apiVersion: v1`, `entries` by chart name, each a list of chart versions (the Chart.yaml fields plus `urls`,
 * `created`, `digest`), newest first, and the time it was `generated`.
 */
export interface IndexChartVersion extends Partial<Omit<ChartMetadata, 'name' | 'version'>> {
  name: string;
  version: string;
  urls: string[];
  /** RFC 3339, as written. */
  created?: string;
  /** sha256 hex of the archive (no `sha256:` prefix). */
  digest?: string;
  removed?: boolean;
}

export interface RepositoryIndex {
  apiVersion: string;
  generated?: string;
  entries: Map<string, IndexChartVersion[]>;
  /** What else the file carried at the top (serverInfo, annotations, publicKeys), kept as read. */
  extra: Record<string, unknown>;
}

const S: GoType = { type: 'string' };
const metadataFields = (METADATA as Extract<GoType, { type: 'struct' }>).fields;
/** helm's repo.ChartVersion: the chart's Metadata with the fields an index adds. */
const CHART_VERSION: GoType = {
  type: 'struct',
  name: 'ChartVersion',
  pointer: true,
  fields: { ...metadataFields, urls: { type: 'list', of: S }, created: S, removed: { type: 'bool' }, digest: S },
};
const INDEX_FILE: GoType = {
  type: 'struct',
  name: 'IndexFile',
  fields: {
    apiVersion: S,
    generated: S,
    entries: { type: 'map', of: { type: 'list', of: CHART_VERSION } },
    serverInfo: { type: 'any' },
    annotations: { type: 'map', of: S },
    publicKeys: { type: 'list', of: S },
  },
};

/** Reads an index.yaml the way helm decodes it (the whole file); `file` names it (a URL or a path) in errors. */
export function parseRepositoryIndex(text: string, file: string): RepositoryIndex {
  const byChart = readIndexRoot(text, file, 'REPO_INDEX_INVALID');
  if (byChart) {
    try {
      return decodeIndex(byChart, file);
    } catch {
      // Read again whole below: that reading's error, with the file's lines, is the one to report.
    }
  }
  const document = readGoYaml(text, file, 'REPO_INDEX_INVALID');
  // helm decodes an index strictly (yaml.UnmarshalStrict): a key given twice in one mapping fails the whole file.
  const twice = document.duplicates.find((d) => !d.distinct);
  if (twice) {
    throw new ChartshipError(`${JSON.stringify(twice.key)} is given twice in one mapping: helm refuses the index (key already set in map)`, {
      ...twice.at,
      code: 'REPO_INDEX_INVALID',
      hint: 'regenerate the index (helm repo index) or remove the repeated key',
    });
  }
  return decodeIndex(document.root, file);
}

/** An index.yaml's reading decoded as helm decodes it into its IndexFile. */
export function decodeIndex(root: GoNode | undefined, file: string): RepositoryIndex {
  if (!root || root.kind !== 'map') {
    throw new ChartshipError('is not a chart repository index (not a mapping)', { file, code: 'REPO_INDEX_INVALID' });
  }
  const raw = decodeInto(root, INDEX_FILE, undefined, [], { conversions: [], code: 'REPO_INDEX_INVALID' }) as Record<string, unknown>;
  const { apiVersion, generated, entries, ...extra } = raw as { apiVersion?: string; generated?: string; entries?: Record<string, (IndexChartVersion | undefined)[]> };
  if (!apiVersion) throw new ChartshipError('has no apiVersion: it is not a chart repository index', { file, field: 'apiVersion', code: 'REPO_INDEX_INVALID' });
  if (entries === undefined) throw new ChartshipError('has no entries: it is not a chart repository index', { file, field: 'entries', code: 'REPO_INDEX_INVALID' });
  const out = new Map<string, IndexChartVersion[]>();
  for (const [name, list] of Object.entries(entries)) {
    const versions = (list ?? []).filter((v): v is IndexChartVersion => v !== undefined && typeof v.version === 'string' && v.version !== '');
    out.set(name, versions.map((v) => ({ ...v, name: v.name || name, urls: v.urls ?? [] })));
  }
  return { apiVersion, ...(generated ? { generated } : {}), entries: out, extra };
}

/**
 * Whether helm's loadIndex keeps an entry: it drops (with a warning) each whose metadata fails `Validate()`: a version
 * helm cannot read, a type other than application or library, a name with a path in it, an empty maintainer or
 * dependency, an alias with other than letters, digits, `-` and `_`. A repeated dependency name is let through.
 */
export function helmLoadsEntry(entry: IndexChartVersion): boolean {
  if (!entry.name || entry.name.includes('/') || !parseHelmVersion(entry.version)) return false;
  if (!isChartType(entry.type)) return false;
  if (entry.maintainers?.some((m) => m === null || m === undefined)) return false;
  return !entry.dependencies?.some((d) => d === null || d === undefined || (d.alias !== undefined && d.alias !== '' && !DEPENDENCY_ALIAS.test(d.alias)));
}

/** The index entry helm (`IndexFile.MustAdd`) writes for a packaged chart. */
export function indexEntry(metadata: ChartMetadata, entry: { urls: string[]; digest: string; created: Date }): IndexChartVersion {
  return { ...metadata, urls: entry.urls, created: goTime(entry.created), digest: entry.digest.replace(/^sha256:/, '') };
}

/** An empty index, as `helm repo index` starts one. */
export function emptyIndex(): RepositoryIndex {
  return { apiVersion: 'v1', entries: new Map(), extra: {} };
}

/** Adds (or replaces) one chart version; the list stays newest first. */
export function putIndexEntry(index: RepositoryIndex, entry: IndexChartVersion): void {
  const list = (index.entries.get(entry.name) ?? []).filter((v) => v.version !== entry.version);
  list.push(entry);
  index.entries.set(entry.name, sortVersions(list));
}

/** helm's SortEntries: highest version first; what helm cannot read as a version goes last. */
function sortVersions(list: IndexChartVersion[]): IndexChartVersion[] {
  return list
    .map((entry, at) => ({ entry, at, version: parseHelmVersion(entry.version) }))
    .sort((a, b) => {
      if (a.version && b.version) return compareHelmVersions(b.version, a.version) || a.at - b.at;
      return a.version ? -1 : b.version ? 1 : a.at - b.at;
    })
    .map((x) => x.entry);
}

/**
 * index.yaml exactly as helm's `IndexFile.WriteFile` writes it (sigs.k8s.io/yaml: JSON field names with their
 * omitempty rules, every mapping's keys sorted), `generated` set to `generated`.
 */
export function renderRepositoryIndex(index: RepositoryIndex, generated: Date | string): string {
  const entries: Record<string, GoYamlValue> = {};
  for (const name of [...index.entries.keys()].sort()) entries[name] = index.entries.get(name)!.map(chartVersionValue);
  const top: Record<string, GoYamlValue> = {
    ...(index.extra as Record<string, GoYamlValue>),
    apiVersion: index.apiVersion,
    entries,
    generated: typeof generated === 'string' ? generated : goTime(generated),
  };
  for (const [key, value] of Object.entries(top)) if (isEmpty(value) && key !== 'entries') delete top[key];
  return marshalGoYaml(top);
}

function isEmpty(value: unknown): boolean {
  if (value === undefined || value === null || value === '' || value === false) return true;
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'object') return Object.keys(value).length === 0;
  return false;
}

/** Fields json.Marshal writes even when empty: `urls` (no omitempty), `created` (a struct), a dependency's name and repository. */
function chartVersionValue(entry: IndexChartVersion): GoYamlValue {
  const out: Record<string, GoYamlValue> = {};
  for (const [key, value] of Object.entries(entry)) {
    if (key === 'urls' || key === 'created') continue;
    if (key === 'dependencies' && Array.isArray(value)) {
      if (value.length > 0) out[key] = value.map(dependencyValue);
      continue;
    }
    if (key === 'maintainers' && Array.isArray(value)) {
      if (value.length > 0) out[key] = value.map((m: Record<string, unknown>) => omitEmpty(m));
      continue;
    }
    if (!isEmpty(value)) out[key] = value as GoYamlValue;
  }
  out['urls'] = entry.urls;
  out['created'] = entry.created ?? '0001-01-01T00:00:00Z';
  return out;
}

function dependencyValue(dependency: Record<string, unknown>): GoYamlValue {
  // helm writes these two even when empty; both are text by the time an index entry is built.
  const text = (value: unknown): string => (typeof value === 'string' ? value : '');
  return { ...omitEmpty(dependency), name: text(dependency['name']), repository: text(dependency['repository']) };
}

function omitEmpty(record: Record<string, unknown>): Record<string, GoYamlValue> {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => !isEmpty(v))) as Record<string, GoYamlValue>;
}
