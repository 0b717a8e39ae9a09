import { createHash } from 'node:crypto';
import { ChartshipError } from '../model/errors.js';
import { decodeInto, fieldName, pathKey, readGoYaml, type GoType, type Position } from './go-decode.js';
import './yaml-full.js';
import { DEPENDENCY } from './helm-structs.js';
import type { ChartDependency } from '../model/metadata.js';

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

const LOCK: GoType = {
  type: 'struct',
  name: 'Lock',
  // `generated` is a time.Time: JSON text it parses itself, so it is taken as written and checked below.
  fields: { generated: { type: 'any' }, digest: { type: 'string' }, dependencies: { type: 'list', of: DEPENDENCY } },
};

/**
 * Chart.lock (or requirements.lock) read as helm reads it into its Lock struct, with the same type rules as
 * Chart.yaml. An empty file is no lock at all, as for helm (its decoder sets the lock to nil).
 */
export function parseChartLock(text: string, file: string): ChartLock | undefined {
  const code = 'CHART_LOCK_INVALID';
  const document = readGoYaml(text, file, code);
  if (!document.root) return undefined;
  const context = { positions: new Map<string, Position>(), conversions: [], code };
  const fail = (path: (string | number)[], message: string): never => {
    const at = context.positions.get(pathKey(path)) ?? document.root?.at;
    throw new ChartshipError(message, { ...at, file, field: fieldName(path), code });
  };
  if (document.root.kind !== 'map') fail([], 'must be a mapping with dependencies, digest and generated');
  const raw = decodeInto(document.root, LOCK, undefined, [], context) as { generated?: unknown; digest?: string; dependencies?: (Record<string, unknown> | undefined)[] };
  const dependencies = (raw.dependencies ?? []).map((entry, i) => {
    if (entry === undefined) return fail(['dependencies', i], 'must not be empty');
    if (typeof entry['name'] !== 'string' || entry['name'] === '') fail(['dependencies', i, 'name'], 'is required');
    return lockedDependency(entry);
  });
  let generated = GO_ZERO_TIME;
  if (raw.generated !== undefined && raw.generated !== null) {
    const parsed = typeof raw.generated === 'string' ? goTimeText(raw.generated) : undefined;
    // helm cannot load such a lock ("cannot load Chart.lock"), so neither is it packaged here.
    if (parsed === undefined) fail(['generated'], `${JSON.stringify(raw.generated)} is not an RFC 3339 time`);
    generated = parsed as string;
  }
  return { dependencies, digest: raw.digest ?? '', generated };
}

/** A decoded Dependency: Go's empty values left out, as helm's struct tags leave them out when writing it. */
function lockedDependency(entry: Record<string, unknown>): LockedDependency {
  const text = (key: string) => (typeof entry[key] === 'string' ? entry[key] : '');
  const dep: LockedDependency = { name: text('name'), version: text('version'), repository: text('repository') };
  for (const key of ['condition', 'alias'] as const) if (text(key)) dep[key] = text(key);
  if (Array.isArray(entry['tags']) && entry['tags'].length > 0) dep.tags = entry['tags'] as string[];
  if (entry['enabled'] === true) dep.enabled = true;
  if (Array.isArray(entry['import-values']) && entry['import-values'].length > 0) dep['import-values'] = entry['import-values'] as unknown[];
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

/**
 * helm's `HashReq`: sha256 of Go's `json.Marshal([2][]*chart.Dependency{requested, locked})`. `helm dependency build`
 * recomputes it and refuses a Chart.lock whose digest differs, so the encoding must match Go's byte for byte.
 */
export function hashRequirements(requested: ChartDependency[], locked: LockedDependency[]): string {
  const json = `[${goDependencies(requested)},${goDependencies(locked)}]`;
  return `sha256:${createHash('sha256').update(json).digest('hex')}`;
}

/**
 * Whether `helm dependency build` takes this lock as in sync with the chart's dependencies, and so fetches what it
 * pins: its digest is helm 3's HashReq, or, for an apiVersion v1 chart, helm 2's (a requirements.lock helm 2 wrote
 * hashed `{"dependencies": requirements}` alone; helm 3 and 4 still accept it, helm issue 7233).
 */
export function lockInSync(apiVersion: string, requested: ChartDependency[], lock: ChartLock): boolean {
  if (lock.digest === hashRequirements(requested, lock.dependencies)) return true;
  return apiVersion === 'v1' && lock.digest === `sha256:${createHash('sha256').update(`{"dependencies":${goDependencies(requested)}}`).digest('hex')}`;
}

function goDependencies(deps: (ChartDependency | LockedDependency)[]): string {
  // A nil slice encodes as null; helm's lists are nil when Chart.yaml has no dependencies.
  if (deps.length === 0) return 'null';
  return `[${deps.map(goDependency).join(',')}]`;
}

/** Field order and omitempty rules of helm's chart.Dependency struct tags. */
function goDependency(d: ChartDependency | LockedDependency): string {
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
