/**
 * openpgp is the largest library chartship bundles after undici: it is read only when something is signed or
 * verified (a chunk of its own in dist/), not at every start.
 */
export function loadOpenpgp(): Promise<typeof import('openpgp')> {
  return import('openpgp');
}
