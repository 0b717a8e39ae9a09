import type { Git } from './git.js';

/**
 * Newest committer time over some directories, each asked through its own Git (they may sit in different
 * repositories); undefined when none is committed. A directory outside any repository, or no git at all, counts as
 * uncommitted.
 */
export async function lastCommitTime(gits: Git[]): Promise<Date | undefined> {
  let newest: number | undefined;
  for (const git of gits) {
    const seconds = await commitTime(git);
    if (seconds !== undefined && (newest === undefined || seconds > newest)) newest = seconds;
  }
  return newest === undefined ? undefined : new Date(newest * 1000);
}

async function commitTime(git: Git): Promise<number | undefined> {
  try {
    const out = await git.run(['log', '-1', '--format=%ct', '--', '.'], { allowFailure: true });
    const value = out.stdout.trim();
    return out.code === 0 && /^\d+$/.test(value) ? Number(value) : undefined;
  } catch {
    // No git on PATH, or not a repository: fall back like an untracked directory.
    return undefined;
  }
}
