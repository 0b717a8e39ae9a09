import type * as openpgp from 'openpgp';
import type { ChartMetadata } from '../model/metadata.js';
import { ChartshipError } from '../model/errors.js';
import { openpgpReason, readKeyring } from './keys.js';
import { loadOpenpgp } from './openpgp.js';
import { parseProvenanceBody, sha256Hex } from './provenance.js';

export interface Verification {
  /** The signer's primary user ID, e.g. `Jane Doe <jane@example.com>`. */
  signedBy: string;
  /** Every user ID on the signing key (helm prints one `Signed by:` line each). */
  userIds: string[];
  /** Primary key fingerprint, upper-case hex. */
  fingerprint: string;
  /** `sha256:<hex>` of the archive, equal to the .prov entry. */
  chartHash: string;
  metadata: ChartMetadata;
}

/**
 * What `helm verify` checks: the cleartext signature against the keyring, then that the `files` entry for the
 * archive's own file name equals the sha256 of its bytes. `provFile`/`keyringFile` only name things in errors.
 */
export async function verifyChart(options: {
  archive: Buffer;
  fileName: string;
  prov: string;
  keyring: Buffer;
  provFile?: string;
  keyringFile?: string;
}): Promise<Verification> {
  const provFile = options.provFile ?? `${options.fileName}.prov`;
  const keys = await readKeyring(options.keyring, options.keyringFile ?? 'keyring');
  const { message, signer } = await checkSignature(options.prov, keys, provFile, options.keyringFile);
  const parsed = parseProvenanceBody(message.getText(), provFile);
  const chartHash = checkArchiveHash(parsed.files, options.fileName, options.archive, provFile);
  const userIds = signer.getUserIDs();
  const primary = await signer.getPrimaryUser().catch(() => undefined);
  return {
    signedBy: primary?.user.userID?.userID ?? userIds[0] ?? '',
    userIds,
    fingerprint: signer.getFingerprint().toUpperCase(),
    chartHash,
    metadata: parsed.metadata,
  };
}

/**
 * What `helm verify` checks of a .prov short of the signature (no keyring needed): a PGP signed message whose signed
 * text lists `fileName` with the sha256 of `archive`. A .prov that fails this fails `helm pull --verify` whoever signed it.
 */
export async function checkProvenance(options: { archive: Buffer; fileName: string; prov: string; provFile: string }): Promise<void> {
  const pgp = await loadOpenpgp();
  let text: string;
  try {
    text = (await pgp.readCleartextMessage({ cleartextMessage: options.prov })).getText();
  } catch (error) {
    throw new ChartshipError(`not a PGP signed message: ${openpgpReason(error)}`, { file: options.provFile, code: 'PROV_INVALID' });
  }
  checkArchiveHash(parseProvenanceBody(text, options.provFile).files, options.fileName, options.archive, options.provFile);
}

/** The signed message and the keyring's key that made a good signature on it; fails naming why none did. */
async function checkSignature(prov: string, keys: openpgp.Key[], provFile: string, keyringFile: string | undefined): Promise<{ message: openpgp.CleartextMessage; signer: openpgp.Key }> {
  const pgp = await loadOpenpgp();
  let message: openpgp.CleartextMessage;
  try {
    message = await pgp.readCleartextMessage({ cleartextMessage: prov });
  } catch (error) {
    throw new ChartshipError(`not a PGP signed message: ${openpgpReason(error)}`, { file: provFile, code: 'PROV_INVALID' });
  }

  const result = await pgp.verify({ message, verificationKeys: keys });
  const failures: string[] = [];
  for (const signature of result.signatures) {
    try {
      await signature.verified;
      const signer = keys.find((key) => key.getKeys(signature.keyID).length > 0);
      if (signer) return { message, signer };
    } catch (error) {
      failures.push(describeFailure(error, signature.keyID));
    }
  }
  const unknown = failures.length > 0 && failures.every((f) => f.startsWith('signed by key'));
  throw new ChartshipError(failures.length > 0 ? failures.join('; ') : 'the .prov carries no signature', {
    file: provFile,
    hint: unknown ? `import the signer's public key into ${keyringFile ?? 'the keyring'} (gpg --export KEYID > pubring.gpg)` : undefined,
    code: unknown ? 'PROV_UNKNOWN_KEY' : 'PROV_BAD_SIGNATURE',
  });
}

/** `sha256:<hex>` of the archive, once it equals what the .prov lists under the archive's own file name. */
function checkArchiveHash(files: Map<string, string>, fileName: string, archive: Buffer, provFile: string): string {
  const chartHash = `sha256:${sha256Hex(archive)}`;
  const listed = files.get(fileName);
  if (listed === undefined) {
    const names = [...files.keys()].map((n) => JSON.stringify(n)).join(', ') || 'none';
    throw new ChartshipError(`the .prov has no hash for a file named ${JSON.stringify(fileName)} (it lists ${names})`, {
      file: provFile,
      hint: 'the archive must keep the file name it was signed under',
      code: 'PROV_FILE_MISSING',
    });
  }
  if (listed !== chartHash) {
    throw new ChartshipError(`sha256 of ${fileName} does not match the .prov: signed ${listed}, archive is ${chartHash}`, {
      file: provFile,
      hint: 'the archive changed after it was signed',
      code: 'PROV_HASH_MISMATCH',
    });
  }
  return chartHash;
}

function describeFailure(error: unknown, keyID: openpgp.KeyID): string {
  const reason = openpgpReason(error);
  const id = keyID.toHex().toUpperCase();
  if (/could not find signing key/i.test(reason)) return `signed by key ${id}, which is not in the keyring`;
  if (/digest did not match|signature.*(invalid|did not)|verification failed/i.test(reason)) {
    return `the signature by key ${id} does not match the signed text (the .prov was altered)`;
  }
  return `the signature by key ${id} is not valid: ${reason}`;
}
