/**
 * Markdown building blocks for text we do not control: chart names, versions, commit subjects and error messages
 * come from contributors, so they must not be able to inject HTML (a fake sticky marker, `<details>`), break a
 * table row with `|`, or escape a code span with backticks.
 */

/** GitHub rejects issue/PR comment bodies longer than this many characters. */
export const COMMENT_LIMIT = 65_536;
/** GitHub's limit for release bodies. */
export const RELEASE_LIMIT = 125_000;
/**
 * The runner uploads no job summary over 1 MiB of UTF-8 a step (it shows an error annotation instead, and the whole
 * summary is lost): this leaves room for what else a step might add.
 */
export const SUMMARY_LIMIT = 1_000_000;

/** A single field never needs more than this; longer values (multi-KiB stack traces) are clipped. */
export const FIELD_LIMIT = 1_000;

const HTML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => HTML_ENTITIES[ch] ?? ch);
}

/** Control characters and line breaks collapse to single spaces: every untrusted value is shown on one line. */
export function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ').replace(/ {2,}/g, ' ').trim();
}

/** Shortens to `max` UTF-16 units without splitting a surrogate pair, marking the cut with `…`. */
export function clip(text: string, max = FIELD_LIMIT): string {
  if (text.length <= max) return text;
  let end = Math.max(0, max - 1);
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}…`;
}

/**
 * Untrusted text as inline markdown, safe inside a table cell: HTML is entity-escaped and the characters that
 * start emphasis, links, code or cells are backslash-escaped. An `@` that GitHub would read as a mention (a commit
 * subject's `bump @types/node`, `@org/team`) gets a zero-width space after it: GitHub links and notifies a mention
 * whatever backslash precedes it, in comments and release notes alike.
 */
export function inline(text: string, max = FIELD_LIMIT): string {
  return escapeInline(clip(oneLine(text), max));
}

function escapeInline(text: string): string {
  return text.replace(/[\\`*_[\]~|<>&]/g, (ch) => HTML_ENTITIES[ch] ?? `\\${ch}`).replace(/(^|[^A-Za-z0-9_])@(?=[A-Za-z0-9])/g, '$1@&#8203;');
}

/**
 * chartship's own sentences (a policy finding, why a rule was not checked, why a chart is invalid) mark commands and
 * files as `code`: each such span becomes a code span and the rest is escaped as inline() does, where inline() would
 * show the backticks themselves. A value quoted into the sentence stays as safe either way: a lone backtick is
 * escaped, a pair makes a code span, which shows its text literally. `cell`: the spans go in a table (tableCode).
 */
export function prose(text: string, max = FIELD_LIMIT, cell = false): string {
  const span = cell ? tableCode : code;
  return clip(oneLine(text), max)
    .split(/(`[^`]+`)/)
    .map((part, i) => (i % 2 === 1 ? span(part.slice(1, -1)) : escapeInline(part)))
    .join('');
}

/**
 * A code span that shows `text` literally, whatever backticks it contains (CommonMark: the fence must be longer
 * than any backtick run inside, padded when the content touches a backtick).
 */
export function code(text: string, max = FIELD_LIMIT): string {
  const content = clip(oneLine(text), max);
  const longestRun = Math.max(0, ...(content.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longestRun + 1);
  const pad = content.startsWith('`') || content.endsWith('`') || (content.startsWith(' ') && content.endsWith(' ')) ? ' ' : '';
  return `${fence}${pad}${content}${pad}${fence}`;
}

/**
 * A code span inside a GFM table. Tables split rows on unescaped pipes before inline parsing, so a pipe in a code
 * span must be written `\|` there (and only there: elsewhere the backslash would show).
 */
export function tableCode(text: string, max = FIELD_LIMIT): string {
  return code(text, max).replace(/\|/g, '\\|');
}

export function table(header: string[], rows: string[][]): string[] {
  return [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((row) => `| ${row.map((cell) => (cell === '' ? ' ' : cell)).join(' | ')} |`),
  ];
}

/** Quotes a shell word unless it is made only of characters no shell treats specially. */
export function shellWord(word: string): string {
  return /^[A-Za-z0-9@%+=:,./_-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** How many of the named rows (a table's first cell, `tableCode(name)`) a cut text lacks. */
export function rowsLeftOut(kept: string, names: string[]): number {
  return names.filter((name) => !kept.includes(`| ${tableCode(name, 200)} |`)).length;
}

/** A body's size as GitHub counts it: characters (UTF-16 units, never fewer) for comments and releases. */
const characters = (text: string): number => text.length;

/** A job summary's size as the runner counts it: bytes of UTF-8. */
export const utf8Bytes = (text: string): number => Buffer.byteLength(text, 'utf8');

/**
 * Cuts `body` to at most `limit` (as `measure` counts) on a line boundary, closes the code fences and `<details>`
 * blocks the cut left open (so the rest of the page still renders), and appends the note, which may say what the
 * kept text lacks: it is given that text (and, for the room it needs, the empty text).
 */
export function fitBody(body: string, limit: number, note: string | ((kept: string) => string), measure = characters): string {
  if (measure(body) <= limit) return body;
  const noteOf = typeof note === 'string' ? () => note : note;
  // Room for the closing lines and the note, whatever was open at the cut.
  const budget = limit - measure(noteOf('')) - 64;
  const kept: string[] = [];
  let used = 0;
  let fenceOpen = false;
  let detailsDepth = 0;
  for (const line of body.split('\n')) {
    if (used + measure(line) + 1 > budget) {
      // A UTF-16 unit is at most 3 bytes of UTF-8.
      if (kept.length === 0) kept.push(clip(line, Math.max(0, Math.floor((budget - 1) / (measure === characters ? 1 : 3)))));
      break;
    }
    kept.push(line);
    used += measure(line) + 1;
    if (/^\s*(```|~~~)/.test(line)) fenceOpen = !fenceOpen;
    if (!fenceOpen) detailsDepth += (line.match(/<details[\s>]/g) ?? []).length - (line.match(/<\/details>/g) ?? []).length;
  }
  const closing: string[] = [];
  if (fenceOpen) closing.push('```');
  for (let i = 0; i < detailsDepth; i++) closing.push('', '</details>');
  return [...kept, ...closing, '', noteOf(kept.join('\n'))].join('\n');
}
