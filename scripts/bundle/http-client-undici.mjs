// Stands in for `undici` where @actions/http-client imports it (scripts/build.mjs). http-client imports undici's
// ProxyAgent at its top for requests through a proxy only, and @actions/core imports http-client at its top for the
// OIDC token: so every action start would read all of undici (a third of the action's code). Here the ProxyAgent is
// made from the undici chartship reads lazily (src/oci/undici.ts): only Octokit makes one (for a proxy), and
// report/github-lazy.ts reads undici before it creates Octokit. Not bundled, the same class fails loudly.
import { loadedUndici } from '../../src/oci/undici.ts';

export class ProxyAgent {
  constructor(options) {
    const undici = loadedUndici();
    if (!undici) throw new Error("chartship: undici's ProxyAgent was asked for before undici was read (await loadUndici() first)");
    return new undici.ProxyAgent(options);
  }
}
