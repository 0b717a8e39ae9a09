import { formatFloat32, resolvePlain } from './goyaml.js';
import type { GoNode, GoYamlDocument, Position } from './go-decode.js';

/**
 * How yaml.v2 turns YAML syntax into values, shared by both readers of go-decode.ts (the `yaml` package's syntax tree,
 * and the fast path for plain block YAML in plain-yaml.ts) so that the two cannot read the same text differently.
 */

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
  entries: Map<string, { key: Position; value: GoNode }>,
  key: GoNode,
  value: GoNode,
): true | undefined {
  const text = keyText(key);
  if (text === undefined) return undefined;
  if ('text' in key && key.text !== text) document.convertedKeys.push({ written: key.text, read: text, at: key.at });
  setEntry(document, entries, text, { key: key.at, value });
  return true;
}

export function setEntry(document: GoYamlDocument, entries: Map<string, { key: Position; value: GoNode }>, key: string, entry: { key: Position; value: GoNode }): void {
  if (entries.has(key)) document.duplicates.push({ key, at: entry.key });
  // A re-set key moves to the end, as the last occurrence is the one that counts.
  entries.delete(key);
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
