/**
 * What a test helper makes with a slow tool and may hand out again (gpg keys, certificates), kept under
 * .cache/<kind>/ by everything that decides what gets made (the options, the tool's version), so that the next test
 * asking the same gets it without making it again, in this run or a later one.
 *
 * Asking twice for the same in one scope (a gpg home, a test process) gives two different things: the n-th ask is
 * the n-th entry, made when it is not there yet. What must not be shared between tests that hold it at the same time
 * is therefore never shared within a scope, and the cache holds as many entries as one scope ever asked for.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..', '.cache');

interface Stored<T> {
  madeAt: number;
  value: T;
}

export interface CacheEntry<T> {
  /** What was kept for this entry, unless it must be made (never made, or older than `maxAgeMs`). */
  value: T | undefined;
  /** Keeps what was made for this entry, for the next test to ask. */
  store(value: T): void;
}

export class MadeCache<T> {
  private readonly dir: string;

  /**
   * `maxAgeMs`: how long something made stays good (a certificate's validity, with a margin), or for ever. Storing an
   * entry removes the files of entries older than that.
   */
  constructor(kind: string, private readonly maxAgeMs = Infinity) {
    this.dir = join(ROOT, kind);
  }

  /** The next entry of `scope` for `fields` (anything JSON can hold; objects' keys in any order). */
  entry(fields: unknown, scope: Set<string>): CacheEntry<T> {
    const key = createHash('sha256').update(JSON.stringify(sorted(fields))).digest('hex').slice(0, 32);
    let n = 0;
    while (scope.has(`${key}-${n}`)) n++;
    scope.add(`${key}-${n}`);
    const file = join(this.dir, n === 0 ? `${key}.json` : `${key}-${n}.json`);
    let value: T | undefined;
    try {
      const stored = JSON.parse(readFileSync(file, 'utf8')) as Stored<T>;
      if (Date.now() - stored.madeAt < this.maxAgeMs) value = stored.value;
    } catch {
      // not made yet
    }
    return {
      value,
      store: (made: T) => {
        mkdirSync(this.dir, { recursive: true });
        // Written beside and renamed: test files asking at once never read half an entry.
        const staging = `${file}.${process.pid}`;
        writeFileSync(staging, JSON.stringify({ madeAt: Date.now(), value: made } satisfies Stored<T>));
        renameSync(staging, file);
        this.forgetExpired();
      },
    };
  }

  /** Entries past their age are made anew when asked for: the files of those nobody asks for again go. */
  private forgetExpired(): void {
    if (!Number.isFinite(this.maxAgeMs)) return;
    for (const name of readdirSync(this.dir)) {
      const file = join(this.dir, name);
      try {
        if (Date.now() - statSync(file).mtimeMs > this.maxAgeMs) rmSync(file, { force: true });
      } catch {
        // removed by another test process meanwhile
      }
    }
  }
}

function sorted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sorted);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => [k, sorted(v)]));
  return value;
}
