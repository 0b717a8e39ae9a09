import { isIP } from 'node:net';
import type { Agent, Dispatcher, EnvHttpProxyAgent } from 'undici';
import { ChartshipError } from '../model/errors.js';
import { redactUrl } from '../model/redact.js';
import { loadUndici } from './undici.js';

/** Where requests go when the environment names a proxy, read the way Go's net/http (helm, docker) reads it. */
export interface ProxySettings {
  httpProxy: string;
  httpsProxy: string;
  noProxy: string;
}

type ConnectOptions = Record<string, unknown>;

/**
 * `HTTPS_PROXY`/`HTTP_PROXY`/`NO_PROXY`, upper case first, then lower case, as Go reads them; undefined when no proxy
 * is set. A value without a scheme (`proxy:3128`) means `http://proxy:3128`, as in Go.
 */
export function proxySettings(env: NodeJS.ProcessEnv): ProxySettings | undefined {
  const read = (name: string) => (env[name] || env[name.toLowerCase()] || '').trim();
  const httpProxy = normalize('HTTP_PROXY', read('HTTP_PROXY'));
  const httpsProxy = normalize('HTTPS_PROXY', read('HTTPS_PROXY'));
  if (!httpProxy && !httpsProxy) return undefined;
  // undici falls back from https to http itself only when httpsProxy is absent; give it the same rule explicitly.
  return { httpProxy, httpsProxy: httpsProxy || httpProxy, noProxy: read('NO_PROXY') };
}

function normalize(name: string, value: string): string {
  if (!value) return '';
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    // The value may carry a proxy password: name the variable, not its value.
    throw new ChartshipError('is not a proxy URL', { field: name, code: 'PROXY_INVALID', hint: 'e.g. http://proxy.example.com:3128' });
  }
  if (!['http:', 'https:', 'socks5:', 'socks:'].includes(url.protocol)) {
    throw new ChartshipError(`uses the unsupported scheme ${url.protocol} (${redactUrl(url)})`, { field: name, code: 'PROXY_INVALID' });
  }
  return url.toString();
}

/** Go never sends loopback requests through a proxy (net/http's httpproxy): a CI service container stays reachable. */
export function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1';
}

/**
 * A dispatcher that connects with `connect` (TLS settings for the origin) directly, or through the proxy the
 * environment names, honouring NO_PROXY (undici's EnvHttpProxyAgent does the matching). Through a proxy the same TLS
 * settings apply to the tunnelled connection (`requestTls`). The proxy variables are checked at once, undici is
 * read at the first request.
 */
export class ProxyAwareDispatcher {
  readonly #connect: ConnectOptions;
  readonly #settings: ProxySettings | undefined;
  #agents: Promise<{ direct: Agent; proxied: EnvHttpProxyAgent | undefined }> | undefined;

  constructor(connect: ConnectOptions, env: NodeJS.ProcessEnv) {
    this.#connect = connect;
    this.#settings = proxySettings(env);
  }

  async for(url: URL): Promise<Dispatcher> {
    this.#agents ??= loadUndici().then(({ Agent, EnvHttpProxyAgent }) => {
      const connect = this.#connect;
      const settings = this.#settings;
      return { direct: new Agent({ connect }), proxied: settings ? new EnvHttpProxyAgent({ ...settings, connect, requestTls: connect }) : undefined };
    });
    const { direct, proxied } = await this.#agents;
    return proxied && !isLoopback(url.hostname) ? proxied : direct;
  }

  async close(): Promise<void> {
    if (!this.#agents) return;
    const { direct, proxied } = await this.#agents;
    await Promise.all([direct.close(), proxied?.close()]);
  }
}

/**
 * `fetch` for a service chartship talks to besides registries (GitHub's API, and the links it hands out: an
 * attestation bundle on its storage), through the proxy the environment names for each URL's own host, as the
 * registries' requests are: a runner's NO_PROXY often names the API, or GitHub Enterprise Server, and not the storage.
 * Redirects are followed.
 */
export function proxiedFetch(env: NodeJS.ProcessEnv = process.env): (url: string, init?: RequestInit) => Promise<Response> {
  let proxies: ProxyAwareDispatcher | undefined;
  return async (url, init) => {
    const { fetch } = await loadUndici();
    proxies ??= new ProxyAwareDispatcher({}, env);
    // Node's and the bundled undici's typings name the same options (node's global fetch is undici's).
    const options = { ...init, redirect: 'follow', dispatcher: await proxies.for(new URL(url)) } as Parameters<typeof fetch>[1];
    return fetch(url, options);
  };
}
