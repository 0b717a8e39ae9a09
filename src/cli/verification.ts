import type { Verification } from '../sign/index.js';

/** What `helm verify` and `helm pull --verify` print for a good signature. */
export function verificationLines(verification: Verification): string {
  const lines = verification.userIds.map((id) => `Signed by: ${id}`);
  lines.push(`Using Key With Fingerprint: ${verification.fingerprint}`, `Chart Hash Verified: ${verification.chartHash}`);
  return `${lines.join('\n')}\n`;
}
