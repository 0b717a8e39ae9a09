import { existsSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, sep } from 'node:path';
import { lastCommitTimes } from './commit-times.js';
import { createGit, type Git } from './git.js';

/** A directory's last commit time in seconds (`git log -1 --format=%ct -- <dir>`); undefined when uncommitted. */
export type CommitTimeOf = (dir: string) => Promise<number | undefined>;

/**
 * Newest committer time over some directories (they may sit in different repositories); undefined when none is
 * committed. A directory outside any repository, or no git at all, counts as uncommitted.
 */
export async function lastCommitTime(dirs: string[], timeOf: CommitTimeOf = commitTimeOf): Promise<Date | undefined> {
  let newest: number | undefined;
  for (const seconds of await Promise.all([...new Set(dirs)].map(timeOf))) {
    if (seconds !== undefined && (newest === undefined || seconds > newest)) newest = seconds;
  }
  return newest === undefined ? undefined : new Date(newest * 1000);
}

/**
 * One git call for one directory (or file: a chart's link may reach one): the way for a few, and for those outside a
 * known repository.
 */
export const commitTimeOf: CommitTimeOf = (path) => (isFile(path) ? commitTime(createGit(dirname(path)), basename(path)) : commitTime(createGit(path)));

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

async function commitTime(git: Git, path = '.'): Promise<number | undefined> {
  try {
    const out = await git.run(['log', '-1', '--format=%ct', '--', path], { allowFailure: true });
    const value = out.stdout.trim();
    return out.code === 0 && /^\d+$/.test(value) ? Number(value) : undefined;
  } catch {
    // No git on PATH, or not a repository: fall back like an untracked directory.
    return undefined;
  }
}

/**
 * Commit times for many directories of the repository at `root`, from one history pass (run on the first question,
 * for all of `dirs` at once). A directory not among `dirs`, outside the repository, or inside a nested repository is
 * asked the one-directory way, with the same answer.
 */
export function historyCommitTimes(root: string, dirs: string[], git: Git = createGit(root)): CommitTimeOf {
  const top = realpathOrUndefined(root);
  const inRepository = new Map<string, string>();
  for (const dir of dirs) {
    const path = top === undefined ? undefined : repositoryPath(top, dir);
    if (path !== undefined) inRepository.set(dir, path);
  }
  let pass: Promise<Map<string, number | undefined> | undefined> | undefined;
  const times = () =>
    (pass ??= lastCommitTimes(git, [...new Set(inRepository.values())]).catch(() => undefined));
  return async (dir) => {
    const path = inRepository.get(dir);
    const known = path === undefined ? undefined : await times();
    return known && path !== undefined ? known.get(path) : commitTimeOf(dir);
  };
}

/** The directory relative to the repository's top (`/`-separated), or undefined when git would read another repository there. */
function repositoryPath(top: string, dir: string): string | undefined {
  const real = realpathOrUndefined(dir);
  if (real === undefined) return undefined;
  const rel = relative(top, real);
  if (rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel) || rel.includes('\n')) return undefined;
  // A .git below the top (a submodule or a nested clone) makes git answer from that repository.
  for (let at = real; at !== top && at !== dirname(at); at = dirname(at)) if (existsSync(join(at, '.git'))) return undefined;
  return rel.split(sep).join('/');
}

function realpathOrUndefined(path: string): string | undefined {
  try {
    return realpathSync.native(path);
  } catch {
    return undefined;
  }
}
