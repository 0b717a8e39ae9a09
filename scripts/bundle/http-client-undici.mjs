// Stands in for `undici` where @actions/http-client imports it (scripts/build.mjs). http-client imports undici's
// ProxyAgent at its top for requests through a proxy only, and @actions/core imports http-client at its top for the
// OIDC token: so every action start would evaluate all of undici (a third of the action's code, and node:http with
// it). Here undici is required when a ProxyAgent is made; esbuild bundles the require as a call to the same copy of
// undici the rest of chartship uses.
export class ProxyAgent {
  constructor(options) {
    // eslint-disable-next-line no-undef -- bundled: esbuild turns this into its own require of the bundled undici
    const { ProxyAgent: Real } = require('undici');
    return new Real(options);
  }
}
