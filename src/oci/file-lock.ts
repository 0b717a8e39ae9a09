import { randomUUID } from 'node:crypto';
import { link, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { systemClock, type Clock } from '../model/clock.js';
import { ChartshipError } from '../model/errors.js';

export interface FileLockOptions {
  /** A lock older than this is left over from a run that hung or died elsewhere, and is broken. */
  staleMs?: number;
  /** How long to wait for a live holder before giving up. */
  timeoutMs?: number;
  clock?: Clock;
}

/** What a lock file holds: enough to tell whether its holder still runs. */
interface Holder {
  pid?: number;
  host?: string;
  /** When it was taken (ms since the epoch); the file's mtime when the content is unreadable. */
  time: number;
  token?: string;
}

const DEFAULTS = { staleMs: 30_000, timeoutMs: 120_000 };

/** In one process, holders of the same lock queue here instead of polling the file against each other. */
const queues = new Map<string, Promise<void>>();

async function serialised<T>(key: string, body: () => Promise<T>): Promise<T> {
  const previous = queues.get(key) ?? Promise.resolve();
  let release!: () => void;
  const done = new Promise<void>((resolve) => (release = resolve));
  const tail = previous.then(() => done);
  queues.set(key, tail);
  await previous;
  try {
    return await body();
  } finally {
    release();
    if (queues.get(key) === tail) queues.delete(key);
  }
}

/**
 * Runs `body` holding `file` as a lock, against this process and every other one. The lock file is created
 * exclusively (O_EXCL), so exactly one creator wins; it records pid, host, time and a token. A lock whose holder is
 * gone (same host, pid no longer running) or that is older than `staleMs` is broken; a live one is waited for, with
 * backoff, for at most `timeoutMs`. `body` gets `stillHeld`, to call just before it commits its write: it throws if
 * another process broke the lock meanwhile, so a write never lands outside the lock.
 */
export async function withFileLock<T>(file: string, body: (stillHeld: () => Promise<void>) => Promise<T>, options: FileLockOptions = {}): Promise<T> {
  return serialised(file, async () => {
    const token = await acquire(file, options);
    try {
      return await body(async () => {
        const holder = await readHolder(file);
        if (holder?.token !== token) {
          throw new ChartshipError('another process broke this lock while it was held (it took longer than the stale limit)', { file, code: 'LOCK_LOST' });
        }
      });
    } finally {
      const holder = await readHolder(file);
      if (holder?.token === token) await unlink(file).catch(() => undefined);
    }
  });
}

async function acquire(file: string, options: FileLockOptions): Promise<string> {
  const { staleMs, timeoutMs } = { ...DEFAULTS, ...options };
  const clock = options.clock ?? systemClock;
  const token = randomUUID();
  const deadline = clock.now() + timeoutMs;
  for (let attempt = 0; ; attempt++) {
    const content = JSON.stringify({ pid: process.pid, host: hostname(), time: clock.now(), token });
    try {
      const handle = await open(file, 'wx');
      try {
        await handle.writeFile(content);
      } finally {
        await handle.close();
      }
      return token;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw fileError('cannot create the lock file', file, error);
    }
    const holder = await readHolder(file);
    if (holder === undefined) continue;
    if (isStale(holder, staleMs, clock)) {
      await breakLock(file, holder);
      continue;
    }
    if (clock.now() >= deadline) {
      const who = holder.pid === undefined ? 'another process' : `pid ${holder.pid}${holder.host ? ` on ${holder.host}` : ''}`;
      throw new ChartshipError(`timed out after ${Math.round(timeoutMs / 1000)}s waiting for the lock held by ${who} since ${new Date(holder.time).toISOString()}`, {
        file,
        code: 'LOCK_TIMEOUT',
        hint: 'another run is writing here; if none is, delete the lock file',
      });
    }
    // Holders keep the lock for one small file write: start fast, back off to 100 ms, with jitter against lockstep.
    await clock.sleep(Math.min(100, 2 ** Math.min(attempt, 7)) * (0.5 + Math.random()));
  }
}

/** undefined: the lock vanished (released) while we looked. */
async function readHolder(file: string): Promise<Holder | undefined> {
  let text: string;
  let mtime: number;
  try {
    [text, mtime] = await Promise.all([readFile(file, 'utf8'), stat(file).then((s) => s.mtimeMs)]);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw fileError('cannot read the lock file', file, error);
  }
  try {
    const parsed = JSON.parse(text) as Partial<Holder>;
    if (typeof parsed.time === 'number') return { ...parsed, time: parsed.time };
  } catch {
    // Being written right now, or left half-written by a crash: only its age can tell.
  }
  return { time: mtime };
}

function isStale(holder: Holder, staleMs: number, clock: Clock): boolean {
  if (clock.now() - holder.time > staleMs) return true;
  return holder.pid !== undefined && holder.host === hostname() && !isRunning(holder.pid);
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Moves the stale lock aside before deleting it, so two processes breaking it at once cannot delete a fresh lock
 * a third one just took: whoever moved a lock that turns out not to be the stale one puts it back.
 */
async function breakLock(file: string, stale: Holder): Promise<void> {
  const aside = `${file}.stale-${randomUUID()}`;
  try {
    await rename(file, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw fileError('cannot break the stale lock file', file, error);
  }
  const moved = await readHolder(aside);
  const same = moved !== undefined && moved.token === stale.token && moved.time === stale.time;
  if (!same) await link(aside, file).catch(() => undefined);
  await unlink(aside).catch(() => undefined);
}

/** A file system error as the user should read it: what failed, on which path, and the system's reason. */
export function fileError(what: string, file: string, error: unknown): ChartshipError {
  const code = (error as NodeJS.ErrnoException).code;
  const reason: Record<string, string> = {
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EROFS: 'read-only file system',
    ENOTDIR: 'a part of the path is not a directory',
    ENOENT: 'the file system does not allow creating it here',
    ENOSPC: 'no space left on the device',
    EISDIR: 'it is a directory',
  };
  const why = (code && reason[code]) ?? (error instanceof Error ? error.message : String(error));
  return new ChartshipError(`${what}: ${why}${code ? ` (${code})` : ''}`, { file, code: 'FILE_UNWRITABLE', cause: error });
}
