import { createHash } from 'node:crypto';
import { isMap, isSeq, LineCounter, parseDocument, stringify } from 'yaml';
import { ChartshipError } from '../errors.js';
import type { ChartDependency } from './metadata.js';

/** A dependency pinned by Chart.lock. */
export interface LockedDependency {
  name: string;
  version: string;
  repository: string;
}

export interface ChartLock {
  dependencies: LockedDependency[];
  digest: string;
  /** RFC 3339 time as written in the file. */
  generated: string;
}

export function parseChartLock(text: string, file: string): ChartLock {
  const lineCounter = new LineCounter();
  const document = parseDocument(text.replace(/^\uFEFF/, ''), { lineCounter, uniqueKeys: false, prettyErrors: false });
  const fail = (message: string, offset: number | undefined, field?: string): never => {
    const pos = offset === undefined ? undefined : lineCounter.linePos(offset);
    throw new ChartshipError(message, { file, field, line: pos?.line, column: pos?.col, code: 'CHART_LOCK_INVALID' });
  };
  const firstError = document.errors[0];
  if (firstError) fail(`malformed YAML: ${firstError.message.split('\n')[0]}`, firstError.pos[0]);
  const root = document.contents;
  if (!isMap(root)) return fail('Chart.lock must be a mapping with dependencies, digest and generated', 0);
  const deps = root.get('dependencies', true);
  const dependencies: LockedDependency[] = [];
  if (deps !== undefined && deps !== null && !isSeq(deps)) fail('must be a list', (deps as { range?: number[] }).range?.[0], 'dependencies');
  if (isSeq(deps)) {
    deps.items.forEach((item, i) => {
      const at = (item as { range?: number[] }).range?.[0];
      if (!isMap(item)) fail('must be a mapping', at, `dependencies[${i}]`);
      const entry = (item as unknown as { toJSON(): Record<string, unknown> }).toJSON();
      if (typeof entry['name'] !== 'string' || entry['name'] === '') fail('is required', at, `dependencies[${i}].name`);
      dependencies.push({ name: String(entry['name']), version: str(entry['version']), repository: str(entry['repository']) });
    });
  }
  const raw = root.toJSON() as Record<string, unknown>;
  return { dependencies, digest: str(raw['digest']), generated: raw['generated'] instanceof Date ? goTime(raw['generated']) : str(raw['generated']) };
}

function str(value: unknown): string {
  return value === undefined || value === null ? '' : String(value);
}

/**
 * helm's `HashReq`: sha256 of Go's `json.Marshal([2][]*chart.Dependency{requested, locked})`. `helm dependency build`
 * recomputes it and refuses a Chart.lock whose digest differs, so the encoding must match Go's byte for byte.
 */
export function hashRequirements(requested: ChartDependency[], locked: LockedDependency[]): string {
  const json = `[${goDependencies(requested)},${goDependencies(locked)}]`;
  return `sha256:${createHash('sha256').update(json).digest('hex')}`;
}

function goDependencies(deps: (ChartDependency | LockedDependency)[]): string {
  // A nil slice encodes as null; helm's lists are nil when Chart.yaml has no dependencies.
  if (deps.length === 0) return 'null';
  return `[${deps.map(goDependency).join(',')}]`;
}

/** Field order and omitempty rules of helm's chart.Dependency struct tags. */
function goDependency(dep: ChartDependency | LockedDependency): string {
  const d = dep as ChartDependency;
  const fields: string[] = [`"name":${goJson(d.name)}`];
  if (d.version) fields.push(`"version":${goJson(d.version)}`);
  fields.push(`"repository":${goJson(d.repository ?? '')}`);
  if (d.condition) fields.push(`"condition":${goJson(d.condition)}`);
  if (d.tags && d.tags.length > 0) fields.push(`"tags":${goJson(d.tags)}`);
  if (d.enabled) fields.push(`"enabled":true`);
  if (d['import-values'] && d['import-values'].length > 0) fields.push(`"import-values":${goJson(d['import-values'])}`);
  if (d.alias) fields.push(`"alias":${goJson(d.alias)}`);
  return `{${fields.join(',')}}`;
}

/** Go's encoding/json: map keys sorted, HTML-sensitive characters and line separators escaped. */
export function goJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return `[${value.map(goJson).join(',')}]`;
  if (value instanceof Date) return goJson(goTime(value));
  if (typeof value === 'object') {
    const keys = Object.keys(value).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    return `{${keys.map((k) => `${goJson(k)}:${goJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  if (typeof value === 'string') {
    return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  }
  return JSON.stringify(value);
}

/** Go's time.Time text form (RFC 3339 with only significant fractional digits). */
export function goTime(date: Date): string {
  return date.toISOString().replace(/\.000Z$/, 'Z').replace(/(\.\d*?)0+Z$/, '$1Z');
}

/** Chart.lock as helm writes it (sigs.k8s.io/yaml: keys sorted, sequences not indented). */
export function renderChartLock(lock: ChartLock): string {
  const scalar = (v: string) => stringify(v).trimEnd();
  const deps = lock.dependencies
    .map((d) => `- name: ${scalar(d.name)}\n  repository: ${scalar(d.repository)}\n${d.version ? `  version: ${scalar(d.version)}\n` : ''}`)
    .join('');
  return `dependencies:${deps ? `\n${deps}` : ' []\n'}digest: ${scalar(lock.digest)}\ngenerated: ${JSON.stringify(lock.generated)}\n`;
}
