const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** helm's loader drops a leading UTF-8 byte order mark from every file, read from a directory or from an archive. */
export function stripBom(data: Buffer): Buffer {
  return data.subarray(0, 3).equals(BOM) ? data.subarray(3) : data;
}
