import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Where chart directories are read from when planning: the work tree, or the tree of a commit (`plan --head REF`
 * with the work tree elsewhere). Paths are relative to the repository root, `/`-separated, '' for the root.
 */
export interface SourceTree {
  /** Entries of a directory, or undefined when there is none. */
  list(dir: string): Promise<{ name: string; directory: boolean }[] | undefined>;
  /** Text of each file, undefined for a missing one. */
  read(paths: string[]): Promise<(string | undefined)[]>;
}

export function workTree(root: string): SourceTree {
  return {
    // Listed synchronously, as files are read (below): a monorepo's discovery lists 10,000 directories, and each
    // listing through the thread pool costs the main thread about three times the listing itself.
    list: (dir) => new Promise((resolve) => resolve(listDirectory(dir === '' ? root : join(root, dir)))),
    // Read one after another, synchronously: these are small files, thousands of them on a monorepo, and a read through
    // the thread pool (open, stat, read, close, each a round trip) costs several times the read itself.
    read: (paths) => new Promise((resolve) => resolve(paths.map((path) => readTextFile(join(root, path))))),
  };
}

function listDirectory(path: string): { name: string; directory: boolean }[] | undefined {
  try {
    return readdirSync(path, { withFileTypes: true }).map((e) => ({ name: e.name, directory: e.isDirectory() }));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw error;
  }
}

function readTextFile(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR') return undefined;
    throw error;
  }
}
