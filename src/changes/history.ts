import { StringDecoder } from 'node:string_decoder';
import type { Git } from './git.js';

export interface FileChange {
  /** `A`, `M`, `D`, `T`, `R` (renamed) or `C` (copied): the first letter of git's status. */
  status: string;
  path: string;
  /** The old path of a rename or copy. */
  from?: string;
}

export interface CommitRecord {
  sha: string;
  parents: string[];
  message: string;
  /** Files changed against the first parent; empty for merge commits (their changes arrive with the merged commits). */
  files: FileChange[];
}

const RS = '\x1e';
const US = '\x1f';

/**
 * The commits of the range, children before parents, with the files each changed. Renames are detected in every
 * commit, or, given `renamesIn`, only in the commits it picks from a first pass without them (a second `git log` over
 * just those): detection is a good part of git's time, and a caller may need renames only where, say, a file was
 * deleted. `listed` is the range as listRange gives it, when the caller started that already (beside other git work).
 */
export async function readHistory(git: Git, revisions: string[], renamesIn?: (commit: CommitRecord) => boolean, listed?: Promise<string[]>): Promise<CommitRecord[]> {
  const shas = await (listed ?? listRange(git, revisions));
  const commits = await inHalves(git, [renamesIn ? '--no-renames' : '-M'], shas);
  const again = renamesIn ? commits.filter(renamesIn) : [];
  if (again.length > 0) {
    const renamed = new Map((await logOf(git, ['-M'], again.map((c) => c.sha))).map((c) => [c.sha, c.files]));
    for (const commit of again) commit.files = renamed.get(commit.sha) ?? commit.files;
  }
  return commits;
}

/**
 * The range's commits, children before parents, from one `rev-list`. Walking a range is a full pass over its commits
 * for every git process that does it (a `git log` with a negative revision walks all of it before printing the first
 * commit), so it is walked once, here, and the logs that diff the commits are given them (`--no-walk`).
 */
export async function listRange(git: Git, revisions: string[]): Promise<string[]> {
  return (await revList(git, [], revisions)).split('\n').filter(Boolean);
}

/** A walk of the range: its commits as listRange gives them, and its boundary (the parents it leaves the range by). */
export interface RangeWalk {
  commits: string[];
  boundary: string[];
}

/** listRange with git's `--boundary`: what a merge base can be read from (refs.ts, mergeBaseOfWalk) at no extra cost. */
export async function walkRange(git: Git, revisions: string[]): Promise<RangeWalk> {
  const lines = (await revList(git, ['--boundary'], revisions)).split('\n').filter(Boolean);
  // Boundary commits come last, each marked `-`.
  return { commits: lines.filter((l) => !l.startsWith('-')), boundary: lines.filter((l) => l.startsWith('-')).map((l) => l.slice(1)) };
}

async function revList(git: Git, options: string[], revisions: string[]): Promise<string> {
  // Revisions may be names as the user gave them (a base listed before it is resolved): never read as options.
  return (await git.run(['rev-list', '--topo-order', ...options, '--end-of-options', ...revisions, '--'])).stdout;
}

/**
 * A range up to this long is diffed by one `git log`: a second process costs more than it saves.
 */
const ONE_LOG = 1000;

/**
 * A longer one is diffed by two `git log`s side by side, each given its half of the commits in git's own order (so
 * the halves join up): diffing trees is most of git's time, and a runner has two cores.
 */
async function inHalves(git: Git, args: string[], shas: string[]): Promise<CommitRecord[]> {
  if (shas.length === 0) return [];
  if (shas.length <= ONE_LOG) return logOf(git, args, shas);
  const half = Math.ceil(shas.length / 2);
  const halves = await Promise.all([shas.slice(0, half), shas.slice(half)].map((part) => logOf(git, args, part)));
  return halves.flat();
}

/** Exactly the commits `shas`, in that order (none of their ancestors). */
function logOf(git: Git, args: string[], shas: string[]): Promise<CommitRecord[]> {
  return log(git, [...args, '--no-walk=unsorted', '--stdin'], shas.map((sha) => `${sha}\n`).join(''));
}

async function log(git: Git, args: string[], input?: string): Promise<CommitRecord[]> {
  const parser = historyParser();
  // Messages are read as UTF-8: git writes them in i18n.logOutputEncoding, which i18n.commitEncoding (latin1) sets too.
  await git.run(
    ['-c', 'log.showSignature=false', 'log', '-z', '--encoding=UTF-8', '--name-status', '--no-color', '--no-ext-diff', `--format=${RS}%H${US}%P${US}%B${US}`, ...args, '--'],
    { onStdout: (chunk) => parser.push(chunk), ...(input !== undefined && { input }) },
  );
  return parser.end();
}

export function parseHistory(text: string): CommitRecord[] {
  const parser = historyParser();
  parser.push(text);
  return parser.end();
}

/** Takes git's output in pieces of any size; every record complete so far is parsed at once. */
function historyParser() {
  const decoder = new StringDecoder('utf8');
  const commits: CommitRecord[] = [];
  // The text of the record still being received, in pieces (one record may span many chunks: an import of 40,000 files).
  let pending: string[] = [];
  const records = (text: string) => {
    for (let start = text.indexOf(RS); start !== -1; ) {
      const next = text.indexOf(RS, start + 1);
      const record = text.slice(start + 1, next === -1 ? undefined : next);
      if (record !== '') commits.push(parseRecord(record));
      start = next;
    }
  };
  return {
    push(chunk: Buffer | string): void {
      const text = typeof chunk === 'string' ? chunk : decoder.write(chunk);
      const last = text.lastIndexOf(RS);
      if (last === -1) {
        pending.push(text);
        return;
      }
      pending.push(text.slice(0, last));
      records(pending.join(''));
      pending = [text.slice(last)];
    },
    end(): CommitRecord[] {
      pending.push(decoder.end());
      records(pending.join(''));
      pending = [];
      return commits;
    },
  };
}

/** `<sha> US <parents> US <message> US NUL` then, for a commit with changes, `\n` and NUL-separated statuses and paths. */
function parseRecord(record: string): CommitRecord {
  const headerEnd = record.indexOf(`${US}\0`);
  const header = headerEnd === -1 ? record : record.slice(0, headerEnd);
  const shaEnd = header.indexOf(US);
  const parentsEnd = shaEnd === -1 ? -1 : header.indexOf(US, shaEnd + 1);
  const sha = shaEnd === -1 ? header : header.slice(0, shaEnd);
  const parents = shaEnd === -1 ? '' : header.slice(shaEnd + 1, parentsEnd === -1 ? undefined : parentsEnd);
  const message = parentsEnd === -1 ? '' : header.slice(parentsEnd + 1);
  const files: FileChange[] = [];
  if (headerEnd !== -1) {
    let at = headerEnd + 2;
    if (record[at] === '\n') at++;
    const tokens = record.slice(at).split('\0');
    for (let i = 0; i < tokens.length; i++) {
      const status = tokens[i]?.[0];
      if (!status) continue;
      if (status === 'R' || status === 'C') {
        files.push({ status, from: tokens[i + 1] ?? '', path: tokens[i + 2] ?? '' });
        i += 2;
      } else {
        files.push({ status, path: tokens[i + 1] ?? '' });
        i += 1;
      }
    }
  }
  return { sha, parents: parents === '' ? [] : parents.split(' ').filter(Boolean), message: message.trimEnd(), files };
}
