import { createHash } from 'node:crypto';
import { isMap, isScalar, parseDocument } from 'yaml';
import { parseChartYaml } from '../charts/chartfile.js';
import type { ChartDependency, ChartMetadata, Maintainer } from '../charts/metadata.js';
import { ChartshipError } from '../errors.js';
import { marshalGoYaml, type GoYamlValue } from './goyaml.js';

/**
 * The signed text of a .prov, byte for byte what helm's provenance.messageBlock writes:
 * `yaml.Marshal(metadata)`, then `\n...\n` (YAML's document end: `---` is not allowed in a clearsigned body),
 * then `yaml.Marshal({files: {<fileName>: sha256:<hex>}})`.
 */
export function provenanceBody(metadata: ChartMetadata, fileName: string, archive: Buffer): string {
  const files = { files: { [fileName]: `sha256:${sha256Hex(archive)}` } };
  return `${marshalGoYaml(helmMetadata(metadata))}\n...\n${marshalGoYaml(files)}`;
}

export function sha256Hex(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

export interface ParsedProvenance {
  metadata: ChartMetadata;
  /** File name → `sha256:<hex>`, as listed under `files:`. */
  files: Map<string, string>;
}

/** Reads a signed body back the way helm's ParseMessageBlock does: split at `\n...\n`, metadata, then sums. */
export function parseProvenanceBody(text: string, label: string): ParsedProvenance {
  const parts = text.split('\n...\n');
  if (parts.length < 2) {
    throw new ChartshipError('the signed text has no "..." line between the chart metadata and the file hashes', {
      file: label,
      code: 'PROV_INVALID',
    });
  }
  const metadata = parseChartYaml(parts[0] as string, label).metadata;
  const sums = parseDocument(parts[1] as string, { prettyErrors: false });
  const filesNode = isMap(sums.contents) ? sums.contents.get('files', true) : undefined;
  if (sums.errors.length > 0 || !isMap(filesNode)) {
    throw new ChartshipError('the signed text has no "files:" mapping of archive names to hashes', { file: label, code: 'PROV_INVALID' });
  }
  const files = new Map<string, string>();
  for (const pair of filesNode.items) {
    const key = isScalar(pair.key) ? pair.key.value : pair.key;
    const value = isScalar(pair.value) ? pair.value.value : pair.value;
    if (typeof key === 'string' && typeof value === 'string') files.set(key, value);
  }
  return { metadata, files };
}

/**
 * helm's Metadata struct as it reaches yaml.Marshal: validated (loader + Validate() sanitise most strings:
 * whitespace becomes a space, unprintable characters go) and filtered through the struct's JSON tags
 * (`omitempty` everywhere except a dependency's `name` and `repository`).
 */
function helmMetadata(md: ChartMetadata): { [key: string]: GoYamlValue } {
  const out: { [key: string]: GoYamlValue } = {};
  setString(out, 'name', sanitize(md.name));
  setString(out, 'home', sanitize(md.home));
  setList(out, 'sources', md.sources?.map(sanitize));
  setString(out, 'version', md.version);
  setString(out, 'description', sanitize(md.description));
  setList(out, 'keywords', md.keywords?.map(sanitize));
  if (md.maintainers && md.maintainers.length > 0) out['maintainers'] = md.maintainers.map(helmMaintainer);
  setString(out, 'icon', sanitize(md.icon));
  setString(out, 'apiVersion', md.apiVersion);
  setString(out, 'condition', sanitize(md.condition));
  setString(out, 'tags', sanitize(md.tags));
  setString(out, 'appVersion', sanitize(md.appVersion));
  if (md.deprecated) out['deprecated'] = true;
  if (md.annotations && Object.keys(md.annotations).length > 0) out['annotations'] = goStrings(md.annotations);
  setString(out, 'kubeVersion', sanitize(md.kubeVersion));
  if (md.dependencies && md.dependencies.length > 0) out['dependencies'] = md.dependencies.map(helmDependency);
  setString(out, 'type', md.type);
  return out;
}

function helmMaintainer(m: Maintainer): GoYamlValue {
  const out: { [key: string]: GoYamlValue } = {};
  setString(out, 'name', sanitize(m.name));
  setString(out, 'email', sanitize(m.email));
  setString(out, 'url', sanitize(m.url));
  return out;
}

function helmDependency(d: ChartDependency): GoYamlValue {
  const out: { [key: string]: GoYamlValue } = { name: goString(sanitize(d.name) ?? '') };
  setString(out, 'version', sanitize(d.version));
  out['repository'] = goString(sanitize(d.repository) ?? '');
  setString(out, 'condition', sanitize(d.condition));
  setList(out, 'tags', d.tags?.map(sanitize));
  if (d.enabled) out['enabled'] = true;
  if (d['import-values'] && d['import-values'].length > 0) out['import-values'] = d['import-values'].map(jsonValue);
  setString(out, 'alias', d.alias);
  return out;
}

function setString(out: { [key: string]: GoYamlValue }, key: string, value: string | undefined): void {
  if (value) out[key] = goString(value);
}

function setList(out: { [key: string]: GoYamlValue }, key: string, values: (string | undefined)[] | undefined): void {
  if (values && values.length > 0) out[key] = values.map((v) => goString(v ?? ''));
}

function goStrings(map: Record<string, string>): { [key: string]: GoYamlValue } {
  return Object.fromEntries(Object.entries(map).map(([k, v]) => [goString(k), goString(v)]));
}

/** What survives json.Marshal + yaml.Unmarshal of an `interface{}` (import-values entries). */
function jsonValue(value: unknown): GoYamlValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return goString(value);
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return Number(value);
  if (Array.isArray(value)) return value.map(jsonValue);
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [goString(k), jsonValue(v)]));
  }
  return goString(String(value));
}

/** Go's json.Marshal turns text that is not valid UTF-8 (here: lone surrogates) into U+FFFD. */
function goString(text: string): string {
  return text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

// Go's unicode.IsSpace: ASCII/Latin-1 spaces plus the White_Space characters outside Latin-1.
const GO_SPACE = /[\t\n\v\f\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]/gu;
// Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space.
const GO_UNPRINTABLE = /[^\p{L}\p{M}\p{N}\p{P}\p{S} ]/gu;

/** helm's sanitizeString, applied by Metadata.Validate before anything is signed or pushed. */
export function sanitize<T extends string | undefined>(text: T): T {
  if (text === undefined) return text;
  return goString(text).replace(GO_SPACE, ' ').replace(GO_UNPRINTABLE, '') as T;
}
