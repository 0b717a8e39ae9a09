/**
 * YAML exactly as Go's gopkg.in/yaml.v2 (v2.4, the library under sigs.k8s.io/yaml) writes it, for the values a
 * JSON round trip can hold. helm writes the archive's Chart.yaml and Chart.lock with `yaml.Marshal` and signs the
 * bytes of `yaml.Marshal(chart.Metadata)`, so an archive or .prov body that is meant to equal helm's must reproduce
 * that emitter's choices: keys in its "natural" order, unindented block sequences,
 * which strings get plain / 'single' / "double" / |literal style, and folding of long scalars once a line has
 * passed 80 columns. The `yaml` package cannot express these (it folds before the width and quotes by other
 * rules), so the emitter's rules are restated here from the Go source; tests pin them with known outputs.
 */

export type GoYamlValue = string | number | boolean | null | GoYamlValue[] | { [key: string]: GoYamlValue };

/** Serialises like `yaml.Marshal` of the value after `json.Marshal` + `yaml.Unmarshal` (sigs.k8s.io/yaml). */
export function marshalGoYaml(value: GoYamlValue): string {
  const emitter = new Emitter();
  emitter.node(value, { simpleKey: false, mapping: false });
  emitter.writeIndent();
  return emitter.out;
}

const BEST_WIDTH = 80;
const BEST_INDENT = 2;

type Style = 'plain' | 'single' | 'double' | 'literal';
interface Context {
  simpleKey: boolean;
  /** The node is a mapping value: a block sequence there is not indented (yaml.v2's "indentless" sequence). */
  mapping: boolean;
}

class Emitter {
  out = '';
  private column = 0;
  private indent = -1;
  private readonly indents: number[] = [];
  private whitespace = true;
  private indention = true;

  node(value: GoYamlValue, ctx: Context): void {
    if (Array.isArray(value)) {
      if (value.length === 0) return this.emptyFlow('[', ']');
      return this.sequence(value, ctx);
    }
    if (value !== null && typeof value === 'object') {
      const keys = Object.keys(value);
      if (keys.length === 0) return this.emptyFlow('{', '}');
      return this.mapping(value, keys, ctx);
    }
    if (typeof value === 'string') return this.scalar(value, requestedStringStyle(value), ctx);
    if (typeof value === 'number') return this.scalar(formatNumber(value), 'plain', ctx);
    if (typeof value === 'boolean') return this.scalar(value ? 'true' : 'false', 'plain', ctx);
    return this.scalar('null', 'plain', ctx);
  }

  private emptyFlow(open: string, close: string): void {
    this.indicator(open, true, true, false);
    this.indicator(close, false, false, false);
  }

  private sequence(items: GoYamlValue[], ctx: Context): void {
    this.increaseIndent(false, ctx.mapping && !this.indention);
    for (const item of items) {
      this.writeIndent();
      this.indicator('-', true, false, true);
      this.node(item, { simpleKey: false, mapping: false });
    }
    this.popIndent();
  }

  private mapping(map: { [key: string]: GoYamlValue }, keys: string[], _ctx: Context): void {
    this.increaseIndent(false, false);
    for (const key of keys.sort(compareKeys)) {
      this.writeIndent();
      const simple = !analyze(chars(key)).multiline && Buffer.byteLength(key, 'utf8') <= 128;
      if (simple) {
        this.scalar(key, requestedStringStyle(key), { simpleKey: true, mapping: true });
        this.indicator(':', false, false, false);
      } else {
        this.indicator('?', true, false, true);
        this.scalar(key, requestedStringStyle(key), { simpleKey: false, mapping: true });
        this.writeIndent();
        this.indicator(':', true, false, true);
      }
      this.node(map[key] as GoYamlValue, { simpleKey: false, mapping: true });
    }
    this.popIndent();
  }

  private scalar(text: string, requested: Style, ctx: Context): void {
    const cps = chars(text);
    const a = analyze(cps);
    let style = requested;
    if (ctx.simpleKey && a.multiline) style = 'double';
    if (style === 'plain' && (!a.blockPlainAllowed || (cps.length === 0 && ctx.simpleKey))) style = 'single';
    if (style === 'single' && !a.singleQuotedAllowed) style = 'double';
    if (style === 'literal' && (!a.blockAllowed || ctx.simpleKey)) style = 'double';

    this.increaseIndent(true, false);
    const allowBreaks = !ctx.simpleKey;
    if (style === 'plain') this.plain(cps, allowBreaks);
    else if (style === 'single') this.singleQuoted(cps, allowBreaks);
    else if (style === 'double') this.doubleQuoted(cps, allowBreaks);
    else this.literal(cps);
    this.popIndent();
  }

  private plain(cps: string[], allowBreaks: boolean): void {
    if (!this.whitespace) this.put(' ');
    let spaces = false;
    let breaks = false;
    for (let i = 0; i < cps.length; i++) {
      const c = cps[i] as string;
      if (c === ' ') {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && cps[i + 1] !== ' ') this.writeIndent();
        else this.write(c);
        spaces = true;
      } else if (isBreak(c)) {
        if (!breaks && c === '\n') this.putBreak();
        this.writeBreak(c);
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) this.writeIndent();
        this.write(c);
        this.indention = false;
        spaces = false;
        breaks = false;
      }
    }
    this.whitespace = false;
    this.indention = false;
  }

  private singleQuoted(cps: string[], allowBreaks: boolean): void {
    this.indicator("'", true, false, false);
    let spaces = false;
    let breaks = false;
    for (let i = 0; i < cps.length; i++) {
      const c = cps[i] as string;
      if (c === ' ') {
        const fold = allowBreaks && !spaces && this.column > BEST_WIDTH && i > 0 && i < cps.length - 1 && cps[i + 1] !== ' ';
        if (fold) this.writeIndent();
        else this.write(c);
        spaces = true;
      } else if (isBreak(c)) {
        if (!breaks && c === '\n') this.putBreak();
        this.writeBreak(c);
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) this.writeIndent();
        if (c === "'") this.put("'");
        this.write(c);
        this.indention = false;
        spaces = false;
        breaks = false;
      }
    }
    this.indicator("'", false, false, false);
    this.whitespace = false;
    this.indention = false;
  }

  private doubleQuoted(cps: string[], allowBreaks: boolean): void {
    this.indicator('"', true, false, false);
    // yaml.v2 tests for a BOM at the start of the value on every character, so such a value is escaped whole.
    const startsWithBom = cps[0] === '\uFEFF';
    let spaces = false;
    for (let i = 0; i < cps.length; i++) {
      const c = cps[i] as string;
      const cp = c.codePointAt(0) as number;
      if (!isPrintable(cp) || startsWithBom || isBreak(c) || c === '"' || c === '\\') {
        this.put(`\\${escape(cp)}`);
        spaces = false;
      } else if (c === ' ') {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && i > 0 && i < cps.length - 1) {
          this.writeIndent();
          if (cps[i + 1] === ' ') this.put('\\');
        } else {
          this.write(c);
        }
        spaces = true;
      } else {
        this.write(c);
        spaces = false;
      }
    }
    this.indicator('"', false, false, false);
    this.whitespace = false;
    this.indention = false;
  }

  private literal(cps: string[]): void {
    this.indicator('|', true, false, false);
    const first = cps[0] as string;
    if (first === ' ' || isBreak(first)) this.indicator(String(BEST_INDENT), false, false, false);
    const last = cps[cps.length - 1] as string;
    let chomp = '';
    if (!isBreak(last)) chomp = '-';
    else if (cps.length === 1 || isBreak(cps[cps.length - 2] as string)) chomp = '+';
    if (chomp) this.indicator(chomp, false, false, false);
    this.putBreak();
    this.indention = true;
    this.whitespace = true;
    let breaks = true;
    for (const c of cps) {
      if (isBreak(c)) {
        this.writeBreak(c);
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) this.writeIndent();
        this.write(c);
        this.indention = false;
        breaks = false;
      }
    }
  }

  private increaseIndent(flow: boolean, indentless: boolean): void {
    this.indents.push(this.indent);
    if (this.indent < 0) this.indent = flow ? BEST_INDENT : 0;
    else if (!indentless) this.indent += BEST_INDENT;
  }

  private popIndent(): void {
    this.indent = this.indents.pop() as number;
  }

  writeIndent(): void {
    const indent = Math.max(this.indent, 0);
    if (!this.indention || this.column > indent || (this.column === indent && !this.whitespace)) this.putBreak();
    while (this.column < indent) this.put(' ');
    this.whitespace = true;
    this.indention = true;
  }

  private indicator(text: string, needWhitespace: boolean, isWhitespace: boolean, isIndention: boolean): void {
    if (needWhitespace && !this.whitespace) this.put(' ');
    this.put(text);
    this.whitespace = isWhitespace;
    this.indention = this.indention && isIndention;
  }

  /** ASCII only: one column per character. */
  private put(text: string): void {
    this.out += text;
    this.column += text.length;
  }

  private putBreak(): void {
    this.out += '\n';
    this.column = 0;
  }

  /** One code point: one column, as yaml.v2 counts characters, not bytes. */
  private write(c: string): void {
    this.out += c;
    this.column++;
  }

  private writeBreak(c: string): void {
    if (c === '\n') return this.putBreak();
    this.write(c);
    this.column = 0;
  }
}

function chars(text: string): string[] {
  return Array.from(text);
}

function isBreak(c: string): boolean {
  return c === '\n' || c === '\r' || c === '\u0085' || c === '\u2028' || c === '\u2029';
}

function isBlank(c: string | undefined): boolean {
  return c === ' ' || c === '\t';
}

/** yaml.v2's is_printable, restated on code points: anything else forces double quotes with escapes. */
function isPrintable(cp: number): boolean {
  return (
    cp === 0x0a ||
    (cp >= 0x20 && cp <= 0x7e) ||
    (cp >= 0xa0 && cp <= 0xd7ff) ||
    (cp >= 0xe000 && cp <= 0xfffd && cp !== 0xfeff)
  );
}

const NAMED_ESCAPES: Record<number, string> = {
  0x00: '0', 0x07: 'a', 0x08: 'b', 0x09: 't', 0x0a: 'n', 0x0b: 'v', 0x0c: 'f', 0x0d: 'r', 0x1b: 'e',
  0x22: '"', 0x5c: '\\', 0x85: 'N', 0xa0: '_', 0x2028: 'L', 0x2029: 'P',
};

function escape(cp: number): string {
  const named = NAMED_ESCAPES[cp];
  if (named !== undefined) return named;
  const hex = cp.toString(16).toUpperCase();
  if (cp <= 0xff) return `x${hex.padStart(2, '0')}`;
  if (cp <= 0xffff) return `u${hex.padStart(4, '0')}`;
  return `U${hex.padStart(8, '0')}`;
}

interface Analysis {
  multiline: boolean;
  blockPlainAllowed: boolean;
  singleQuotedAllowed: boolean;
  blockAllowed: boolean;
}

/** yaml_emitter_analyze_scalar for block context (chartship never emits flow collections with content). */
function analyze(cps: string[]): Analysis {
  if (cps.length === 0) return { multiline: false, blockPlainAllowed: true, singleQuotedAllowed: true, blockAllowed: false };
  const text = cps.join('');
  let blockIndicators = text.startsWith('---') || text.startsWith('...');
  let lineBreaks = false;
  let special = false;
  let leadingSpace = false;
  let leadingBreak = false;
  let trailingSpace = false;
  let trailingBreak = false;
  let breakSpace = false;
  let spaceBreak = false;
  let precededByWhitespace = true;
  let previousSpace = false;
  let previousBreak = false;

  for (let i = 0; i < cps.length; i++) {
    const c = cps[i] as string;
    const followedByWhitespace = i + 1 >= cps.length || isBlank(cps[i + 1]);
    if (i === 0) {
      if ('#,[]{}&*!|>\'"%@`'.includes(c)) blockIndicators = true;
      else if ((c === '?' || c === ':' || c === '-') && followedByWhitespace) blockIndicators = true;
    } else if (c === ':' && followedByWhitespace) {
      blockIndicators = true;
    } else if (c === '#' && precededByWhitespace) {
      blockIndicators = true;
    }

    if (!isPrintable(c.codePointAt(0) as number)) special = true;
    if (c === ' ') {
      if (i === 0) leadingSpace = true;
      if (i === cps.length - 1) trailingSpace = true;
      if (previousBreak) breakSpace = true;
      previousSpace = true;
      previousBreak = false;
    } else if (isBreak(c)) {
      lineBreaks = true;
      if (i === 0) leadingBreak = true;
      if (i === cps.length - 1) trailingBreak = true;
      if (previousSpace) spaceBreak = true;
      previousSpace = false;
      previousBreak = true;
    } else {
      previousSpace = false;
      previousBreak = false;
    }
    precededByWhitespace = c === ' ' || c === '\t' || c === '\0' || isBreak(c);
  }

  let blockPlainAllowed = true;
  let singleQuotedAllowed = true;
  let blockAllowed = true;
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) blockPlainAllowed = false;
  if (trailingSpace) blockAllowed = false;
  if (breakSpace) {
    blockPlainAllowed = false;
    singleQuotedAllowed = false;
  }
  if (spaceBreak || special) {
    blockPlainAllowed = false;
    singleQuotedAllowed = false;
    blockAllowed = false;
  }
  if (lineBreaks || blockIndicators) blockPlainAllowed = false;
  return { multiline: lineBreaks, blockPlainAllowed, singleQuotedAllowed, blockAllowed };
}

/** encoder.stringv: literal for text with a newline, plain if it would read back as a string, else "quoted". */
function requestedStringStyle(text: string): Style {
  if (text.includes('\n')) return 'literal';
  return resolvesToString(text) && !isBase60Float(text) ? 'plain' : 'double';
}

/** yaml.v2's resolve table: plain texts with a fixed meaning. */
const RESOLVE_MAP = new Map<string, Resolved>([
  ...['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON'].map((t) => [t, { kind: 'bool', value: true }] as const),
  ...['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF'].map((t) => [t, { kind: 'bool', value: false }] as const),
  ...['', '~', 'null', 'Null', 'NULL'].map((t) => [t, { kind: 'null' }] as const),
  ...['.nan', '.NaN', '.NAN'].map((t) => [t, { kind: 'float', value: NaN }] as const),
  ...['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF'].map((t) => [t, { kind: 'float', value: Infinity }] as const),
  ...['-.inf', '-.Inf', '-.INF'].map((t) => [t, { kind: 'float', value: -Infinity }] as const),
]);

/** What yaml.v2 makes of a plain (unquoted, untagged) scalar. Timestamps stay text, as yaml.v2 keeps them. */
export type Resolved =
  | { kind: 'string'; value: string }
  | { kind: 'null' }
  | { kind: 'bool'; value: boolean }
  | { kind: 'int'; value: bigint }
  | { kind: 'float'; value: number };

/** yaml.v2 resolve("", text) for a plain scalar. */
export function resolvePlain(text: string): Resolved {
  const first = text[0];
  let hint: 'S' | 'D' | 'M' | '.' | 'N' | undefined;
  if (first === undefined) hint = 'N';
  else if (first === '+' || first === '-') hint = 'S';
  else if (first >= '0' && first <= '9') hint = 'D';
  else if ('yYnNtTfFoO~'.includes(first)) hint = 'M';
  else if (first === '.') hint = '.';
  const string: Resolved = { kind: 'string', value: text };
  if (hint === undefined) return string;
  const fixed = RESOLVE_MAP.get(text);
  if (fixed) return fixed;
  if (hint === '.') {
    const value = Number(text.replaceAll('_', ''));
    return GO_DOT_FLOAT.test(text) && Number.isFinite(value) ? { kind: 'float', value } : string;
  }
  if (hint === 'D' || hint === 'S') {
    if (isTimestamp(text)) return string;
    const plain = text.replaceAll('_', '');
    const int = goIntValue(plain);
    if (int !== undefined) return { kind: 'int', value: int };
    if (YAML_STYLE_FLOAT.test(plain) && Number.isFinite(Number(plain))) return { kind: 'float', value: Number(plain) };
  }
  return string;
}

/** yaml.v2 resolve(""): would this text, written plain, read back as a string (not bool/null/number/time)? */
export function resolvesToString(text: string): boolean {
  return resolvePlain(text).kind === 'string' && !isTimestamp(text);
}

/** strconv.ParseFloat accepting a text that starts with '.': digits (Go allows `_` between them), optional exponent. */
const GO_DOT_FLOAT = /^\.\d(?:_?\d)*(?:[eE][+-]?\d(?:_?\d)*)?$/;
const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;

/** strconv.ParseInt(s, 0, 64), or ParseUint(s, 0, 64) when that fails: base prefixes, a leading 0 means octal. */
function goIntValue(text: string): bigint | undefined {
  const match = /^([+-]?)(0[xX][0-9a-fA-F]+|0[bB][01]+|0[oO][0-7]+|0[0-7]*|[1-9][0-9]*)$/.exec(text);
  if (!match) return undefined;
  const [, sign, digits = ''] = match;
  const prefixed = /^0[xXbBoO]/.test(digits);
  const octal = !prefixed && digits.length > 1 && digits.startsWith('0');
  const value = prefixed ? BigInt(digits.toLowerCase()) : octal ? BigInt(`0o${digits.slice(1)}`) : BigInt(digits);
  if (sign === '-') return value <= 2n ** 63n ? -value : undefined;
  if (sign === '+') return value < 2n ** 63n ? value : undefined;
  return value < 2n ** 64n ? value : undefined;
}

/** The formats yaml.v2 tries with time.Parse, after its "YYYY-" quick check; Go validates month/day ranges. */
function isTimestamp(text: string): boolean {
  const match =
    /^(\d{4})-(\d{1,2})-(\d{1,2})(?:(?:[Tt](\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2}))|(?: (\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.\d+)?))?$/.exec(
      text,
    );
  if (!match) return false;
  const [, y, mo, d, h1, mi1, s1, h2, mi2, s2] = match;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1) return false;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day > daysInMonth) return false;
  const hour = h1 ?? h2;
  if (hour !== undefined) {
    if (Number(hour) > 23 || Number(mi1 ?? mi2) > 59 || Number(s1 ?? s2) > 59) return false;
  }
  return true;
}

const BASE60_FLOAT = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;

function isBase60Float(text: string): boolean {
  const first = text[0];
  if (first === undefined || !(first === '+' || first === '-' || (first >= '0' && first <= '9')) || !text.includes(':')) return false;
  return BASE60_FLOAT.test(text);
}

/**
 * A number as it reads back after Go's json.Marshal(float64) and yaml.v2: an integer is written as its shortest
 * digits padded with zeros (12345678901234567890 as 12345678901234567000, not the float's exact 12345678901234567168),
 * which yaml.v2 reads back as an integer when that text fits int64 or uint64; everything else is
 * strconv.FormatFloat(f, 'g', -1, 64) (exponent form below 1e-4 and from 1e6 up).
 */
export function formatNumber(value: number): string {
  if (Number.isNaN(value)) return '.nan';
  if (value === Infinity) return '.inf';
  if (value === -Infinity) return '-.inf';
  // JavaScript writes an integer below 1e21 as Go's 'f' format does: shortest digits, then zeros.
  const digits = Number.isInteger(value) && Math.abs(value) < 1e21 ? String(value) : undefined;
  if (digits !== undefined && BigInt(digits) >= -(2n ** 63n) && BigInt(digits) < 2n ** 64n) return digits;
  const [mantissa = '', exponentText = '0'] = value.toExponential().split('e');
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= 6) {
    return `${mantissa}e${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  return String(value);
}

/** yaml.v2's keyList.Less: letters after other characters, digit runs compared as numbers. */
export function compareKeys(a: string, b: string): number {
  if (a === b) return 0;
  return keyLess(a, b) ? -1 : keyLess(b, a) ? 1 : a < b ? -1 : 1;
}

const LETTER = /^\p{L}$/u;
const DIGIT = /^\p{Nd}$/u;

function keyLess(a: string, b: string): boolean {
  const ar = chars(a);
  const br = chars(b);
  for (let i = 0; i < ar.length && i < br.length; i++) {
    const ac = ar[i] as string;
    const bc = br[i] as string;
    if (ac === bc) continue;
    const al = LETTER.test(ac);
    const bl = LETTER.test(bc);
    if (al && bl) return (ac.codePointAt(0) as number) < (bc.codePointAt(0) as number);
    if (al || bl) return bl;
    let an = 0n;
    let bn = 0n;
    if (ac === '0' || bc === '0') {
      for (let j = i - 1; j >= 0 && DIGIT.test(ar[j] as string); j--) {
        if (ar[j] !== '0') {
          an = 1n;
          bn = 1n;
          break;
        }
      }
    }
    let ai = i;
    let bi = i;
    for (; ai < ar.length && DIGIT.test(ar[ai] as string); ai++) an = BigInt.asIntN(64, an * 10n + BigInt((ar[ai] as string).codePointAt(0) as number) - 48n);
    for (; bi < br.length && DIGIT.test(br[bi] as string); bi++) bn = BigInt.asIntN(64, bn * 10n + BigInt((br[bi] as string).codePointAt(0) as number) - 48n);
    if (an !== bn) return an < bn;
    if (ai !== bi) return ai < bi;
    return (ac.codePointAt(0) as number) < (bc.codePointAt(0) as number);
  }
  return ar.length < br.length;
}

/**
 * strconv.FormatFloat(f, 'g', -1, 32): how sigs.k8s.io/yaml turns a YAML float into text for a string field (helm
 * reads `appVersion: 1.10` as "1.1"). The value is rounded to float32 first; the shortest decimal that reads back as
 * that float32 is written, in exponent form below 1e-4 and from 1e6 up.
 */
export function formatFloat32(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  const f = Math.fround(value);
  if (f === Infinity) return '+Inf';
  if (f === -Infinity) return '-Inf';
  if (f === 0) return Object.is(f, -0) ? '-0' : '0';
  let shortest = f.toPrecision(9);
  for (let precision = 1; precision <= 9; precision++) {
    const candidate = f.toPrecision(precision);
    if (Math.fround(Number(candidate)) === f) {
      shortest = candidate;
      break;
    }
  }
  const [mantissa = '', exponentText] = Number(shortest).toExponential().split('e');
  const exponent = Number(exponentText);
  const digits = mantissa.replace('-', '').replace('.', '');
  const sign = f < 0 ? '-' : '';
  if (exponent < -4 || exponent >= 6) {
    const body = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${body}e${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  return `${sign}${Math.abs(Number(shortest)).toFixed(Math.max(digits.length - 1 - exponent, 0))}`;
}
