import { isMap, LineCounter, parseDocument, type Document } from 'yaml';
import { ChartshipError } from '../errors.js';
import { sanitize, sanitizeMetadata } from './helm-yaml.js';
import type { ChartDependency, ChartMetadata, Maintainer } from './metadata.js';

/** SemVer 2.0.0 exactly: no `v` prefix, three numeric parts, no leading zeros (helm rejects the rest when pushing). */
const SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;
const ALIAS = /^[a-zA-Z0-9_-]+$/;

export function isStrictSemver(version: string): boolean {
  return SEMVER.test(version);
}

/** A parsed Chart.yaml that remembers where each field is, so every later error can point at its line. */
export interface ChartFile {
  file: string;
  metadata: ChartMetadata;
  /** The YAML document, for edits that keep comments and key order. */
  document: Document;
  /** 1-based line/column of a field path such as `['dependencies', 0, 'version']`. */
  locate(path: readonly (string | number)[]): { line: number; column: number } | undefined;
}

/**
 * Parses and validates Chart.yaml the way helm's loader does, including `Metadata.Validate()`'s sanitising of text
 * fields: helm works with those values from then on (archive, signature, OCI config), so every caller sees them too.
 */
export function parseChartYaml(text: string, file: string): ChartFile {
  const lineCounter = new LineCounter();
  const document = parseDocument(text.replace(/^\uFEFF/, ''), { lineCounter, prettyErrors: false, uniqueKeys: true });
  const firstError = document.errors[0];
  if (firstError) {
    const pos = lineCounter.linePos(firstError.pos[0]);
    throw new ChartshipError(`malformed YAML: ${firstError.message.split('\n')[0]}`, {
      file,
      line: pos.line,
      column: pos.col,
      code: 'CHART_YAML_INVALID',
    });
  }
  const locate = (path: readonly (string | number)[]) => {
    const node = document.getIn(path, true) as { range?: [number, number, number] } | undefined;
    const pair = path.length > 0 ? findKeyNode(document, path) : undefined;
    const offset = pair?.range?.[0] ?? node?.range?.[0];
    if (offset === undefined) return undefined;
    const pos = lineCounter.linePos(offset);
    return { line: pos.line, column: pos.col };
  };
  const fail = (path: (string | number)[], message: string, hint?: string): never => {
    const pos = locate(path);
    throw new ChartshipError(message, {
      file,
      field: fieldName(path),
      line: pos?.line,
      column: pos?.column,
      hint,
      code: 'CHART_INVALID',
    });
  };

  if (!isMap(document.contents)) fail([], 'Chart.yaml must be a mapping of fields');
  const raw = document.toJS() as Record<string, unknown>;
  const metadata = validate(raw, fail);
  return { file, metadata, document, locate };
}

type Fail = (path: (string | number)[], message: string, hint?: string) => never;

function validate(raw: Record<string, unknown>, fail: Fail): ChartMetadata {
  const str = (key: string): string | undefined => {
    const value = raw[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'number' || typeof value === 'boolean') {
      // helm reads Chart.yaml into Go strings: an unquoted `1.0` stays text only if quoted, so say so.
      return fail([key], `must be a string, got ${typeof value} ${String(value)}`, `quote it: ${key}: "${String(value)}"`);
    }
    if (typeof value !== 'string') return fail([key], `must be a string`);
    return value;
  };
  const strings = (key: string): string[] | undefined => {
    const value = raw[key];
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) return fail([key], 'must be a list of strings');
    return value as string[];
  };

  const apiVersion = str('apiVersion');
  if (!apiVersion) fail(['apiVersion'], 'is required', 'use apiVersion: v2');
  if (apiVersion !== 'v1' && apiVersion !== 'v2') fail(['apiVersion'], `must be v1 or v2, got ${JSON.stringify(apiVersion)}`);

  // helm sanitises before it checks, so a name that only turns into "." or "a/b" once sanitised is caught as well.
  const name = sanitize(str('name'));
  if (!name) return fail(['name'], 'is required');
  if (name === '.' || name === '..' || name.includes('/') || name.includes('\\')) {
    fail(['name'], `${JSON.stringify(name)} is not a valid chart name`, 'a chart name cannot be "." or ".." or contain a path separator');
  }

  const version = str('version');
  if (!version) return fail(['version'], 'is required');
  if (!isStrictSemver(version)) {
    const hint = /^v\d/.test(version) && isStrictSemver(version.slice(1)) ? `drop the "v": ${version.slice(1)}` : 'use MAJOR.MINOR.PATCH, e.g. 1.0.0';
    fail(['version'], `${JSON.stringify(version)} is not a valid SemVer 2 version`, hint);
  }

  const type = str('type');
  if (type !== undefined && type !== '' && type !== 'application' && type !== 'library') {
    fail(['type'], `must be "application" or "library", got ${JSON.stringify(type)}`);
  }

  const metadata: ChartMetadata = { apiVersion: apiVersion as 'v1' | 'v2', name, version };
  assign(metadata, 'kubeVersion', str('kubeVersion'));
  assign(metadata, 'description', str('description'));
  if (type) metadata.type = type as 'application' | 'library';
  assign(metadata, 'keywords', strings('keywords'));
  assign(metadata, 'home', str('home'));
  assign(metadata, 'sources', strings('sources'));
  assign(metadata, 'icon', str('icon'));
  assign(metadata, 'appVersion', appVersion(raw['appVersion']));
  assign(metadata, 'condition', str('condition'));
  assign(metadata, 'tags', str('tags'));
  if (raw['deprecated'] !== undefined && raw['deprecated'] !== null) {
    if (typeof raw['deprecated'] !== 'boolean') fail(['deprecated'], 'must be true or false');
    metadata.deprecated = raw['deprecated'] as boolean;
  }
  assign(metadata, 'annotations', annotations(raw['annotations'], fail));
  assign(metadata, 'maintainers', maintainers(raw['maintainers'], fail));
  assign(metadata, 'dependencies', dependencies(raw['dependencies'], fail));
  return sanitizeMetadata(metadata);
}

function assign<K extends keyof ChartMetadata>(target: ChartMetadata, key: K, value: ChartMetadata[K] | undefined): void {
  if (value !== undefined) target[key] = value;
}

/** helm accepts a numeric appVersion and keeps it as text. */
function appVersion(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  return String(value);
}

function annotations(value: unknown, fail: Fail): Record<string, string> | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) return fail(['annotations'], 'must be a mapping of strings');
  const out: Record<string, string> = {};
  for (const [key, v] of Object.entries(value)) {
    if (typeof v !== 'string') fail(['annotations', key], 'must be a string', 'quote the value');
    out[key] = v as string;
  }
  return out;
}

function maintainers(value: unknown, fail: Fail): Maintainer[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) return fail(['maintainers'], 'must be a list');
  return value.map((m, i) => {
    if (typeof m !== 'object' || m === null) return fail(['maintainers', i], 'must be a mapping with name, email, url');
    const entry = m as Record<string, unknown>;
    if (!entry['name']) fail(['maintainers', i, 'name'], 'is required');
    const out: Maintainer = {};
    for (const key of ['name', 'email', 'url'] as const) {
      if (entry[key] !== undefined && entry[key] !== null) out[key] = String(entry[key]);
    }
    return out;
  });
}

function dependencies(value: unknown, fail: Fail): ChartDependency[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) return fail(['dependencies'], 'must be a list');
  return value.map((d, i) => {
    if (typeof d !== 'object' || d === null) return fail(['dependencies', i], 'must be a mapping');
    const entry = d as Record<string, unknown>;
    const name = entry['name'];
    if (typeof name !== 'string' || name === '') return fail(['dependencies', i, 'name'], 'is required');
    const dep: ChartDependency = { name };
    for (const key of ['version', 'repository', 'condition', 'alias'] as const) {
      const v = entry[key];
      if (v === undefined || v === null) continue;
      if (typeof v !== 'string') fail(['dependencies', i, key], 'must be a string', 'quote the value');
      dep[key] = v as string;
    }
    if (dep.alias !== undefined && !ALIAS.test(dep.alias)) {
      fail(['dependencies', i, 'alias'], `${JSON.stringify(dep.alias)} is invalid`, 'use letters, digits, "-" and "_"');
    }
    if (entry['tags'] !== undefined && entry['tags'] !== null) {
      if (!Array.isArray(entry['tags'])) fail(['dependencies', i, 'tags'], 'must be a list of strings');
      dep.tags = (entry['tags'] as unknown[]).map(String);
    }
    if (entry['enabled'] !== undefined && entry['enabled'] !== null) dep.enabled = Boolean(entry['enabled']);
    if (entry['import-values'] !== undefined && entry['import-values'] !== null) {
      if (!Array.isArray(entry['import-values'])) fail(['dependencies', i, 'import-values'], 'must be a list');
      dep['import-values'] = entry['import-values'] as unknown[];
    }
    return dep;
  });
}

function fieldName(path: readonly (string | number)[]): string | undefined {
  if (path.length === 0) return undefined;
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

/** The key node of a mapping pair points at the line a human looks for (`version:`), not the value after it. */
function findKeyNode(document: Document, path: readonly (string | number)[]): { range?: [number, number, number] } | undefined {
  const parent = path.length === 1 ? document.contents : document.getIn(path.slice(0, -1), true);
  const last = path[path.length - 1];
  if (!isMap(parent)) return undefined;
  const pair = parent.items.find((item) => (item.key as { value?: unknown } | null)?.value === last);
  return (pair?.key as { range?: [number, number, number] } | undefined) ?? undefined;
}
