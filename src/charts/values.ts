import { ChartshipError } from '../model/errors.js';
import { readGoYaml, type GoNode, type Position } from './go-decode.js';
import './yaml-full.js';

/** A chart's values.yaml as helm reads it (YAML 1.1 scalars, last duplicate wins), remembering where each value is. */
export interface ValuesFile {
  /** The values as JSON data: what helm validates against values.schema.json. */
  values: Record<string, unknown>;
  /**
   * Where the value at `path` was written: its key for a mapping entry, the item for a list entry; the nearest
   * enclosing one when the path does not exist (a missing required key is reported on its parent).
   */
  locate(path: readonly (string | number)[]): Position;
}

/** Reads values.yaml text; malformed YAML is a ChartshipError at its line (code VALUES_INVALID). */
export function readValuesFile(text: string, file: string): ValuesFile {
  const doc = readGoYaml(text, file, 'VALUES_INVALID');
  const root = doc.root;
  const values = root?.kind === 'map' ? (toJson(root) as Record<string, unknown>) : {};
  return {
    values,
    locate(path) {
      let node: GoNode | undefined = root;
      let at: Position = root?.at ?? { file, line: 1, column: 1 };
      for (const segment of path) {
        if (node?.kind === 'map') {
          const entry = node.entries.get(String(segment));
          if (!entry) break;
          at = entry.key;
          node = entry.value;
        } else if (node?.kind === 'seq' && typeof segment === 'number' && node.items[segment]) {
          node = node.items[segment];
          at = node.at;
        } else break;
      }
      return at;
    },
  };
}

function toJson(node: GoNode): unknown {
  switch (node.kind) {
    case 'null':
      return null;
    case 'bool':
    case 'float':
    case 'string':
      return node.value;
    case 'int':
      return Number(node.value);
    case 'seq':
      return node.items.map(toJson);
    case 'map':
      return Object.fromEntries([...node.entries].map(([key, entry]) => [key, toJson(entry.value)]));
  }
}

/**
 * Checks values.yaml as helm 4's loader reads it (LoadValues): split into documents at lines that start with `---`
 * (k8s.io/apimachinery's YAMLReader: anything but a comment after the dashes is an error), each read as
 * sigs.k8s.io/yaml reads one (its first YAML document alone, so text after a `...` is never looked at), each a
 * mapping or nothing. helm 3 reads the first document alone; chartship reads charts as helm 4 does.
 */
export function checkValuesText(text: string, file: string): void {
  const code = 'VALUES_INVALID';
  const readDocument = (chunk: string) => {
    if (chunk === '') return;
    const root = readGoYaml(chunk, file, code).root;
    if (root && root.kind !== 'map') throw new ChartshipError('values must be a mapping of keys to values', { ...root.at, code });
  };
  // Most values.yaml files have no separator: read as they are, not cut into lines and joined again.
  if (!/^---/m.test(text)) return readDocument(text);
  const lines = text.split(/(?<=\n)/);
  let start = 0;
  // Blank lines in front keep the document's lines and columns those of the file.
  const read = (end: number) => readDocument(start === end ? '' : `${'\n'.repeat(start)}${lines.slice(start, end).join('')}`);
  lines.forEach((line, i) => {
    if (!line.startsWith('---')) return;
    const rest = line.slice(3).trim();
    if (rest !== '' && !rest.startsWith('#')) {
      throw new ChartshipError(`${JSON.stringify(rest)} follows the document separator --- on its line, which helm 4 refuses`, { file, line: i + 1, column: 4, code, hint: 'start the document on the next line' });
    }
    read(i);
    start = i + 1;
  });
  read(lines.length);
}
