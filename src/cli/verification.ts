import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Verification } from '../sign/index.js';

/** What `helm verify` and `helm pull --verify` print for a good signature. */
export function verificationLines(verification: Verification): string {
  const lines = verification.userIds.map((id) => `Signed by: ${id}`);
  lines.push(`Using Key With Fingerprint: ${verification.fingerprint}`, `Chart Hash Verified: ${verification.chartHash}`);
  return `${lines.join('\n')}\n`;
}

/** helm's default keyring for `verify` and `pull --verify`: $GNUPGHOME/pubring.gpg, else ~/.gnupg/pubring.gpg. */
export function defaultKeyring(env: NodeJS.ProcessEnv): string {
  return env['GNUPGHOME'] ? join(env['GNUPGHOME'], 'pubring.gpg') : join(env['HOME'] || homedir(), '.gnupg', 'pubring.gpg');
}

/** What to do when the default keyring is the one that cannot be read. */
export const KEYRING_HINT = 'pass --keyring FILE (gpg --export KEYID > pubring.gpg)';
