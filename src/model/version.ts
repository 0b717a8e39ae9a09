/**
 * chartship's own version, for `chartship --version` and the User-Agent registries log. The build writes
 * package.json's version into the bundles (scripts/build.mjs `define`); the sources run unbundled (unit tests) have
 * none, and say so rather than guess.
 */
declare const __CHARTSHIP_VERSION__: string | undefined;

export const CHARTSHIP_VERSION: string | undefined = typeof __CHARTSHIP_VERSION__ === 'string' ? __CHARTSHIP_VERSION__ : undefined;

/** `chartship/0.1.0`, or `chartship` unbundled: the product token of RFC 9110's User-Agent. */
export const USER_AGENT = CHARTSHIP_VERSION ? `chartship/${CHARTSHIP_VERSION}` : 'chartship';
