import { readBlobs, type Git } from './git.js';

/** A file of a commit's tree as `git ls-tree` lists it. */
export interface TreeFile {
  /** `100644`, `100755`, `120000` (a symbolic link, whose blob is its target), `160000` (a submodule). */
  mode: string;
  /** `blob`, or `commit` for a submodule. */
  type: string;
  object: string;
  path: string;
}

/**
 * Every file of `rev` under the top directories of `dirs` (the whole tree when one of them is the root), from one
 * `git ls-tree -r`: the top directories, not each directory, since git matches every entry against every pathspec
 * (10,000 of them cost seconds) where listing a few extra files costs little.
 */
export async function filesUnder(git: Git, rev: string, dirs: string[]): Promise<TreeFile[]> {
  const tops = dirs.includes('') ? [] : [...new Set(dirs.map((d) => d.split('/')[0]!))];
  const { raw } = await git.run(['ls-tree', '-r', '-z', '--full-tree', rev, '--', ...tops]);
  const files: TreeFile[] = [];
  for (const record of raw.toString('utf8').split('\0')) {
    // `<mode> <type> <object>\t<path>`
    const tab = record.indexOf('\t');
    if (tab === -1) continue;
    const [mode, type, object] = record.slice(0, tab).split(' ') as [string, string, string];
    files.push({ mode, type, object, path: record.slice(tab + 1) });
  }
  return files;
}

/**
 * Fewer paths than this are looked up by path: git resolves each `rev:path` from the root tree down (about 50 µs a
 * path), where a listing costs a second process and reads every file under the paths' top directories.
 */
const BY_PATH = 100;

/**
 * The text of each file at `rev` (undefined where there is no file), as readBlobs reads `rev:path`. Many paths are
 * read through one listing (filesUnder) and their blobs by object name: 10,000 Chart.yaml of a monorepo cost git a
 * tenth of the time.
 */
export async function readFilesAt(git: Git, rev: string, paths: string[]): Promise<(string | undefined)[]> {
  if (paths.length < BY_PATH) return readBlobs(git, paths.map((p) => `${rev}:${p}`));
  const listed = await filesUnder(git, rev, paths.map((p) => p.slice(0, Math.max(0, p.lastIndexOf('/')))));
  const objects = new Map(listed.filter((f) => f.type === 'blob').map((f) => [f.path, f.object]));
  const wanted = [...new Set(paths.flatMap((p) => objects.get(p) ?? []))];
  const texts = await readBlobs(git, wanted);
  const byObject = new Map(wanted.map((object, i) => [object, texts[i]]));
  return paths.map((p) => {
    const object = objects.get(p);
    return object === undefined ? undefined : byObject.get(object);
  });
}
