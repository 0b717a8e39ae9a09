import type * as openpgp from 'openpgp';
import { ChartshipError } from '../model/errors.js';
import { helmCleartextLayout } from './cleartext.js';
import { loadOpenpgp } from './openpgp.js';

export interface Signer {
  /** Primary key fingerprint, upper-case hex, as `helm verify` prints it. */
  fingerprint: string;
  userIds: string[];
  /** What the user should know before publishing with this key (e.g. verifiers that cannot check it). */
  warnings: string[];
  /** Returns the complete cleartext-signed message (`-----BEGIN PGP SIGNED MESSAGE-----` … signature). */
  sign(text: string): Promise<string>;
}

/**
 * Reads an armored secret key and unlocks it. The key text and passphrase come from the caller and are never
 * put into messages; `label` names where the key came from (e.g. `input signing-key`) so errors can say which.
 */
export async function loadSigningKey(options: { armoredKey: string; passphrase?: string; label?: string }): Promise<Signer> {
  const label = options.label ?? 'the signing key';
  const pgp = await loadOpenpgp();
  let key: openpgp.Key;
  try {
    key = await pgp.readKey({ armoredKey: options.armoredKey });
  } catch (error) {
    throw new ChartshipError(`${label} is not an armored OpenPGP key: ${openpgpReason(error)}`, {
      hint: 'export it with gpg --armor --export-secret-keys KEYID',
      code: 'SIGNING_KEY_INVALID',
    });
  }
  const fingerprint = key.getFingerprint().toUpperCase();
  const named = `${label} (${fingerprint})`;
  if (!key.isPrivate()) {
    throw new ChartshipError(`${named} is a public key; signing needs the secret key`, {
      hint: 'export it with gpg --armor --export-secret-keys KEYID',
      code: 'SIGNING_KEY_PUBLIC',
    });
  }

  let privateKey: openpgp.PrivateKey = key;
  if (!key.isDecrypted()) {
    if (options.passphrase === undefined || options.passphrase === '') {
      throw new ChartshipError(`${named} is protected by a passphrase and none was given`, {
        hint: 'pass the passphrase along with the key',
        code: 'SIGNING_KEY_LOCKED',
      });
    }
    try {
      privateKey = await pgp.decryptKey({ privateKey: key, passphrase: options.passphrase });
    } catch (error) {
      // Only the library's reason goes out: it never contains key material or the passphrase.
      const reason = openpgpReason(error);
      const wrong = /passphrase|checksum|decrypt/i.test(reason);
      throw new ChartshipError(wrong ? `wrong passphrase for ${named}` : `cannot unlock ${named}: ${reason}`, {
        code: wrong ? 'SIGNING_KEY_PASSPHRASE' : 'SIGNING_KEY_LOCKED',
      });
    }
  }

  // Fails now, not at the first chart, when the key is expired, revoked or has no usable signing (sub)key.
  const signingKey = await signingKeyOf(privateKey, named);
  const userIds = key.getUserIDs();
  const warnings = helm3Warnings(key, signingKey, named);

  return {
    fingerprint,
    userIds,
    warnings,
    async sign(text: string): Promise<string> {
      await signingKeyOf(privateKey, named);
      // The body's last newline is signed, and the armor's line end follows it (a blank line before the signature),
      // as helm 4 (ProtonMail go-crypto) writes it; helm 3 (golang.org/x/crypto) leaves that newline unsigned. Either
      // verifies with both.
      const message = await pgp.createCleartextMessage({ text });
      // helm signs with SHA-512 (its packet.Config DefaultHash); the armor then says `Hash: SHA512`. openpgp.js's
      // sign() takes `recipientKeys` (its documentation says so) but its type declarations leave it out.
      const options: openpgp.SignOptions & { message: openpgp.CleartextMessage; format?: 'armored'; recipientKeys: openpgp.PrivateKey } = {
        message,
        signingKeys: privateKey,
        recipientKeys: await sha512Preferences(),
        config: { preferredHashAlgorithm: pgp.enums.hash.sha512 },
      };
      const armored = await pgp.sign(options);
      return helmCleartextLayout(armored);
    },
  };
}

/**
 * helm signs with SHA-512 whatever the key prefers. openpgp.js signs with its configured hash only when the keys it
 * reads signing preferences from list it, and those are the signing key's own unless `recipientKeys` are given: a key
 * whose preferences list no SHA-512 (gpg --default-preference-list, other tools' defaults) would sign with SHA-256.
 * A throw-away key that prefers SHA-512, made once, is the one whose preferences are read.
 */
let sha512Preferring: Promise<openpgp.PrivateKey> | undefined;
async function sha512Preferences(): Promise<openpgp.PrivateKey> {
  const pgp = await loadOpenpgp();
  sha512Preferring ??= pgp
    .generateKey({ userIDs: [{ name: 'SHA-512 preferences' }], format: 'object', config: { preferredHashAlgorithm: pgp.enums.hash.sha512 } })
    .then((generated) => generated.privateKey);
  return sha512Preferring;
}

/** What golang.org/x/crypto/openpgp (helm 3's verifier) can parse; curves by openpgp.js's names. */
const HELM3_ALGORITHMS = new Set(['rsaEncryptSign', 'rsaEncrypt', 'rsaSign', 'dsa', 'elgamal']);
const HELM3_CURVES = new Set(['nistP256', 'nistP384', 'nistP521']);

function helm3Reads(part: openpgp.Key | openpgp.Subkey): boolean {
  const { algorithm, curve } = part.getAlgorithmInfo();
  return HELM3_ALGORITHMS.has(algorithm) || ((algorithm === 'ecdsa' || algorithm === 'ecdh') && HELM3_CURVES.has(String(curve)));
}

/**
 * helm 3 reads the signer from the keyring with golang.org/x/crypto/openpgp, which refuses a whole key when any part
 * of it, the primary key or any subkey, is of a kind it does not know (EdDSA, Curve25519, Brainpool): `helm verify`
 * and `pull --verify` fail with "failed to load keyring: unsupported feature". helm 4 reads them all. A key whose
 * primary and signing key helm 3 reads can still be given to it without the other subkeys (`gpg --export 'FPR!'`).
 */
function helm3Warnings(key: openpgp.PrivateKey, signingKey: openpgp.PrivateKey | openpgp.Subkey, named: string): string[] {
  const describe = (part: openpgp.Key | openpgp.Subkey) => {
    const { algorithm, curve } = part.getAlgorithmInfo();
    return curve ? `${algorithm} on ${String(curve)}` : algorithm;
  };
  if (!helm3Reads(key) || !helm3Reads(signingKey)) {
    const part = helm3Reads(key) ? `its signing subkey ${signingKey.getFingerprint().toUpperCase()} is ${describe(signingKey)}` : `its primary key is ${describe(key)}`;
    return [`${named}: helm 4 verifies its signatures but helm 3 cannot read the key (${part}); sign with an RSA or ECDSA (NIST P-256/384/521) key if your users run helm 3`];
  }
  const unread = key.subkeys.filter((subkey) => !helm3Reads(subkey));
  if (unread.length === 0) return [];
  const parts = unread.map((subkey) => `${subkey.getFingerprint().toUpperCase()} (${describe(subkey)})`).join(', ');
  return [
    `${named}: helm 3 cannot read a keyring that holds its subkey ${parts}; give helm 3 users the public key without it: gpg --export '${signingKey.getFingerprint().toUpperCase()}!' > pubring.gpg`,
  ];
}

/**
 * Curves gpg makes keys on that openpgp.js cannot use here: on node it needs a module for them that it does not ship
 * (its own error would name that module and the bundle's paths). helm 3 cannot read them either.
 */
const UNSUPPORTED_CURVES = /^(brainpoolP\d+r1|secp256k1)$/;

async function signingKeyOf(key: openpgp.PrivateKey, named: string): Promise<openpgp.PrivateKey | openpgp.Subkey> {
  const odd = [key, ...key.subkeys].map((part) => String(part.getAlgorithmInfo().curve ?? '')).find((curve) => UNSUPPORTED_CURVES.test(curve));
  if (odd) {
    throw new ChartshipError(`${named} is a key on the ${odd} curve, which chartship cannot sign with (nor helm 3 read)`, {
      hint: 'sign with an RSA key or an ECDSA key on NIST P-256, P-384 or P-521 (gpg --quick-gen-key NAME nistp256 sign)',
      code: 'SIGNING_KEY_UNSUPPORTED',
    });
  }
  try {
    return await key.getSigningKey();
  } catch (error) {
    throw new ChartshipError(`${named} cannot sign: ${openpgpReason(error)}`, {
      hint: 'use a key (or subkey) with the sign capability that is neither expired nor revoked',
      code: 'SIGNING_KEY_UNUSABLE',
    });
  }
}

/** A keyring for verification: `gpg --export` output (binary packets) or one or more armored public keys. */
export async function readKeyring(data: Buffer, label: string): Promise<openpgp.Key[]> {
  const text = data.toString('latin1');
  if (data.length >= 12 && data.subarray(8, 12).toString('latin1') === 'KBXf') {
    throw new ChartshipError(`${label} is a GnuPG keybox (pubring.kbx), not an OpenPGP keyring`, {
      hint: 'export the keys with gpg --export KEYID > pubring.gpg and pass that file',
      code: 'KEYRING_INVALID',
    });
  }
  const pgp = await loadOpenpgp();
  let keys: openpgp.Key[] = [];
  try {
    if (text.includes('-----BEGIN PGP ')) {
      // Concatenated exports (cat a.asc b.asc) hold several armor blocks; readKeys stops after the first.
      const blocks = text.match(/-----BEGIN PGP (PUBLIC|PRIVATE) KEY BLOCK-----[\s\S]*?-----END PGP \1 KEY BLOCK-----/g) ?? [];
      for (const block of blocks) keys.push(...(await pgp.readKeys({ armoredKeys: block })));
    } else if (data.length > 0) {
      keys = await pgp.readKeys({ binaryKeys: new Uint8Array(data) });
    }
  } catch (error) {
    throw new ChartshipError(`cannot read keyring ${label}: ${openpgpReason(error)}`, {
      hint: 'pass a binary keyring (gpg --export > pubring.gpg) or armored public keys (gpg --armor --export)',
      code: 'KEYRING_INVALID',
    });
  }
  if (keys.length === 0) throw new ChartshipError(`keyring ${label} holds no keys`, { code: 'KEYRING_INVALID' });
  return keys.map((key) => (key.isPrivate() ? key.toPublic() : key));
}

export function openpgpReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/^Error (reading|decrypting)[^:]*: /, '');
}
