import { ChartshipError } from '../model/errors.js';

/**
 * What yaml.v2's reader refuses before it parses a thing (readerc.go): bytes that are not UTF-8, and characters a
 * YAML 1.1 stream may not hold (C0 controls but tab, LF and CR; DEL; C1 controls but NEL; U+FFFE, U+FFFF), in
 * comments as anywhere else. helm 3 and 4 read Chart.yaml, requirements.yaml, the locks and values.yaml through it,
 * so such a file fails `helm package` ("invalid leading UTF-8 octet", "control characters are not allowed"), however
 * leniently a JavaScript decoder takes it.
 */
// eslint-disable-next-line no-control-regex -- the control characters are what is looked for
const SUSPECT = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u0084\u0086-\u009F\uFFFD-\uFFFF]/u;

/** `data` as text, refused (naming file, line and column) where helm's YAML reader refuses it. */
export function yamlText(data: Buffer, file: string, code: string): string {
  const text = data.toString('utf8');
  // A bad byte decodes to U+FFFD: only text holding one of these needs the byte-by-byte look.
  if (!SUSPECT.test(text)) return text;
  const bad = firstRefused(data);
  if (!bad) return text;
  const before = data.subarray(0, bad.offset).toString('utf8');
  const line = before.split('\n').length;
  const column = Array.from(before.slice(before.lastIndexOf('\n') + 1)).length + 1;
  const message =
    bad.kind === 'encoding'
      ? `is not UTF-8: byte 0x${data[bad.offset]!.toString(16).toUpperCase().padStart(2, '0')} belongs to no UTF-8 character, and helm reads YAML as UTF-8 only`
      : `holds the control character U+${bad.codePoint.toString(16).toUpperCase().padStart(4, '0')}, which YAML does not allow (helm refuses the file)`;
  const hint = bad.kind === 'encoding' ? 'save the file as UTF-8' : 'remove it, or write it as an escape inside a double-quoted string';
  throw new ChartshipError(message, { file, line, column, code, hint });
}

type Refused = { offset: number; kind: 'encoding' } | { offset: number; kind: 'control'; codePoint: number };

/** The first byte sequence yaml.v2 refuses: a malformed, overlong or surrogate sequence, or a forbidden character. */
function firstRefused(data: Buffer): Refused | undefined {
  for (let i = 0; i < data.length; ) {
    const lead = data[i]!;
    const width = lead < 0x80 ? 1 : (lead & 0xe0) === 0xc0 ? 2 : (lead & 0xf0) === 0xe0 ? 3 : (lead & 0xf8) === 0xf0 ? 4 : 0;
    if (width === 0 || i + width > data.length) return { offset: i, kind: 'encoding' };
    let codePoint = width === 1 ? lead : lead & (0x7f >> width);
    for (let k = 1; k < width; k++) {
      const next = data[i + k]!;
      if ((next & 0xc0) !== 0x80) return { offset: i, kind: 'encoding' };
      codePoint = (codePoint << 6) | (next & 0x3f);
    }
    const shortest = width === 1 || codePoint >= [0, 0, 0x80, 0x800, 0x10000][width]!;
    if (!shortest || (codePoint >= 0xd800 && codePoint <= 0xdfff) || codePoint > 0x10ffff) return { offset: i, kind: 'encoding' };
    if (!allowed(codePoint)) return { offset: i, kind: 'control', codePoint };
    i += width;
  }
  return undefined;
}

function allowed(c: number): boolean {
  return c === 0x09 || c === 0x0a || c === 0x0d || (c >= 0x20 && c <= 0x7e) || c === 0x85 || (c >= 0xa0 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd) || c >= 0x10000;
}
