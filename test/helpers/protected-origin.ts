import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Who the developers' commits are by. */
export const DEV = { GIT_AUTHOR_NAME: 'Dev', GIT_AUTHOR_EMAIL: 'dev@example.com', GIT_COMMITTER_NAME: 'Dev', GIT_COMMITTER_EMAIL: 'dev@example.com' };

/**
 * A bare repository standing in for GitHub's: a pre-receive hook refuses every push to main while the file
 * `protected` exists in it, unless GitHub itself merges (GITHUB_MERGE=1, set only by the test's "merge button").
 */
export function createOrigin(
  scratch: string,
  name: string,
  /** `existing`: the repository is there already, a copy of one made here (its hook and all). */
  options: { existing?: boolean } = {},
): { dir: string; protect(on: boolean): void; git(...args: string[]): string } {
  const dir = join(scratch, `${name}.git`);
  if (!options.existing) initOrigin(dir);
  return {
    dir,
    protect: (on) => (on ? writeFileSync(join(dir, 'protected'), '') : rmSync(join(dir, 'protected'), { force: true })),
    git: (...args) => execFileSync('git', ['--git-dir', dir, ...args], { encoding: 'utf8' }).trim(),
  };
}

function initOrigin(dir: string): void {
  execFileSync('git', ['init', '-q', '--bare', '-b', 'main', dir]);
  const hook = join(dir, 'hooks', 'pre-receive');
  writeFileSync(
    hook,
    [
      '#!/bin/sh',
      'while read old new ref; do',
      '  if [ "$ref" = refs/heads/main ] && [ -f "$GIT_DIR/protected" ] && [ "$GITHUB_MERGE" != 1 ]; then',
      '    echo "error: GH006: Protected branch update failed for refs/heads/main." >&2',
      '    exit 1',
      '  fi',
      'done',
      '',
    ].join('\n'),
  );
  chmodSync(hook, 0o755);
}

/**
 * A developer's clone: commits land on main as GitHub's merge button puts them there. `existing`: a copy of another
 * origin's clone is there already, and is pointed at `origin`.
 */
export function createDev(scratch: string, origin: string, name: string, options: { existing?: boolean } = {}) {
  const dir = join(scratch, name);
  const git = (args: string[], env: NodeJS.ProcessEnv = {}) => execFileSync('git', args, { cwd: dir, encoding: 'utf8', env: { ...process.env, ...DEV, ...env } }).trim();
  if (options.existing) git(['remote', 'set-url', 'origin', origin]);
  else execFileSync('git', ['clone', '-q', origin, dir], { stdio: 'ignore' });
  /** main as origin has it (nothing to do before the first commit). */
  const upToMain = () => {
    git(['fetch', '-q', 'origin']);
    if (spawnSync('git', ['rev-parse', '-q', '--verify', 'origin/main'], { cwd: dir }).status === 0) git(['checkout', '-q', '-B', 'main', 'origin/main']);
  };
  return {
    dir,
    git: (...args: string[]) => git(args),
    /** Commits the files (null deletes) on main and lands the commit on origin's main, as a merged pull request would. */
    land(message: string, files: Record<string, string | null>): string {
      upToMain();
      for (const [path, text] of Object.entries(files)) {
        if (text === null) rmSync(join(dir, path), { force: true });
        else {
          mkdirSync(join(dir, path, '..'), { recursive: true });
          writeFileSync(join(dir, path), text);
        }
      }
      git(['add', '-A']);
      git(['commit', '-qm', message]);
      git(['push', '-q', 'origin', 'main'], { GITHUB_MERGE: '1' });
      return git(['rev-parse', 'HEAD']);
    },
    /** GitHub's merge button: a merge commit of the branch into main. */
    merge(branch: string, number: number): string {
      upToMain();
      git(['fetch', '-q', 'origin', branch]);
      git(['merge', '-q', '--no-ff', '-m', `Merge pull request #${number} from acme/${branch}`, 'FETCH_HEAD']);
      git(['push', '-q', 'origin', 'main'], { GITHUB_MERGE: '1' });
      return git(['rev-parse', 'HEAD']);
    },
  };
}

