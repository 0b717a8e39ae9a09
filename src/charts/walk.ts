import { existsSync, lstatSync, readdirSync, readFileSync, realpathSync, statSync, type Stats } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { stripBom } from '../model/bom.js';
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

/** A chart directory about to be walked: its real path and the names at its top (read once, also to find .helmignore). */
export interface ChartDirectory {
  root: string;
  names: string[];
}

/** The chart directory `dir`, or undefined when there is no directory there. */
export function openChartDirectory(dir: string): ChartDirectory | undefined {
  try {
    const root = realpathSync(dir);
    return { root, names: readdirSync(root) };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw error;
  }
}

/**
 * Reads a chart directory the way helm's loader does: depth first, names sorted bytewise in each directory,
 * .helmignore applied as it goes (an ignored directory is not entered), symlinks followed (the target's bytes are
 * stored under the link's name), a leading UTF-8 BOM stripped. A link may point anywhere in the chart's repository
 * (a helper shared by several charts), as helm allows; unlike helm, not out of it, nor into its .git directory: what
 * the package holds must be what the repository holds, never a file of the runner's (a credentials file, the token
 * actions/checkout keeps in .git/config) that a link in a pull request could otherwise publish.
 *
 * `linked` collects the real paths outside the chart that links reach (files, or directories and what they hold).
 *
 * The file system is read synchronously: a chart is a handful of small files, and each asynchronous call costs far
 * more CPU (a promise, a thread-pool round trip) than the read itself, which a run of many charts pays many times.
 */
export function walkChart(dir: string, rules: HelmIgnore, opened?: ChartDirectory, linked?: Set<string>): ChartEntry[] {
  const top = opened ?? openChartDirectory(dir);
  if (!top) throw new ChartshipError('chart directory not found', { file: dir, code: 'CHART_NOT_FOUND' });
  const { root } = top;
  const entries: ChartEntry[] = [];
  let total = 0;
  // Found on the first link that leaves the chart: most charts have none.
  let bounds: LinkBounds | undefined;

  // `real` is where `absPath` really is: below it, a name that is no link is really there too.
  const visit = (absPath: string, real: string, relPath: string, ancestors: Set<string>, names: string[]): void => {
    for (const name of sortBytewise(names)) {
      const rel = relPath === '' ? name : `${relPath}/${name}`;
      const path = join(absPath, name);
      // A name that is not UTF-8 arrives with U+FFFD in its place, and nothing is found under that name.
      const raw = name.includes('\uFFFD') ? rawPath(absPath, name) : undefined;
      if (raw) {
        if (rules.matches(rel, lstatSync(raw).isDirectory())) continue;
        throw new ChartshipError('the file name is not UTF-8: helm stores such a name byte for byte, which chartship does not', {
          file: join(dir, rel),
          code: 'CHART_FILE',
          hint: 'rename it in UTF-8, or list it in .helmignore',
        });
      }
      const link = lstatSync(path);
      let info = link;
      let target = join(real, name);
      if (link.isSymbolicLink()) {
        const followed = followLink(path, rel, dir);
        if (!followed) {
          // A broken link that .helmignore drops is no problem (helm does the same).
          if (rules.matches(rel, false)) continue;
          throw new ChartshipError('symbolic link points to nothing', { file: join(dir, rel), code: 'CHART_SYMLINK' });
        }
        ({ real: target, info } = followed);
        if (rules.matches(rel, info.isDirectory())) continue;
        // What the chart draws from outside its directory: its date is theirs too (package.ts).
        if (linked && !isInside(root, target)) linked.add(target);
      } else if (rules.matches(rel, info.isDirectory())) {
        continue;
      }
      // helm packages a .git it is not told to leave out (a chart at the repository root without a .helmignore): the
      // repository's whole history, and the token actions/checkout keeps in .git/config, published with the chart.
      if (name === '.git' && info.isDirectory()) {
        throw new ChartshipError("the chart holds a .git directory: packaging it would publish the repository's history and the credentials git keeps there (actions/checkout's token in .git/config)", {
          file: join(dir, rel),
          code: 'CHART_GIT_DIRECTORY',
          hint: "add .git/ to the chart's .helmignore, as helm create writes it",
        });
      }
      // Out of the chart through a link (this one, or a directory one above): checked name by name, since a linked
      // directory may hold the .git directory itself.
      if (!isInside(root, target)) {
        bounds ??= linkBounds(root);
        const refused = !isInside(bounds.repository, target) ? (bounds.git ? 'leaves the repository' : 'leaves the chart directory') : bounds.git && isInside(bounds.git, target) ? "points into the repository's .git directory" : undefined;
        if (refused) {
          throw new ChartshipError(`symbolic link ${refused} (reaches ${target})`, {
            file: join(dir, rel),
            code: 'CHART_SYMLINK',
            hint: 'copy the file into the chart, or list the link in .helmignore',
          });
        }
      }

      if (info.isDirectory()) {
        if (ancestors.has(target)) {
          throw new ChartshipError('symbolic link loops back to a parent directory', { file: join(dir, rel), code: 'CHART_SYMLINK' });
        }
        visit(path, target, rel, new Set([...ancestors, target]), readdirSync(path));
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
      entries.push({ name: rel, data: stripBom(readFileSync(target)) });
    }
  };
  visit(root, root, '', new Set([root]), top.names);
  return entries;
}

/** The path, as bytes, of the entry of `dir` whose name is not UTF-8 and reads as `name`; none when `name` is real. */
function rawPath(dir: string, name: string): Buffer | undefined {
  const raw = readdirSync(dir, { encoding: 'buffer' }).find((b) => b.toString('utf8') === name && !b.equals(Buffer.from(name)));
  return raw && Buffer.concat([Buffer.from(`${dir}${sep}`), raw]);
}

/** Where links of a chart may point: its repository's work tree (the chart itself outside any), but not its .git. */
interface LinkBounds {
  repository: string;
  git?: string;
}

/** The work tree enclosing `root`; else the chart alone. */
function linkBounds(root: string): LinkBounds {
  const repository = enclosingWorkTree(root);
  return repository === undefined ? { repository: root } : { repository, git: join(repository, '.git') };
}

/**
 * The work tree `dir` is in: the nearest directory up from it holding `.git` (a directory, or a worktree's or
 * submodule's file), as git finds it, read from the file system alone (no git process on a command's way to its first
 * output).
 */
export function enclosingWorkTree(dir: string): string | undefined {
  for (let at = dir; ; ) {
    if (existsSync(join(at, '.git'))) return at;
    const parent = dirname(at);
    if (parent === at) return undefined;
    at = parent;
  }
}

function followLink(path: string, rel: string, dir: string): { real: string; info: Stats } | undefined {
  try {
    const real = realpathSync(path);
    return { real, info: statSync(real) };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'ELOOP') throw new ChartshipError('symbolic link loops', { file: join(dir, rel), code: 'CHART_SYMLINK' });
    throw error;
  }
}

/** Whether `path` is `root` or below it (both absolute). */
export function isInside(root: string, path: string): boolean {
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
