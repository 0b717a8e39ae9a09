import { isScalar, parse, parseDocument, Scalar } from 'yaml';

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
  const document = parseDocument(body, { keepSourceTokens: false });
  // Edits that depend on what the file says are worked out from this one reading of it.
  if (typeof wanted === 'function' && document.errors[0]) throw document.errors[0];
  const edits = typeof wanted === 'function' ? wanted(document.toJS()) : wanted;
  const splices: Splice[] = [];

  const replace = (path: (string | number)[], value: string): boolean => {
    const node = document.getIn(path, true);
    if (node === undefined || node === null) return false;
    if (!isScalar(node) || !node.range) throw new Error(`${path.join('.')} is not a plain value`);
    if (String(node.value) === value) return true;
    splices.push({ start: node.range[0], end: node.range[1], text: render(value, node.type) });
    return true;
  };

  if (edits.version !== undefined) replace(['version'], edits.version);
  if (edits.appVersion !== undefined && !replace(['appVersion'], edits.appVersion)) {
    // No appVersion yet: add it on the line after `version`, indented like it.
    const version = document.getIn(['version'], true) as Scalar;
    const range = version.range ?? [body.length, body.length, body.length];
    const lineStart = body.lastIndexOf('\n', range[0]) + 1;
    const indent = /^[ \t]*/.exec(body.slice(lineStart))?.[0] ?? '';
    const lineEnd = body.indexOf('\n', range[1]);
    const at = lineEnd === -1 ? body.length : lineEnd;
    splices.push({ start: at, end: at, text: `\n${indent}appVersion: ${render(edits.appVersion, Scalar.PLAIN)}` });
  }
  for (const dep of edits.dependencies ?? []) {
    if (!replace(['dependencies', dep.index, 'version'], dep.version)) {
      throw new Error(`dependencies[${dep.index}] has no version to raise`);
    }
  }

  let out = body;
  for (const s of splices.sort((a, b) => b.start - a.start)) out = out.slice(0, s.start) + s.text + out.slice(s.end);
  return bom + out;
}

function render(value: string, type: Scalar.Type | undefined): string {
  if (type === Scalar.QUOTE_SINGLE) return `'${value.replace(/'/g, "''")}'`;
  if (type === Scalar.QUOTE_DOUBLE) return JSON.stringify(value);
  // Plain only when YAML reads it back as the same string (`1.16` would become a number).
  return /^[\w.+\-^~=<>*| ]+$/.test(value) && value.trim() === value && readsBack(value) ? value : JSON.stringify(value);
}

function readsBack(value: string): boolean {
  try {
    return parse(value) === value;
  } catch {
    return false;
  }
}
