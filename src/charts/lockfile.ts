import { createHash } from 'node:crypto';
import { isMap, isSeq, LineCounter, parseDocument } from 'yaml';
import { ChartshipError } from '../errors.js';
import type { ChartDependency } from './metadata.js';

/**
 * A dependency pinned by Chart.lock. helm's lock entries are full Dependency structs: what helm writes has only name,
 * version and repository, but a hand-edited lock keeps any other field through helm's re-marshaling.
 */
export interface LockedDependency extends Omit<ChartDependency, 'version' | 'repository'> {
  version: string;
  repository: string;
}

export interface ChartLock {
  dependencies: LockedDependency[];
  digest: string;
  /** RFC 3339 time in Go's text form (what helm writes back after reading it into a time.Time). */
  generated: string;
}

/** What a Chart.lock without `generated` holds once helm has read it: Go's zero time. */
const GO_ZERO_TIME = '0001-01-01T00:00:00Z';

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
      dependencies.push(lockedDependency(entry));
    });
  }
  const raw = root.toJSON() as Record<string, unknown>;
  const generatedNode = root.get('generated', true) as { range?: number[] } | undefined;
  let generated = GO_ZERO_TIME;
  if (raw['generated'] !== undefined && raw['generated'] !== null) {
    const parsed = typeof raw['generated'] === 'string' ? goTimeText(raw['generated']) : undefined;
    // helm cannot load such a lock ("cannot load Chart.lock"), so neither is it packaged here.
    if (parsed === undefined) fail(`${JSON.stringify(raw['generated'])} is not an RFC 3339 time`, generatedNode?.range?.[0], 'generated');
    generated = parsed as string;
  }
  return { dependencies, digest: str(raw['digest']), generated };
}

function lockedDependency(entry: Record<string, unknown>): LockedDependency {
  const dep: LockedDependency = { name: String(entry['name']), version: str(entry['version']), repository: str(entry['repository']) };
  for (const key of ['condition', 'alias'] as const) if (entry[key] !== undefined && entry[key] !== null) dep[key] = str(entry[key]);
  if (Array.isArray(entry['tags'])) dep.tags = entry['tags'].map(str);
  if (entry['enabled'] === true) dep.enabled = true;
  if (Array.isArray(entry['import-values'])) dep['import-values'] = entry['import-values'];
  return dep;
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|([+-])(\d{2}):(\d{2}))$/;

/**
 * An RFC 3339 text as Go's time.Time reads it (strictly, as its JSON decoder does since Go 1.20) and writes it back
 * (RFC3339Nano): the wall clock and offset as given, fractional seconds cut to nanoseconds with trailing zeros
 * dropped, a zero offset as `Z`. undefined when Go refuses the text.
 */
export function goTimeText(text: string): string | undefined {
  const m = RFC3339.exec(text);
  if (!m) return undefined;
  const [, year, month, day, hour, minute, second, fraction = '', zone, sign, zoneHour = '00', zoneMinute = '00'] = m as unknown as string[];
  const daysInMonth = new Date(Date.UTC(Number(year), Number(month), 0)).getUTCDate();
  if (Number(month) < 1 || Number(month) > 12 || Number(day) < 1 || Number(day) > daysInMonth) return undefined;
  if (Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59 || Number(zoneHour) > 23 || Number(zoneMinute) > 59) return undefined;
  const nanos = fraction.slice(0, 9).replace(/0+$/, '');
  const offset = zone === 'Z' || (zoneHour === '00' && zoneMinute === '00') ? 'Z' : `${sign}${zoneHour}:${zoneMinute}`;
  return `${year}-${month}-${day}T${hour}:${minute}:${second}${nanos ? `.${nanos}` : ''}${offset}`;
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
