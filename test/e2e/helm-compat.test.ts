import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { main } from '../../src/cli/main.js';
import { memoryIO, runBundledCli } from '../helpers/cli.js';
import { createRepo, type TestRepo } from '../helpers/git.js';
import { GpgHome, type GpgKey } from '../helpers/gpg.js';
import { goThreads } from '../helpers/go-threads.js';
import { HELM_MAJORS, helmBinary, isolatedHelm, type Helm } from '../helpers/helm.js';
import { startRegistry, type TestRegistry } from '../helpers/registry.js';

const run = promisify(execFile);

/** Entries of a .tgz as Go's archive/tar writes them: name, header fields that matter, and content. */
function tarEntries(tgz: Buffer): { name: string; mode: string; uid: string; gid: string; uname: string; gname: string; type: string; data: Buffer }[] {
  const tar = gunzipSync(tgz);
  const entries = [];
  let pax: string | undefined;
  for (let at = 0; at + 512 <= tar.length; ) {
    const header = tar.subarray(at, at + 512);
    if (header.every((b) => b === 0)) break;
    const field = (start: number, length: number) => header.subarray(start, start + length).toString('latin1').replace(/\0.*$/s, '');
    const size = parseInt(field(124, 12).trim() || '0', 8);
    const type = field(156, 1);
    const data = tar.subarray(at + 512, at + 512 + size);
    at += 512 + Math.ceil(size / 512) * 512;
    if (type === 'x') {
      pax = /\d+ path=(.*)\n/.exec(data.toString('utf8'))?.[1];
      continue;
    }
    const prefix = field(345, 155);
    const name = pax ?? (prefix ? `${prefix}/${field(0, 100)}` : field(0, 100));
    pax = undefined;
    entries.push({ name, mode: field(100, 8), uid: field(108, 8), gid: field(116, 8), uname: field(265, 32), gname: field(297, 32), type, data: Buffer.from(data) });
  }
  return entries;
}

for (const major of HELM_MAJORS) describe(`what real helm ${major} makes of chartship`, () => {
  let registry: TestRegistry;
  let helm: Helm;
  let gpg: GpgHome;
  let key: GpgKey;
  let repo: TestRepo;
  const scratch = mkdtempSync(join(tmpdir(), 'chartship-helm-compat-'));
  const keyring = join(scratch, 'pubring.gpg');

  before(async () => {
    registry = await startRegistry({ auth: 'none' });
    helm = isolatedHelm(major);
    gpg = await GpgHome.create();
    key = await gpg.generateKey({ name: 'Chart Signer', algo: 'rsa3072' });
    writeFileSync(join(scratch, 'key.asc'), key.armoredSecret);
    writeFileSync(keyring, await gpg.gpg(['--export', key.fingerprint]));
    repo = createRepo();
    cpSync(join(import.meta.dirname, '..', '..', 'examples', 'charts'), join(repo.dir, 'charts'), { recursive: true });
    repo.commit('feat: the example charts');
    const io = memoryIO({ cwd: repo.dir, env: { PATH: process.env['PATH'], HOME: scratch } });
    const args = ['publish', '--cwd', repo.dir, '--registry', `oci://${registry.host}/charts`, '--plain-http', '--sign-key-file', join(scratch, 'key.asc')];
    assert.equal(await main(args, io), 0, io.err);
  });

  after(async () => {
    await registry?.stop();
    helm?.cleanup();
    await gpg?.run('gpgconf', ['--kill', 'gpg-agent']);
    rmSync(gpg.dir, { recursive: true, force: true });
    repo?.cleanup();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('helm pull --verify accepts the signed chart, and helm template renders it with its subchart', async () => {
    const out = join(scratch, 'pulled');
    mkdirSync(out);
    const pulled = await helm.run(['pull', `oci://${registry.host}/charts/web`, '--version', '0.4.1', '--plain-http', '--verify', '--keyring', keyring, '-d', out]);
    assert.match(pulled, /Signed by: Chart Signer/);
    assert.match(pulled, new RegExp(`Using Key With Fingerprint: ${key.fingerprint}`, 'i'));
    assert.match(pulled, /Chart Hash Verified: sha256:[0-9a-f]{64}/);
    assert.match(pulled, /Digest: sha256:[0-9a-f]{64}/);
    const rendered = await helm.run(['template', 'shop', join(out, 'web-0.4.1.tgz')]);
    assert.match(rendered, /kind: Deployment\n/);
    assert.match(rendered, /name: shop-web\n/);
    assert.match(rendered, /image: "ghcr\.io\/chartship\/example-web:2\.3\.0"/);
    assert.match(rendered, /helm\.sh\/chart: web-0\.4\.1/);
  });

  it('helm show chart reads the pushed metadata', async () => {
    const shown = await helm.run(['show', 'chart', `oci://${registry.host}/charts/worker`, '--version', '1.0.0', '--plain-http']);
    assert.match(shown, /^name: worker$/m);
    assert.match(shown, /^appVersion: 1\.8\.2$/m);
  });

  it('helm verify accepts chartship package --sign with RSA and ECDSA keys, and Ed25519 where helm can read it', async () => {
    for (const algo of ['rsa3072', 'nistp256', 'ed25519']) {
      const signer = algo === 'rsa3072' ? key : await gpg.generateKey({ name: `Signer ${algo}`, algo });
      const dir = join(scratch, `signed-${algo}`);
      writeFileSync(join(scratch, `${algo}.asc`), signer.armoredSecret);
      writeFileSync(join(scratch, `${algo}.gpg`), await gpg.gpg(['--export', signer.fingerprint]));
      const io = memoryIO({ cwd: scratch });
      assert.equal(await main(['package', join(repo.dir, 'charts', 'worker'), '-d', dir, '--sign', '--key-file', join(scratch, `${algo}.asc`)], io), 0, io.err);
      const verify = helm.run(['verify', join(dir, 'worker-1.0.0.tgz'), '--keyring', join(scratch, `${algo}.gpg`)]);
      if (algo === 'ed25519' && major === 3) {
        // helm 3's OpenPGP library has no EdDSA; chartship says so when it signs with such a key.
        await assert.rejects(verify, /unsupported feature: public key type:? 22/);
        assert.match(io.err, /warning: .*helm 3 cannot/);
        continue;
      }
      const verified = await verify;
      assert.match(verified, new RegExp(`Signed by: (Signer ${algo}|Chart Signer)`), algo);
      assert.match(verified, /Chart Hash Verified: sha256:/, algo);
    }
  });

  it('chartship warns of every key helm 3 cannot read, not only Ed25519 signing keys, and its hint gives helm 3 a keyring it reads', async () => {
    const keys = {
      'an ECDSA key': { algo: 'nistp256' },
      'an Ed25519 primary key with an ECDSA signing subkey': { algo: 'ed25519', usage: 'cert', signingSubkey: 'nistp256/ecdsa' },
      'an ECDSA key with a Curve25519 encryption subkey (gpg 2.4\'s default kind)': { algo: 'nistp256', encryptionSubkey: 'cv25519' },
    };
    for (const [which, options] of Object.entries(keys)) {
      const signer = await gpg.generateKey({ name: `Parts ${Object.keys(keys).indexOf(which)}`, ...options });
      const dir = join(scratch, `parts-${signer.fingerprint}`);
      writeFileSync(join(scratch, `${signer.fingerprint}.asc`), signer.armoredSecret);
      writeFileSync(join(scratch, `${signer.fingerprint}.gpg`), await gpg.gpg(['--export', signer.fingerprint]));
      const io = memoryIO({ cwd: scratch });
      assert.equal(await main(['package', join(repo.dir, 'charts', 'worker'), '-d', dir, '--sign', '--key-file', join(scratch, `${signer.fingerprint}.asc`)], io), 0, io.err);
      const verify = (keyring: string) => helm.run(['verify', join(dir, 'worker-1.0.0.tgz'), '--keyring', keyring]);
      const warned = /warning: .*helm 3 cannot/.test(io.err);
      if (major === 3) {
        const readable = await verify(join(scratch, `${signer.fingerprint}.gpg`)).then(() => true, (error: Error) => (assert.match(error.message, /failed to load keyring: openpgp: unsupported feature/), false));
        assert.equal(warned, !readable, `${which}: helm 3 ${readable ? 'reads' : 'cannot read'} the key, the warning ${warned ? 'says it cannot' : 'is missing'}:\n${io.err}`);
      } else {
        assert.match(await verify(join(scratch, `${signer.fingerprint}.gpg`)), /Chart Hash Verified: sha256:/, which);
      }
      // Where only another subkey is in helm 3's way, the warning's export leaves it out, and both majors verify with that.
      const hint = /gpg --export '([0-9A-F]{40})!' > pubring\.gpg/.exec(io.err);
      if (hint) {
        writeFileSync(join(dir, 'pubring.gpg'), await gpg.gpg(['--export', `${hint[1]}!`]));
        assert.match(await verify(join(dir, 'pubring.gpg')), /Chart Hash Verified: sha256:/, which);
      }
      assert.equal(Boolean(hint), which.includes('encryption subkey'), `${which}:\n${io.err}`);
    }
  });

  it('the archive has helm package\'s entries, headers and bytes; only the times differ', async () => {
    // helm package -u resolves the file:// dependency itself; work on a copy so the repository stays clean.
    const copy = join(scratch, 'helm-src');
    cpSync(join(repo.dir, 'charts'), copy, { recursive: true });
    await helm.run(['package', join(copy, 'worker'), '--dependency-update', '-d', join(scratch, 'helm-out')]);
    const io = memoryIO({ cwd: scratch });
    assert.equal(await main(['package', join(repo.dir, 'charts', 'worker'), '-d', join(scratch, 'ours')], io), 0, io.err);

    const theirs = tarEntries(readFileSync(join(scratch, 'helm-out', 'worker-1.0.0.tgz')));
    const ours = tarEntries(readFileSync(join(scratch, 'ours', 'worker-1.0.0.tgz')));
    assert.deepEqual(ours.map((e) => e.name), theirs.map((e) => e.name));
    // Chart.lock carries the time it was generated; everything else must match to the byte.
    const comparable = (entries: typeof ours) =>
      entries.map((e) => ({ ...e, data: e.name.endsWith('Chart.lock') ? e.data.toString().replace(/^generated: .*$/m, '') : e.data.toString('base64') }));
    assert.deepEqual(comparable(ours), comparable(theirs));
  });

  it('helm push and chartship push of the same file print the same manifest digest, in any time zone', async () => {
    // helm stamps the manifest with the file's modification time in its local zone: the same file, the same digest.
    const file = join(scratch, 'stamped', 'worker-1.0.0.tgz');
    mkdirSync(dirname(file), { recursive: true });
    copyFileSync(join(scratch, 'helm-out', 'worker-1.0.0.tgz'), file);
    utimesSync(file, new Date('2025-03-04T05:06:07.890Z'), new Date('2025-03-04T05:06:07.890Z'));
    const digest = (out: string) => /^Digest: (sha256:[a-f0-9]{64})$/m.exec(out)?.[1];
    for (const [i, zone] of ['UTC', 'Asia/Kolkata', 'America/St_Johns'].entries()) {
      const env = {
        PATH: process.env['PATH'], TZ: zone, HOME: helm.home, HELM_CONFIG_HOME: join(helm.home, 'config'), HELM_CACHE_HOME: join(helm.home, 'cache'),
        HELM_DATA_HOME: join(helm.home, 'data'), HELM_REGISTRY_CONFIG: join(helm.home, 'registry.json'), DOCKER_CONFIG: join(helm.home, 'docker'), ...goThreads(),
      };
      const theirs = await run(helmBinary(major), ['push', file, `oci://${registry.host}/zone-helm-${i}`, '--plain-http'], { env });
      const ours = await runBundledCli(['push', file, `oci://${registry.host}/zone-ours-${i}`, '--plain-http'], { cwd: scratch, env: { TZ: zone, HOME: scratch } });
      assert.equal(ours.code, 0, ours.stderr);
      assert.ok(digest(theirs.stdout + theirs.stderr), theirs.stdout + theirs.stderr);
      assert.equal(digest(ours.stdout), digest(theirs.stdout + theirs.stderr), zone);
    }
  });

  it('helm push and chartship push of the same chart give the same config, layers and annotations', async () => {
    const helmTgz = join(scratch, 'helm-out', 'worker-1.0.0.tgz');
    await helm.run(['push', helmTgz, `oci://${registry.host}/by-helm`, '--plain-http']);
    const raw = async (ref: string, config = false) =>
      JSON.parse((await run('skopeo', ['inspect', '--tls-verify=false', '--raw', ...(config ? ['--config'] : []), `docker://${ref}`])).stdout) as Record<string, unknown>;
    const byHelm = await raw(`${registry.host}/by-helm/worker:1.0.0`);
    const byUs = await raw(`${registry.host}/charts/worker:1.0.0`);
    assert.deepEqual(await raw(`${registry.host}/charts/worker:1.0.0`, true), await raw(`${registry.host}/by-helm/worker:1.0.0`, true), 'config blobs');
    const shape = (manifest: Record<string, unknown>) => {
      const annotations = { ...(manifest['annotations'] as Record<string, string>) };
      delete annotations['org.opencontainers.image.created'];
      const layers = (manifest['layers'] as { mediaType: string }[]).map((l) => l.mediaType).sort();
      return { keys: Object.keys(manifest), config: (manifest['config'] as { mediaType: string }).mediaType, layers, annotations };
    };
    // helm pushed no .prov here, ours carries one: compare the chart layer only.
    const chartOnly = (s: ReturnType<typeof shape>) => ({ ...s, layers: s.layers.filter((t) => t.endsWith('tar+gzip')) });
    assert.deepEqual(chartOnly(shape(byUs)), chartOnly(shape(byHelm)));
  });
});
