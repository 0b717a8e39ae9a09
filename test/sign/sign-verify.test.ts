import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as openpgp from 'openpgp';
import type { ChartMetadata } from '../../src/model/metadata.js';
import { ChartshipError } from '../../src/model/errors.js';
import { loadSigningKey, provenanceBody, signChart, verifyChart } from '../../src/sign/index.js';
import { GpgHome, type GpgKey } from '../helpers/gpg.js';

const metadata: ChartMetadata = {
  apiVersion: 'v2',
  name: 'demo',
  version: '0.1.0',
  description: 'A demo chart',
  // Lines starting with "-" must be dash-escaped in a cleartext signature; gpgv checks we do.
  keywords: ['web', 'yes'],
  maintainers: [{ name: 'Zoë Ops', email: 'ops@example.com' }],
  home: 'https://example.com/a/really/long/path/that/makes/this/line/pass/the/eighty/column/mark/for/folding',
  annotations: { 'artifacthub.io/changes': '- kind: added\n  description: ünïcödé — 😀\n' },
  dependencies: [{ name: 'db', version: '~1.2', repository: 'oci://registry.example/charts', 'import-values': [{ child: 'a', parent: 'b' }] }],
};
const fileName = 'demo-0.1.0.tgz';
const archive = Buffer.from('\x1f\x8b pretend gzip bytes of a chart archive');
const chartHash = `sha256:${createHash('sha256').update(archive).digest('hex')}`;

function hasCode(code: string, pattern?: RegExp) {
  return (error: unknown) => {
    assert.ok(error instanceof ChartshipError, `expected a ChartshipError, got ${String(error)}`);
    assert.equal(error.code, code, error.describe());
    if (pattern) assert.match(error.describe(), pattern);
    return true;
  };
}

describe('signing and verifying with real gpg keys', () => {
  let home: GpgHome;
  let ed: GpgKey;
  let rsa: GpgKey;
  let ec: GpgKey;
  let sub: GpgKey;
  let stranger: GpgKey;
  let pubring: Buffer;
  let pubringFile: string;

  before(async () => {
    home = await GpgHome.create();
    ed = await home.generateKey({ name: 'Ed Signer', algo: 'ed25519' });
    rsa = await home.generateKey({ name: 'Rsa Signer', algo: 'rsa3072', passphrase: 'correct horse' });
    ec = await home.generateKey({ name: 'Ec Signer', algo: 'nistp256' });
    sub = await home.generateKey({ name: 'Sub Signer', algo: 'ed25519', usage: 'cert', signingSubkey: 'ed25519' });
    stranger = await home.generateKey({ name: 'Stranger', algo: 'ed25519' });
    pubring = await home.exportKeyring([ed.fingerprint, rsa.fingerprint, ec.fingerprint, sub.fingerprint]);
    pubringFile = join(home.dir, 'pubring.gpg');
    await writeFile(pubringFile, pubring);
  });
  after(async () => {
    await home?.close();
  });

  for (const which of ['ed25519', 'rsa3072 with passphrase', 'ecdsa nistp256', 'signing subkey'] as const) {
    it(`${which}: the .prov passes gpgv, gpg --verify and our verify`, async () => {
      const key = { ed25519: ed, 'rsa3072 with passphrase': rsa, 'ecdsa nistp256': ec, 'signing subkey': sub }[which];
      const signer = await loadSigningKey({ armoredKey: key.armoredSecret, passphrase: key.passphrase, label: which });
      assert.equal(signer.fingerprint, key.fingerprint);
      assert.deepEqual(signer.userIds, [key.userId]);

      const prov = await signChart(signer, { metadata, fileName, archive });
      const body = provenanceBody(metadata, fileName, archive);
      assert.ok(prov.startsWith('-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA512\n\n'), prov.slice(0, 80));
      // As helm 4 writes it: the body's last newline is signed, so a blank line comes before the signature.
      assert.ok(prov.includes(`\n\n${body.replace(/^-/gm, '- -')}\n-----BEGIN PGP SIGNATURE-----\n`), 'body is written with LF, dash-escaped');
      assert.equal((await openpgp.readCleartextMessage({ cleartextMessage: prov })).getText(), body, 'the signed text is the body, last newline included');
      const base64 = prov.slice(prov.indexOf('-----BEGIN PGP SIGNATURE-----\n\n')).split('\n').slice(2, -2);
      assert.ok(base64.slice(0, -1).every((line) => line.length === 64) && base64.at(-1)!.length <= 64, `base64 in lines of 64, as Go's armor writes: ${base64.join('|')}`);
      assert.match(prov, /\n=[A-Za-z0-9+/]{4}\n-----END PGP SIGNATURE-----$/, 'a checksum line, and no newline after END');

      const provFile = join(home.dir, `${which.replace(/\W+/g, '-')}.prov`);
      await writeFile(provFile, prov);
      const gpgv = await home.gpgv(pubringFile, provFile);
      assert.equal(gpgv.code, 0, gpgv.stderr);
      const gpg = await home.verify(provFile);
      assert.equal(gpg.code, 0, gpg.stderr);
      assert.match(gpg.stderr, /Good signature from "[^"]+"/);

      const result = await verifyChart({ archive, fileName, prov, keyring: pubring });
      assert.equal(result.fingerprint, key.fingerprint);
      assert.equal(result.signedBy, key.userId);
      assert.equal(result.chartHash, chartHash);
      assert.equal(result.metadata.name, 'demo');
      assert.deepEqual(result.metadata.keywords, ['web', 'yes']);

      if (which === 'signing subkey') {
        const issuer = (await openpgp.readCleartextMessage({ cleartextMessage: prov })).getSigningKeyIDs()[0]?.toHex().toUpperCase();
        assert.notEqual(issuer, key.fingerprint.slice(-16), 'signed by the subkey, not the cert-only primary');
      }
    });
  }

  it('signs with SHA-512 whatever hashes the key prefers, as helm does (its packet.Config, not the key, picks the hash)', async () => {
    const key = await home.generateKey({ name: 'Sha256 Prefs', algo: 'nistp256', preferences: 'SHA256 SHA1 AES256 ZLIB Uncompressed' });
    const prov = await signChart(await loadSigningKey({ armoredKey: key.armoredSecret }), { metadata, fileName, archive });
    assert.ok(prov.startsWith('-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA512\n\n'), prov.slice(0, 60));
    const [packet] = (await openpgp.readSignature({ armoredSignature: prov.slice(prov.indexOf('-----BEGIN PGP SIGNATURE-----')) })).packets;
    assert.equal(packet?.hashAlgorithm, openpgp.enums.hash.sha512);
    const file = join(home.dir, 'sha256-prefs.prov');
    await writeFile(file, prov);
    await writeFile(join(home.dir, 'sha256-prefs.gpg'), await home.exportKeyring([key.fingerprint]));
    const gpgv = await home.gpgv(join(home.dir, 'sha256-prefs.gpg'), file);
    assert.equal(gpgv.code, 0, gpgv.stderr);
  });

  it('verifies a .prov made by gpg --clearsign over our body (interop the other way)', async () => {
    for (const key of [rsa, ec]) {
      const prov = await home.clearsign(key, provenanceBody(metadata, fileName, archive));
      const result = await verifyChart({ archive, fileName, prov, keyring: pubring });
      assert.equal(result.fingerprint, key.fingerprint);
      assert.equal(result.chartHash, chartHash);
    }
  });

  it('accepts armored public keys, several concatenated, as the keyring', async () => {
    const signer = await loadSigningKey({ armoredKey: ec.armoredSecret });
    const prov = await signChart(signer, { metadata, fileName, archive });
    const keyring = Buffer.from(`${ed.armoredPublic}\n${ec.armoredPublic}`);
    const result = await verifyChart({ archive, fileName, prov, keyring });
    assert.equal(result.fingerprint, ec.fingerprint);
  });

  describe('rejects', () => {
    let prov: string;
    before(async () => {
      prov = await signChart(await loadSigningKey({ armoredKey: ed.armoredSecret }), { metadata, fileName, archive });
    });

    it('a tampered archive', async () => {
      const tampered = Buffer.concat([archive, Buffer.from([0])]);
      await assert.rejects(verifyChart({ archive: tampered, fileName, prov, keyring: pubring }), hasCode('PROV_HASH_MISMATCH', /does not match/));
    });

    it('a renamed archive', async () => {
      await assert.rejects(
        verifyChart({ archive, fileName: 'demo-latest.tgz', prov, keyring: pubring }),
        hasCode('PROV_FILE_MISSING', /"demo-latest.tgz".*"demo-0.1.0.tgz"/),
      );
    });

    it('a signer that is not in the keyring', async () => {
      const keyring = await home.exportKeyring([stranger.fingerprint]);
      const keyId = ed.fingerprint.slice(-16);
      await assert.rejects(verifyChart({ archive, fileName, prov, keyring }), hasCode('PROV_UNKNOWN_KEY', new RegExp(keyId)));
    });

    it('an altered signed text, as gpgv does', async () => {
      const altered = prov.replace('description: A demo chart', 'description: A demo chart!');
      assert.notEqual(altered, prov);
      const file = join(home.dir, 'altered.prov');
      await writeFile(file, altered);
      assert.notEqual((await home.gpgv(pubringFile, file)).code, 0);
      await assert.rejects(verifyChart({ archive, fileName, prov: altered, keyring: pubring }), hasCode('PROV_BAD_SIGNATURE', /does not match the signed text/));
    });

    it('text that is not a signed message', async () => {
      await assert.rejects(verifyChart({ archive, fileName, prov: 'hello', keyring: pubring }), hasCode('PROV_INVALID'));
    });

    it('a GnuPG keybox given as the keyring, with the export command as hint', async () => {
      const keybox = await readFile(join(home.dir, 'pubring.kbx'));
      await assert.rejects(verifyChart({ archive, fileName, prov, keyring: keybox, keyringFile: 'pubring.kbx' }), hasCode('KEYRING_INVALID', /gpg --export/));
    });
  });

  describe('signing keys that cannot be used', () => {
    it('wrong passphrase: names the key, never echoes the passphrase', async () => {
      await assert.rejects(loadSigningKey({ armoredKey: rsa.armoredSecret, passphrase: 'battery staple', label: 'input signing-key' }), (error) => {
        hasCode('SIGNING_KEY_PASSPHRASE', /wrong passphrase for input signing-key \([0-9A-F]{40}\)/)(error);
        assert.doesNotMatch((error as ChartshipError).describe(), /battery|correct horse/);
        return true;
      });
    });

    it('missing passphrase', async () => {
      await assert.rejects(loadSigningKey({ armoredKey: rsa.armoredSecret }), hasCode('SIGNING_KEY_LOCKED', /passphrase/));
    });

    it('a public key', async () => {
      await assert.rejects(loadSigningKey({ armoredKey: ed.armoredPublic }), hasCode('SIGNING_KEY_PUBLIC', /public key.*secret key/));
    });

    it('not a key at all', async () => {
      await assert.rejects(loadSigningKey({ armoredKey: 'nope' }), hasCode('SIGNING_KEY_INVALID'));
    });

    it('a key with only certify and encrypt capabilities', async () => {
      const key = await home.generateKey({ name: 'Enc Only', algo: 'ed25519', usage: 'cert', encryptionSubkey: 'cv25519' });
      await assert.rejects(loadSigningKey({ armoredKey: key.armoredSecret }), hasCode('SIGNING_KEY_UNUSABLE', /cannot sign/));
    });

    it('an expired key', async () => {
      const key = await home.generateKey({ name: 'Old Key', algo: 'ed25519', expire: '1d', createdAt: '20200101T000000' });
      await assert.rejects(loadSigningKey({ armoredKey: key.armoredSecret }), hasCode('SIGNING_KEY_UNUSABLE', /expired/));
    });

    it('a revoked key', async () => {
      const key = await home.revoke(await home.generateKey({ name: 'Revoked Key', algo: 'ed25519' }));
      await assert.rejects(loadSigningKey({ armoredKey: key.armoredSecret }), hasCode('SIGNING_KEY_UNUSABLE', /revoked/i));
    });
  });
});
