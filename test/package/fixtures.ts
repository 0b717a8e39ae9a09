import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Parser, type ReadEntry } from 'tar';

/** Temp directories made by a test file, removed by `cleanup()` in its after() hook. */
export function tempDirs(): { make(prefix?: string): string; cleanup(): void } {
  const made: string[] = [];
  return {
    make(prefix = 'chartship-pkg-') {
      const dir = mkdtempSync(join(tmpdir(), prefix));
      made.push(dir);
      return dir;
    },
    cleanup() {
      for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Writes files (paths relative to `dir`, parents created). */
export function writeFiles(dir: string, files: Record<string, string | Buffer>): string {
  for (const [name, content] of Object.entries(files)) {
    const path = join(dir, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
  }
  return dir;
}

export function chartYaml(name: string, version: string, extra = ''): string {
  return `apiVersion: v2\nname: ${name}\nversion: ${version}\n${extra}`;
}

/** Entries as node-tar's Parser reads them (path, type code, mode, ids, names, mtime, body). */
export interface ParsedEntry {
  path: string;
  typeKey: string;
  mode?: number;
  uid?: number;
  gid?: number;
  uname?: string;
  gname?: string;
  mtime?: Date;
  data: Buffer;
}

export function parseTgz(tgz: Buffer): Promise<ParsedEntry[]> {
  return new Promise((resolve, reject) => {
    const out: ParsedEntry[] = [];
    const parser = new Parser({ strict: true });
    parser.on('entry', (entry: ReadEntry) => {
      const chunks: Buffer[] = [];
      entry.on('data', (c: Buffer) => chunks.push(c));
      entry.on('end', () => {
        const h = entry.header;
        out.push({ path: entry.path, typeKey: h.typeKey, mode: h.mode, uid: h.uid, gid: h.gid, uname: h.uname, gname: h.gname, mtime: h.mtime, data: Buffer.concat(chunks) });
      });
    });
    parser.on('error', reject);
    parser.on('end', () => resolve(out));
    parser.end(tgz);
  });
}

/** The raw 512-byte header blocks of an uncompressed tar, with the body offsets skipped. */
export function rawHeaders(tgz: Buffer): { blocks: Buffer[]; tail: Buffer } {
  const tar = gunzipSync(tgz);
  const blocks: Buffer[] = [];
  let offset = 0;
  while (offset + 512 <= tar.length) {
    const block = tar.subarray(offset, offset + 512);
    if (block.every((b) => b === 0)) break;
    blocks.push(block);
    const size = parseInt(block.subarray(124, 135).toString('latin1'), 8);
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  return { blocks, tail: tar.subarray(offset) };
}

export function field(block: Buffer, start: number, length: number): string {
  return block.subarray(start, start + length).toString('latin1');
}
