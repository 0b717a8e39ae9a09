/** The Sigstore libraries (sigstore.ts), as a module loaded at run time. */
export type Sigstore = typeof import('./sigstore.js');

let loaded: Promise<Sigstore> | undefined;

/**
 * Loaded on first use only: with their HTTP stack the Sigstore libraries are a third of the size of the rest of
 * chartship, and a run that neither attests nor verifies should not parse them. The bundler makes the dynamic
 * import a chunk of its own where the build splits; elsewhere it stays lazily evaluated.
 */
export function loadSigstore(): Promise<Sigstore> {
  loaded ??= import('./sigstore.js');
  return loaded;
}
