import { workTree, type SourceTree } from '../charts/source-tree.js';
import { ChartshipError } from '../model/errors.js';
import { readBlobs, type Git } from './git.js';
import { resolveCommit } from './refs.js';

/**
 * A commit's tree as a SourceTree: one `git ls-tree` for the listing, one `git cat-file --batch` per batch of reads.
 * Lets `plan --head REF` read the charts as they are at REF without touching the work tree.
 */
export async function commitTree(git: Git, commit: string): Promise<SourceTree> {
  const { raw } = await git.run(['ls-tree', '-r', '-t', '--full-tree', '-z', commit]);
  const dirs = new Map<string, { name: string; directory: boolean }[]>([['', []]]);
  for (const record of raw.toString('utf8').split('\0')) {
    // `<mode> <type> <object>\t<path>`
    const tab = record.indexOf('\t');
    if (tab === -1) continue;
    const type = record.slice(0, tab).split(' ')[1];
    const path = record.slice(tab + 1);
    const slash = path.lastIndexOf('/');
    const parent = slash === -1 ? '' : path.slice(0, slash);
    const directory = type === 'tree';
    if (directory) dirs.set(path, dirs.get(path) ?? []);
    const siblings = dirs.get(parent) ?? [];
    siblings.push({ name: path.slice(slash + 1), directory });
    dirs.set(parent, siblings);
  }
  return {
    list: (dir) => Promise.resolve(dirs.get(dir)),
    read: (paths) => readBlobs(git, paths.map((p) => `${commit}:${p}`)),
  };
}

/**
 * Where to read the charts for a plan up to `head`: the work tree when it is checked out at head (or no head was
 * given: uncommitted edits count then), otherwise head's own tree from git objects, so the versions and files the plan
 * shows are head's and not those of whatever is checked out.
 */
export async function treeForHead(git: Git, root: string, head: string | undefined, resolved?: string): Promise<SourceTree> {
  // `HEAD` is what is checked out by definition: no git call tells more. `resolved` is head as a commit when the
  // caller has read it already (openRepository): each git process here delays the discovery that waits for the tree.
  if (head === undefined || head === 'HEAD') return workTree(root);
  const [wanted, current] = await Promise.all([resolved ?? resolveCommit(git, head), resolveCommit(git, 'HEAD')]);
  return wanted === undefined || wanted === current ? workTree(root) : commitTree(git, wanted);
}

/** Refuses what needs the chart files on disk (writing versions, packaging) when the work tree is not at `head`. */
export async function requireCheckedOut(git: Git, head: string, what: string): Promise<void> {
  const current = await resolveCommit(git, 'HEAD');
  if (current === head) return;
  throw new ChartshipError(`${what} needs the work tree at head ${head.slice(0, 7)}, but it is at ${current?.slice(0, 7) ?? 'no commit'}`, {
    field: 'head',
    code: 'HEAD_NOT_CHECKED_OUT',
    hint: `check out ${head.slice(0, 12)} first, or leave out --head`,
  });
}
