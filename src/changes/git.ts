import { spawn } from 'node:child_process';
import { ownChild } from '../model/stopped-run.js';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChartshipError } from '../model/errors.js';
import { redactText } from '../model/redact.js';

export interface GitOutput {
  code: number;
  /** Standard output as UTF-8 text (empty when it went to `onStdout`). */
  stdout: string;
  /** The same bytes undecoded, for byte-counted formats such as `cat-file --batch`. */
  raw: Buffer;
  stderr: string;
}

export interface GitRunOptions {
  input?: string | Buffer;
  /** Return a non-zero exit instead of throwing. */
  allowFailure?: boolean;
  /** Variables for this call only (GIT_INDEX_FILE for a commit built beside the work tree's index). */
  env?: Record<string, string>;
  /**
   * Standard output handed over chunk by chunk as git writes it, instead of collected: a long `git log` is parsed
   * while git still runs, and never held whole in memory.
   */
  onStdout?: (chunk: Buffer) => void;
  /** Work no longer wanted: git is ended (SIGTERM) and the call rejects with the signal's reason. */
  signal?: AbortSignal;
}

/** Everything chartship asks of git goes through here, so one place decides how git is run. */
export interface Git {
  readonly cwd: string;
  run(args: string[], options?: GitRunOptions): Promise<GitOutput>;
}

const QUIET_CONFIG = ['-c', 'gc.auto=0', '-c', 'maintenance.auto=false'];

export function createGit(cwd: string): Git {
  return {
    cwd,
    async run(args, options = {}) {
      const chunks: Buffer[] = [];
      const errors: Buffer[] = [];
      const onStdout = options.onStdout ?? ((chunk: Buffer) => chunks.push(chunk));
      const code = await new Promise<number>((resolve, reject) => {
        // A prompt for credentials would hang a CI job forever; fail instead.
        // No automatic gc or maintenance after chartship's commits and fetches: git would leave it running detached
        // in the workspace after the step ended, racing whatever comes next (a cache save, the checkout's clean-up).
        const child = ownChild(spawn('git', [...QUIET_CONFIG, ...args], { cwd, env: { ...process.env, GIT_TERMINAL_PROMPT: '0', ...options.env }, stdio: ['pipe', 'pipe', 'pipe'], ...(options.signal && { signal: options.signal }) }));
        child.on('error', reject);
        child.stdout.on('data', onStdout);
        child.stderr.on('data', (chunk: Buffer) => errors.push(chunk));
        // git may exit before reading all its input (a bad revision): that is its exit code's to report, not EPIPE's.
        child.stdin.on('error', () => undefined);
        child.stdin.end(options.input === undefined ? undefined : Buffer.from(options.input));
        child.on('close', (status, signal) => resolve(status ?? (signal ? 128 : 1)));
      }).catch((error: unknown) => {
        if (options.signal?.aborted) throw options.signal.reason;
        throw new ChartshipError(`cannot run git: ${(error as Error).message}`, { code: 'GIT_MISSING', hint: 'install git', cause: error });
      });
      const raw = Buffer.concat(chunks);
      const output = { code, stdout: raw.toString('utf8'), raw, stderr: Buffer.concat(errors).toString('utf8') };
      if (code !== 0 && !options.allowFailure) throw gitFailed(args, output, cwd);
      return output;
    },
  };
}

/** `git` with every call ended when `signal` aborts (work started beside a check that may make it pointless). */
export function abortable(git: Git, signal: AbortSignal): Git {
  return { cwd: git.cwd, run: (args, options = {}) => git.run(args, { ...options, signal }) };
}

/** The error for a git call that failed: its command and what git said (gitSays). */
export function gitFailed(args: string[], output: Pick<GitOutput, 'code' | 'stderr'>, cwd: string): ChartshipError {
  const said = gitSaid(output);
  // The likeliest first mistake: a directory that is not a clone (a CI step before the checkout, a copied folder).
  // git's own words for it vary with the file system, so it is said in chartship's.
  if (/^fatal: not a git repository/.test(said)) {
    return new ChartshipError(`${cwd} is not in a git repository`, {
      code: 'GIT_NOT_A_REPOSITORY',
      hint: 'chartship reads the charts\' history: run it in a clone of the repository, in a workflow after actions/checkout with fetch-depth: 0',
    });
  }
  return new ChartshipError(`git ${args[0]} failed: ${said}`, { code: 'GIT_FAILED' });
}

/** What git said (gitSays), else its exit code. */
export const gitSaid = (output: Pick<GitOutput, 'code' | 'stderr'>): string => gitSays(output.stderr) ?? `exit code ${output.code}`;

/**
 * The line of git's stderr that says what went wrong: its first `fatal:` or `error:` line, else its last line. git
 * often adds advice after it ("Stopping at filesystem boundary…", "Please make sure you have the correct access
 * rights…", `hint:` lines), which alone does not say what failed. A remote's URL in it loses its login.
 */
export function gitSays(stderr: string): string | undefined {
  const lines = stderr.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('hint:'));
  const said = lines.find((l) => /^(fatal|error):/.test(l)) ?? lines.pop();
  return said === undefined ? undefined : redactText(said);
}

/**
 * Why a remote refused a push, in its own words: a protected branch or a token that may not push says why on
 * `remote:` lines (GitHub's GH006, GitLab's "You are not allowed to push code to this project"), where git's own
 * error only says that some refs failed, naming the remote's URL.
 */
export function pushRefusal(stderr: string): string | undefined {
  const remote = stderr.split('\n').map((l) => l.trim()).filter((l) => l.startsWith('remote:')).map((l) => l.slice('remote:'.length).trim()).filter(Boolean);
  return remote.length > 0 ? redactText(remote.join(' ')) : gitSays(stderr);
}

/** Reads many `rev:path` blobs in one git call; missing ones come back undefined. */
export async function readBlobs(git: Git, specs: string[]): Promise<(string | undefined)[]> {
  if (specs.length === 0) return [];
  const { raw } = await git.run(['cat-file', '--batch'], { input: specs.map((s) => `${s}\n`).join('') });
  const out: (string | undefined)[] = [];
  let at = 0;
  for (let i = 0; i < specs.length; i++) {
    const eol = raw.indexOf(0x0a, at);
    const header = raw.subarray(at, eol).toString('utf8');
    at = eol + 1;
    const match = /^\S+ (\S+) (\d+)$/.exec(header);
    if (!match) {
      out.push(undefined);
      continue;
    }
    const size = Number(match[2]);
    out.push(match[1] === 'blob' ? raw.subarray(at, at + size).toString('utf8') : undefined);
    at += size + 1;
  }
  return out;
}

/**
 * Stores many blobs with one git process and returns their ids in order: each file as its own `hash-object` costs a
 * process (and a fork of this one), which a release of hundreds of charts pays thousands of times. The bytes are
 * stored as they are (`--no-filters`, as `--stdin` implies): no attribute of the repository converts them.
 */
export async function writeBlobs(git: Git, contents: (string | Buffer)[]): Promise<string[]> {
  if (contents.length === 0) return [];
  const dir = await mkdtemp(join(tmpdir(), 'chartship-blobs-'));
  try {
    const files = contents.map((_, i) => join(dir, String(i)));
    await Promise.all(contents.map((bytes, i) => writeFile(files[i]!, bytes)));
    const ids = (await git.run(['hash-object', '-w', '--no-filters', '--stdin-paths'], { input: files.map((f) => `${f}\n`).join('') })).stdout.split('\n').filter(Boolean);
    if (ids.length !== contents.length) throw new ChartshipError(`git hash-object stored ${ids.length} of ${contents.length} files`, { code: 'GIT_FAILED' });
    return ids;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Who chartship's commits are by: GitHub's documented bot identity (a runner has none configured). */
export const BOT_IDENTITY = { name: 'github-actions[bot]', email: '41898282+github-actions[bot]@users.noreply.github.com' };
