import { loadSigningKey, type Signer } from '../sign/index.js';

export interface SigningKey {
  armoredKey: string;
  passphrase?: string;
  /** Where the key came from, for messages (`sign-key`, `key.asc`). */
  label: string;
}

/** The signer for a key, loaded before anything is packaged or written (a wrong passphrase fails first); warns what helm 3 cannot verify. */
export async function loadSigner(key: SigningKey, warn: (message: string) => void): Promise<Signer> {
  const signer = await loadSigningKey(key);
  for (const warning of signer.warnings) warn(warning);
  return signer;
}
