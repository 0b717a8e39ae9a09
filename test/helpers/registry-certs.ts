/**
 * Test certificates made with the openssl CLI (node:crypto can sign but not issue X.509 certificates).
 *
 * What openssl made is kept under .cache/certificates/ by what it was asked for and openssl's version
 * (test/helpers/made-cache.ts) and written again for the next test process asking the same: three to four openssl
 * runs per registry (an RSA key among them for a token issuer) are a few seconds of CPU over the suite. Within one
 * test process every ask gets a CA and keys of its own, as before. The certificates are valid for two days; an entry
 * is made anew after one.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MadeCache } from './made-cache.js';

const CERTIFICATES = new MadeCache<Record<string, string>>('certificates', 24 * 60 * 60 * 1000);
/** The entries this process holds: two registries of one test never share a CA or a key. */
const held = new Set<string>();
let version: string | undefined;

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

/** The files `make` writes into `dir` (named in `files`), from the cache when openssl made them for the same `fields`. */
function made(what: string, fields: unknown, dir: string, files: string[], make: () => void): void {
  version ??= execFileSync('openssl', ['version'], { encoding: 'utf8' }).trim();
  const entry = CERTIFICATES.entry({ what, openssl: version, fields }, held);
  if (entry.value) {
    // As openssl writes them: private keys for their owner alone.
    for (const file of files) writeFileSync(join(dir, file), entry.value[file] ?? '', { mode: file.endsWith('.key') ? 0o600 : 0o644 });
    return;
  }
  make();
  entry.store(Object.fromEntries(files.map((file) => [file, readFileSync(join(dir, file), 'utf8')])));
}

/** A CA and a server certificate for 127.0.0.1/localhost (and `names`, e.g. a name only a test proxy resolves) signed by it, in `dir`. */
export function makeServerCertificates(dir: string, names: string[] = []): { caFile: string; certFile: string; keyFile: string } {
  made('server', names, dir, ['ca.crt', 'ca.key', 'server.crt', 'server.key'], () => {
    const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
    openssl(['req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', '/CN=chartship test CA',
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], dir);
    openssl(['req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1'], dir);
    const alt = ['IP:127.0.0.1', 'DNS:localhost', ...names.map((n) => `DNS:${n}`)].join(',');
    writeFileSync(join(dir, 'server.ext'), `subjectAltName=${alt}\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n`);
    openssl(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.crt', '-days', '2',
      '-extfile', 'server.ext'], dir);
  });
  return { caFile: join(dir, 'ca.crt'), certFile: join(dir, 'server.crt'), keyFile: join(dir, 'server.key') };
}

/** A self-signed RSA certificate for signing registry tokens (RS256); it goes into the registry's rootcertbundle. */
export function makeSigningCertificate(dir: string): { certFile: string; keyFile: string } {
  made('token-signing', [], dir, ['token.crt', 'token.key'], () => {
    openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'token.key', '-out', 'token.crt', '-days', '2',
      '-subj', '/CN=chartship test token issuer'], dir);
  });
  return { certFile: join(dir, 'token.crt'), keyFile: join(dir, 'token.key') };
}

/** A client certificate signed by the CA makeServerCertificates made in `dir`, for a registry that asks for one. */
export function makeClientCertificate(dir: string): { certFile: string; keyFile: string } {
  const ca = readFileSync(join(dir, 'ca.crt'), 'utf8');
  made('client', [ca], dir, ['client.crt', 'client.key'], () => {
    openssl(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'client.key', '-out', 'client.csr', '-subj', '/CN=chartship test client'], dir);
    writeFileSync(join(dir, 'client.ext'), 'extendedKeyUsage=clientAuth\nbasicConstraints=CA:FALSE\n');
    openssl(['x509', '-req', '-in', 'client.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'client.crt', '-days', '2', '-extfile', 'client.ext'], dir);
  });
  return { certFile: join(dir, 'client.crt'), keyFile: join(dir, 'client.key') };
}
