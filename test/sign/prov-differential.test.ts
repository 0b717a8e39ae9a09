/**
 * A differential hunt on provenance: every chart of test/helpers/tricky-charts.ts that helm packages, and charts made
 * to stress the signed text (people's names in any script, annotations over many lines, lines that start with a dash,
 * long lines, dependencies, every optional field, keys in odd order), is signed by the real `helm package --sign` of
 * helm 3 and helm 4 and by chartship with the same key. The .prov files must agree in everything but the signature
 * itself, and each side must accept the other's: helm 3 and helm 4 `verify` and gpgv take chartship's, chartship's
 * verify takes helm's. Keys of other kinds follow: preferences without SHA-512, a primary key that may only certify.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as openpgp from 'openpgp';
import type { ChartMetadata } from '../../src/model/metadata.js';
import type { PackagedChart } from '../../src/package/index.js';
import { packageChart } from '../../src/pipeline/package.js';
import { loadSigningKey, signChart, verifyChart, type Signer } from '../../src/sign/index.js';
import { sha256Hex } from '../../src/sign/provenance.js';
import { GpgHome, type GpgKey, type KeyOptions } from '../helpers/gpg.js';
import { suiteHelms, type Helm, type HelmMajor } from '../helpers/helm.js';
import { trickyCharts, writeTrickyChart, type TrickyFile } from '../helpers/tricky-charts.js';

const EPOCH = new Date('2024-06-01T00:00:00Z');
const SIGNER = 'Prov Differential';
const BEGIN_SIGNATURE = '-----BEGIN PGP SIGNATURE-----\n';
const TEMPLATE = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\n';

interface SignCase {
  name: string;
  covers: string;
  files: Record<string, TrickyFile>;
  /** `helm package --version` and `--app-version` (chartship's version and appVersion overrides). */
  override?: { version: string; appVersion: string };
}

const sub = (name: string, version = '1.0.0') => ({ [`charts/${name}/Chart.yaml`]: `apiVersion: v2\nname: ${name}\nversion: ${version}\n` });

/** Charts whose metadata puts the most into the signed text: what a .prov holds beyond a name and a version. */
const SIGNING_CASES: SignCase[] = [
  {
    name: 'sign-unicode-people',
    covers: 'maintainers and a description in Latin, Cyrillic, Greek, CJK, Arabic, Hebrew, combining marks and astral emoji',
    files: {
      'Chart.yaml': [
        'apiVersion: v2',
        'name: people',
        'version: 1.0.0',
        'description: "Zoë Ærøskøbing — Ελληνικά, Русский, 中文, 日本語, 한국어, العربية, עברית, e\u0301 combining, 👩‍💻 and 🇪🇺 😀"',
        'maintainers:',
        '  - name: Zoë Ørsted',
        '    email: zoe@exämple.com',
        '    url: https://exämple.com/~zoë',
        '  - name: 李小龍',
        '    email: li@example.cn',
        '  - name: محمد',
        '  - name: "- leading dash"',
        '    url: "https://example.com/a b"',
        '  - name: 👩‍💻 Bot',
        'home: https://例え.jp/ホーム',
        '',
      ].join('\n'),
      'templates/cm.yaml': TEMPLATE,
    },
  },
  {
    name: 'sign-annotations-line-breaks',
    covers: 'annotations of many lines: a changelog list, YAML and armor markers (---, ..., -----BEGIN PGP SIGNATURE-----) on lines of their own, blank lines, indentation, CRLF',
    files: {
      'Chart.yaml': [
        'apiVersion: v2',
        'name: notes',
        'version: 1.0.0',
        'annotations:',
        '  artifacthub.io/changes: |',
        '    - kind: added',
        '      description: ünïcödé — 😀',
        '    - kind: fixed',
        '      description: "quoted: yes"',
        '  artifacthub.io/images: |',
        '    - name: app',
        '      image: ghcr.io/x/app:1.0@sha256:0123',
        `  markers: ${JSON.stringify('---\n...\n-----BEGIN PGP SIGNATURE-----\n-----END PGP SIGNATURE-----\n- dash\n')}`,
        `  blank-lines: ${JSON.stringify('a\n\n\nb\n\n')}`,
        `  indented: ${JSON.stringify('  two\n    four\n\tTab\n')}`,
        `  crlf: ${JSON.stringify('one\r\ntwo\r\n')}`,
        `  trailing-spaces: ${JSON.stringify('end  \nnext\t\nlast ')}`,
        '',
      ].join('\n'),
      'templates/cm.yaml': TEMPLATE,
    },
  },
  {
    name: 'sign-long-lines',
    covers: 'a description of 3000 characters without a space (no fold possible), folded long text, a long home URL, an annotation of 5000 characters',
    files: {
      'Chart.yaml': [
        'apiVersion: v2',
        'name: long',
        'version: 1.0.0',
        `description: ${'x'.repeat(3000)}`,
        `home: https://example.com/${'path/'.repeat(80)}end`,
        'sources:',
        `  - https://example.com/${'s'.repeat(500)}`,
        `  - ${'word '.repeat(60)}end`,
        'annotations:',
        `  long: ${JSON.stringify('w '.repeat(2500))}`,
        `  ${'k'.repeat(200)}: v`,
        '',
      ].join('\n'),
      'templates/cm.yaml': TEMPLATE,
    },
  },
  {
    name: 'sign-dependencies',
    covers: 'dependencies with every field (alias, condition, tags, enabled, import-values as text and maps), vendored, in the signed text as list items',
    files: {
      'Chart.yaml': [
        'apiVersion: v2',
        'name: deps',
        'version: 2.3.4',
        'dependencies:',
        '  - name: alpha',
        '    version: ^1.0.0',
        '    repository: https://charts.example.com/stable',
        '    alias: first-alpha',
        '    condition: alpha.enabled,global.alpha.enabled',
        '    tags: [frontend, "- dashed tag"]',
        '    enabled: true',
        '    import-values:',
        '      - data',
        '      - child: exports.a',
        '        parent: "- imported"',
        '  - name: beta',
        '    version: "~1.0"',
        '    repository: oci://registry.example.com/charts',
        '  - name: gamma',
        '    version: 1.x',
        '    repository: file://../gamma',
        '    enabled: false',
        '',
      ].join('\n'),
      'Chart.lock': 'dependencies:\n- name: alpha\n  repository: https://charts.example.com/stable\n  version: 1.0.0\n- name: beta\n  repository: oci://registry.example.com/charts\n  version: 1.0.0\n- name: gamma\n  repository: file://../gamma\n  version: 1.0.0\ndigest: sha256:0000000000000000000000000000000000000000000000000000000000000000\ngenerated: "2024-01-02T03:04:05Z"\n',
      ...sub('alpha'),
      ...sub('beta'),
      ...sub('gamma'),
      'templates/cm.yaml': TEMPLATE,
    },
  },
  {
    name: 'sign-every-field',
    covers: 'keywords (some led by a dash), deprecated, kubeVersion, type library, icon URLs with query, fragment and a data: URL, appVersion that reads as a number',
    files: {
      'Chart.yaml': [
        'apiVersion: v2',
        'name: everything',
        'version: 0.0.1-alpha.1+build.2024',
        'appVersion: 1.10',
        'kubeVersion: ">= 1.22.0-0 < 1.31.0"',
        'type: library',
        'deprecated: true',
        'description: All of it',
        'icon: https://example.com/icon.svg?size=64&theme=dark#logo',
        'home: data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
        'keywords: [web, "-", "--", "- x", "---", "-----BEGIN PGP SIGNATURE-----", "yes", "1.0", ""]',
        'sources: [https://github.com/x/y, "git@github.com:x/y.git"]',
        '',
      ].join('\n'),
    },
  },
  {
    name: 'sign-version-overrides',
    covers: 'signed with --version and --app-version given: a build-metadata version and an app version YAML must quote',
    files: { 'Chart.yaml': 'apiVersion: v2\nname: overridden\nversion: 0.1.0\nappVersion: "0.1"\n', 'templates/cm.yaml': TEMPLATE },
    override: { version: '3.0.0-rc.1+sha.5114f85', appVersion: '- 1.0: beta #2' },
  },
  {
    name: 'sign-odd-key-order',
    covers: 'Chart.yaml with its keys in reverse order, comments, blank lines and trailing spaces and tabs after values',
    files: {
      'Chart.yaml': [
        '# signed charts sort keys',
        'version: 1.0.0   ',
        'type: application\t',
        'sources:',
        '  - https://example.com/z  ',
        '',
        'name: odd   # comment',
        'maintainers:',
        '  - url: https://example.com',
        '    name: Zed',
        '    email: zed@example.com',
        'keywords: [z, a, m]',
        'home: https://example.com',
        'description: |',
        '  literal with trailing spaces   ',
        '  and a second line\t',
        'appVersion: "2.0"',
        'apiVersion: v2',
        'annotations: {z: "1", a: "2", M: "3"}',
        '',
      ].join('\n'),
      'templates/cm.yaml': TEMPLATE,
    },
  },
];

/** The cleartext part of a .prov (armor header, blank line, dash-escaped text) and its signature block. */
function split(prov: string): { cleartext: string; signature: string } {
  const at = prov.indexOf(`\n${BEGIN_SIGNATURE}`);
  assert.ok(at > 0, `a signature block: ${prov.slice(0, 200)}`);
  return { cleartext: prov.slice(0, at + 1), signature: prov.slice(at + 1) };
}

/** The signature block's layout: armor headers, the base64 lines, whether a checksum line ends them, what follows END. */
function armorLayout(signature: string): { headers: string[]; base64: string[]; checksum: boolean; ending: string } {
  const lines = signature.split('\n');
  assert.equal(lines[0], BEGIN_SIGNATURE.trimEnd());
  const blank = lines.indexOf('');
  const end = lines.indexOf('-----END PGP SIGNATURE-----');
  assert.ok(blank > 0 && end > blank, signature);
  const body = lines.slice(blank + 1, end);
  const checksum = body.length > 0 && /^=[A-Za-z0-9+/]{4}$/.test(body.at(-1)!);
  return { headers: lines.slice(1, blank), base64: checksum ? body.slice(0, -1) : body, checksum, ending: lines.slice(end + 1).join('\n') };
}

/** Full lines and whether the last one is short: base64 lengths differ with the signature, the wrapping must not. */
function lineWidths(lines: string[]): { full: number[]; lastShort: boolean } {
  return { full: [...new Set(lines.slice(0, -1).map((l) => l.length))], lastShort: lines.at(-1)!.length <= 64 };
}

async function signedText(prov: string): Promise<string> {
  return (await openpgp.readCleartextMessage({ cleartextMessage: prov })).getText();
}

/** The signature packet's kind: what verifiers check besides the key (version, text signature, hash). */
async function signatureKind(prov: string): Promise<{ version: number; type: number | null; hash: string | null }> {
  const [packet] = (await openpgp.readSignature({ armoredSignature: split(prov).signature })).packets;
  assert.ok(packet);
  return { version: packet.version, type: packet.signatureType, hash: packet.hashAlgorithm === null ? null : openpgp.enums.read(openpgp.enums.hash, packet.hashAlgorithm) };
}

interface HelmSigned {
  archive?: Buffer;
  fileName?: string;
  prov?: string;
  /** `helm verify` of chartship's archive and .prov. */
  verifiedOurs?: string;
  error?: string;
}

describe('provenance differential: chartship against helm 3 and helm 4 package --sign', () => {
  const { scratch, helms } = suiteHelms('chartship-prov-differential-');
  const cases: SignCase[] = [...trickyCharts().filter((c) => c.refused === undefined), ...SIGNING_CASES];
  const ours = new Map<string, { packaged: PackagedChart; path: string }>();
  const byHelm = new Map<string, Map<HelmMajor, HelmSigned>>();
  let home: GpgHome;
  let key: GpgKey;
  let signer: Signer;
  let secring: string;
  let pubring: Buffer;
  let pubringFile: string;

  before(async () => {
    home = await GpgHome.create();
    // RSA: helm 3 reads no Ed25519 key. No passphrase: helm would ask for one on a terminal.
    const main = await ownKey({ name: SIGNER, algo: 'rsa3072' });
    ({ key, signer, secring, pubringFile } = main);
    pubring = readFileSync(pubringFile);

    for (const c of cases) {
      const dir = join(scratch, c.name);
      writeTrickyChart(join(dir, 'chart'), c.files);
      const packaged = await packageChart(join(dir, 'chart'), { sourceDate: EPOCH, env: {}, ...c.override });
      const prov = await signChart(signer, packaged);
      mkdirSync(join(dir, 'ours'));
      const path = join(dir, 'ours', packaged.fileName);
      writeFileSync(path, packaged.archive);
      writeFileSync(`${path}.prov`, prov);
      ours.set(c.name, { packaged, path });
    }
    // One helm process at a time per major: two at once on the machine's two cores.
    await Promise.all(
      [...helms].map(async ([major, helm]) => {
        for (const c of cases) {
          const out = join(scratch, c.name, `helm${major}`);
          const result: HelmSigned = {};
          try {
            const overrides = c.override ? ['--version', c.override.version, '--app-version', c.override.appVersion] : [];
            Object.assign(result, await helmSign(helm, join(scratch, c.name, 'chart'), out, SIGNER, secring, overrides));
            result.verifiedOurs = await helm.run(['verify', ours.get(c.name)!.path, '--keyring', pubringFile]);
          } catch (error) {
            result.error = String(error);
          }
          if (!byHelm.has(c.name)) byHelm.set(c.name, new Map());
          byHelm.get(c.name)!.set(major, result);
        }
      }),
    );
  });
  after(async () => {
    await home?.close();
  });

  it('puts what cleartext signing escapes or strips into the signed text, as helm writes it', () => {
    const helm4 = (name: string) => split(byHelm.get(name)!.get(4)!.prov!).cleartext;
    // A line that starts with a dash is written `- ` first; the armor's own lines too, inside the text.
    assert.match(helm4('sign-every-field'), /^- - '-----BEGIN PGP SIGNATURE-----'$/m);
    assert.match(helm4('sign-dependencies'), /^- - alias: first-alpha$/m);
    assert.match(helm4('sign-version-overrides'), /^appVersion: '- 1\.0: beta #2'\n[\s\S]*^version: 3\.0\.0-rc\.1\+sha\.5114f85\n[\s\S]*^ {2}overridden-3\.0\.0-rc\.1\+sha\.5114f85\.tgz: sha256:/m);
    // Trailing spaces of Chart.yaml never reach the text: YAML writes such values quoted.
    assert.match(helm4('sign-annotations-line-breaks'), /^ {2}trailing-spaces: "end {2}\\nnext\\t\\nlast "$/m);
  });

  /** A key of its own: its secret keyring for helm, its public keyring for helm verify and gpgv, its signer for chartship. */
  async function ownKey(options: KeyOptions): Promise<{ key: GpgKey; dir: string; secring: string; pubringFile: string; signer: Signer }> {
    const key = await home.generateKey(options);
    const dir = join(scratch, key.fingerprint);
    mkdirSync(dir);
    const secring = join(dir, 'secring.gpg');
    writeFileSync(secring, await home.gpg(['--export-secret-keys', key.fingerprint]));
    const pubringFile = join(dir, 'pubring.gpg');
    writeFileSync(pubringFile, await home.exportKeyring([key.fingerprint]));
    return { key, dir, secring, pubringFile, signer: await loadSigningKey({ armoredKey: key.armoredSecret, label: options.name }) };
  }

  /** `helm package --sign` of one of the cases' charts by each major. */
  async function signedByHelms(name: string, keyName: string, secring: string, dir: string): Promise<Map<HelmMajor, HelmSigned>> {
    const signed = new Map<HelmMajor, HelmSigned>();
    for (const [major, helm] of helms) signed.set(major, await helmSign(helm, join(scratch, name, 'chart'), join(dir, `helm${major}`), keyName, secring));
    return signed;
  }

  // helm's packet.Config asks SHA-512 whatever the key prefers; openpgp.js follows the key's preferences by default.
  for (const algo of ['rsa3072', 'nistp256']) {
    it(`a ${algo} key whose preferences list no SHA-512: signed with SHA-512 all the same, as helm signs`, async () => {
      const own = await ownKey({ name: `No Sha512 ${algo}`, algo, preferences: 'SHA256 SHA1 AES256 ZLIB Uncompressed' });
      const signed = await signedByHelms('sign-every-field', own.key.userId, own.secring, own.dir);
      await assertHelmsProv(own.signer, ours.get('sign-every-field')!.packaged.metadata, signed.get(3)!, signed.get(4)!);
    });
  }

  it('a certify-only primary key with a signing subkey: chartship signs with the subkey, which helm and gpgv accept (helm signs with the primary, which they refuse)', async () => {
    const own = await ownKey({ name: 'Certify Only', algo: 'rsa2048', usage: 'cert', signingSubkey: 'rsa2048' });
    const signed = await signedByHelms('sign-dependencies', own.key.userId, own.secring, own.dir);
    const metadata = ours.get('sign-dependencies')!.packaged.metadata;
    for (const [major, helm] of helms) {
      const theirs = signed.get(major)!;
      const helmPath = join(own.dir, `helm${major}`, theirs.fileName!);
      // helm's own .prov: signed by the primary key, which may not sign; neither helm nor gpgv takes it.
      await assert.rejects(helm.run(['verify', helmPath, '--keyring', own.pubringFile]), /signature made by unknown entity/, `helm ${major} verify of its own .prov`);
      const theirGpgv = await home.gpgv(own.pubringFile, `${helmPath}.prov`);
      assert.match(theirGpgv.stderr, /Wrong key usage/, `gpgv of helm ${major}'s .prov`);

      const prov = await signChart(own.signer, { metadata, fileName: theirs.fileName!, archive: theirs.archive! });
      const path = join(own.dir, `ours${major}`, theirs.fileName!);
      mkdirSync(dirname(path));
      writeFileSync(path, theirs.archive!);
      writeFileSync(`${path}.prov`, prov);
      const issuer = (await openpgp.readSignature({ armoredSignature: split(prov).signature })).getSigningKeyIDs()[0]!.toHex().toUpperCase();
      assert.notEqual(issuer, own.key.fingerprint.slice(-16), 'signed by the subkey');
      assert.match(await helm.run(['verify', path, '--keyring', own.pubringFile]), /Chart Hash Verified: sha256:/, `helm ${major} verify of chartship's .prov`);
      const ourGpgv = await home.gpgv(own.pubringFile, `${path}.prov`);
      assert.equal(ourGpgv.code, 0, ourGpgv.stderr);
    }
    await assertHelmsProv(own.signer, metadata, signed.get(3)!, signed.get(4)!);
  });

  for (const c of cases) {
    it(`${c.name}: ${c.covers}`, async () => {
      const mine = ours.get(c.name)!;
      const helm3 = byHelm.get(c.name)!.get(3)!;
      const helm4 = byHelm.get(c.name)!.get(4)!;
      for (const [major, result] of [[3, helm3], [4, helm4]] as const) assert.equal(result.error, undefined, `helm ${major} signs the chart and verifies chartship's .prov`);

      await assertHelmsProv(signer, mine.packaged.metadata, helm3, helm4);

      // Each side takes the other's .prov.
      for (const [major, result] of [[3, helm3], [4, helm4]] as const) {
        assert.match(result.verifiedOurs!, new RegExp(`Chart Hash Verified: sha256:${sha256Hex(mine.packaged.archive)}`), `helm ${major} verify`);
        const verified = await verifyChart({ archive: result.archive!, fileName: result.fileName!, prov: result.prov!, keyring: pubring });
        assert.equal(verified.fingerprint, key.fingerprint, `chartship verifies helm ${major}'s .prov`);
        assert.equal(verified.chartHash, `sha256:${sha256Hex(result.archive!)}`);
      }
      const gpgv = await home.gpgv(pubringFile, `${mine.path}.prov`);
      assert.equal(gpgv.code, 0, `gpgv: ${gpgv.stderr}`);
    });
  }
});

/**
 * chartship signs each helm's own archive: the .prov must then be helm 4's byte for byte up to the signature (armor
 * header, signed text with its hash line, dash-escaping, line ends, the blank line before the signature), and its
 * signature block laid out as both helms lay it out.
 */
async function assertHelmsProv(signer: Signer, metadata: ChartMetadata, helm3: HelmSigned, helm4: HelmSigned): Promise<void> {
  const overHelms = new Map<HelmMajor, string>();
  for (const [major, result] of [[3, helm3], [4, helm4]] as const) {
    overHelms.set(major, await signChart(signer, { metadata, fileName: result.fileName!, archive: result.archive! }));
  }
  const ours4 = overHelms.get(4)!;
  assert.equal(split(ours4).cleartext, split(helm4.prov!).cleartext, 'helm 4: armor header, text, dash-escaping, line ends and the blank line before the signature');
  // helm 3 (golang.org/x/crypto) leaves the body's last newline out of the signed text and writes no line for it.
  assert.equal(split(overHelms.get(3)!).cleartext, `${split(helm3.prov!).cleartext}\n`, 'helm 3: the same text, less the last newline');
  assert.ok(ours4.startsWith('-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA512\n\n'));
  assert.doesNotMatch(ours4, /\r/, 'LF line ends only');
  assert.doesNotMatch(split(ours4).cleartext, /[ \t]\n/, 'no trailing whitespace');
  assert.equal(await signedText(ours4), await signedText(helm4.prov!), 'the signed text as a verifier reads it');
  assert.deepEqual(await signatureKind(ours4), { version: 4, type: openpgp.enums.signature.text, hash: 'sha512' });

  const ourArmor = armorLayout(split(ours4).signature);
  for (const [major, result] of [[3, helm3], [4, helm4]] as const) {
    const theirs = armorLayout(split(result.prov!).signature);
    assert.deepEqual(ourArmor.headers, theirs.headers, `helm ${major}: armor headers of the signature`);
    assert.deepEqual(lineWidths(ourArmor.base64), lineWidths(theirs.base64), `helm ${major}: base64 lines of 64 characters`);
    assert.equal(ourArmor.ending, theirs.ending, `helm ${major}: nothing after the END line`);
    assert.deepEqual(await signatureKind(ours4), await signatureKind(result.prov!), `helm ${major}: signature version, type and hash`);
  }
  // helm 3 ends the base64 with a CRC-24 line, helm 4 does not: chartship keeps it (src/sign/cleartext.ts).
  assert.deepEqual([ourArmor.checksum, armorLayout(split(helm3.prov!).signature).checksum, armorLayout(split(helm4.prov!).signature).checksum], [true, true, false]);
}

/** `helm package --sign` with a key of the secret keyring (a legacy binary keyring: helm reads no keybox). */
async function helmSign(helm: Helm, chart: string, out: string, keyName: string, secring: string, extra: string[] = []): Promise<HelmSigned> {
  await helm.run(['package', chart, '-d', out, ...extra, '--sign', '--key', keyName, '--keyring', secring]);
  const fileName = readdirSync(out).find((f) => f.endsWith('.tgz'))!;
  return { fileName, archive: readFileSync(join(out, fileName)), prov: readFileSync(join(out, `${fileName}.prov`), 'utf8') };
}
