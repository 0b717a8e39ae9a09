import { marshalGoYaml, type GoYamlValue } from './goyaml.js';
import type { ChartLock } from './lockfile.js';
import type { ChartDependency, ChartMetadata, Maintainer } from '../model/metadata.js';

/**
 * Chart.yaml as `helm package` writes it into the archive, and as the metadata part of a .prov body: helm never
 * copies the chart's own Chart.yaml but writes `yaml.Marshal(c.Metadata)` after `Validate()` has sanitised it, so
 * comments, key order and quoting of the original are gone. Pass the metadata through `archivedMetadata` first when
 * it is the archive entry being written.
 */
export function helmChartYaml(metadata: ChartMetadata): string {
  return marshalGoYaml(helmMetadata(sanitizeMetadata(metadata)));
}

/**
 * Chart.lock as helm writes it into the archive (`yaml.Marshal(c.Lock)`; only for apiVersion v2). The lock struct
 * has no `omitempty`, so `digest` and `dependencies` are always written; a lock is never sanitised by helm.
 */
export function helmChartLock(lock: ChartLock): string {
  return marshalGoYaml({
    dependencies: lock.dependencies.map(helmDependency),
    digest: goString(lock.digest),
    generated: goString(lock.generated),
  });
}

/**
 * The metadata an archive's Chart.yaml holds. helm drops a v1 chart's dependencies there (they belong in its
 * requirements.yaml), so anything helm later reads back from the archive (the signed body, the OCI config) lacks them.
 */
export function archivedMetadata(metadata: ChartMetadata): ChartMetadata {
  if (metadata.apiVersion !== 'v1' || metadata.dependencies === undefined) return metadata;
  const out = { ...metadata };
  delete out.dependencies;
  return out;
}

/**
 * helm's `Metadata.Validate()` (with `Maintainer.Validate` and `Dependency.Validate`) rewrites these strings in
 * place on every load and again before saving; version, apiVersion, type, alias, annotations and import-values are
 * left alone.
 */
export function sanitizeMetadata(metadata: ChartMetadata): ChartMetadata {
  const out: ChartMetadata = { ...metadata, name: sanitize(metadata.name) };
  for (const key of ['description', 'home', 'icon', 'condition', 'tags', 'appVersion', 'kubeVersion'] as const) {
    if (metadata[key] !== undefined) out[key] = sanitize(metadata[key]);
  }
  if (metadata.sources) out.sources = metadata.sources.map(sanitize);
  if (metadata.keywords) out.keywords = metadata.keywords.map(sanitize);
  if (metadata.maintainers) out.maintainers = metadata.maintainers.map(sanitizeMaintainer);
  if (metadata.dependencies) out.dependencies = metadata.dependencies.map(sanitizeDependency);
  return out;
}

function sanitizeMaintainer(m: Maintainer): Maintainer {
  const out: Maintainer = { ...m };
  for (const key of ['name', 'email', 'url'] as const) if (m[key] !== undefined) out[key] = sanitize(m[key]);
  return out;
}

function sanitizeDependency(d: ChartDependency): ChartDependency {
  const out: ChartDependency = { ...d, name: sanitize(d.name) };
  for (const key of ['version', 'repository', 'condition'] as const) if (d[key] !== undefined) out[key] = sanitize(d[key]);
  if (d.tags) out.tags = d.tags.map(sanitize);
  return out;
}

/**
 * What helm's save does to text it never sanitises (annotations, import-values): sigs.k8s.io/yaml marshals through
 * JSON, whose encoder leaves DEL, the C1 controls and U+FFFE/U+FFFF raw, which yaml.v2 then refuses to read back
 * (`helm package` fails: "failed to save: yaml: control characters are not allowed"); a raw NEL it reads as a line
 * break inside a double-quoted scalar and folds (one to a space, a run to one newline fewer, the spaces around
 * dropped), and in a key it does not read at all. Returns the text as it comes out, or why helm cannot save it.
 */
export function savedText(text: string, isKey: boolean): { text: string } | { refused: string } {
  const control = /[\u007F-\u0084\u0086-\u009F\uFFFE\uFFFF]/u.exec(text);
  if (control) return { refused: `holds U+${control[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}, a control character helm cannot write back (it fails to save the chart)` };
  if (!text.includes('\u0085')) return { text };
  if (isKey) return { refused: 'holds U+0085 (NEL), a line break helm cannot write back in a key (it fails to save the chart)' };
  return { text: text.replace(/ *\u0085(?: *\u0085)* */g, (run) => (run.split('\u0085').length === 2 ? ' ' : '\n'.repeat(run.split('\u0085').length - 2))) };
}

// Go's unicode.IsSpace: ASCII/Latin-1 spaces plus the White_Space characters outside Latin-1.
const GO_SPACE = /[\t\n\v\f\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]/gu;
// Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space.
const GO_UNPRINTABLE = /[^\p{L}\p{M}\p{N}\p{P}\p{S} ]/gu;

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/** helm's sanitizeString: every Go space becomes ' ', every other unprintable character is dropped. */
export function sanitize<T extends string | undefined>(text: T): T {
  // Printable ASCII is left as it is (and most text is that).
  if (text === undefined || PRINTABLE_ASCII.test(text)) return text;
  return goString(text).replace(GO_SPACE, ' ').replace(GO_UNPRINTABLE, '') as T;
}

/**
 * helm's Metadata struct as it reaches yaml.Marshal, filtered through the struct's JSON tags (`omitempty` everywhere
 * except a dependency's `name` and `repository`). Key order does not matter: the emitter sorts keys as yaml.v2 does.
 */
function helmMetadata(md: ChartMetadata): { [key: string]: GoYamlValue } {
  const out: { [key: string]: GoYamlValue } = {};
  setString(out, 'name', md.name);
  setString(out, 'home', md.home);
  setList(out, 'sources', md.sources);
  setString(out, 'version', md.version);
  setString(out, 'description', md.description);
  setList(out, 'keywords', md.keywords);
  if (md.maintainers && md.maintainers.length > 0) out['maintainers'] = md.maintainers.map(helmMaintainer);
  setString(out, 'icon', md.icon);
  setString(out, 'apiVersion', md.apiVersion);
  setString(out, 'condition', md.condition);
  setString(out, 'tags', md.tags);
  setString(out, 'appVersion', md.appVersion);
  if (md.deprecated) out['deprecated'] = true;
  if (md.annotations && Object.keys(md.annotations).length > 0) out['annotations'] = goStrings(md.annotations);
  setString(out, 'kubeVersion', md.kubeVersion);
  if (md.dependencies && md.dependencies.length > 0) out['dependencies'] = md.dependencies.map(helmDependency);
  setString(out, 'type', md.type);
  return out;
}

function helmMaintainer(m: Maintainer): GoYamlValue {
  const out: { [key: string]: GoYamlValue } = {};
  setString(out, 'name', m.name);
  setString(out, 'email', m.email);
  setString(out, 'url', m.url);
  return out;
}

/** One struct for Chart.yaml dependencies and Chart.lock entries alike. */
function helmDependency(d: ChartDependency): GoYamlValue {
  const out: { [key: string]: GoYamlValue } = { name: goString(d.name) };
  setString(out, 'version', d.version);
  out['repository'] = goString(d.repository ?? '');
  setString(out, 'condition', d.condition);
  setList(out, 'tags', d.tags);
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
  // Functions and symbols have no JSON form.
  return null;
}

/** Go's json.Marshal turns text that is not valid UTF-8 (here: lone surrogates) into U+FFFD. */
function goString(text: string): string {
  return text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}
