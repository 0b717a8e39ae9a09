import type { Stats } from 'node:fs';
import { lstat, readdir, readFile, realpath, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { ChartshipError } from '../model/errors.js';
import type { HelmIgnore } from './helmignore.js';

/** helm's loader limits (pkg/chart/loader/archive MaxDecompressedFileSize / MaxDecompressedChartSize). */
export const MAX_FILE_SIZE = 5 * 1024 * 1024;
export const MAX_CHART_SIZE = 100 * 1024 * 1024;

export interface ChartEntry {
  /** Path relative to the chart root, `/`-separated. */
  name: string;
  data: Buffer;
}

/**
 * Reads a chart directory the way helm's loader does: depth first, names sorted bytewise in each directory,
 * .helmignore applied as it goes (an ignored directory is not entered), symlinks followed (the target's bytes are
 * stored under the link's name), a leading UTF-8 BOM stripped. Unlike helm, a link may not leave the chart
 * directory: what the package holds must be what the repository holds.
 */
export async function walkChart(dir: string, rules: HelmIgnore): Promise<ChartEntry[]> {
  const root = await realpath(dir);
  const entries: ChartEntry[] = [];
  let total = 0;

  const visit = async (absPath: string, relPath: string, ancestors: Set<string>): Promise<void> => {
    const names = sortBytewise(await readdir(absPath));
    for (const name of names) {
      const rel = relPath === '' ? name : `${relPath}/${name}`;
      const path = join(absPath, name);
      const link = await lstat(path);
      let info = link;
      let real = path;
      if (link.isSymbolicLink()) {
        const target = await followLink(path, rel, dir);
        if (!target) {
          // A broken link that .helmignore drops is no problem (helm does the same).
          if (rules.matches(rel, false)) continue;
          throw new ChartshipError('symbolic link points to nothing', { file: join(dir, rel), code: 'CHART_SYMLINK' });
        }
        ({ real, info } = target);
        if (rules.matches(rel, info.isDirectory())) continue;
        if (!isInside(root, real)) {
          throw new ChartshipError(`symbolic link leaves the chart directory (points to ${real})`, {
            file: join(dir, rel),
            code: 'CHART_SYMLINK',
            hint: 'copy the file into the chart, or list the link in .helmignore',
          });
        }
      } else if (rules.matches(rel, info.isDirectory())) {
        continue;
      }

      if (info.isDirectory()) {
        const key = link.isSymbolicLink() ? real : await realpath(path);
        if (ancestors.has(key)) {
          throw new ChartshipError('symbolic link loops back to a parent directory', { file: join(dir, rel), code: 'CHART_SYMLINK' });
        }
        await visit(path, rel, new Set([...ancestors, key]));
        continue;
      }
      if (!info.isFile()) {
        throw new ChartshipError('cannot package an irregular file (device, socket or pipe)', { file: join(dir, rel), code: 'CHART_FILE' });
      }
      if (info.size > MAX_FILE_SIZE) {
        throw new ChartshipError(`file is ${info.size} bytes, over helm's limit of ${MAX_FILE_SIZE} (5 MiB)`, {
          file: join(dir, rel),
          code: 'CHART_FILE_TOO_LARGE',
          hint: 'list it in .helmignore',
        });
      }
      total += info.size;
      if (total > MAX_CHART_SIZE) {
        throw new ChartshipError(`chart is over helm's limit of ${MAX_CHART_SIZE} bytes (100 MiB) once ${rel} is added`, {
          file: dir,
          code: 'CHART_TOO_LARGE',
          hint: 'list large files in .helmignore',
        });
      }
      entries.push({ name: rel, data: stripBom(await readFile(real)) });
    }
  };
  await visit(root, '', new Set([root]));
  return entries;
}

async function followLink(path: string, rel: string, dir: string): Promise<{ real: string; info: Stats } | undefined> {
  try {
    const real = await realpath(path);
    return { real, info: await stat(real) };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'ELOOP') throw new ChartshipError('symbolic link loops', { file: join(dir, rel), code: 'CHART_SYMLINK' });
    throw error;
  }
}

function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !rel.startsWith(sep));
}

/** Go's sort.Strings compares bytes; JavaScript's default sort compares UTF-16 units, which differs above U+FFFF. */
export function sortBytewise(names: string[]): string[] {
  return names
    .map((name) => ({ name, key: Buffer.from(name) }))
    .sort((a, b) => Buffer.compare(a.key, b.key))
    .map((e) => e.name);
}

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

export function stripBom(data: Buffer): Buffer {
  return data.subarray(0, 3).equals(BOM) ? data.subarray(3) : data;
}

/** The order helm's directory walk meets two files in: path segment by segment, each compared bytewise. */
export function compareWalkOrder(a: string, b: string): number {
  const as = a.split('/');
  const bs = b.split('/');
  for (let i = 0; i < Math.min(as.length, bs.length); i++) {
    const d = Buffer.compare(Buffer.from(as[i]!), Buffer.from(bs[i]!));
    if (d !== 0) return d;
  }
  return as.length - bs.length;
}
