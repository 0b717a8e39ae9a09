import { promisify } from 'node:util';
import { constants, crc32, deflateRaw } from 'node:zlib';

const deflateRawAsync = promisify(deflateRaw);

/**
 * gzip with a header that never varies: node's gzip stream stamps the OS it runs on (and an XFL byte that follows
 * the level), so the header is written here: no name, no mtime (0), XFL 0, OS 255 "unknown" as Go writes it.
 * Level 6 is helm's (Go's default). The deflate runs on libuv's thread pool so packages can be built in parallel.
 */
export async function gzip(data: Buffer): Promise<Buffer> {
  const header = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0xff]);
  const body = await deflateRawAsync(data, { level: 6, memLevel: 8, windowBits: 15, strategy: constants.Z_DEFAULT_STRATEGY });
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc32(data) >>> 0, 0);
  trailer.writeUInt32LE(data.length % 2 ** 32, 4);
  return Buffer.concat([header, body, trailer]);
}
