/**
 * JSON text byte-for-byte as Go's encoding/json writes it, because digests of what helm pushes depend on it.
 * Plain objects stand for Go structs (their key order is kept, `undefined` fields are omitted); wrap Go maps in
 * `GoMap`, whose keys Go sorts bytewise.
 */
export class GoMap {
  constructor(readonly entries: Readonly<Record<string, unknown>>) {}
}

/**
 * Go escapes `<`, `>`, `&`, U+2028, U+2029 and control characters as `\u00XX`, except \n \r \t and (since Go 1.22,
 * which builds every helm that writes `created` from the archive) \b \f.
 */
export function goString(text: string): string {
  let out = '"';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (code < 0x20 || ch === '<' || ch === '>' || ch === '&' || code === 0x2028 || code === 0x2029) {
      out += `\\u${code.toString(16).padStart(4, '0')}`;
    } else out += ch;
  }
  return `${out}"`;
}

export function goJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return goString(value);
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (Array.isArray(value)) return `[${value.map(goJson).join(',')}]`;
  if (value instanceof GoMap) {
    const keys = Object.keys(value.entries).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    return `{${keys.map((k) => `${goString(k)}:${goJson(value.entries[k])}`).join(',')}}`;
  }
  if (typeof value === 'object') {
    const parts = Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => `${goString(k)}:${goJson(v)}`);
    return `{${parts.join(',')}}`;
  }
  return 'null';
}
