import { formatFloat32, resolvePlain } from './goyaml.js';

/**
 * How yaml.v2 turns YAML syntax into values, shared by both readers of go-decode.ts (the `yaml` package's syntax tree,
 * and the fast path for plain block YAML in plain-yaml.ts) so that the two cannot read the same text differently.
 */

/** Where a node is written: 1-based line and column in `file`. */
export interface Position {
  file: string;
  line: number;
  column: number;
}

/** A mapping's entry: where its key is written, what kind of value the key is (yaml.v2 tells `1` from `"1"`), its value. */
export interface GoEntry {
  key: Position;
  keyKind?: GoNode['kind'];
  value: GoNode;
}

export type GoNode = { at: Position } & (
  | { kind: 'null' }
  | { kind: 'bool'; value: boolean; text: string }
  | { kind: 'int'; value: bigint; text: string }
  | { kind: 'float'; value: number; text: string }
  | { kind: 'string'; value: string }
  | { kind: 'map'; entries: Map<string, GoEntry> }
  | { kind: 'seq'; items: GoNode[] }
);

export interface GoYamlDocument {
  /** undefined for an empty document. */
  root: GoNode | undefined;
  /**
   * Keys given more than once in one mapping: the last counts. `distinct` when yaml.v2 holds them apart (`1` and
   * `"1"`: one number, one text) and only the JSON made of them sees one key.
   */
  duplicates: { key: string; at: Position; distinct?: true }[];
  /** Keys yaml.v2 reads as something other than their text (`n` is false, `1.0` is 1). */
  convertedKeys: { written: string; read: string; at: Position }[];
}

/** An untagged plain scalar: yaml.v2 decides what it is (YAML 1.1: `yes` is true, `1.10` a float, `017` octal). */
export function plainScalar(text: string, at: Position): GoNode {
  const resolved = resolvePlain(text);
  if (resolved.kind === 'string') return { kind: 'string', value: text, at };
  if (resolved.kind === 'null') return { kind: 'null', at };
  return { ...resolved, text, at };
}

/**
 * Adds `key: value` to a mapping: a repeated key is recorded and its last value counts (moved to the end), a key that
 * is not text as written (`n`, `1.0`) is recorded with what it reads as. undefined when the node cannot be a key.
 */
export function addEntry(
  document: GoYamlDocument,
  entries: Map<string, GoEntry>,
  key: GoNode,
  value: GoNode,
): true | undefined {
  const text = keyText(key);
  if (text === undefined) return undefined;
  if ('text' in key && key.text !== text) document.convertedKeys.push({ written: key.text, read: text, at: key.at });
  setEntry(document, entries, text, { key: key.at, keyKind: key.kind, value });
  return true;
}

export function setEntry(document: GoYamlDocument, entries: Map<string, GoEntry>, key: string, entry: GoEntry): void {
  const previous = entries.get(key);
  if (previous) {
    document.duplicates.push({ key, at: entry.key, ...(previous.keyKind !== entry.keyKind ? { distinct: true as const } : {}) });
    // A re-set key moves to the end, as the last occurrence is the one that counts.
    entries.delete(key);
  }
  entries.set(key, entry);
}

/** sigs.k8s.io/yaml turns yaml.v2's map keys into JSON object keys; null, lists and mappings cannot be keys. */
export function keyText(key: GoNode): string | undefined {
  switch (key.kind) {
    case 'string':
      return key.value;
    case 'int':
      return key.value.toString();
    case 'float':
      return formatFloat32(key.value).replace(/^\+Inf$/, '.inf').replace(/^-Inf$/, '-.inf').replace(/^NaN$/, '.nan');
    case 'bool':
      return String(key.value);
    default:
      return undefined;
  }
}

/** What a node is, in the words of an error message. */
export function describe(node: GoNode): string {
  switch (node.kind) {
    case 'map':
      return 'mapping';
    case 'seq':
      return 'list';
    case 'int':
    case 'float':
      return 'number';
    case 'bool':
      return 'boolean';
    case 'null':
      return 'null';
    case 'string':
      return 'text';
  }
}
