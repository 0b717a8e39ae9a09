import { ChartshipError } from '../model/errors.js';
import { decodeInto, fieldName, pathKey, readGoYaml, type DecodeContext, type Position } from './go-decode.js';
import { METADATA } from './helm-structs.js';
import { canonicalVersion, isStrictSemver, parseHelmVersion } from '../model/helm-semver.js';
import { sanitizeMetadata, savedText } from './helm-yaml.js';
import { DEPENDENCY_ALIAS, isChartType, type ChartDependency, type ChartMetadata, type Maintainer } from '../model/metadata.js';


/** A parsed Chart.yaml that remembers where each field is, so every later error can point at its line. */
export interface ChartFile {
  file: string;
  metadata: ChartMetadata;
  /**
   * File, 1-based line and column of a field path such as `['dependencies', 0, 'version']` (or of the nearest
   * enclosing field given). The file is requirements.yaml for dependencies that came from there.
   */
  locate(path: readonly (string | number)[]): Position | undefined;
  /** What helm accepts but reads differently from how it is written (a number for text, a repeated key, a `v1.0`). */
  warnings: ChartshipError[];
}

/** Chart.yaml as helm's loader holds it before `Validate()`: decoded, possibly merged with requirements.yaml. */
export interface ChartYamlDraft {
  file: string;
  raw: Record<string, unknown>;
  context: DecodeContext;
  warnings: ChartshipError[];
}

/** Decodes Chart.yaml into helm's Metadata struct; a Chart.yaml without apiVersion is a v1 chart, as in helm. */
export function readChartYaml(text: string, file: string): ChartYamlDraft {
  const draft: ChartYamlDraft = { file, raw: {}, context: { positions: new Map(), conversions: [], code: 'CHART_INVALID' }, warnings: [] };
  const read = decodeFile(draft, text, file, 'CHART_YAML_INVALID');
  if (!read) throw new ChartshipError('Chart.yaml must be a mapping of fields', { file, line: 1, column: 1, code: 'CHART_INVALID' });
  if (!draft.raw['apiVersion']) draft.raw['apiVersion'] = 'v1';
  return draft;
}

/**
 * requirements.yaml decoded into the same struct, as helm's loader does for every chart that has one: its
 * `dependencies` replace Chart.yaml's item by item (an item keeps the Chart.yaml fields the file does not set).
 */
export function mergeRequirements(draft: ChartYamlDraft, text: string, file: string): void {
  decodeFile(draft, text, file, 'REQUIREMENTS_INVALID');
}

function decodeFile(draft: ChartYamlDraft, text: string, file: string, code: string): boolean {
  const document = readGoYaml(text, file, code);
  for (const d of document.duplicates) {
    draft.warnings.push(new ChartshipError(`${d.key} is given more than once; the last one counts, as in helm`, { ...d.at, field: d.key, code: 'DUPLICATE_KEY' }));
  }
  for (const k of document.convertedKeys) {
    draft.warnings.push(new ChartshipError(`the key ${k.written} is not text; helm reads it as ${JSON.stringify(k.read)}`, { ...k.at, hint: `quote it: "${k.written}"`, code: 'VALUE_CONVERTED' }));
  }
  if (!document.root) return false;
  const start = draft.context.conversions.length;
  draft.raw = decodeInto(document.root, METADATA, draft.raw, [], { ...draft.context, code: 'CHART_INVALID' }) as Record<string, unknown>;
  for (const c of draft.context.conversions.slice(start)) {
    draft.warnings.push(
      new ChartshipError(`${c.written} is not text; helm reads it as ${JSON.stringify(c.read)}`, { ...c.at, field: c.path, hint: `quote it: "${c.written}"`, code: 'VALUE_CONVERTED' }),
    );
  }
  return true;
}

export interface SourceText {
  text: string;
  /** Names the file in errors. */
  file: string;
}

/** Chart.yaml with requirements.yaml (when the chart has one) read over it, as helm's loader reads a chart. */
export function parseChartFiles(chartYaml: SourceText, requirements?: SourceText): ChartFile {
  const draft = readChartYaml(chartYaml.text, chartYaml.file);
  if (requirements) mergeRequirements(draft, requirements.text, requirements.file);
  return finishChartFile(draft);
}

/**
 * Parses and validates Chart.yaml the way helm's loader does, including `Metadata.Validate()`'s sanitising of text
 * fields: helm works with those values from then on (archive, signature, OCI config), so every caller sees them too.
 */
export function parseChartYaml(text: string, file: string): ChartFile {
  return finishChartFile(readChartYaml(text, file));
}

/** helm's `Metadata.Validate()` on a decoded Chart.yaml, plus the apiVersion check helm 4 makes when it loads one. */
export function finishChartFile(draft: ChartYamlDraft): ChartFile {
  const positions = draft.context.positions!;
  const locate = (path: readonly (string | number)[]): Position | undefined => {
    for (let n = path.length; n > 0; n--) {
      const at = positions.get(pathKey(path.slice(0, n)));
      if (at) return at;
    }
    return undefined;
  };
  // `field` names what is wrong when `path`, which places it, holds what a message should not print raw.
  const fail = (path: (string | number)[], message: string, hint?: string, field = path): never => {
    const at = locate(path);
    throw new ChartshipError(message, { file: at?.file ?? draft.file, line: at?.line, column: at?.column, field: fieldName(field), hint, code: 'CHART_INVALID' });
  };
  const decoded = toMetadata(draft.raw);
  // helm's Validate meets a null list item when it comes to it; sanitising needs them gone first.
  decoded.maintainers?.forEach((m, i) => {
    if (m === null) fail(['maintainers', i], 'must not be empty');
  });
  decoded.dependencies?.forEach((d, i) => {
    if (d === null) fail(['dependencies', i], 'must not be empty');
  });
  const metadata = sanitizeMetadata(decoded);
  const warnings = [...draft.warnings];

  if (metadata.apiVersion !== 'v1' && metadata.apiVersion !== 'v2') fail(['apiVersion'], `must be v1 or v2, got ${JSON.stringify(metadata.apiVersion)}`);
  // helm sanitises before it checks, so a name that only turns into "." or "a/b" once sanitised is caught as well.
  const name = metadata.name;
  if (!name) return fail(['name'], 'is required');
  if (name === '.' || name === '..' || name.includes('/') || name.includes('\\')) {
    fail(['name'], `${JSON.stringify(name)} is not a valid chart name`, 'a chart name cannot be "." or ".." or contain a path separator');
  }
  const version = metadata.version;
  if (!version) return fail(['version'], 'is required');
  const parsed = parseHelmVersion(version);
  if (!parsed) fail(['version'], `${JSON.stringify(version)} is not a valid version`, 'use MAJOR.MINOR.PATCH, e.g. 1.0.0');
  else if (!isStrictSemver(version)) {
    const at = locate(['version']);
    warnings.push(
      new ChartshipError(`${JSON.stringify(version)} is not SemVer 2; helm accepts it as ${canonicalVersion(parsed)} and keeps the text as written`, {
        ...at,
        field: 'version',
        hint: `write ${canonicalVersion(parsed)}`,
        code: 'VERSION_NOT_STRICT',
      }),
    );
  }
  if (!isChartType(metadata.type)) {
    fail(['type'], `must be "application" or "library", got ${JSON.stringify(metadata.type)}`);
  }
  savedAsHelmSavesIt(metadata, fail);
  const seen = new Set<string>();
  metadata.dependencies?.forEach((d, i) => {
    if (!d.name) fail(['dependencies', i, 'name'], 'is required');
    if (d.alias !== undefined && !DEPENDENCY_ALIAS.test(d.alias)) fail(['dependencies', i, 'alias'], `${JSON.stringify(d.alias)} is invalid`, 'use letters, digits, "-" and "_"');
    const key = d.alias ?? d.name;
    if (seen.has(key)) fail(['dependencies', i], `more than one dependency with name or alias ${JSON.stringify(key)}`);
    seen.add(key);
  });
  return { file: draft.file, metadata, locate, warnings };
}

/** Annotations and import-values as helm's save writes them (savedText), in place; what it cannot save is refused. */
function savedAsHelmSavesIt(metadata: ChartMetadata, fail: (path: (string | number)[], message: string, hint?: string, field?: (string | number)[]) => never): void {
  const saved = (text: string, isKey: boolean, path: (string | number)[]): string => {
    const result = savedText(text, isKey);
    if ('text' in result) return result.text;
    // The key is named in the message, escaped, rather than in the field: it holds what a terminal would act on.
    const shown = JSON.stringify(text).replace(/[\u007F-\u009F\uFFFE\uFFFF]/gu, (c) => `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`);
    return fail(path, `${isKey ? 'the key' : 'the text'} ${shown} ${result.refused}`, undefined, isKey ? path.slice(0, -1) : path);
  };
  const deep = (value: unknown, path: (string | number)[]): unknown => {
    if (typeof value === 'string') return saved(value, false, path);
    if (Array.isArray(value)) return value.map((v, i) => deep(v, [...path, i]));
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [saved(k, true, [...path, k]), deep(v, [...path, k])]));
    }
    return value;
  };
  if (metadata.annotations) metadata.annotations = deep(metadata.annotations, ['annotations']) as Record<string, string>;
  metadata.dependencies?.forEach((d, i) => {
    if (d['import-values']) d['import-values'] = deep(d['import-values'], ['dependencies', i, 'import-values']) as typeof d['import-values'];
  });
}

/** The decoded struct as ChartMetadata: Go's empty values (omitted when helm writes the struct) left out. */
function toMetadata(raw: Record<string, unknown>): ChartMetadata {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (key === 'maintainers' && Array.isArray(value)) out[key] = value.map((m) => (m === undefined ? null : withoutEmpty(m as Record<string, unknown>) as Maintainer));
    else if (key === 'dependencies' && Array.isArray(value)) out[key] = value.map((d) => (d === undefined ? null : withoutEmpty(d as Record<string, unknown>) as unknown as ChartDependency));
    else if (!isEmpty(value)) out[key] = value;
  }
  return out as unknown as ChartMetadata;
}

function withoutEmpty(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => !isEmpty(v)));
}

function isEmpty(value: unknown): boolean {
  return value === undefined || value === '' || value === false || (Array.isArray(value) && value.length === 0) || (typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 0);
}
