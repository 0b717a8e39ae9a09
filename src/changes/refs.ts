import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ChartshipError } from '../model/errors.js';
import { gitFailed, gitSaid, type Git } from './git.js';
import type { RangeWalk } from './history.js';

const FULL_HISTORY_HINT = 'fetch the full history: actions/checkout with `fetch-depth: 0`, or `git fetch --unshallow --tags`';

export async function resolveCommit(git: Git, rev: string): Promise<string | undefined> {
  const out = await git.run(['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`], { allowFailure: true });
  return out.code === 0 ? out.stdout.trim() : undefined;
}

export async function isShallow(git: Git): Promise<boolean> {
  return (await git.run(['rev-parse', '--is-shallow-repository'])).stdout.trim() === 'true';
}

export interface Repository {
  /** The work tree's top directory. */
  root: string;
  shallow: boolean;
  /** The revision asked for, as a commit; undefined when it names none (here: perhaps not fetched yet). */
  commit?: string;
}

/**
 * What a plan asks of the repository first, in one git call: its root, whether the clone is shallow, and the head
 * revision as a commit. Each git process costs milliseconds a short plan feels.
 */
export async function openRepository(git: Git, rev: string): Promise<Repository> {
  const args = ['rev-parse', '--show-toplevel', '--is-shallow-repository', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`];
  const out = await git.run(args, { allowFailure: true });
  // `--verify --quiet` exits 1, silently, for a revision that names no commit, after the answers before it.
  if (out.code !== 0 && (out.code !== 1 || out.stderr.trim() !== '')) throw gitFailed(args, out, git.cwd);
  const [root = '', shallow, commit] = out.stdout.split('\n');
  const repository: Repository = { root, shallow: shallow === 'true' };
  if (out.code === 0 && commit) repository.commit = commit;
  return repository;
}

/** Deepening steps before giving up and fetching everything: most pull requests are found within the first. */
const DEEPEN_STEPS = [50, 500];

/**
 * The commit a range starts from: the merge base of base and head (for a push, `before` itself). A shallow clone is
 * deepened step by step, then unshallowed, until both ends, their common ancestor and every commit between are present.
 * `bySha`: it was deepened by the range's ends alone, which brings no tag along.
 */
export async function mergeBase(git: Git, base: string, head: string, first?: FirstMergeBase): Promise<{ commit: string; head: string; fetched: boolean; bySha?: boolean }> {
  const found = first && (await first.commit);
  if (found && first.head && (first.shallow === false || !(await cutShort(git, first.head, found)))) return { commit: found, head: first.head, fetched: false };
  // Whether the remote serves the ends by SHA: true once it did, false once it would not.
  let bySha: boolean | undefined;
  for (let attempt = 0; ; attempt++) {
    const baseSha = await resolveCommit(git, base);
    const headSha = await resolveCommit(git, head);
    if (baseSha && headSha) {
      const out = await git.run(['merge-base', baseSha, headSha], { allowFailure: true });
      const commit = out.stdout.trim();
      if (out.code === 0 && !(await cutShort(git, headSha, commit))) return { commit, head: headSha, fetched: attempt > 0, bySha };
    }
    // Unshallowed by the ends alone, the clone may stay shallow where other refs were cut: the range is whole.
    if ((bySha && attempt > DEEPEN_STEPS.length) || !(await isShallow(git))) {
      if (!headSha) throw unknownHead(head);
      if (!baseSha) {
        // A base SHA from an event may sit on a branch the checkout never fetched: the remote is asked for it once.
        if (bySha !== false && SHA.test(base) && (await fetchShas(git, [], [base])) === true && (await resolveCommit(git, base))) continue;
        throw unknownBase(base);
      }
      throw new ChartshipError(`${base} and ${head} have no common history`, { code: 'GIT_NO_MERGE_BASE', field: 'base' });
    }
    const step = DEEPEN_STEPS[attempt];
    const depth = step === undefined ? '--unshallow' : `--deepen=${step}`;
    const ends = [headSha ?? head, baseSha ?? base];
    if (bySha !== false && ends.every((sha) => SHA.test(sha))) {
      const fetched = await fetchShas(git, [depth], ends, baseSha ? undefined : base);
      if (fetched === 'gone') throw unknownBase(base);
      bySha = fetched;
      if (fetched) continue;
    }
    await fetch(git, [depth]);
  }
}

const SHA = /^[0-9a-f]{40}$/i;

const unknownBase = (base: string) => new ChartshipError(`unknown base revision ${JSON.stringify(base)}`, { code: 'GIT_REF_UNKNOWN', field: 'base', hint: FULL_HISTORY_HINT });

/**
 * Fetches commits by SHA (`args`: a depth, `--tags`); deepens the clone along the range's ends only, where a monorepo's
 * remote would otherwise send every branch (its default refspec). A remote may refuse commits it did not advertise
 * (`uploadpack.allowReachableSHA1InWant` off, protocol v0): false, and the caller fetches as before. 'gone': a remote
 * that serves SHAs has no such base (a force push rewrote it away), which no deepening would find.
 */
async function fetchShas(git: Git, args: string[], shas: string[], missingBase?: string): Promise<boolean | 'gone'> {
  const remote = await firstRemote(git);
  if (!remote) return false;
  const out = await git.run(['fetch', '--quiet', '--no-tags', ...args, remote, ...shas], { allowFailure: true });
  return out.code === 0 || (missingBase !== undefined && out.stderr.includes(`not our ref ${missingBase}`) && 'gone');
}

/** A first try at the merge base, started before head was resolved (openRepository), with head as that found it. */
export interface FirstMergeBase {
  commit: Promise<string | undefined>;
  head: string | undefined;
  /** Whether the clone is shallow, when known: a whole clone's range needs no look at its cut. */
  shallow?: boolean;
}

/**
 * Whether a shallow clone cuts the range short: a commit of head ^base whose parents were not fetched (a merge's
 * other side deeper than the clone's depth: GitLab's merged results, a push of a merged branch) would be diffed
 * against nothing, and every chart would look changed.
 */
async function cutShort(git: Git, head: string, base: string): Promise<boolean> {
  const path = (await git.run(['rev-parse', '--git-path', 'shallow'])).stdout.trim();
  const cut = new Set((await readFile(resolve(git.cwd, path), 'utf8').catch(() => '')).split('\n').filter(Boolean));
  if (cut.size === 0) return false;
  const range = (await git.run(['rev-list', head, `^${base}`])).stdout.split('\n');
  return range.some((sha) => cut.has(sha));
}

/**
 * `git merge-base` of the two revisions as given, undefined when that fails (a revision missing, a shallow clone, no
 * common history: mergeBase then finds out which). Both ends are nearly always there, so this is usually the answer.
 */
export async function tryMergeBase(git: Git, base: string, head: string): Promise<string | undefined> {
  const out = await git.run(['merge-base', '--end-of-options', base, head], { allowFailure: true });
  return out.code === 0 ? out.stdout.trim() : undefined;
}

/**
 * The merge base of base and head read off a walk of `head ^base` (walkRange), or undefined where git must be asked.
 * A walk that leaves the range by exactly one commit: every path from head to a common ancestor leaves the range
 * there, so that commit is the only best common ancestor (on a shallow clone's cut history too, as `git merge-base`
 * sees it). An empty range: base reaches head, which is then the merge base. Several boundary commits (a branch that
 * merged its base in) or none (a cut history, unrelated histories) are merge-base's to sort out.
 */
export function mergeBaseOfWalk(walk: RangeWalk, head: string | undefined): string | undefined {
  if (walk.commits.length === 0) return walk.boundary.length === 0 ? head : undefined;
  return walk.boundary.length === 1 ? walk.boundary[0] : undefined;
}

/**
 * Tags and tag-relative ranges need all of history: deepening cannot tell where an old tag lies. Head's history and
 * the tags are all they need; the remote's default refspec would bring every branch of a monorepo too. A remote that
 * will not serve head by SHA does so, as before.
 */
export async function ensureFullHistory(git: Git, shallow: boolean | undefined, head: string): Promise<boolean> {
  if (!(shallow ?? (await isShallow(git)))) return false;
  const sha = SHA.test(head) ? head : await resolveCommit(git, head);
  // fetchShas says --no-tags first: the --tags after it wins. A refused fetch may have unshallowed the clone all the
  // same, where git would refuse --unshallow: the fallback asks for --unshallow's depth.
  if (!sha || !(await fetchShas(git, ['--unshallow', '--tags'], [sha]))) await fetch(git, ['--depth=2147483647', '--tags']);
  return true;
}

async function fetch(git: Git, args: string[]): Promise<void> {
  const out = await git.run(['fetch', '--quiet', ...args], { allowFailure: true });
  if (out.code !== 0) {
    throw new ChartshipError(`this clone is shallow and deepening it failed: ${gitSaid(out)}`, { code: 'GIT_SHALLOW', hint: FULL_HISTORY_HINT });
  }
}

const firstRemote = async (git: Git) => (await git.run(['remote'], { allowFailure: true })).stdout.split('\n')[0]?.trim() || undefined;

export interface TagRef {
  name: string;
  commit: string;
  /** The commit's committer time in seconds (NaN when the tag points at no commit). */
  time?: number;
}

/**
 * The release tags of a clone still shallow: CI checkouts (GitLab's GIT_DEPTH, Azure's fetchDepth, Bitbucket's depth)
 * bring only the tags on the commits they fetched, and a version released before that window would be released
 * again. The remote's tag list names them all without fetching a commit; the clone's own tags come first. A remote
 * that cannot be asked fails the plan, which cannot tell what was released. `listed`: the clone's tags, when read
 * since its last fetch.
 */
export async function listTagsShallow(git: Git, listed?: TagRef[]): Promise<TagRef[]> {
  const local = listed ?? (await listTags(git));
  const remote = await firstRemote(git);
  const out = remote ? await git.run(['ls-remote', '--tags', remote], { allowFailure: true }) : undefined;
  if (out?.code !== 0) {
    const said = out ? gitSaid(out) : 'the clone has no remote';
    throw new ChartshipError(`this clone is shallow, and its remote's release tags cannot be listed: ${said}`, { code: 'GIT_SHALLOW', hint: FULL_HISTORY_HINT });
  }
  const commits = new Map<string, string>();
  // `SHA refs/tags/NAME`, then `SHA refs/tags/NAME^{}` (the commit) for an annotated tag.
  for (const line of out.stdout.split('\n')) {
    const [sha = '', ref = ''] = line.split('\t');
    if (ref.startsWith('refs/tags/')) commits.set(ref.slice('refs/tags/'.length).replace(/\^\{\}$/, ''), sha);
  }
  const known = new Set(local.map((t) => t.name));
  return [...local, ...[...commits].filter(([name]) => !known.has(name)).map(([name, commit]) => ({ name, commit, time: NaN }))];
}

/**
 * A clone without any tag may be a CI checkout that fetches none (Jenkins' multibranch default, Azure's `fetchTags:
 * false`): every chart would be planned as never released. Its remote's tags are fetched, when it has a remote; the
 * failure is what git said when the fetch failed.
 */
export async function fetchRemoteTags(git: Git): Promise<{ fetched: boolean; failure?: string }> {
  const remote = await firstRemote(git);
  if (!remote) return { fetched: false };
  const out = await git.run(['fetch', '--quiet', '--tags', remote], { allowFailure: true });
  return out.code === 0 ? { fetched: true } : { fetched: false, failure: gitSaid(out) };
}

export async function listTags(git: Git): Promise<TagRef[]> {
  const { stdout } = await git.run(['for-each-ref', '--format=%(refname)%00%(objectname)%00%(*objectname)%00%(committerdate:unix)%00%(*committerdate:unix)', 'refs/tags']);
  return stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [ref = '', object = '', peeled = '', time = '', peeledTime = ''] = line.split('\0');
      return { name: ref.replace(/^refs\/tags\//, ''), commit: peeled || object, time: Number((peeled ? peeledTime : time) || NaN) };
    });
}

/** The branch checked out, or undefined on a detached HEAD. */
export async function checkedOutBranch(git: Git): Promise<string | undefined> {
  const head = await git.run(['symbolic-ref', '--quiet', '--short', 'HEAD'], { allowFailure: true });
  return head.code === 0 ? head.stdout.trim() : undefined;
}

/** A head that names no commit; HEAD names none in a repository with no commit yet. */
export function unknownHead(head: string): ChartshipError {
  return new ChartshipError(`unknown head revision ${JSON.stringify(head)}`, {
    code: 'GIT_REF_UNKNOWN',
    field: 'head',
    ...(head === 'HEAD' ? { hint: 'the repository has no commit yet: commit the charts first' } : {}),
  });
}
