/**
 * Real GnuPG for tests: a throw-away GNUPGHOME, keys made with `gpg --batch --quick-gen-key`, exports in the
 * forms users hand to chartship (armored secret key, binary public keyring), and gpg/gpgv as the reference
 * signer and verifier. Call `close()` in after(): it stops the gpg-agent this home started and removes the dir.
 *
 * A key gpg made is kept under .cache/gpg-keys/, by its options and gpg's version (test/helpers/made-cache.ts), and
 * imported into the next home that asks for the same options: an RSA key costs gpg-agent a second or more of CPU to
 * make, and the suite asks for the same few many times. What the home holds afterwards is what generating left there
 * (the secret key, ultimate ownertrust, the revocation certificate). A key with a relative expiry and no fixed
 * creation time is always made anew, since it would expire in the cache.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MadeCache } from './made-cache.js';

const KEYS = new MadeCache<CachedKey>('gpg-keys');

interface CachedKey extends GpgKey {
  revocation: string;
}

export interface GpgResult {
  code: number;
  stdout: Buffer;
  stderr: string;
}

export interface GpgKey {
  fingerprint: string;
  userId: string;
  passphrase?: string;
  armoredSecret: string;
  armoredPublic: string;
}

export interface KeyOptions {
  name: string;
  /** gpg algorithm name: `ed25519`, `rsa3072`, `nistp256`, … */
  algo: string;
  passphrase?: string;
  /** Primary key usage, e.g. `sign` or `cert` (a key that cannot sign). */
  usage?: string;
  /** Expiry as gpg takes it (`1d`, `never`). */
  expire?: string;
  /** Add a subkey with this algorithm and the sign capability. */
  signingSubkey?: string;
  /** Add a subkey with this algorithm and the encrypt capability. */
  encryptionSubkey?: string;
  /** Pretend the key was made at this time (gpg --faked-system-time, e.g. `20200101T000000`). */
  createdAt?: string;
  /** The algorithm preferences written into the key (gpg --default-preference-list, e.g. `SHA256 AES256 ZLIB`). */
  preferences?: string;
}

/**
 * A fixed, minimal S2K count: by default the agent calibrates one (up to 65M SHA-1 rounds) for every key it protects
 * or exports, seconds of CPU per key on a busy machine, and openpgp.js pays the same again to unlock it. The
 * protection mode (iterated and salted S2K) is the same either way.
 */
export const AGENT_CONF = 'allow-loopback-pinentry\ns2k-count 65536\n';

export class GpgHome {
  /** Cache entries this home holds: asking twice for the same options must give two keys. */
  private readonly imported = new Set<string>();
  private static version: Promise<string> | undefined;

  private constructor(readonly dir: string) {}

  static async create(): Promise<GpgHome> {
    // Short path: gpg-agent's socket lives here and socket paths are limited to ~100 bytes.
    const dir = await mkdtemp(join(tmpdir(), 'cs-gpg-'));
    await writeFile(join(dir, 'gpg-agent.conf'), AGENT_CONF, { mode: 0o600 });
    return new GpgHome(dir);
  }

  get env(): NodeJS.ProcessEnv {
    return { ...process.env, GNUPGHOME: this.dir, LC_ALL: 'C' };
  }

  run(command: string, args: string[], input?: string | Buffer): Promise<GpgResult> {
    return new Promise((resolve, reject) => {
      const child = execFile(command, args, { env: this.env, encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        if (error && typeof error.code !== 'number') return reject(new Error(error.message, { cause: error }));
        resolve({ code, stdout, stderr: stderr.toString('utf8') });
      });
      // gpg may exit before reading stdin (e.g. on a bad argument); its exit code tells the story, not EPIPE.
      child.stdin?.on('error', () => undefined);
      if (input === undefined) child.stdin?.end();
      else child.stdin?.end(input);
    });
  }

  /** gpg --batch with a loopback passphrase (empty for unprotected keys); throws on a non-zero exit. */
  async gpg(args: string[], options: { passphrase?: string; input?: string | Buffer } = {}): Promise<Buffer> {
    const result = await this.run('gpg', ['--batch', '--pinentry-mode', 'loopback', '--passphrase', options.passphrase ?? '', ...args], options.input);
    if (result.code !== 0) throw new Error(`gpg ${args.join(' ')} failed (${result.code}): ${result.stderr}`);
    return result.stdout;
  }

  async generateKey(options: KeyOptions): Promise<GpgKey> {
    // A key with a relative expiry and no fixed creation time would expire in the cache.
    if (options.expire && options.expire !== 'never' && !options.createdAt) return this.makeKey(options);
    GpgHome.version ??= this.gpg(['--version']).then((out) => out.toString('utf8').split('\n')[0] ?? '');
    const entry = KEYS.entry({ gpg: await GpgHome.version, options }, this.imported);
    if (entry.value) return this.importCached(entry.value);
    const key = await this.makeKey(options);
    const revocation = await readFile(join(this.dir, 'openpgp-revocs.d', `${key.fingerprint}.rev`), 'utf8');
    entry.store({ ...key, revocation });
    return key;
  }

  /** Puts a cached key into this home as generating it would have left it. */
  private async importCached(cached: CachedKey): Promise<GpgKey> {
    await this.gpg(['--import'], { input: cached.armoredSecret });
    await this.gpg(['--import-ownertrust'], { input: `${cached.fingerprint}:6:\n` });
    mkdirSync(join(this.dir, 'openpgp-revocs.d'), { recursive: true, mode: 0o700 });
    writeFileSync(join(this.dir, 'openpgp-revocs.d', `${cached.fingerprint}.rev`), cached.revocation);
    const { fingerprint, userId, passphrase, armoredSecret, armoredPublic } = cached;
    return { fingerprint, userId, passphrase, armoredSecret, armoredPublic };
  }

  private async makeKey(options: KeyOptions): Promise<GpgKey> {
    const userId = `${options.name} <${options.name.toLowerCase().replace(/[^a-z0-9]+/g, '.')}@example.com>`;
    const made = [...(options.createdAt ? ['--faked-system-time', options.createdAt] : []), ...(options.preferences ? ['--default-preference-list', options.preferences] : [])];
    const pass = { passphrase: options.passphrase };
    await this.gpg([...made, '--quick-gen-key', userId, options.algo, options.usage ?? 'sign', options.expire ?? 'never'], pass);
    const fingerprint = await this.fingerprintOf(userId);
    if (options.signingSubkey) await this.gpg([...made, '--quick-add-key', fingerprint, options.signingSubkey, 'sign'], pass);
    if (options.encryptionSubkey) await this.gpg([...made, '--quick-add-key', fingerprint, options.encryptionSubkey, 'encr'], pass);
    return this.exportKey(fingerprint, userId, options.passphrase);
  }

  private async exportKey(fingerprint: string, userId: string, passphrase?: string): Promise<GpgKey> {
    const pass = { passphrase };
    const armoredSecret = (await this.gpg(['--armor', '--export-secret-keys', fingerprint], pass)).toString('utf8');
    const armoredPublic = (await this.gpg(['--armor', '--export', fingerprint])).toString('utf8');
    return { fingerprint, userId, passphrase, armoredSecret, armoredPublic };
  }

  /** Revokes the key with the certificate gpg stored when making it; returns the re-exported (revoked) key. */
  async revoke(key: GpgKey): Promise<GpgKey> {
    const stored = await readFile(join(this.dir, 'openpgp-revocs.d', `${key.fingerprint}.rev`), 'utf8');
    // gpg stores it with the armor header commented out (":-----BEGIN") so it cannot be imported by accident.
    await this.gpg(['--import'], { input: stored.replace(/^:-----BEGIN/m, '-----BEGIN') });
    return this.exportKey(key.fingerprint, key.userId, key.passphrase);
  }

  private async fingerprintOf(userId: string): Promise<string> {
    const listing = (await this.gpg(['--with-colons', '--list-secret-keys', `=${userId}`])).toString('utf8');
    const fpr = listing.split('\n').find((line) => line.startsWith('fpr:'));
    if (!fpr) throw new Error(`no fingerprint for ${userId}:\n${listing}`);
    return (fpr.split(':')[9] ?? '').toUpperCase();
  }

  /** `gpg --export` of the given keys: the binary keyring helm and gpgv read. */
  async exportKeyring(fingerprints: string[]): Promise<Buffer> {
    return this.gpg(['--export', ...fingerprints]);
  }

  /** Real gpg's cleartext signature over `text` (SHA-512), as a second, independent signer. */
  async clearsign(key: GpgKey, text: string): Promise<string> {
    const out = await this.gpg(['--local-user', key.fingerprint, '--digest-algo', 'SHA512', '--clearsign'], {
      passphrase: key.passphrase,
      input: text,
    });
    return out.toString('utf8');
  }

  /** gpgv against an explicit keyring file (exit code 0 = good signature). */
  async gpgv(keyringFile: string, signedFile: string): Promise<GpgResult> {
    return this.run('gpgv', ['--keyring', keyringFile, signedFile]);
  }

  /** gpg --verify using this home's keys. */
  async verify(signedFile: string): Promise<GpgResult> {
    return this.run('gpg', ['--batch', '--verify', signedFile]);
  }

  async close(): Promise<void> {
    await this.run('gpgconf', ['--kill', 'gpg-agent']).catch(() => undefined);
    await rm(this.dir, { recursive: true, force: true });
  }
}
