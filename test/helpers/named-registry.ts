/**
 * A real registry reachable under the name of a public one (`ghcr.io`, `quay.io`, an ECR host…) from loopback only:
 * Debian's docker-registry (plain HTTP) behind a TLS front whose certificate carries that name, the front also
 * serving the token endpoint on the same origin when the registry uses tokens (as ghcr.io/token, quay.io/v2/auth
 * and <name>.azurecr.io/oauth2/token do), and a forward proxy that resolves `name:443` to the front. A client reaches
 * it with `HTTPS_PROXY` set to `proxy.url` and the CA in `caFile`, exactly as it would reach the real one: by name,
 * on port 443, over TLS.
 *
 *   const hub = await startNamedRegistry(['registry-1.docker.io'], { auth: 'htpasswd' });
 *   … oci://docker.io/acme with env { HTTPS_PROXY: hub.proxy.url } and caFile: hub.caFile
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFlakyProxy, type FlakyProxy } from './flaky-proxy.js';
import { startForwardProxy, type ForwardProxy } from './forward-proxy.js';
import { makeServerCertificates } from './registry-certs.js';
import { startRegistry, type RegistryOptions, type TestRegistry } from './registry.js';

export interface NamedRegistry {
  names: string[];
  registry: TestRegistry;
  /** The TLS front: add `rules` to make it answer as the emulated registry does. */
  front: FlakyProxy;
  proxy: ForwardProxy;
  caFile: string;
  stop(): Promise<void>;
}

/** `tokenPath`: the realm's path (default `/token`); `tokenRoute`: the path prefix the front sends to the token server (default `tokenPath`). */
export async function startNamedRegistry(names: string[], options: RegistryOptions & { tokenPath?: string; tokenRoute?: string } = {}): Promise<NamedRegistry> {
  const dir = mkdtempSync(join(tmpdir(), 'chartship-named-'));
  const stops: (() => Promise<void> | void)[] = [() => rmSync(dir, { recursive: true, force: true })];
  try {
    const certs = makeServerCertificates(dir, names);
    const tokenPath = options.tokenPath ?? '/token';
    const auth = options.auth ?? 'none';
    const registry = await startRegistry({
      ...options,
      tls: false,
      ...(auth === 'token' ? { token: { ...options.token, realm: `https://${names[0]}${tokenPath}` } } : {}),
    });
    stops.unshift(() => registry.stop());
    const routes = registry.realm ? [{ prefix: options.tokenRoute ?? tokenPath, upstream: new URL(registry.realm).origin }] : [];
    const front = await startFlakyProxy(registry.url, { tls: { certFile: certs.certFile, keyFile: certs.keyFile }, routes });
    stops.unshift(() => front.stop());
    const proxy = await startForwardProxy({ hosts: Object.fromEntries(names.map((name) => [`${name}:443`, front.host])) });
    stops.unshift(() => proxy.stop());
    return {
      names,
      registry,
      front,
      proxy,
      caFile: certs.caFile,
      stop: async () => {
        for (const stop of stops) await stop();
      },
    };
  } catch (error) {
    for (const stop of stops) await stop();
    throw error;
  }
}
