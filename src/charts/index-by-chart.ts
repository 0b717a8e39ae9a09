import { readGoYaml, type GoNode, type GoYamlDocument } from './go-decode.js';
import { setEntry, type GoEntry } from './go-nodes.js';
import { readPlainYaml } from './plain-yaml.js';

/**
 * index.yaml read chart by chart, for decoding: a public index is tens of megabytes, and one scalar the fast path of
 * readGoYaml declines (an escape, an emoji) would send the whole file through the `yaml` package's full parser, ten
 * times slower. Laid out as helm writes it (`entries:` at column 0, each chart's name a key at one deeper column),
 * each chart's block is read on its own, by the fast path or, for that block alone, the full parser, and the rest of
 * the file around them; the blocks' mappings are put together as the one `entries` mapping the whole reading makes
 * (a chart named twice: the last counts). A block read alone reads as it does in the file: it is a mapping of its own
 * at that column, and nothing in YAML reaches across it but what is looked for here first (document markers,
 * directives, CR, an alias) or fails to read alone (a quote or bracket left open).
 *
 * undefined whenever the file is laid out otherwise or any part fails to read: the caller then reads the whole file,
 * whose reading (its error, with the file's line) is the answer; so does a key given twice, which helm refuses.
 * Positions in the result are the parts' own, not the file's: it is for decoding, which reports no position unless
 * it fails, and a failure is read again whole.
 */
export function readIndexRoot(text: string, file: string, code: string): GoNode | undefined {
  if (/^(?:---|\.\.\.|%|\uFEFF)/.test(text) || text.includes('\n---') || text.includes('\n...') || text.includes('\n%') || text.includes('\r')) return undefined;
  const at = text.startsWith('entries:') ? 0 : text.indexOf('\nentries:') + 1;
  if (at === 0 && !text.startsWith('entries:')) return undefined;
  if (text.indexOf('\nentries:', at) !== -1) return undefined;
  const blocks = chartBlocks(text, at);
  if (!blocks) return undefined;
  try {
    const entries = new Map<string, GoEntry>();
    const document: GoYamlDocument = { root: undefined, duplicates: [], convertedKeys: [] };
    for (let i = 0; i < blocks.starts.length; i++) {
      const piece = text.slice(blocks.starts[i], blocks.starts[i + 1] ?? blocks.end);
      // Read alone, an alias of another block's anchor would read as null, not fail.
      const part = readPlainYaml(piece, file) ?? (piece.includes('*') ? undefined : readGoYaml(piece, file, code));
      if (!part) return undefined;
      if (part.root?.kind !== 'map' || part.root.entries.size !== 1 || part.duplicates.length > 0) return undefined;
      for (const [name, entry] of part.root.entries) setEntry(document, entries, name, entry);
    }
    const rest = readGoYaml(text.slice(0, blocks.start) + text.slice(blocks.end), file, code);
    const slot = rest.root?.kind === 'map' ? rest.root.entries.get('entries') : undefined;
    // A key given twice is refused with the file's line: the whole reading finds it there.
    if (!slot || slot.value.kind !== 'null' || rest.duplicates.length > 0 || document.duplicates.length > 0) return undefined;
    slot.value = { kind: 'map', entries, at: slot.value.at };
    return rest.root;
  } catch {
    return undefined;
  }
}

/** A chart's name at the block's column, then `:` and a space or the line's end. */
const NAME_LINE = /[A-Za-z0-9_][A-Za-z0-9_.-]*:(?: |\n|$)/y;

/**
 * The region under the `entries:` line at `at` (from the line after it to the first line at column 0) and where each
 * chart's block in it starts; undefined unless that line is `entries:` alone and every line of the region at its
 * first content line's column (deeper than 0) starts a block with a chart's name or goes on with one (`- `).
 */
function chartBlocks(text: string, at: number): { start: number; end: number; starts: number[] } | undefined {
  const header = text.indexOf('\n', at);
  if (header === -1 || text.slice(at + 'entries:'.length, header).trim() !== '') return undefined;
  const start = header + 1;
  const starts: number[] = [];
  let column = -1;
  let lineStart = start;
  for (; lineStart < text.length; ) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd === -1) lineEnd = text.length;
    let indent = 0;
    while (text.charCodeAt(lineStart + indent) === 0x20) indent++;
    const first = lineStart + indent;
    // Blank and comment lines belong to whichever block they sit in.
    if (first < lineEnd && text.charCodeAt(first) !== 0x23) {
      if (indent === 0) break;
      if (column === -1) column = indent;
      if (indent < column) return undefined;
      // helm writes a chart's list of versions at its name's column: `- ` there goes on with the block.
      const item = text.charCodeAt(first) === 0x2d && (first + 1 === lineEnd || text.charCodeAt(first + 1) === 0x20);
      if (indent === column && item && starts.length === 0) return undefined;
      if (indent === column && !item) {
        NAME_LINE.lastIndex = first;
        if (!NAME_LINE.test(text)) return undefined;
        starts.push(lineStart);
      }
    }
    lineStart = lineEnd + 1;
  }
  if (starts.length === 0) return undefined;
  return { start, end: Math.min(lineStart, text.length), starts };
}
