import { promisify } from 'node:util';
import { constants, crc32, deflateRaw, deflateRawSync } from 'node:zlib';

const deflateRawAsync = promisify(deflateRaw);

/**
 * The gzip header every `helm package` archive carries (helm 3 and 4 alike, checked against their output): helm's
 * Save sets the Go gzip writer's Extra to a fixed 41-byte text and its Comment to "Helm", and leaves Name and ModTime
 * unset, so the header never varies: FLG = FEXTRA|FCOMMENT, MTIME 0, XFL 0 (Go writes 0 at the default level),
 * OS 255 (Go's "unknown"), XLEN, the extra bytes, then the comment and its NUL. Nothing in it depends on the time.
 */
const HELM_EXTRA = Buffer.from('+aHR0cHM6Ly95b3V0dS5iZS96OVV6MWljandyTQo=', 'latin1');
const FEXTRA = 0x04;
const FCOMMENT = 0x10;
export const HELM_GZIP_HEADER = Buffer.concat([
  Buffer.from([0x1f, 0x8b, 0x08, FEXTRA | FCOMMENT, 0, 0, 0, 0, 0x00, 0xff, HELM_EXTRA.length & 0xff, HELM_EXTRA.length >> 8]),
  HELM_EXTRA,
  Buffer.from('Helm\0', 'latin1'),
]);

const DEFLATE = { level: 6, memLevel: 8, windowBits: 15, strategy: constants.Z_DEFAULT_STRATEGY };
/** Below this, a trip to the thread pool costs more CPU than deflating the bytes (most charts are a few kB). */
const INLINE_BYTES = 256 * 1024;

/**
 * gzip with helm's header. The deflate stream is zlib's, not Go's (they differ byte for byte; any gunzip reads both).
 * Level 6 is helm's (Go's default). A large archive is deflated on libuv's thread pool, so packages can be built in
 * parallel; a small one at once (the same zlib with the same settings: the same bytes).
 */
export async function gzip(data: Buffer): Promise<Buffer> {
  const body = data.length < INLINE_BYTES ? deflateRawSync(data, DEFLATE) : await deflateRawAsync(data, DEFLATE);
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc32(data) >>> 0, 0);
  trailer.writeUInt32LE(data.length % 2 ** 32, 4);
  return Buffer.concat([HELM_GZIP_HEADER, body, trailer]);
}
