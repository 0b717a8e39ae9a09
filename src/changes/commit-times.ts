import type { Git } from './git.js';

const RS = '\x1e';
const US = '\x1f';

/**
 * Every directory's last commit time, in seconds, exactly as `git log -1 --format=%ct -- <dir>` run at head gives
 * it (undefined where that prints nothing), from one `git log` over the whole history instead of one per directory.
 * `dirs` are relative to the repository root ('' is the root itself), with `/` separators.
 *
 * That command walks history with git's default simplification: from head, a commit that differs from its only
 * parent (or, a root or shallow boundary, from the empty tree) inside the directory is the answer; a merge that is
 * the same there as one of its parents continues along the first such parent; a merge that differs from all of them
 * is the answer. So each directory follows one chain of commits, which this replays over the parsed history: a
 * single log gives every commit's parents, time and the paths it changed against its first parent, and the rare
 * merge a directory leaves by another parent is decided by comparing that directory's tree in the merge and its
 * parents (one `cat-file` per round of such merges, whatever the number of directories).
 */
export async function lastCommitTimes(git: Git, dirs: string[], head = 'HEAD'): Promise<Map<string, number | undefined>> {
  const history = await readCommitHistory(git, dirs, head);
  const times = new Map<string, number | undefined>();
  if (!history) {
    for (const dir of dirs) times.set(dir, undefined);
    return times;
  }
  const answers = await replayChains(git, history, dirs.length);
  dirs.forEach((dir, i) => times.set(dir, answers[i]));
  return times;
}

interface CommitHistory {
  sha: string[];
  time: number[];
  parents: number[][];
  /** Per commit, the tracked directories (indexes into `dirs`) it changes against its first parent or the empty tree. */
  touched: number[][];
  dirs: string[];
}

/**
 * Children before parents, head first; undefined when the history is empty. Throws when git cannot walk it (an unborn
 * branch, a git older than 2.31 without --diff-merges): the caller asks directory by directory then.
 */
async function readCommitHistory(git: Git, dirs: string[], head: string): Promise<CommitHistory | undefined> {
  const out = await git.run(
    [
      '-c', 'log.showSignature=false',
      'log', head, '--topo-order', '-z', '--name-only', '--no-renames', '--root', '--diff-merges=first-parent',
      '--no-relative', '--no-ext-diff', '--no-textconv', `--format=${RS}%H${US}%ct${US}%P`, '--',
    ],
  );
  const byDir = new Map<string, number[]>();
  dirs.forEach((dir, i) => {
    const list = byDir.get(dir);
    if (list) list.push(i);
    else byDir.set(dir, [i]);
  });
  const everything = byDir.get('') ?? [];
  const records = out.stdout.split(RS);
  const sha: string[] = [];
  const time: number[] = [];
  const parentShas: string[][] = [];
  const touched: number[][] = [];
  const stamp = new Int32Array(dirs.length).fill(-1);
  for (const record of records) {
    if (record === '') continue;
    const end = record.indexOf('\0');
    const [id = '', seconds = '', parents = ''] = (end === -1 ? record : record.slice(0, end)).split(US);
    const index = sha.length;
    sha.push(id);
    time.push(Number(seconds));
    parentShas.push(parents === '' ? [] : parents.split(' '));
    const hit: number[] = [];
    const mark = (list: number[] | undefined) => {
      for (const d of list ?? []) {
        if (stamp[d] === index) continue;
        stamp[d] = index;
        hit.push(d);
      }
    };
    if (end !== -1) {
      for (const path of record.slice(end + 1).replace(/^\n/, '').split('\0')) {
        if (path === '') continue;
        mark(everything);
        // Every directory above the path (and the path itself: a submodule) is changed by it.
        for (let slash = path.indexOf('/'); slash !== -1; slash = path.indexOf('/', slash + 1)) mark(byDir.get(path.slice(0, slash)));
        mark(byDir.get(path));
      }
    }
    touched.push(hit);
  }
  if (sha.length === 0) return undefined;
  const indexOf = new Map(sha.map((s, i) => [s, i]));
  // A parent outside the output cannot happen in a full or shallow clone (shallow boundaries list no parents).
  const parents = parentShas.map((list) => list.map((p) => indexOf.get(p) ?? -1).filter((p) => p !== -1));
  return { sha, time, parents, touched, dirs };
}

/** A set of directories whose chains have reached the same commit: they move on together. */
interface Group {
  members: number[];
}

async function replayChains(git: Git, history: CommitHistory, count: number): Promise<(number | undefined)[]> {
  const { sha, time, parents, touched, dirs } = history;
  const answers = new Array<number | undefined>(count).fill(undefined);
  // Which group a directory's chain is in; undefined once answered, or waiting at a merge.
  const where = new Array<Group | undefined>(count);
  const pending = new Map<number, Group>();
  const join = (commit: number, group: Group) => {
    const there = pending.get(commit);
    if (!there) {
      pending.set(commit, group);
      return;
    }
    // The smaller group's live members move into the larger one, so each directory moves O(log n) times.
    const [large, small] = there.members.length >= group.members.length ? [there, group] : [group, there];
    for (const m of small.members) {
      if (where[m] !== small) continue;
      where[m] = large;
      large.members.push(m);
    }
    pending.set(commit, large);
  };
  const start: Group = { members: dirs.map((_, i) => i) };
  for (let i = 0; i < count; i++) where[i] = start;
  join(0, start);

  for (let from = 0; from < sha.length; ) {
    const atMerge: { merge: number; dir: number }[] = [];
    for (let commit = from; commit < sha.length; commit++) {
      const group = pending.get(commit);
      if (!group) continue;
      pending.delete(commit);
      const ps = parents[commit]!;
      for (const d of touched[commit]!) {
        if (where[d] !== group) continue;
        where[d] = undefined;
        if (ps.length <= 1) answers[d] = time[commit];
        else atMerge.push({ merge: commit, dir: d });
      }
      if (ps.length > 0) join(ps[0]!, group);
    }
    if (atMerge.length === 0) break;
    // The merge differs from its first parent there: the chain goes on along the first other parent that is the
    // same there, or stops at the merge.
    const trees = await treesAt(git, atMerge.flatMap(({ merge, dir }) => [merge, ...parents[merge]!.slice(1)].map((c) => `${sha[c]}:${dirs[dir]}`)));
    from = sha.length;
    for (const { merge, dir } of atMerge) {
      const mine = trees.get(`${sha[merge]}:${dirs[dir]}`);
      const same = parents[merge]!.slice(1).find((p) => trees.get(`${sha[p]}:${dirs[dir]}`) === mine);
      if (same === undefined) {
        answers[dir] = time[merge];
        continue;
      }
      const group: Group = { members: [dir] };
      where[dir] = group;
      join(same, group);
      from = Math.min(from, same);
    }
  }
  return answers;
}

/** `rev:path` to `objectname type`, or 'missing', in one `git cat-file --batch-check`. */
async function treesAt(git: Git, specs: string[]): Promise<Map<string, string>> {
  const unique = [...new Set(specs)];
  const { stdout } = await git.run(['cat-file', `--batch-check=%(objectname) %(objecttype)`], { input: unique.map((s) => `${s}\n`).join('') });
  const lines = stdout.split('\n');
  return new Map(unique.map((spec, i) => [spec, /^[0-9a-f]+ \w+$/.test(lines[i] ?? '') ? lines[i]! : 'missing']));
}
