import type { ErrorObject, Options, SchemaObject, ValidateFunction } from 'ajv';
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, visit, type Alias, type Document, type Node } from 'yaml';
import { ChartshipError } from '../model/errors.js';
import { didYouMean, dottedKey, type ConfigPath } from './keys.js';

/** 1-based line and column in a configuration file. */
export interface ConfigPosition {
  file: string;
  line: number;
  column: number;
}

export type { ConfigPath } from './keys.js';

/** A YAML document checked against a JSON Schema, that can say where each of its values was written. */
export interface ConfigDocument<T> {
  value: T;
  /** Where the value at `path` was written (its key, for a mapping entry), or the nearest enclosing one. */
  locate: (path: ConfigPath) => ConfigPosition | undefined;
}

const CODE = 'CONFIG_INVALID';

/** How ajv reads a configuration schema: strict, so that a schema keyword ajv does not know fails the build's tests. */
export const CONFIG_AJV_OPTIONS: Options = { allErrors: true, verbose: true, strict: true, allowUnionTypes: true };

/**
 * Reads YAML `text` and validates it against `schema` (JSON Schema draft-07, checked by ajv). Every problem is a
 * ChartshipError naming the file, the dotted key, the line and the column; a key the schema does not know is refused
 * with the closest known key offered.
 */
export async function readConfigDocument<T>(text: string, file: string, schema: SchemaObject): Promise<ConfigDocument<T>> {
  const lineCounter = new LineCounter();
  // Merge keys (`<<: *defaults`) as helm's YAML reads them; a key that is a list or mapping becomes text, and says so
  // as an unknown key rather than in a warning of node's.
  const doc = parseDocument(text.replace(/^\uFEFF/, ''), { lineCounter, prettyErrors: false, uniqueKeys: true, merge: true, logLevel: 'error' });
  const position = (offset: number | undefined): ConfigPosition => {
    const pos = lineCounter.linePos(offset ?? 0);
    return { file, line: pos.line, column: pos.col };
  };
  const malformed = (message: string, offset: number | undefined) => new ChartshipError(`malformed YAML: ${message}`, { ...position(offset), code: CODE });
  // An alias whose anchor is missing is named as such, also where the parser has already called it something else (a
  // merge key's source that is "not a map").
  const syntax = doc.errors[0];
  const unresolved = unresolvedAlias(doc);
  if (unresolved && (!syntax || (unresolved.range?.[0] ?? 0) <= syntax.pos[0])) {
    throw malformed(`alias *${unresolved.source} has no anchor &${unresolved.source} before it`, unresolved.range?.[0]);
  }
  if (syntax) throw malformed(syntax.message.split('\n')[0] ?? '', syntax.pos[0]);

  const locate = (path: ConfigPath): ConfigPosition | undefined => {
    const found = nodeAt(doc, path);
    return found ? position(found.range?.[0]) : undefined;
  };
  // An empty file is an empty configuration.
  let value: unknown;
  try {
    value = doc.contents === null ? {} : doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    // Aliases that multiply into a huge document (a billion laughs): at the first of them.
    let first: Alias | undefined;
    visit(doc, {
      Alias(_, alias) {
        first = alias;
        return visit.BREAK;
      },
    });
    throw malformed((error as Error).message, first?.range?.[0]);
  }

  const validate = await validatorFor(schema);
  if (!validate(value)) {
    const errors = (validate.errors ?? []).filter((e) => e.keyword !== 'if');
    const problems = errors.map((e) => describeProblem(e, file, locate));
    // The first problem in the file is the one to fix first.
    problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
    throw problems[0] ?? new ChartshipError('does not match the configuration schema', { file, code: CODE });
  }
  return { value: value as T, locate };
}

const validators = new WeakMap<SchemaObject, Promise<ValidateFunction>>();

/**
 * Compiled once per schema. ajv is not asked to check the schema against draft-07's metaschema, which would compile
 * that metaschema first (≈ 50 ms, more than reading the file): the schemas are chartship's own, and
 * test/config/config.test.ts checks them against it.
 */
function validatorFor(schema: SchemaObject): Promise<ValidateFunction> {
  let compiled = validators.get(schema);
  if (!compiled) {
    // ajv is CommonJS: node (and the bundle) hand its module.exports over as the default export.
    compiled = import('ajv').then(({ default: ajv }) => new ajv.default({ ...CONFIG_AJV_OPTIONS, validateSchema: false }).compile(schema));
    validators.set(schema, compiled);
  }
  return compiled;
}

/** The first alias with no anchor before it: the YAML reader fails on it only when it builds the value. */
function unresolvedAlias(doc: Document): Alias | undefined {
  let unresolved: Alias | undefined;
  visit(doc, {
    Alias(_, alias) {
      if (alias.resolve(doc)) return undefined;
      unresolved = alias;
      return visit.BREAK;
    },
  });
  return unresolved;
}

/** The node at `path`: for a mapping entry, its key (that is what a reader looks for). */
function nodeAt(doc: Document, path: ConfigPath): Node | undefined {
  let node: unknown = doc.contents;
  let found: Node | undefined = doc.contents ?? undefined;
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(segment));
      if (!pair) break;
      found = (pair.key as Node | null) ?? found;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment];
      if (!item) break;
      found = item as Node;
      node = item;
    } else break;
  }
  return found;
}

/** `/policy/rules/0` → ['policy', 'rules', 0]. */
function pointerPath(pointer: string): (string | number)[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

const TYPE_WORDS: Record<string, string> = { string: 'text', array: 'a list', object: 'a mapping', boolean: 'true or false', number: 'a number', integer: 'a whole number', null: 'empty' };

function typeOf(value: unknown): string {
  if (value === null || value === undefined) return 'empty';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `${TYPE_WORDS[typeof value] ?? typeof value} ${JSON.stringify(value)}`;
}

function describeProblem(error: ErrorObject, file: string, locate: (path: ConfigPath) => ConfigPosition | undefined): ChartshipError {
  const path = pointerPath(error.instancePath);
  const at = (p: ConfigPath) => ({ file, ...locate(p) });
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = (error.params as { additionalProperty: string }).additionalProperty;
      const known = Object.keys((error.parentSchema as { properties?: object } | undefined)?.properties ?? {});
      const guess = didYouMean(key, known);
      return new ChartshipError('unknown key', {
        ...at([...path, key]),
        field: dottedKey([...path, key]),
        code: CODE,
        hint: `${guess ? `did you mean "${guess}"? ` : ''}known keys here: ${known.join(', ')}`,
      });
    }
    case 'required': {
      const key = (error.params as { missingProperty: string }).missingProperty;
      return new ChartshipError('is required', { ...at(path), field: dottedKey([...path, key]), code: CODE });
    }
    case 'enum': {
      const allowed = (error.params as { allowedValues: unknown[] }).allowedValues.map(String);
      const guess = typeof error.data === 'string' ? didYouMean(error.data, allowed) : undefined;
      return new ChartshipError(`must be one of ${allowed.join(', ')}, got ${typeOf(error.data)}`, {
        ...at(path),
        field: dottedKey(path),
        code: CODE,
        ...(guess ? { hint: `did you mean "${guess}"?` } : {}),
      });
    }
    case 'type': {
      const wanted = [(error.params as { type: string | string[] }).type].flat().map((t) => TYPE_WORDS[t] ?? t);
      return new ChartshipError(`must be ${wanted.join(' or ')}, got ${typeOf(error.data)}`, { ...at(path), field: dottedKey(path), code: CODE });
    }
    case 'minItems': {
      // The schema's description says what the list is for, and what to write instead of an empty one.
      const said = (error.parentSchema as { description?: string } | undefined)?.description;
      return new ChartshipError(`must not be an empty list`, { ...at(path), field: dottedKey(path), code: CODE, ...(said ? { hint: said } : {}) });
    }
    default:
      return new ChartshipError(error.message ?? `fails ${error.keyword}`, { ...at(path), field: dottedKey(path), code: CODE });
  }
}
