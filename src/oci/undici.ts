type Undici = typeof import('undici');

let loaded: Promise<Undici> | undefined;
let ready: Undici | undefined;

/**
 * undici, read at the first request rather than at start: it is the largest library chartship bundles, and a run
 * that never reaches a network (a plan, a package, a push to an image layout) starts without it. Bundled, a dynamic
 * import of a CommonJS module yields its exports as `default` only; run from source, node also names them.
 */
export function loadUndici(): Promise<Undici> {
  loaded ??= import('undici').then((module) => (ready = (module as Undici & { default?: Undici }).default ?? module));
  return loaded;
}

/**
 * undici once loadUndici() has read it; undefined before. For code that must make an undici object synchronously
 * (the bundle's stand-in for @actions/http-client's ProxyAgent): whoever starts it awaits loadUndici() first.
 */
export function loadedUndici(): Undici | undefined {
  return ready;
}
