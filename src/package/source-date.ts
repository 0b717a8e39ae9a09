import { ChartshipError } from '../model/errors.js';

/**
 * The time stamped on every archive entry when nothing better is known: 1980-01-01T00:00:00Z. Not 0, because Go
 * code (helm's own tar writer among it) treats the zero time as "unset" and substitutes the current time; 1980 is
 * the oldest time every archive format (zip included) can store.
 */
export const FALLBACK_SOURCE_DATE = new Date(Date.UTC(1980, 0, 1));

export type SourceDateOrigin = 'option' | 'SOURCE_DATE_EPOCH' | 'git' | 'fallback';

export interface SourceDate {
  date: Date;
  origin: SourceDateOrigin;
}

/**
 * Where the archive's time comes from, first found wins: an explicit date, SOURCE_DATE_EPOCH (reproducible-builds
 * convention), the newest commit touching the packaged directories (asked only when needed: `committed`), the fixed
 * fallback.
 */
export async function sourceDate(options: {
  date?: Date;
  env?: NodeJS.ProcessEnv;
  committed: () => Promise<Date | undefined>;
}): Promise<SourceDate> {
  if (options.date) return { date: wholeSeconds(options.date), origin: 'option' };
  const epoch = parseSourceDateEpoch((options.env ?? process.env)['SOURCE_DATE_EPOCH']);
  if (epoch) return { date: epoch, origin: 'SOURCE_DATE_EPOCH' };
  const committed = await options.committed();
  if (committed) return { date: committed, origin: 'git' };
  return { date: FALLBACK_SOURCE_DATE, origin: 'fallback' };
}

export function parseSourceDateEpoch(value: string | undefined): Date | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  if (!/^\d+$/.test(value.trim())) {
    throw new ChartshipError(`SOURCE_DATE_EPOCH must be a whole number of seconds since 1970, got ${JSON.stringify(value)}`, {
      field: 'SOURCE_DATE_EPOCH',
      code: 'SOURCE_DATE_INVALID',
    });
  }
  return new Date(Number(value.trim()) * 1000);
}

function wholeSeconds(date: Date): Date {
  return new Date(Math.floor(date.getTime() / 1000) * 1000);
}
