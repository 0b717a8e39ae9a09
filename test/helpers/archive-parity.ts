/** Chart archives compared as helm's and chartship's must agree: gzip header, tar headers and bytes, times aside. */
import { gunzipSync } from 'node:zlib';

/** The gzip header: everything before the deflate stream (RFC 1952 flags decide its length). */
export function gzipHeader(tgz: Buffer): Buffer {
  const flags = tgz[3]!;
  let at = 10;
  if (flags & 0x04) at += 2 + tgz.readUInt16LE(at);
  for (const bit of [0x08, 0x10]) if (flags & bit) at = tgz.indexOf(0, at) + 1;
  if (flags & 0x02) at += 2;
  return tgz.subarray(0, at);
}

export interface Entry {
  name: string;
  /** The 512-byte header with the time and checksum blanked (and the size, for a lock: its `generated` differs). */
  header: string;
  data: string;
}

/**
 * Tar entries, comparable: times blanked, a lock's `generated` line dropped, and each chart's subcharts in name order
 * (helm writes them in Go map order, which varies from run to run; chartship sorts them).
 */
export function entries(tgz: Buffer): Entry[] {
  const tar = gunzipSync(tgz);
  const out: (Entry & { key: string[] })[] = [];
  let pax: string | undefined;
  for (let at = 0; at + 512 <= tar.length; ) {
    const block = Buffer.from(tar.subarray(at, at + 512));
    if (block.every((b) => b === 0)) break;
    const size = parseInt(block.subarray(124, 136).toString('latin1').replace(/\0.*$/s, '') || '0', 8);
    const body = tar.subarray(at + 512, at + 512 + size);
    at += 512 + Math.ceil(size / 512) * 512;
    const field = (start: number, length: number) => block.subarray(start, start + length).toString('latin1').replace(/\0.*$/s, '');
    const name = pax ?? (field(345, 155) ? `${field(345, 155)}/${field(0, 100)}` : field(0, 100));
    pax = block[156] === 0x78 ? /\d+ path=(.*)\n/.exec(body.toString('utf8'))?.[1] : undefined;
    const isLock = /(^|\/)(Chart|requirements)\.lock$/.test(name);
    block.fill(0, 136, 156);
    if (isLock) block.fill(0, 124, 136);
    const data = isLock ? body.toString('utf8').replace(/^generated: .*\n/m, '') : body.toString('base64');
    const segments = name.split('/');
    const key: string[] = [];
    for (let i = 1; segments[i] === 'charts' && i + 2 < segments.length; i += 2) key.push(segments[i + 1]!);
    out.push({ name, header: block.toString('base64'), data, key });
  }
  const compareKeys = (a: string[], b: string[]) => {
    for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
    return a.length - b.length;
  };
  return out.sort((a, b) => compareKeys(a.key, b.key)).map(({ name, header, data }) => ({ name, header, data }));
}
