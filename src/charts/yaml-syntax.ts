import { isAlias, isMap, isScalar, isSeq, LineCounter, parseAllDocuments, type Document, type Node } from 'yaml';
import { ChartshipError } from '../model/errors.js';
import { resolvePlain } from './goyaml.js';
import { addEntry, describe, plainScalar, setEntry, type GoEntry, type GoNode, type GoYamlDocument, type Position } from './go-nodes.js';

/**
 * The full reader of go-decode.ts: any YAML, through the `yaml` package's parser, for the text plain-yaml.ts declines.
 * Importing this module is what makes it available to readGoYaml (go-decode.ts says why it is kept apart).
 */

/** readGoYaml through the `yaml` package's full parser, whatever the text (the reference the fast path is tested against). */
export function readGoYamlSyntax(text: string, file: string, code: string): GoYamlDocument {
  const lineCounter = new LineCounter();
  const documents = parseAllDocuments(text.replace(/^\uFEFF/, ''), { lineCounter, schema: 'failsafe', uniqueKeys: false, prettyErrors: false });
  const first = (Array.isArray(documents) ? documents[0] : undefined) as Document | undefined;
  const position = (offset: number | undefined): Position => {
    const pos = lineCounter.linePos(offset ?? 0);
    return { file, line: pos.line, column: pos.col };
  };
  const error = first?.errors[0] ?? (Array.isArray(documents) ? undefined : (documents as { errors?: { message: string; pos: [number, number] }[] }).errors?.[0]);
  if (error) throw new ChartshipError(`malformed YAML: ${error.message.split('\n')[0]}`, { ...position(error.pos[0]), code });
  const document: GoYamlDocument = { root: undefined, duplicates: [], convertedKeys: [] };
  const fail = (node: { range?: [number, number, number] | null } | null | undefined, message: string): never => {
    throw new ChartshipError(message, { ...position(node?.range?.[0]), code });
  };

  const convert = (node: unknown, depth: number): GoNode => {
    if (depth > 1000) return fail(node as Node, 'YAML nested too deeply');
    if (isAlias(node)) return convert(node.resolve(first as Document), depth + 1);
    const at = position((node as Node | null)?.range?.[0]);
    if (node === null || node === undefined) return { kind: 'null', at };
    if (isScalar(node)) {
      const text = String(node.value);
      const tag = node.tag?.replace(/^tag:yaml\.org,2002:/, '!!');
      if (tag === '!!str' || tag === '!!binary' || (node.type !== 'PLAIN' && tag === undefined)) return { kind: 'string', value: text, at };
      const resolved = resolvePlain(text);
      if (tag === '!!bool' && resolved.kind !== 'bool') return fail(node, `cannot read ${JSON.stringify(text)} as !!bool`);
      if ((tag === '!!int' && resolved.kind !== 'int') || (tag === '!!float' && resolved.kind !== 'float' && resolved.kind !== 'int')) {
        return fail(node, `cannot read ${JSON.stringify(text)} as ${tag}`);
      }
      if (tag === '!!float' && resolved.kind === 'int') return { kind: 'float', value: Number(resolved.value), text, at };
      return plainScalar(text, at);
    }
    if (isSeq(node)) return { kind: 'seq', items: node.items.map((item) => convert(item, depth + 1)), at };
    if (isMap(node)) {
      const entries = new Map<string, GoEntry>();
      const merge = (source: GoNode, where: unknown) => {
        if (source.kind === 'map') for (const [k, v] of source.entries) setEntry(document, entries, k, v);
        else if (source.kind === 'seq' && source.items.every((i) => i.kind === 'map')) {
          // yaml.v2 merges a list of mappings last to first, so the first one wins.
          for (const item of [...source.items].reverse()) merge(item, where);
        } else fail(where as Node, 'map merge requires a mapping or a list of mappings as the value of <<');
      };
      for (const pair of node.items) {
        const keyNode = pair.key as Node | null;
        const value = convert(pair.value, depth + 1);
        if (isScalar(keyNode) && keyNode.type === 'PLAIN' && keyNode.value === '<<' && keyNode.tag === undefined) {
          merge(value, pair.value);
          continue;
        }
        const key = convert(keyNode, depth + 1);
        if (!addEntry(document, entries, key, value)) fail(keyNode, `a ${describe(key)} cannot be a key`);
      }
      return { kind: 'map', entries, at };
    }
    return fail(null, 'unsupported YAML node');
  };

  const contents = first?.contents;
  const root = contents === null || contents === undefined ? undefined : convert(contents, 0);
  if (root?.kind !== 'null') document.root = root;
  return document;
}

