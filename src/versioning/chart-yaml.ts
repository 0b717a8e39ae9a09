import { isAlias, isMap, isScalar, isSeq, LineCounter, parse, parseDocument, Scalar, type Node } from 'yaml';
import { ChartshipError } from '../model/errors.js';

export interface ChartYamlEdits {
  version?: string;
  appVersion?: string;
  /** New `version` constraints of entries in `dependencies`, by index. */
  dependencies?: { index: number; version: string }[];
}

interface Splice {
  start: number;
  end: number;
  text: string;
}

/**
 * Returns Chart.yaml with the given fields changed (or those `wanted` asks for, given the file's content) and every
 * other byte untouched: the yaml Document API finds each value's exact range and only that range is rewritten, in the
 * quoting style it had. Re-serialising the document would reflow comments, quotes and indentation the user chose.
 */
export function editChartYaml(text: string, wanted: ChartYamlEdits | ((chartYaml: unknown) => ChartYamlEdits)): string {
  const bom = text.startsWith('\uFEFF') ? '\uFEFF' : '';
  const body = text.slice(bom.length);
  const lineCounter = new LineCounter();
  // Repeated keys are allowed as helm allows them: the last one is what helm reads, so it is the one edited.
  const document = parseDocument(body, { keepSourceTokens: false, uniqueKeys: false, lineCounter, prettyErrors: false });
  const fail = (message: string, offset: number | undefined, field?: string, hint?: string): never => {
    const at = offset === undefined ? undefined : lineCounter.linePos(offset);
    throw new ChartshipError(message, { field, line: at?.line, column: at?.col, hint, code: 'CHART_YAML_EDIT' });
  };
  // Edits that depend on what the file says are worked out from this one reading of it.
  const error = document.errors[0];
  if (typeof wanted === 'function' && error) fail(`malformed YAML: ${error.message.split('\n')[0]}`, error.pos[0]);
  const edits = typeof wanted === 'function' ? wanted(document.toJS()) : wanted;
  const splices: Splice[] = [];

  const replace = (path: (string | number)[], value: string): boolean => {
    const node = lastNodeAt(document.contents, path);
    if (node === undefined || node === null) return false;
    const field = path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('').slice(1);
    if (!isScalar(node) || !node.range) {
      const what = isAlias(node) ? 'an alias' : isMap(node) ? 'a mapping' : isSeq(node) ? 'a list' : 'not plain text';
      return fail(`is ${what}, not a value chartship can rewrite`, node.range?.[0], field, 'write the value out');
    }
    if (String(node.value) === value) return true;
    splices.push({ start: node.range[0], end: node.range[1], text: render(value, node.type) });
    return true;
  };

  if (edits.version !== undefined) replace(['version'], edits.version);
  if (edits.appVersion !== undefined && !replace(['appVersion'], edits.appVersion)) {
    // No appVersion yet: add it right after `version`, on a line of its own indented like it, or in the same braces.
    const root = document.contents;
    const range = lastNodeAt(root, ['version'])?.range;
    if (!isMap(root) || !range) return fail('no version to add appVersion after', undefined, 'appVersion');
    const entry = `appVersion: ${render(edits.appVersion, Scalar.PLAIN)}`;
    if (root.flow) splices.push({ start: range[1], end: range[1], text: `, ${entry}` });
    else {
      const lineStart = body.lastIndexOf('\n', range[0]) + 1;
      const indent = /^[ \t]*/.exec(body.slice(lineStart))?.[0] ?? '';
      const lineEnd = body.indexOf('\n', range[1]);
      // Before the line's end, in the file's own line ending: a CRLF file stays CRLF throughout.
      const crlf = lineEnd > 0 && body[lineEnd - 1] === '\r';
      const at = lineEnd === -1 ? body.length : crlf ? lineEnd - 1 : lineEnd;
      splices.push({ start: at, end: at, text: `${crlf ? '\r\n' : '\n'}${indent}${entry}` });
    }
  }
  for (const dep of edits.dependencies ?? []) {
    if (!replace(['dependencies', dep.index, 'version'], dep.version)) fail('has no version to raise', undefined, `dependencies[${dep.index}]`);
  }

  let out = body;
  for (const s of splices.sort((a, b) => b.start - a.start)) out = out.slice(0, s.start) + s.text + out.slice(s.end);
  return bom + out;
}

/** A YAML file's content as editChartYaml reads it (a repeated key: the last counts), to decide what to edit. */
export function readYaml(text: string): unknown {
  const lineCounter = new LineCounter();
  const document = parseDocument(text.replace(/^\uFEFF/, ''), { uniqueKeys: false, prettyErrors: false, lineCounter });
  const error = document.errors[0];
  if (error) {
    const at = lineCounter.linePos(error.pos[0]);
    throw new ChartshipError(`malformed YAML: ${error.message.split('\n')[0]}`, { line: at.line, column: at.col, code: 'CHART_YAML_EDIT' });
  }
  return document.toJS();
}

/** The node helm reads at `path`: in a mapping that repeats a key, the last one (yaml.v2 keeps the last value). */
function lastNodeAt(node: unknown, path: (string | number)[]): Node | null | undefined {
  let at = node;
  for (const key of path) {
    if (typeof key === 'number') at = isSeq(at) ? at.items[key] : undefined;
    else at = isMap(at) ? at.items.findLast((pair) => isScalar(pair.key) && String(pair.key.value) === key)?.value : undefined;
    if (at === undefined || at === null) return at;
  }
  return at as Node;
}

function render(value: string, type: Scalar.Type | undefined): string {
  if (type === Scalar.QUOTE_SINGLE) return `'${value.replace(/'/g, "''")}'`;
  if (type === Scalar.QUOTE_DOUBLE) return JSON.stringify(value);
  // Plain only when YAML reads it back as the same string (`1.16` would become a number).
  return /^[\w.+\-^~=<>*| ]+$/.test(value) && value.trim() === value && readsBack(value) ? value : JSON.stringify(value);
}

/** Whether YAML 1.2 and helm's YAML 1.1 (yaml.v2: `on` and `y` are booleans, `1_000` a number) both read `value` as that text. */
function readsBack(value: string): boolean {
  try {
    return parse(value) === value && parse(value, { version: '1.1' }) === value;
  } catch {
    return false;
  }
}
