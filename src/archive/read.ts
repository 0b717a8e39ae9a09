import { gunzipSync } from 'node:zlib';
import type { ReadEntry } from 'tar';
import { stripBom } from '../model/bom.js';
import { ChartshipError } from '../model/errors.js';

/** helm's loader limits (pkg/chart/v2/loader). */
export const MAX_FILE_BYTES = 5 * 1024 * 1024;
export const MAX_TOTAL_BYTES = 100 * 1024 * 1024;
/** Tar headers and padding on top of the content limit, so a gzip bomb stops inside zlib, not in memory. */
const MAX_TAR_OVERHEAD = 16 * 1024 * 1024;

/** The files of a chart archive, as helm's loader takes them from the tar. */
export interface ArchiveFiles {
  /** The archive's top directory (helm: the chart name). */
  top: string;
  /** File contents keyed by path relative to `top`. */
  files: Map<string, Buffer>;
  /** Newest entry mtime: a reproducible archive's creation time. */
  newestMtime: Date;
}

/** Fails reading the archive `label`: every refusal of a chart archive carries the same code. */
export function archiveError(label: string, message: string, field?: string, hint?: string): never {
  throw new ChartshipError(message, { file: label, field, hint, code: 'CHART_ARCHIVE_INVALID' });
}

/**
 * Reads a chart .tgz in memory with the checks and limits of helm's loader (one top directory, regular files only,
 * no path outside it, 5 MiB a file, 100 MiB in all). `label` names the archive in errors (usually its path).
 */
export async function readArchiveFiles(bytes: Buffer, label: string): Promise<ArchiveFiles> {
  const fail = (message: string, field?: string, hint?: string): never => archiveError(label, message, field, hint);
  if (bytes.length < 2 || bytes[0] !== 0x1f || bytes[1] !== 0x8b) fail('not a gzip archive', undefined, 'pass the .tgz that helm package or chartship package wrote');
  let tarBytes: Buffer;
  try {
    tarBytes = gunzipSync(bytes, { maxOutputLength: MAX_TOTAL_BYTES + MAX_TAR_OVERHEAD });
  } catch (error) {
    if (error instanceof RangeError || (error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      return fail(`decompresses to more than ${MAX_TOTAL_BYTES / 1024 / 1024} MiB`, undefined, 'helm refuses charts that large');
    }
    return fail(`corrupt gzip data: ${(error as Error).message}`);
  }
  const entries = await parseTar(tarBytes, fail);

  let top: string | undefined;
  const files = new Map<string, Buffer>();
  let total = 0;
  let newest = 0;
  for (const entry of entries) {
    const path = entry.path;
    // helm drops the first segment whatever it is (`./Chart.yaml` is the chart's Chart.yaml, `./sub/Chart.yaml` is
    // not), splitting on `\` instead of `/` in an archive written on Windows.
    const [first = '', ...after] = path.split(path.includes('\\') ? '\\' : '/');
    const rest = after.filter((p) => p !== '' && p !== '.');
    if (path.startsWith('/') || path.startsWith('\\') || /^[A-Za-z]:/.test(path)) fail(`entry ${JSON.stringify(path)} has an absolute path`, path);
    if (rest.includes('..') || first === '..') fail(`entry ${JSON.stringify(path)} points outside the chart ("..")`, path);
    if (entry.type === 'Directory') continue;
    if (!['File', 'OldFile', 'ContiguousFile'].includes(entry.type)) {
      fail(`entry ${JSON.stringify(path)} is a ${describeType(entry.type)}; a chart archive may hold regular files only`, path);
    }
    if (rest.length === 0) fail(`entry ${JSON.stringify(path)} is not inside the chart's top directory`, path);
    top ??= first;
    if (first !== top) fail(`entries under two top directories: ${JSON.stringify(top)} and ${JSON.stringify(first)}`, path);
    if (entry.size > MAX_FILE_BYTES) fail(`file ${JSON.stringify(path)} is larger than 5 MiB`, path, 'helm refuses files that large; add it to .helmignore');
    total += entry.size;
    if (total > MAX_TOTAL_BYTES) fail(`files add up to more than 100 MiB`, undefined, 'helm refuses charts that large');
    // helm's loader strips a leading UTF-8 BOM from every file of an archive, as from every file of a directory.
    files.set(rest.join('/'), stripBom(entry.data));
    newest = Math.max(newest, entry.mtime);
  }
  if (top === undefined) return fail('the archive holds no files', undefined, 'a chart archive needs <name>/Chart.yaml');
  return { top, files, newestMtime: new Date(newest) };
}

interface TarEntry {
  path: string;
  type: string;
  size: number;
  mtime: number;
  data: Buffer;
}

function describeType(type: string): string {
  const names: Record<string, string> = {
    SymbolicLink: 'symbolic link',
    Link: 'hard link',
    CharacterDevice: 'character device',
    BlockDevice: 'block device',
    FIFO: 'FIFO',
  };
  return names[type] ?? `${type} entry`;
}

/** Parses an uncompressed tar with the tar package, keeping file bodies; size limits are checked per header. */
async function parseTar(tarBytes: Buffer, fail: (message: string, field?: string, hint?: string) => never): Promise<TarEntry[]> {
  // Read when an archive is, not at every start: a plan, or an action run that fails on its inputs, never needs it.
  const { Parser } = await import('tar');
  return new Promise((resolve, reject) => {
    const entries: TarEntry[] = [];
    let settled = false;
    const stop = (error: unknown) => {
      if (settled) return;
      settled = true;
      reject(error instanceof Error ? error : new Error(String(error)));
    };
    const parser = new Parser({ strict: true });
    parser.on('entry', (entry: ReadEntry) => {
      const chunks: Buffer[] = [];
      // Headers state the size before any byte arrives: refuse early instead of buffering a huge entry.
      const keep = entry.size <= MAX_FILE_BYTES && ['File', 'OldFile', 'ContiguousFile'].includes(entry.type);
      entry.on('data', (chunk: Buffer) => {
        if (keep) chunks.push(chunk);
      });
      entry.on('end', () => {
        entries.push({ path: entry.path, type: entry.type, size: entry.size, mtime: entry.mtime?.getTime() ?? 0, data: Buffer.concat(chunks) });
      });
    });
    parser.on('error', (error: Error) => {
      try {
        fail(`not a valid tar archive: ${error.message}`);
      } catch (wrapped) {
        stop(wrapped);
      }
    });
    parser.on('end', () => {
      if (settled) return;
      settled = true;
      resolve(entries);
    });
    parser.end(tarBytes);
  });
}
