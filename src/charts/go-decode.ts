import { ChartshipError } from '../model/errors.js';
import { formatFloat32 } from './goyaml.js';
import { describe, type GoNode, type GoYamlDocument, type Position } from './go-nodes.js';
import { readPlainYaml } from './plain-yaml.js';

/**
 * YAML read the way helm reads Chart.yaml, requirements.yaml and Chart.lock: `sigs.k8s.io/yaml.Unmarshal` into Go
 * structs. yaml.v2 first decides what each plain scalar is (YAML 1.1: `yes` is true, `1.10` a float, `017` octal),
 * duplicate keys keep the last, `<<` merges; then encoding/json fills the struct: keys in sorted order, matched to
 * fields exactly or ignoring case, unknown keys ignored, a number or boolean given for a text field turned into text
 * (a float through float32: `1.10` → "1.1"), any other mismatch an error, and decoding into a value that already has
 * content merging into it (list items field by field). The `yaml` package is asked only for the syntax (its failsafe
 * schema keeps every scalar as written) so these rules can be applied here.
 */

export type { GoNode, GoYamlDocument, Position } from './go-nodes.js';
export { describe } from './go-nodes.js';

/**
 * Parses the first YAML document of `text` (yaml.v2 reads no further); malformed YAML is a ChartshipError. Most
 * Chart.yaml files are plain `key: value` blocks: those are read by plain-yaml.ts (ten times faster, the same
 * result), everything else by the `yaml` package (yaml-syntax.ts).
 *
 * The `yaml` package is a good part of what a start compiles, and a plan of plain charts never needs it, so it is
 * loaded on its own: a module that reads YAML synchronously imports yaml-full.ts, which hands that reader over here
 * as it loads; the plan's readers (discovery, change detection) call withYamlReader instead, which loads it only for
 * text the fast path declines.
 */
export function readGoYaml(text: string, file: string, code: string): GoYamlDocument {
  const body = text.replace(/^\uFEFF/, '');
  if (body.includes('%YAML')) checkYamlDirective(body, file, code);
  const plain = readPlainYaml(body, file);
  if (plain) return plain;
  if (!fullReader) throw NO_FULL_READER;
  return fullReader(body, file, code);
}

/** yaml.v2 reads YAML 1.1 alone: any other `%YAML` directive is "found incompatible YAML document". */
function checkYamlDirective(text: string, file: string, code: string): void {
  const directive = /^%YAML[ \t]+([^\s#]*)/m.exec(text);
  if (!directive || directive[1] === '1.1') return;
  const line = text.slice(0, directive.index).split('\n').length;
  throw new ChartshipError(`%YAML ${directive[1]}: helm reads YAML 1.1 documents only`, { file, line, column: 1, code, hint: 'remove the %YAML line' });
}

type YamlReader = (text: string, file: string, code: string) => GoYamlDocument;
let fullReader: YamlReader | undefined;

/** yaml-full.ts, as it loads; withYamlReader, when it loads the reader. */
export function useFullYamlReader(reader: YamlReader): void {
  fullReader = reader;
}

/** Thrown by readGoYaml for text only the `yaml` package reads, before it is loaded; caught by withYamlReader. */
class FullReaderNotLoaded extends Error {}
const NO_FULL_READER = new FullReaderNotLoaded('the YAML reader is not loaded: import charts/yaml-full.ts where YAML is read');

/**
 * Runs `read` (which reads YAML with readGoYaml, and nothing else that a second run would repeat); if it met text
 * only the `yaml` package reads, loads that and runs `read` again.
 */
export async function withYamlReader<T>(read: () => T): Promise<T> {
  try {
    return read();
  } catch (error) {
    if (error !== NO_FULL_READER) throw error;
  }
  useFullYamlReader((await import('./yaml-syntax.js')).readGoYamlSyntax);
  return read();
}


/** The Go types helm's Chart.yaml structs use. */
export type GoType =
  | { type: 'string' }
  | { type: 'bool' }
  | { type: 'any' }
  | { type: 'list'; of: GoType }
  | { type: 'map'; of: GoType }
  | { type: 'struct'; name: string; fields: Record<string, GoType>; pointer?: boolean };

export interface DecodeContext {
  /** Where each decoded field was written, by path (`maintainers.0.name`); not kept when absent (an index's thousands). */
  positions?: Map<string, Position>;
  /** A number or boolean read as text, where the text helm makes of it differs from what was written. */
  conversions: { path: string; written: string; read: string; at: Position }[];
  code: string;
}

/**
 * encoding/json decoding `node` into `current` (the field's present value, undefined when unset) of Go type `type`;
 * returns the new value. `path` names the field in errors.
 */
export function decodeInto(node: GoNode, type: GoType, current: unknown, path: (string | number)[], ctx: DecodeContext): unknown {
  const mismatch = (expected: string): never => {
    throw mismatchError(node, expected, path, ctx);
  };
  // JSON null leaves text, booleans and structs as they were, empties lists, maps and pointers, and is nil in an
  // interface{}.
  if (node.kind === 'null') {
    if (type.type === 'any') return null;
    return type.type === 'list' || type.type === 'map' || (type.type === 'struct' && type.pointer) ? undefined : current;
  }
  switch (type.type) {
    case 'string': {
      if (node.kind === 'map' || node.kind === 'seq') return mismatch('text');
      if (node.kind === 'string') return node.value;
      const read = scalarText(node);
      if (node.text !== read) ctx.conversions.push({ path: fieldName(path) ?? '', written: node.text, read, at: node.at });
      return read;
    }
    case 'bool':
      return node.kind === 'bool' ? node.value : mismatch('true or false');
    case 'any':
      return plainValue(node);
    case 'list': {
      if (node.kind !== 'seq') return mismatch('a list');
      const existing = Array.isArray(current) ? current : [];
      return node.items.map((item, i) => {
        ctx.positions?.set(pathKey([...path, i]), item.at);
        // A new item starts from Go's zero value; an existing one is decoded into.
        return decodeInto(item, type.of, existing[i], [...path, i], ctx) ?? (type.of.type === 'string' ? '' : undefined);
      });
    }
    case 'map': {
      if (node.kind !== 'map') return mismatch('a mapping');
      const out: Record<string, unknown> = { ...(current as Record<string, unknown> | undefined) };
      for (const key of sortedKeys(node.entries)) {
        const entry = node.entries.get(key)!;
        ctx.positions?.set(pathKey([...path, key]), entry.key);
        // json zeroes a map element before decoding into it.
        out[key] = decodeInto(entry.value, type.of, undefined, [...path, key], ctx) ?? (type.of.type === 'string' ? '' : undefined);
      }
      return out;
    }
    case 'struct': {
      if (node.kind !== 'map') return mismatch('a mapping');
      const out: Record<string, unknown> = { ...(current as Record<string, unknown> | undefined) };
      for (const key of sortedKeys(node.entries)) {
        const field = fieldOf(type, key);
        if (field === undefined) continue;
        const entry = node.entries.get(key)!;
        ctx.positions?.set(pathKey([...path, field]), entry.key);
        const value = decodeInto(entry.value, type.fields[field]!, out[field], [...path, field], ctx);
        if (value === undefined) delete out[field];
        else out[field] = value;
      }
      return out;
    }
  }
}

function mismatchError(node: GoNode, expected: string, path: (string | number)[], ctx: DecodeContext): ChartshipError {
  const shown = node.kind === 'string' ? ` ${JSON.stringify(node.value)}` : 'text' in node ? ` ${node.text}` : '';
  return new ChartshipError(`must be ${expected}, got ${describe(node)}${shown}`, { ...node.at, field: fieldName(path), code: ctx.code });
}

/** Each struct's field for a key, as encoding/json matches them: the exact name, else the first equal ignoring case. */
const FIELDS = new WeakMap<GoType, Map<string, string | undefined>>();

function fieldOf(type: Extract<GoType, { type: 'struct' }>, key: string): string | undefined {
  let known = FIELDS.get(type);
  if (!known) FIELDS.set(type, (known = new Map<string, string | undefined>()));
  if (known.has(key)) return known.get(key);
  const names = Object.keys(type.fields);
  const field = names.find((n) => n === key) ?? names.find((n) => n.toLowerCase() === key.toLowerCase());
  // Keys are the file's: only those of the struct's own fields are kept, not every unknown key a file may hold.
  if (field !== undefined) known.set(key, field);
  return field;
}

/** The text a number or boolean becomes in a Go string field. */
function scalarText(node: GoNode): string {
  switch (node.kind) {
    case 'string':
      return node.value;
    case 'int':
      return node.value.toString();
    case 'float':
      return formatFloat32(node.value);
    case 'bool':
      return String(node.value);
    default:
      return '';
  }
}

/** What an `interface{}` field holds after json.Unmarshal: numbers become float64. */
function plainValue(node: GoNode): unknown {
  switch (node.kind) {
    case 'null':
      return null;
    case 'bool':
    case 'string':
    case 'float':
      return node.value;
    case 'int':
      return Number(node.value);
    case 'seq':
      return node.items.map(plainValue);
    case 'map':
      return Object.fromEntries(sortedKeys(node.entries).map((k) => [k, plainValue(node.entries.get(k)!.value)]));
  }
}

/** JSON object keys in the order json.Marshal writes a Go map: sorted bytewise. */
function sortedKeys(entries: Map<string, unknown>): string[] {
  const keys = [...entries.keys()];
  // Below the surrogates, UTF-16 code units sort as UTF-8 bytes do: JavaScript's own order serves nearly every key.
  if (keys.every((k) => !/[\ud800-\uffff]/.test(k))) return keys.sort();
  return keys.map((k) => ({ k, bytes: Buffer.from(k) })).sort((a, b) => Buffer.compare(a.bytes, b.bytes)).map(({ k }) => k);
}

export function pathKey(path: readonly (string | number)[]): string {
  return path.join('.');
}

/** `dependencies[0].version` → ['dependencies', 0, 'version'] */
export function fieldPath(field: string): (string | number)[] {
  return field.split(/\.|(?=\[)/).map((part) => (/^\[\d+\]$/.test(part) ? Number(part.slice(1, -1)) : part));
}

/** `dependencies[0].version` */
export function fieldName(path: readonly (string | number)[]): string | undefined {
  if (path.length === 0) return undefined;
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}
