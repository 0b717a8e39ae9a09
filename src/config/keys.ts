import { closest, distance } from 'fastest-levenshtein';
/** Where a value sits in the configuration: keys and list indexes. */
export type ConfigPath = readonly (string | number)[];

// How keys are named to a user, apart from reading YAML (./document.ts, loaded only when there is a file to read).

/** `policy.charts[0].rules`: how a user names a key. */
export function dottedKey(path: ConfigPath): string {
  return path.reduce<string>((out, s) => (typeof s === 'number' ? `${out}[${s}]` : out ? `${out}.${s}` : s), '');
}

/**
 * The first of `names` that is none of `known` but almost is one, with the one it was probably meant to be; undefined
 * when every name is known or close to none (a name close to none may be something else's, and is left alone).
 */
export function nearMiss(names: readonly string[], known: readonly string[]): { name: string; meant: string } | undefined {
  for (const name of names) {
    if (known.includes(name)) continue;
    const meant = didYouMean(name, known);
    if (meant !== undefined) return { name, meant };
  }
  return undefined;
}

/**
 * The closest of `known` to `word`, when it is close enough to be a typo of it: a few letters off, or the same words
 * with one left out (`immutable-tags` for `immutable-image-tags`).
 */
export function didYouMean(word: string, known: readonly string[]): string | undefined {
  if (known.length === 0) return undefined;
  const best = closest(word, [...known]);
  if (distance(word, best) <= Math.max(2, Math.floor(word.length / 3))) return best;
  const words = (text: string) => text.toLowerCase().split(/[-_.]/).filter(Boolean);
  const mine = words(word);
  const covering = known.filter((k) => mine.length > 1 && mine.every((w) => words(k).includes(w)));
  return covering.length > 0 ? closest(word, covering) : undefined;
}
