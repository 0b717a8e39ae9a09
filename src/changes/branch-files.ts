import { ChartshipError } from '../model/errors.js';
import { pushRefusal, writeBlobs, type Git } from './git.js';

export interface BranchUpdate {
  remote: string;
  branch: string;
  /** Who the commit is by (no identity need be configured on a CI runner). */
  identity: { name: string; email: string };
  /**
   * Given a reader of the branch's top-level files as the remote has them now (all undefined when the branch does not
   * exist), returns the files to write at the top of the branch and the commit message, or undefined when nothing
   * needs to change. Called again when another push got there first, so it must work from what it reads.
   */
  update(read: (name: string) => Promise<Buffer | undefined>): Promise<{ files: Map<string, Buffer>; message: string } | undefined>;
}

const ATTEMPTS = 5;

/**
 * Commits files to the top of a remote branch (e.g. gh-pages) without touching the work tree, the index or HEAD:
 * fetch the branch, write blobs and a tree from its tree, commit on top of it, push that commit. A push refused
 * because the branch moved meanwhile starts over from the new tip. Returns the commit pushed, or undefined when
 * nothing changed.
 */
export async function updateBranchFiles(git: Git, options: BranchUpdate): Promise<string | undefined> {
  for (let attempt = 1; ; attempt++) {
    const parent = await fetchBranch(git, options.remote, options.branch);
    const entries = parent ? await topLevel(git, parent) : new Map<string, string>();
    const change = await options.update(async (name) => {
      const line = entries.get(name);
      if (!line || !line.startsWith('100644 blob ')) return undefined;
      return (await git.run(['cat-file', 'blob', line.split(' ')[2]!.split('\t')[0]!])).raw;
    });
    if (!change || change.files.size === 0) return undefined;
    for (const name of change.files.keys()) {
      if (name.includes('/') || name === '' || name === '.' || name === '..') throw new ChartshipError(`${JSON.stringify(name)} is not a file name at the top of ${options.branch}`, { code: 'BRANCH_FILE_INVALID' });
    }
    const blobs = await writeBlobs(git, [...change.files.values()]);
    [...change.files.keys()].forEach((name, i) => entries.set(name, `100644 blob ${blobs[i]}\t${name}`));
    const tree = (await git.run(['mktree', '-z'], { input: [...entries.values()].map((line) => `${line}\0`).join('') })).stdout.trim();
    const who = ['-c', `user.name=${options.identity.name}`, '-c', `user.email=${options.identity.email}`];
    const commit = (await git.run([...who, 'commit-tree', tree, ...(parent ? ['-p', parent] : []), '-m', change.message])).stdout.trim();
    const pushed = await git.run(['push', '--porcelain', options.remote, `${commit}:refs/heads/${options.branch}`], { allowFailure: true });
    if (pushed.code === 0) return commit;
    const raced = /\[rejected\]|non-fast-forward|fetch first|stale info|cannot lock ref/i.test(`${pushed.stdout}\n${pushed.stderr}`);
    if (!raced || attempt >= ATTEMPTS) {
      const detail = pushRefusal(pushed.stderr) ?? `exit code ${pushed.code}`;
      throw new ChartshipError(`cannot push to ${options.branch} on ${options.remote}: ${detail}`, {
        code: 'GIT_PUSH_FAILED',
        hint: raced ? `the branch kept moving under ${ATTEMPTS} attempts; run again` : 'the job needs push access (permissions: contents: write)',
      });
    }
  }
}

/** The branch's tip on the remote, or undefined when the remote has no such branch. */
export async function fetchBranch(git: Git, remote: string, branch: string): Promise<string | undefined> {
  const listed = await git.run(['ls-remote', '--heads', remote, `refs/heads/${branch}`]);
  if (listed.stdout.trim() === '') return undefined;
  await git.run(['fetch', '--quiet', '--no-tags', remote, `refs/heads/${branch}`]);
  return (await git.run(['rev-parse', '--verify', 'FETCH_HEAD^{commit}'])).stdout.trim();
}

/** `git ls-tree` lines of a commit's top-level tree, by name. */
async function topLevel(git: Git, commit: string): Promise<Map<string, string>> {
  const listing = (await git.run(['ls-tree', '-z', commit])).stdout;
  const entries = new Map<string, string>();
  for (const line of listing.split('\0').filter(Boolean)) entries.set(line.slice(line.indexOf('\t') + 1), line);
  return entries;
}
