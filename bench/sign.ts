/**
 * Provenance cost per chart: building the helm body (metadata YAML + sha256 of the archive), signing it with
 * Ed25519 / ECDSA P-256 / RSA-3072 keys, and verifying. Keys come from openpgp.js (gpg would add seconds of key
 * generation, not signing cost). Prints figures; asserts nothing.
 */
import { randomBytes } from 'node:crypto';
import { generateKey } from 'openpgp';
import type { ChartMetadata } from '../src/model/metadata.js';
import { loadSigningKey, provenanceBody, readKeyring, signChart, verifyChart } from '../src/sign/index.js';

const metadata: ChartMetadata = {
  apiVersion: 'v2',
  name: 'bench',
  version: '1.2.3',
  appVersion: '4.5.6',
  description: 'A chart with a description long enough to be folded by the emitter, like many real-world charts have',
  keywords: ['web', 'http', 'ingress'],
  maintainers: [{ name: 'Ops', email: 'ops@example.com' }],
  annotations: { 'artifacthub.io/changes': '- kind: added\n  description: something\n', category: 'Networking' },
  dependencies: [{ name: 'redis', version: '~18.0.0', repository: 'oci://registry-1.docker.io/bitnamicharts', condition: 'redis.enabled' }],
};
const fileName = 'bench-1.2.3.tgz';
const archive = randomBytes(1024 * 1024);

function time(label: string, count: number, fn: () => void | Promise<void>): Promise<void> {
  return (async () => {
    const start = process.hrtime.bigint();
    for (let i = 0; i < count; i++) await fn();
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    console.log(`${label.padEnd(44)} ${(ms / count).toFixed(3).padStart(9)} ms/op  (${count} ops)`);
  })();
}

await time('provenanceBody (1 MiB archive)', 200, () => void provenanceBody(metadata, fileName, archive));
await time('provenanceBody (metadata only, empty archive)', 2000, () => void provenanceBody(metadata, fileName, Buffer.alloc(0)));

const keys = [
  ['ed25519', { type: 'ecc', curve: 'curve25519Legacy' }],
  ['ecdsa p256', { type: 'ecc', curve: 'nistP256' }],
  ['rsa3072', { type: 'rsa', rsaBits: 3072 }],
] as const;
for (const [name, options] of keys) {
  const generated = await generateKey({ ...options, userIDs: [{ name: 'Bench', email: 'bench@example.com' }], passphrase: 'pw', format: 'armored' });
  const signer = await loadSigningKey({ armoredKey: generated.privateKey, passphrase: 'pw' });
  const keyring = Buffer.from(generated.publicKey);
  await readKeyring(keyring, 'bench');
  let prov = '';
  await time(`signChart ${name}`, 50, async () => {
    prov = await signChart(signer, { metadata, fileName, archive });
  });
  await time(`verifyChart ${name}`, 50, async () => {
    await verifyChart({ archive, fileName, prov, keyring });
  });
}
