import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { parseChartYaml } from '../../src/charts/chartfile.js';
import { runCli } from '../helpers/cli.js';
import { loadSigningKey, signChart } from '../../src/sign/index.js';
import { GpgHome, type GpgKey } from '../helpers/gpg.js';
import { helmBinary } from '../helpers/helm.js';

const run = promisify(execFile);

function cli(args: string[], cwd: string) {
  return runCli(['verify', ...args], { cwd });
}

describe('chartship verify', () => {
  let home: GpgHome;
  let key: GpgKey;
  let dir: string;
  let archive: Buffer;

  before(async () => {
    home = await GpgHome.create();
    key = await home.generateKey({ name: 'Chart Publisher', algo: 'ed25519' });
    dir = join(home.dir, 'work');
    const chartYaml = 'apiVersion: v2\nname: demo\nversion: 0.1.0\ndescription: A demo chart\nkeywords:\n- web\n';
    await mkdir(join(dir, 'src', 'demo', 'templates'), { recursive: true });
    await writeFile(join(dir, 'src', 'demo', 'Chart.yaml'), chartYaml);
    await writeFile(join(dir, 'src', 'demo', 'values.yaml'), 'replicas: 1\n');
    await writeFile(join(dir, 'src', 'demo', 'templates', 'cm.yaml'), 'kind: ConfigMap\n');
    await run('tar', ['czf', join(dir, 'demo-0.1.0.tgz'), '-C', join(dir, 'src'), 'demo']);
    archive = await readFile(join(dir, 'demo-0.1.0.tgz'));

    const signer = await loadSigningKey({ armoredKey: key.armoredSecret });
    const prov = await signChart(signer, { metadata: parseChartYaml(chartYaml, 'Chart.yaml').metadata, fileName: 'demo-0.1.0.tgz', archive });
    await writeFile(join(dir, 'demo-0.1.0.tgz.prov'), prov);
    await writeFile(join(dir, 'pubring.gpg'), await home.exportKeyring([key.fingerprint]));
    await writeFile(join(dir, 'key.asc'), key.armoredPublic);
  });
  after(async () => {
    await home?.close();
  });

  it('prints what helm verify prints', async () => {
    const result = await cli(['demo-0.1.0.tgz', '--keyring', 'pubring.gpg'], dir);
    assert.equal(result.stderr, '');
    assert.equal(result.code, 0);
    const hash = createHash('sha256').update(archive).digest('hex');
    assert.equal(
      result.stdout,
      `Signed by: ${key.userId}\nUsing Key With Fingerprint: ${key.fingerprint}\nChart Hash Verified: sha256:${hash}\n`,
    );
  });

  it('prints JSON with --json, reading an armored key as keyring', async () => {
    const result = await cli(['demo-0.1.0.tgz', '--keyring', 'key.asc', '--json'], dir);
    assert.equal(result.code, 0, result.stderr);
    const out = JSON.parse(result.stdout) as Record<string, unknown>;
    assert.equal(out['name'], 'demo');
    assert.equal(out['version'], '0.1.0');
    assert.equal(out['fingerprint'], key.fingerprint);
    assert.equal(out['signedBy'], key.userId);
  });

  it('fails with exit 1 when the archive was changed after signing', async () => {
    // Still a loadable chart, so the failure must come from the hash check, not from reading the archive.
    await mkdir(join(dir, 'tampered'), { recursive: true });
    await writeFile(join(dir, 'src', 'demo', 'values.yaml'), 'replicas: 2\n');
    await run('tar', ['czf', join(dir, 'tampered', 'demo-0.1.0.tgz'), '-C', join(dir, 'src'), 'demo']);
    await writeFile(join(dir, 'tampered', 'demo-0.1.0.tgz.prov'), await readFile(join(dir, 'demo-0.1.0.tgz.prov')));
    const result = await cli(['tampered/demo-0.1.0.tgz', '--keyring', 'pubring.gpg'], dir);
    assert.equal(result.code, 1);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /^Error: tampered\/demo-0\.1\.0\.tgz\.prov: sha256 of demo-0\.1\.0\.tgz does not match the \.prov/);
  });

  it('fails with exit 1 and names the missing .prov', async () => {
    await mkdir(join(dir, 'unsigned'), { recursive: true });
    await writeFile(join(dir, 'unsigned', 'demo-0.1.0.tgz'), archive);
    const result = await cli(['unsigned/demo-0.1.0.tgz', '--keyring', 'pubring.gpg'], dir);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /^Error: unsigned\/demo-0\.1\.0\.tgz\.prov: cannot read the provenance file: does not exist/);
  });

  it('fails with exit 1 against a keyring without the signer', async () => {
    const other = await home.generateKey({ name: 'Someone Else', algo: 'ed25519' });
    await writeFile(join(dir, 'other.gpg'), await home.exportKeyring([other.fingerprint]));
    const result = await cli(['demo-0.1.0.tgz', '--keyring', 'other.gpg'], dir);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /not in the keyring/);
  });

  it("without --keyring reads helm's default keyring, as helm verify does, and names it when it is missing", async () => {
    const gnupg = join(dir, 'gnupghome');
    await mkdir(join(dir, 'home', '.gnupg'), { recursive: true });
    await mkdir(gnupg, { recursive: true });
    await writeFile(join(dir, 'home', '.gnupg', 'pubring.gpg'), await readFile(join(dir, 'pubring.gpg')));
    await writeFile(join(gnupg, 'pubring.gpg'), await readFile(join(dir, 'pubring.gpg')));
    for (const env of [{ HOME: join(dir, 'home') }, { HOME: join(dir, 'nowhere'), GNUPGHOME: gnupg }]) {
      const ours = await runCli(['verify', 'demo-0.1.0.tgz'], { cwd: dir, env });
      assert.equal(ours.code, 0, ours.stderr);
      assert.match(ours.stdout, /^Chart Hash Verified: sha256:/m);
      const helm = spawnSync(helmBinary(4), ['verify', 'demo-0.1.0.tgz'], { cwd: dir, env: { PATH: process.env['PATH'], ...env }, encoding: 'utf8' });
      assert.equal(helm.status, 0, `helm verifies with the same keyring: ${helm.stderr}`);
    }
    const none = await runCli(['verify', 'demo-0.1.0.tgz'], { cwd: dir, env: { HOME: join(dir, 'nowhere') } });
    assert.equal(none.code, 1);
    assert.equal(none.stderr, `Error: ${join(dir, 'nowhere', '.gnupg', 'pubring.gpg')}: cannot read helm's default keyring: does not exist (pass --keyring FILE (gpg --export KEYID > pubring.gpg))\n`);
  });

  it('exits 2 on usage errors', async () => {
    assert.equal((await cli([], dir)).code, 2);
    assert.equal((await cli(['--help'], dir)).code, 0);
  });
});

describe('chartship verify oci://… refuses a command line it cannot take', () => {
  const ref = 'oci://127.0.0.1:1/charts/web:1.0.0';
  const cases: [string, string[], RegExp][] = [
    ['no issuer', ['--certificate-identity', 'x'], /--certificate-oidc-issuer is required/],
    ['no identity', ['--certificate-oidc-issuer', 'https://i'], /give exactly one of --certificate-identity and --certificate-identity-regexp/],
    ['both identities', ['--certificate-oidc-issuer', 'https://i', '--certificate-identity', 'x', '--certificate-identity-regexp', 'x'], /give exactly one of/],
    ['a bad regexp', ['--certificate-oidc-issuer', 'https://i', '--certificate-identity-regexp', '('], /--certificate-identity-regexp: /],
    ['a trusted root and TUF', ['--certificate-oidc-issuer', 'https://i', '--certificate-identity', 'x', '--trusted-root', 'r.json', '--tuf-mirror', 'http://127.0.0.1:1'], /--trusted-root replaces TUF/],
  ];
  for (const [name, args, problem] of cases) {
    it(`${name}: the problem, then the help, exit 2, and no registry is asked`, async () => {
      const result = await runCli(['verify', ref, ...args], { cwd: process.cwd() });
      assert.equal(result.code, 2);
      assert.match(result.stderr, /^chartship verify: /);
      assert.match(result.stderr, problem);
      assert.match(result.stderr, /--certificate-oidc-issuer/, 'the help follows the problem');
      assert.equal(result.stdout, '');
    });
  }
});
