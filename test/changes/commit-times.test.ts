import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { historyCommitTimes } from '../../src/changes/commit-time.js';
import { lastCommitTimes } from '../../src/changes/commit-times.js';
import { createGit, type Git } from '../../src/changes/git.js';

const EPOCH = 1_700_000_000;
const cleanup: string[] = [];
after(() => cleanup.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A repository driven by plain git, each commit at the committer time it is given (clocks may go backwards). */
function repository() {
  const dir = mkdtempSync(join(tmpdir(), 'chartship-times-'));
  cleanup.push(dir);
  let time = EPOCH;
  const git = (args: string[], at = time) => {
    try {
      return run(args, at);
    } catch (error) {
      throw new Error(`git ${args.join(' ')}: ${String((error as { stderr?: unknown }).stderr)}${String((error as { stdout?: unknown }).stdout)}`);
    }
  };
  // Copied once, as test/helpers/git.ts does: reading process.env costs half a millisecond per git run.
  const env = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' };
  const run = (args: string[], at: number) =>
    execFileSync('git', ['-c', 'user.name=T', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', '-c', 'maintenance.auto=false', ...args], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...env, GIT_AUTHOR_DATE: `${at} +0000`, GIT_COMMITTER_DATE: `${at} +0000` },
      stdio: ['ignore', 'pipe', 'pipe'],
    }).trim();
  git(['init', '-q', '-b', 'main']);
  const write = (path: string, content: string) => {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), content);
  };
  return {
    dir,
    git,
    write,
    /** Commits everything at `at` (default: a minute after the last one). */
    commit(message: string, files: Record<string, string> = {}, at = (time += 60)) {
      for (const [path, content] of Object.entries(files)) write(path, content);
      git(['add', '-A'], at);
      git(['commit', '-q', '--allow-empty', '-m', message], at);
      return git(['rev-parse', 'HEAD']);
    },
    merge(branch: string, args: string[] = [], at = (time += 60)) {
      try {
        git(['merge', '-q', '--no-ff', '--no-edit', ...args, branch], at);
      } catch (error) {
        if (!String(error).includes('CONFLICT')) throw error;
        // A conflict the strategy option does not settle (modify/delete): commit the tree as left.
        git(['add', '-A'], at);
        git(['commit', '-q', '--no-edit'], at);
      }
      return git(['rev-parse', 'HEAD']);
    },
  };
}

/** What `git log -1 --format=%ct -- <dir>` says at `head`, one process per directory. */
function perDirectory(dir: string, dirs: string[], head = 'HEAD'): Map<string, number | undefined> {
  return new Map(
    dirs.map((d) => {
      const out = execFileSync('git', ['log', '-1', '--format=%ct', head, '--', d === '' ? '.' : d], { cwd: dir, encoding: 'utf8' }).trim();
      return [d, out === '' ? undefined : Number(out)];
    }),
  );
}

/** The Git of `dir`, counting the processes it starts. */
function countingGit(dir: string): Git & { runs: string[][] } {
  const real = createGit(dir);
  const runs: string[][] = [];
  return { cwd: dir, runs, run: (args, options) => (runs.push(args), real.run(args, options)) };
}

/** A small deterministic pseudo-random source (mulberry32). */
function random(seed: number): (n: number) => number {
  return (n) => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 2 ** 32) * n);
  };
}

describe('every directory\'s last commit time from one history pass', () => {
  it('equals `git log -1 --format=%ct -- <dir>` for every directory at every head of a history with merges, renames, odd names and skewed clocks', async () => {
    const repo = repository();
    const dirs = ['', 'charts/a', 'charts/a/charts/sub', 'charts/with space', 'charts/ünïcode', 'charts/old', 'charts/new', 'charts/b', 'charts/never', 'docs'];
    repo.commit('initial', { 'charts/a/Chart.yaml': '1', 'charts/a/charts/sub/Chart.yaml': '1', 'charts/with space/Chart.yaml': '1', 'charts/ünïcode/Chart.yaml': '1', 'charts/old/Chart.yaml': '1' });
    repo.commit('b appears', { 'charts/b/Chart.yaml': '1', 'docs/x.md': '1' });
    repo.git(['checkout', '-q', '-b', 'side']);
    repo.commit('side changes sub and space', { 'charts/a/charts/sub/values.yaml': 's', 'charts/with space/values.yaml': 's' });
    // A clock behind its parent's.
    repo.commit('side changes b, clock behind', { 'charts/b/values.yaml': 's' }, EPOCH - 3600);
    repo.git(['checkout', '-q', 'main']);
    repo.commit('main changes ünïcode and b', { 'charts/ünïcode/values.yaml': 'm', 'charts/b/other.yaml': 'm' });
    // b: changed on both sides (different files): the merge differs from both parents there.
    repo.merge('side');
    repo.git(['mv', 'charts/old', 'charts/new']);
    repo.commit('rename old to new');
    repo.git(['checkout', '-q', '-b', 'topic']);
    repo.commit('topic changes new', { 'charts/new/values.yaml': 't' });
    repo.commit('topic changes a', { 'charts/a/values.yaml': 't' });
    repo.git(['checkout', '-q', 'main']);
    repo.commit('main changes docs', { 'docs/y.md': 'm' });
    // A merge that changes a file itself (an "evil" merge), and one whose other parent wins entirely (-s ours).
    repo.merge('topic', ['--no-commit']);
    repo.commit('merge topic, evil', { 'charts/with space/values.yaml': 'evil' });
    repo.git(['checkout', '-q', '-b', 'discarded', 'topic']);
    repo.commit('discarded changes ünïcode', { 'charts/ünïcode/values.yaml': 'discarded' });
    repo.git(['checkout', '-q', 'main']);
    repo.merge('discarded', ['-s', 'ours']);
    // An octopus merge of three branches, one of them behind in time.
    for (const [branch, file] of [['o1', 'charts/a/o1.yaml'], ['o2', 'charts/b/o2.yaml']] as const) {
      repo.git(['checkout', '-q', '-b', branch, 'main']);
      repo.commit(`octopus ${branch}`, { [file]: branch }, branch === 'o2' ? EPOCH - 7200 : undefined);
    }
    repo.git(['checkout', '-q', 'main']);
    repo.commit('main before octopus', { 'docs/z.md': 'z' });
    repo.merge('o1', ['o2']);
    mkdirSync(join(repo.dir, 'charts/never'), { recursive: true });

    const heads = repo.git(['rev-list', '--all']).split('\n');
    assert.ok(heads.length >= 15);
    const git = countingGit(repo.dir);
    for (const head of heads) {
      git.runs.length = 0;
      const times = await lastCommitTimes(git, dirs, head);
      assert.deepEqual(times, perDirectory(repo.dir, dirs, head), `at ${head}`);
      assert.ok(git.runs.length <= 3, `${git.runs.length} git processes at ${head}`);
    }
    const atHead = await lastCommitTimes(git, dirs);
    assert.equal(atHead.get('charts/never'), undefined);
    assert.equal(atHead.get('charts/old'), perDirectory(repo.dir, ['charts/old']).get('charts/old'));
    assert.notEqual(atHead.get('charts/b'), undefined);
  });

  it('equals the per-directory command on random histories of branches and merges', async () => {
    for (const seed of [1, 2, 3]) {
      const next = random(seed);
      const repo = repository();
      const dirs = ['d0', 'd1', 'd1/inner', 'd 2', 'd3', 'gone'];
      repo.commit('root', Object.fromEntries(dirs.map((d) => [`${d}/f`, 'root'])));
      const branches = ['main'];
      let at = EPOCH;
      for (let step = 0; step < 40; step++) {
        const branch = branches[next(branches.length)]!;
        repo.git(['checkout', '-q', branch]);
        at += 60 - next(4) * 50; // sometimes behind the previous commit
        const choice = next(10);
        if (choice < 2 && branches.length < 4) {
          const name = `b${step}`;
          repo.git(['checkout', '-q', '-b', name]);
          branches.push(name);
        } else if (choice < 5 && branches.length > 1) {
          const other = branches.filter((b) => b !== branch)[next(branches.length - 1)]!;
          const strategy = [['-X', 'ours'], ['-X', 'theirs'], ['-s', 'ours']][next(3)]!;
          repo.merge(other, strategy, at);
        } else {
          const files: Record<string, string> = {};
          for (let k = 0; k <= next(2); k++) files[`${dirs[next(dirs.length)]}/f${next(3)}`] = `${step}`;
          repo.commit(`step ${step}`, files, at);
        }
      }
      repo.git(['checkout', '-q', 'main']);
      if (seed === 2) {
        repo.git(['rm', '-rq', 'gone']);
        repo.commit('remove gone');
      }
      const git = countingGit(repo.dir);
      for (const head of [...branches, ...repo.git(['rev-list', '--merges', '--all']).split('\n').filter(Boolean)]) {
        assert.deepEqual(await lastCommitTimes(git, dirs, head), perDirectory(repo.dir, dirs, head), `seed ${seed} at ${head}`);
      }
    }
  });

  it('equals the per-directory command in a shallow clone (the boundary commit counts as a root)', async () => {
    const repo = repository();
    repo.commit('one', { 'a/f': '1', 'b/f': '1', 'c/f': '1' });
    for (let i = 0; i < 6; i++) repo.commit(`change ${i}`, { [`${i % 2 ? 'a' : 'b'}/f`]: `${i}` });
    const clone = mkdtempSync(join(tmpdir(), 'chartship-times-shallow-'));
    cleanup.push(clone);
    execFileSync('git', ['clone', '-q', '--depth', '3', `file://${repo.dir}`, clone]);
    const dirs = ['a', 'b', 'c'];
    const times = await lastCommitTimes(createGit(clone), dirs);
    assert.deepEqual(times, perDirectory(clone, dirs));
    assert.notEqual(times.get('c'), undefined, 'c is in the boundary commit\'s tree');
  });

  it('spawns the same few git processes for 40 charts as for one, and none per chart', async () => {
    const repo = repository();
    const files: Record<string, string> = {};
    for (let i = 0; i < 40; i++) files[`charts/c${i}/Chart.yaml`] = `${i}`;
    repo.commit('charts', files);
    repo.git(['checkout', '-q', '-b', 'side']);
    repo.commit('side', { 'charts/c1/values.yaml': 's' });
    repo.git(['checkout', '-q', 'main']);
    repo.commit('main', { 'charts/c2/values.yaml': 'm' });
    repo.merge('side');
    const paths = Object.keys(files).map((f) => f.replace('/Chart.yaml', ''));
    const git = countingGit(repo.dir);
    const timeOf = historyCommitTimes(repo.dir, paths.map((p) => join(repo.dir, p)), git);
    const times = await Promise.all(paths.map((p) => timeOf(join(repo.dir, p))));
    assert.deepEqual(times, [...perDirectory(repo.dir, paths).values()]);
    assert.deepEqual(git.runs.map((args) => args.find((a) => a === 'log' || a === 'cat-file')), ['log', 'cat-file']);
    // A directory it was not told about is asked the one-directory way, with the same answer.
    const extra = join(repo.dir, 'charts');
    assert.equal(await timeOf(extra), perDirectory(repo.dir, ['charts']).get('charts'));
  });

  it('asks directory by directory when git cannot walk the history in one pass (an older git), with the same answers', async () => {
    const repo = repository();
    repo.commit('one', { 'a/f': '1', 'b/f': '1' });
    repo.commit('two', { 'b/f': '2' });
    const real = createGit(repo.dir);
    // A git before 2.31 refuses --diff-merges: here git itself refuses an option it does not know.
    const old: Git = { cwd: repo.dir, run: (args, options) => real.run(args.map((a) => (a === '--diff-merges=first-parent' ? '--diff-merges=unknown-mode' : a)), options) };
    const timeOf = historyCommitTimes(repo.dir, ['a', 'b'].map((d) => join(repo.dir, d)), old);
    assert.deepEqual(await Promise.all(['a', 'b'].map((d) => timeOf(join(repo.dir, d)))), [...perDirectory(repo.dir, ['a', 'b']).values()]);
    await assert.rejects(lastCommitTimes(old, ['a']), /failed/);
  });
});
