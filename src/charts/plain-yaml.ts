import { addEntry, plainScalar, type GoEntry, type GoNode, type GoYamlDocument, type Position } from './go-nodes.js';

/**
 * The fast path of readGoYaml: YAML made only of block mappings and sequences whose scalars are plain or
 * single-quoted (on their line, or folded over the lines below as helm's writer folds long ones), double-quoted on
 * their line without escapes, an empty `{}` or `[]`, or a literal block (`|` or `|-`, as index.yaml files carry
 * their `images` annotations), as nearly every Chart.yaml and index.yaml and many values.yaml files are,
 * read line by line without the `yaml` package's full parser: 10,000 charts are read in a fraction of the time.
 * Anything else (other flow collections, other block scalars, anchors, tags, merges, escapes, scalars folded around
 * blank or comment lines, comments after a value, tabs, CR, characters outside the plain ranges, more than one
 * document, odd indentation) returns undefined and goes to the full parser, whose reading this path must equal node
 * for node, position for position (test/charts/plain-yaml.test.ts compares both, on the fixtures and on generated
 * text).
 */
export function readPlainYaml(text: string, file: string): GoYamlDocument | undefined {
  const lines = contentLines(text);
  if (lines === undefined) return undefined;
  if (lines.length === 0) return { root: undefined, duplicates: [], convertedKeys: [] };
  try {
    const reader = new Reader(text, lines);
    const root = reader.block(lines[0]!.indent, 0);
    if (reader.next < lines.length) return undefined;
    const document: GoYamlDocument = { root: undefined, duplicates: [], convertedKeys: [] };
    document.root = toGoNode(root, document, file);
    return document;
  } catch (error) {
    if (error === NOT_PLAIN) return undefined;
    throw error;
  }
}

/** Thrown (one instance: no stack is taken each time) wherever the text leaves the plain subset. */
class NotPlain extends Error {}
const NOT_PLAIN = new NotPlain('not plain block YAML');
const notPlain = (): never => {
  throw NOT_PLAIN;
};

interface Line {
  /** Column of the line's content (for the first key of `- key: value`, that key's column). */
  indent: number;
  /** Offsets in the text: line start, content start, end of the content without trailing spaces, end of line. */
  lineStart: number;
  start: number;
  end: number;
  lineEnd: number;
  /** 1-based. */
  number: number;
}

type Syntax =
  | { kind: 'scalar'; text: string; quoted: boolean; line: Line; offset: number }
  | { kind: 'empty'; line: Line; offset: number }
  | { kind: 'map'; line: Line; offset: number; pairs: { key: string; keyOffset: number; keyLine: Line; value: Syntax }[] }
  | { kind: 'seq'; line: Line; offset: number; items: Syntax[] };

const SPACE = 0x20;
const HASH = 0x23;
const DASH = 0x2d;
const COLON = 0x3a;
/** A plain scalar may not start with one of these (YAML's indicators); `-`, `?` and `:` could start one, but rarely do. */
const INDICATORS = new Set('-?:,[]{}#&*!|>\'"%@`');
const KEY = /^[A-Za-z0-9_][A-Za-z0-9_./-]*$/;
const MAX_DEPTH = 100;

/** The lines that hold content (not blank, not a comment), or undefined when a character or line is not for this path. */
function contentLines(text: string): Line[] | undefined {
  const lines: Line[] = [];
  let lineStart = 0;
  let number = 1;
  while (lineStart < text.length) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd === -1) lineEnd = text.length;
    let start = -1;
    let end = lineStart;
    for (let i = lineStart; i < lineEnd; i++) {
      const c = text.charCodeAt(i);
      // Printable ASCII and the BMP's ordinary characters; tabs, CR, C1 controls, line separators, BOMs and surrogates
      // all have rules of their own.
      if (c < SPACE || c === 0x7f || (c >= 0x80 && c < 0xa0) || c === 0x2028 || c === 0x2029 || (c >= 0xd800 && c <= 0xdfff) || c >= 0xfeff) return undefined;
      if (c !== SPACE) {
        if (start === -1) start = i;
        end = i + 1;
      }
    }
    if (start !== -1 && text.charCodeAt(start) !== HASH) {
      // Document markers and directives.
      if (start === lineStart && (text.startsWith('---', start) || text.startsWith('...', start) || text.charCodeAt(start) === 0x25)) return undefined;
      lines.push({ indent: start - lineStart, lineStart, start, end, lineEnd, number });
    }
    lineStart = lineEnd + 1;
    number++;
  }
  return lines;
}

class Reader {
  next = 0;

  constructor(
    private readonly text: string,
    private readonly lines: Line[],
  ) {}

  /** The block starting at the next line, whose lines are at column `indent`. */
  block(indent: number, depth: number): Syntax {
    if (depth > MAX_DEPTH) notPlain();
    return this.isDash(this.lines[this.next]!) ? this.sequence(indent, depth) : this.mapping(indent, depth);
  }

  private isDash(line: Line): boolean {
    return this.text.charCodeAt(line.start) === DASH && (line.start + 1 === line.end || this.text.charCodeAt(line.start + 1) === SPACE);
  }

  private sequence(indent: number, depth: number): Syntax {
    const first = this.lines[this.next]!;
    const node: Syntax = { kind: 'seq', line: first, offset: first.start, items: [] };
    for (let line = this.lines[this.next]; line && line.indent === indent && this.isDash(line); line = this.lines[this.next]) {
      let at = line.start + 1;
      while (at < line.end && this.text.charCodeAt(at) === SPACE) at++;
      if (at === line.end) {
        // `-` alone: an empty item, unless its content follows on deeper lines (left to the full parser).
        this.next++;
        this.endOfValue(indent);
        node.items.push({ kind: 'empty', line, offset: line.lineEnd });
      } else if (this.keyAt(line, at) !== undefined) {
        // `- key: value`: a mapping whose keys line up with this first one.
        this.lines[this.next] = { ...line, indent: at - line.lineStart, start: at };
        node.items.push(this.mapping(at - line.lineStart, depth + 1));
      } else {
        this.next++;
        node.items.push(this.scalar(line, at, indent));
        this.endOfValue(indent);
      }
    }
    return node;
  }

  private mapping(indent: number, depth: number): Syntax {
    const first = this.lines[this.next]!;
    const node: Syntax & { kind: 'map' } = { kind: 'map', line: first, offset: first.start, pairs: [] };
    for (let line = this.lines[this.next]; line && line.indent === indent; line = this.lines[this.next]) {
      const colon = this.keyAt(line, line.start) ?? notPlain();
      const key = this.text.slice(line.start, colon);
      this.next++;
      let at = colon + 1;
      while (at < line.end && this.text.charCodeAt(at) === SPACE) at++;
      let value: Syntax;
      const below = this.lines[this.next];
      if (at < line.end) {
        value = this.scalar(line, at, indent);
        this.endOfValue(indent);
      } else if (below && below.indent > indent) {
        value = this.block(below.indent, depth + 1);
        this.endOfValue(indent);
      } else if (below && below.indent === indent && this.isDash(below)) {
        // A sequence under a key may sit at the key's own column.
        value = this.sequence(indent, depth + 1);
      } else {
        value = { kind: 'empty', line, offset: line.lineEnd };
      }
      node.pairs.push({ key, keyOffset: line.start, keyLine: line, value });
    }
    return node;
  }

  /** After a value, the next line must go back to `indent` or further out: a deeper one continues it (not plain). */
  private endOfValue(indent: number): void {
    const line = this.lines[this.next];
    if (line && line.indent > indent) notPlain();
  }

  /** The offset of the `:` of a simple key starting at `at`, when the line holds `key:` or `key: …` there. */
  private keyAt(line: Line, at: number): number | undefined {
    const colon = this.text.indexOf(':', at);
    if (colon === -1 || colon >= line.end) return undefined;
    if (colon + 1 < line.end && this.text.charCodeAt(colon + 1) !== SPACE) return undefined;
    return KEY.test(this.text.slice(at, colon)) ? colon : undefined;
  }

  /**
   * A scalar from `at` to the end of its line, an empty `{}` or `[]` (values.yaml writes them for "none yet"), or a
   * literal block whose lines are deeper than `indent`.
   */
  private scalar(line: Line, at: number, indent: number): Syntax {
    const text = this.text.slice(at, line.end);
    if (text === '|' || text === '|-') return this.literal(line, at, indent, text === '|-');
    if (text === '{}') return { kind: 'map', line, offset: at, pairs: [] };
    if (text === '[]') return { kind: 'seq', line, offset: at, items: [] };
    const quote = text[0];
    if (quote === "'") return this.singleQuoted(line, at, indent);
    if (quote === '"') {
      const inner = text.slice(1, -1);
      if (text.length < 2 || text[text.length - 1] !== quote || inner.includes(quote) || inner.includes('\\')) notPlain();
      return { kind: 'scalar', text: inner, quoted: true, line, offset: at };
    }
    let folded = plainText(text);
    // helm's writer folds a long scalar past column 80: its next lines are deeper, and each break reads as a space.
    for (let next = this.continuation(indent); next; next = this.continuation(indent)) folded += ` ${plainText(this.text.slice(next.start, next.end))}`;
    return { kind: 'scalar', text: folded, quoted: false, line, offset: at };
  }

  /** `'…'` over one line or folded over several, `''` read as `'`. */
  private singleQuoted(line: Line, at: number, indent: number): Syntax {
    let text = this.text.slice(at, line.end);
    for (let close = closingQuote(text); close !== text.length - 1; close = closingQuote(text)) {
      const next = close === -1 ? this.continuation(indent) : undefined;
      if (!next) return notPlain();
      text += ` ${this.text.slice(next.start, next.end)}`;
    }
    return { kind: 'scalar', text: text.slice(1, -1).replaceAll("''", "'"), quoted: true, line, offset: at };
  }

  /** The next line, when it continues the scalar before it: right below it (no blank or comment line between), deeper than `indent`. */
  private continuation(indent: number): Line | undefined {
    const next = this.lines[this.next];
    if (!next || next.indent <= indent || next.number !== this.lines[this.next - 1]!.number + 1) return undefined;
    this.next++;
    return next;
  }

  /**
   * `|` or `|-` and the lines below it, indented as deep as the first (which is deeper than `indent`), empty lines
   * between them kept; clipped to one final line break, or stripped of it. A block that starts with an empty line,
   * holds a line of spaces alone, or reaches the end of the text without a line break is left to the full parser.
   */
  private literal(line: Line, at: number, indent: number, strip: boolean): Syntax {
    const text = this.text;
    const content: string[] = [];
    let empty = 0;
    let depth = -1;
    let lineStart = line.lineEnd + 1;
    while (lineStart < text.length) {
      const lineEnd = text.indexOf('\n', lineStart);
      if (lineEnd === -1) notPlain();
      let column = 0;
      while (text.charCodeAt(lineStart + column) === SPACE) column++;
      if (lineStart + column === lineEnd) {
        if (column > 0 || depth === -1) notPlain();
        empty++;
      } else if (depth === -1) {
        if (column <= indent) notPlain();
        depth = column;
      } else if (column < depth) break;
      if (lineStart + column < lineEnd) {
        for (; empty > 0; empty--) content.push('');
        content.push(text.slice(lineStart + depth, lineEnd));
      }
      lineStart = lineEnd + 1;
    }
    if (depth === -1) notPlain();
    // The lines the block took are no mappings' or sequences' lines.
    while (this.next < this.lines.length && this.lines[this.next]!.lineStart < lineStart) this.next++;
    return { kind: 'scalar', text: content.join('\n') + (strip ? '' : '\n'), quoted: true, line, offset: at };
  }
}

/** `text` when it is a plain scalar's whole line (or a folded line of one) this path reads. */
function plainText(text: string): string {
  if (INDICATORS.has(text[0]!) || text.includes(': ') || text.includes(' #') || text.charCodeAt(text.length - 1) === COLON) notPlain();
  return text;
}

/** The offset of the `'` that closes the single-quoted scalar `text` starts, or -1 when it goes on. */
function closingQuote(text: string): number {
  for (let i = text.indexOf("'", 1); i !== -1; i = text.indexOf("'", i + 2)) if (text[i + 1] !== "'") return i;
  return -1;
}

/** The same nodes, in the same order (a value before its key), as go-decode.ts makes from the `yaml` package's tree. */
function toGoNode(node: Syntax, document: GoYamlDocument, file: string): GoNode {
  const at = (line: Line, offset: number): Position => ({ file, line: line.number, column: offset - line.lineStart + 1 });
  switch (node.kind) {
    case 'empty':
      return { kind: 'null', at: at(node.line, node.offset) };
    case 'scalar':
      return node.quoted ? { kind: 'string', value: node.text, at: at(node.line, node.offset) } : plainScalar(node.text, at(node.line, node.offset));
    case 'seq':
      return { kind: 'seq', items: node.items.map((item) => toGoNode(item, document, file)), at: at(node.line, node.offset) };
    case 'map': {
      const entries = new Map<string, GoEntry>();
      for (const pair of node.pairs) {
        const value = toGoNode(pair.value, document, file);
        // `<<` is a merge and `null`/`~` cannot be keys: the full parser says how.
        if (pair.key === '<<' || !addEntry(document, entries, plainScalar(pair.key, at(pair.keyLine, pair.keyOffset)), value)) notPlain();
      }
      return { kind: 'map', entries, at: at(node.line, node.offset) };
    }
  }
}
