/**
 * A tar stream byte-identical to what Go's archive/tar writes for helm's headers (`Name`, `Mode: 0644`, `Size`,
 * `ModTime`): USTAR when the name fits (splitting at the last `/` that leaves a prefix ≤ 155 bytes), otherwise a PAX
 * `path` record in a `PaxHeaders.0/<base>` entry. Numbers are zero-padded octal with a NUL, the checksum is six
 * digits, NUL, space. No directory entries, and the stream ends with two zero blocks and no further padding.
 *
 * node-tar's Header pads numbers with a space and splits prefixes differently, hence this small writer.
 */
export interface TarFile {
  name: string;
  data: Buffer;
}

const BLOCK = 512;
const NAME_SIZE = 100;
const PREFIX_SIZE = 155;

export function writeTar(files: TarFile[], mtime: Date): Buffer {
  const seconds = Math.floor(mtime.getTime() / 1000);
  const headers = files.map((f) => fileHeaders(f.name, f.data.length, seconds));
  const size = headers.reduce((n, h, i) => n + h.length + padded(files[i]!.data.length), 2 * BLOCK);
  const out = Buffer.alloc(size);
  let offset = 0;
  files.forEach((file, i) => {
    offset += headers[i]!.copy(out, offset);
    file.data.copy(out, offset);
    offset += padded(file.data.length);
  });
  return out;
}

function padded(n: number): number {
  return Math.ceil(n / BLOCK) * BLOCK;
}

function fileHeaders(name: string, size: number, mtime: number): Buffer {
  const ascii = isAscii(name);
  if (ascii && Buffer.byteLength(name) <= NAME_SIZE) return header({ name, size, mtime, type: '0', ustarFields: true });
  const split = ascii ? splitUstarPath(name) : undefined;
  if (split) return header({ name: split.name, prefix: split.prefix, size, mtime, type: '0', ustarFields: true });

  const record = paxRecord('path', name);
  const slash = name.lastIndexOf('/');
  const paxName = `${slash >= 0 ? name.slice(0, slash + 1) : ''}PaxHeaders.0/${name.slice(slash + 1)}`;
  const paxHeader = header({ name: truncateName(toAscii(paxName)).replace(/\/+$/, ''), size: record.length, mtime: 0, type: 'x', ustarFields: false });
  const body = Buffer.alloc(padded(record.length));
  record.copy(body);
  const main = header({ name: v7Name(toAscii(name)), size, mtime, type: '0', ustarFields: true });
  return Buffer.concat([paxHeader, body, main]);
}

interface HeaderFields {
  name: string;
  prefix?: string;
  size: number;
  mtime: number;
  type: '0' | 'x';
  /** Go fills mode/uid/gid/uname/gname/devmajor/devminor for file headers, only the basics for PAX records. */
  ustarFields: boolean;
}

function header(h: HeaderFields): Buffer {
  const block = Buffer.alloc(BLOCK);
  block.write(h.name, 0, NAME_SIZE, 'latin1');
  octal(block, 100, 8, h.ustarFields ? 0o644 : 0);
  octal(block, 108, 8, 0);
  octal(block, 116, 8, 0);
  octal(block, 124, 12, h.size);
  octal(block, 136, 12, h.mtime);
  block.write(h.type, 156, 'latin1');
  block.write('ustar\u000000', 257, 'latin1');
  if (h.ustarFields) {
    octal(block, 329, 8, 0);
    octal(block, 337, 8, 0);
  }
  if (h.prefix) block.write(h.prefix, 345, PREFIX_SIZE, 'latin1');
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : block[i]!;
  octal(block, 148, 7, sum);
  block[155] = 0x20;
  return block;
}

/** Zero-padded octal filling all but the last byte, which stays NUL. */
function octal(block: Buffer, offset: number, length: number, value: number): void {
  block.write(value.toString(8).padStart(length - 1, '0'), offset, length - 1, 'latin1');
}

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) >= 0x80) return false;
  return true;
}

function toAscii(s: string): string {
  return Array.from(s).filter((c) => c.charCodeAt(0) < 0x80).join('');
}

function truncateName(s: string): string {
  return s.length > NAME_SIZE ? s.slice(0, NAME_SIZE) : s;
}

/** What Go leaves in the 100-byte name field when a PAX record carries the real name. */
function v7Name(s: string): string {
  if (s.length <= NAME_SIZE) return s;
  const cut = s.slice(0, NAME_SIZE);
  if (!cut.endsWith('/')) return cut;
  // Go puts a NUL where the run of trailing slashes starts, so old readers do not take the file for a directory.
  const n = s.slice(0, NAME_SIZE - 1).replace(/\/+$/, '').length;
  return `${cut.slice(0, n)}\0${cut.slice(n + 1)}`;
}

/** Go's splitUSTARPath. */
function splitUstarPath(name: string): { prefix: string; name: string } | undefined {
  let length = name.length;
  if (length <= NAME_SIZE) return undefined;
  if (length > PREFIX_SIZE + 1) length = PREFIX_SIZE + 1;
  else if (name[length - 1] === '/') length--;
  const i = name.lastIndexOf('/', length - 1);
  const suffixLength = name.length - i - 1;
  if (i <= 0 || suffixLength > NAME_SIZE || suffixLength === 0 || i > PREFIX_SIZE) return undefined;
  return { prefix: name.slice(0, i), name: name.slice(i + 1) };
}

/** `"%d key=value\n"` where the length counts itself. */
function paxRecord(key: string, value: string): Buffer {
  const body = ` ${key}=${value}\n`;
  const bodyLength = Buffer.byteLength(body);
  let length = bodyLength + String(bodyLength).length;
  if (String(length).length + bodyLength !== length) length = bodyLength + String(length).length;
  return Buffer.from(`${length}${body}`);
}
