import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChartshipError } from '../model/errors.js';
import { fetchBranch } from './branch-files.js';
import { pushRefusal, writeBlobs, type Git } from './git.js';

/**
 * The commit of a release branch: `parent`'s tree with `files` (repository paths) replaced or added, built in an
 * index of its own, so the work tree, the index and HEAD stay as they are.
 */
export async function commitFiles(
  git: Git,
  options: { parent: string; files: Map<string, string>; message: string; identity: { name: string; email: string } },
): Promise<{ commit: string; tree: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'chartship-index-'));
  const env = { GIT_INDEX_FILE: join(dir, 'index') };
  try {
    const paths = [...options.files.keys()];
    const [blobs] = await Promise.all([writeBlobs(git, [...options.files.values()]), git.run(['read-tree', options.parent], { env })]);
    // One update-index for every file: `mode id<TAB>path`, NUL-terminated so that no path needs quoting.
    if (paths.length > 0) await git.run(['update-index', '-z', '--index-info'], { env, input: paths.map((path, i) => `100644 ${blobs[i]}\t${path}\0`).join('') });
    const tree = (await git.run(['write-tree'], { env })).stdout.trim();
    const who = ['-c', `user.name=${options.identity.name}`, '-c', `user.email=${options.identity.email}`];
    const commit = (await git.run([...who, 'commit-tree', tree, '-p', options.parent, '-m', options.message])).stdout.trim();
    return { commit, tree };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export interface BranchState {
  tip: string;
  tree: string;
  parents: string[];
  /** Authors' emails of the commits on the branch that `base` does not have. */
  authors: string[];
}

/** The remote branch as it is now, or undefined when there is none. */
export async function remoteBranch(git: Git, remote: string, branch: string, base: string): Promise<BranchState | undefined> {
  const tip = await fetchBranch(git, remote, branch);
  if (!tip) return undefined;
  const [tree = '', ...parents] = (await git.run(['log', '-1', '--format=%T %P', tip])).stdout.trim().split(' ');
  const authors = (await git.run(['log', '--format=%ae', `${base}..${tip}`])).stdout.split('\n').filter(Boolean);
  return { tip, tree, parents, authors };
}

/** Replaces the remote branch with `commit`: the release branch belongs to chartship, so a force-push is its update. */
export async function forcePush(git: Git, remote: string, branch: string, commit: string): Promise<void> {
  const pushed = await git.run(['push', '--porcelain', '--force', remote, `${commit}:refs/heads/${branch}`], { allowFailure: true });
  if (pushed.code !== 0) {
    const detail = pushRefusal(pushed.stderr) ?? `exit code ${pushed.code}`;
    throw new ChartshipError(`cannot push the release branch ${branch} to ${remote}: ${detail}`, {
      code: 'GIT_PUSH_FAILED',
      hint: 'the job needs push access to that branch (permissions: contents: write); only the release branch is pushed',
    });
  }
}

/** Deletes the remote branch (a release pull request closed as stale leaves no branch behind). */
export async function deleteBranch(git: Git, remote: string, branch: string): Promise<void> {
  await git.run(['push', '--porcelain', remote, `:refs/heads/${branch}`], { allowFailure: true });
}
