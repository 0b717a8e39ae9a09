import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { AGENT_CONF } from '../helpers/gpg.js';
import { chartYaml, parseTgz, tempDirs, writeFiles } from './fixtures.js';

const temp = tempDirs();
after(() => temp.cleanup());

function cli(args: string[], env: NodeJS.ProcessEnv = {}) {
  return runCli(['package', ...args], { cwd: temp.make(), env: { SOURCE_DATE_EPOCH: '1700000000', ...env } });
}

function goodChart(extra: Record<string, string | Buffer> = {}): string {
  return writeFiles(temp.make(), {
    'Chart.yaml': `# my chart\napiVersion: v2\nname: web\nversion: 1.0.0 # the version\nappVersion: "1.16"\n`,
    'values.yaml': 'a: 1\n',
    'templates/x.yaml': 'x\n',
    ...extra,
  });
}

describe('chartship package', () => {
  it('prints where the archive went, like helm', async () => {
    const out = temp.make();
    const r = await cli([goodChart(), '--destination', out]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `Successfully packaged chart and saved it to: ${join(out, 'web-1.0.0.tgz')}\n`);
    assert.deepEqual(readdirSync(out), ['web-1.0.0.tgz']);
  });

  it('--version and --app-version change Chart.yaml in the archive only, written as helm writes it', async () => {
    const dir = goodChart();
    const out = temp.make();
    const r = await cli([dir, '-d', out, '--version', '2.0.0-rc.1+build.5', '--app-version', '1.17', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const result = JSON.parse(r.stdout) as { path: string; version: string; sha256: string };
    assert.equal(result.path, join(out, 'web-2.0.0-rc.1+build.5.tgz'));
    assert.equal(result.version, '2.0.0-rc.1+build.5');
    assert.match(result.sha256, /^[0-9a-f]{64}$/);
    const entries = await parseTgz(readFileSync(result.path));
    assert.equal(entries[0]!.data.toString(), 'apiVersion: v2\nappVersion: "1.17"\nname: web\nversion: 2.0.0-rc.1+build.5\n');
    assert.match(readFileSync(join(dir, 'Chart.yaml'), 'utf8'), /version: 1\.0\.0 # the version/);
  });

  it('adds appVersion when Chart.yaml has none', async () => {
    const dir = writeFiles(temp.make(), { 'Chart.yaml': chartYaml('plain', '0.1.0') });
    const out = temp.make();
    assert.equal((await cli([dir, '-d', out, '--app-version', '3.0'])).code, 0);
    const entries = await parseTgz(readFileSync(join(out, 'plain-0.1.0.tgz')));
    assert.equal(entries[0]!.data.toString(), 'apiVersion: v2\nappVersion: "3.0"\nname: plain\nversion: 0.1.0\n');
  });

  it('shows help and refuses bad usage with exit 2', async () => {
    const help = await cli(['--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /usage: chartship package <chart-dir>/);
    assert.equal((await cli([])).code, 2);
    assert.equal((await cli(['a', 'b'])).code, 2);
    assert.equal((await cli(['--frobnicate', 'a'])).code, 2);
  });
});

describe("what helm accepts but reads its own way: packaged as helm packages it, with a warning", () => {
  it('a v-prefixed version, a number for text and a repeated key', async () => {
    const dir = writeFiles(temp.make(), { 'Chart.yaml': 'apiVersion: v2\nname: x\nversion: 1.0.0\nversion: v1.2.3\nappVersion: 1.10\n' });
    const out = temp.make();
    const r = await cli([dir, '-d', out]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(readdirSync(out), ['x-v1.2.3.tgz']);
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 3, r.stderr);
    assert.match(lines[0]!, /^warning: .*Chart\.yaml:4:1: version: version is given more than once; the last one counts/);
    assert.match(lines[1]!, /^warning: .*Chart\.yaml:5:13: appVersion: 1\.10 is not text; helm reads it as "1\.1" \(quote it: "1\.10"\)/);
    assert.match(lines[2]!, /^warning: .*Chart\.yaml:4:1: version: "v1\.2\.3" is not SemVer 2; helm accepts it as 1\.2\.3/);
  });

  it('--version giving the version Chart.yaml has is warned of once, at its line, not again as the flag (a publish passes it so)', async () => {
    const dir = writeFiles(temp.make(), { 'Chart.yaml': 'apiVersion: v2\nname: x\nversion: v1.2.3\n' });
    const r = await cli([dir, '-d', temp.make(), '--version', 'v1.2.3']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /^warning: .*Chart\.yaml:3:1: version: "v1\.2\.3" is not SemVer 2; helm accepts it as 1\.2\.3.*\n$/);
  });
});

describe('bad input: one clear error naming file and field, exit 1, no archive', () => {
  const big = Buffer.alloc(5 * 1024 * 1024 + 1, 0x61);
  const cases: { name: string; files: Record<string, string | Buffer>; args?: string[]; expect: RegExp; setup?: (dir: string) => void }[] = [
    { name: 'malformed Chart.yaml', files: { 'Chart.yaml': 'apiVersion: v2\nname: [oops\nversion: 1.0.0\n' }, expect: /Chart\.yaml:\d+:\d+: malformed YAML/ },
    { name: 'missing name', files: { 'Chart.yaml': 'apiVersion: v2\nversion: 1.0.0\n' }, expect: /Chart\.yaml: name: is required/ },
    { name: 'missing version', files: { 'Chart.yaml': 'apiVersion: v2\nname: x\n' }, expect: /Chart\.yaml: version: is required/ },
    { name: 'version 1.2.3.4', files: { 'Chart.yaml': chartYaml('x', '1.2.3.4') }, expect: /Chart\.yaml:3:1: version: "1\.2\.3\.4" is not a valid version \(use MAJOR\.MINOR\.PATCH/ },
    { name: 'version 1.0.0-01', files: { 'Chart.yaml': chartYaml('x', '"1.0.0-01"') }, expect: /Chart\.yaml:3:1: version: "1\.0\.0-01" is not a valid version/ },
    {
      name: 'appVersion given as a mapping',
      files: { 'Chart.yaml': chartYaml('x', '1.0.0', 'appVersion: {x: 1}\n') },
      expect: /Chart\.yaml:4:13: appVersion: must be text, got mapping/,
    },
    {
      name: 'maintainer name given as a mapping',
      files: { 'Chart.yaml': chartYaml('x', '1.0.0', 'maintainers:\n  - email: a@b.c\n    name:\n      first: Ann\n') },
      expect: /Chart\.yaml:7:7: maintainers\[0\]\.name: must be text, got mapping/,
    },
    { name: 'name .', files: { 'Chart.yaml': chartYaml('"."', '1.0.0') }, expect: /Chart\.yaml:2:1: name: "\." is not a valid chart name/ },
    { name: 'name ..', files: { 'Chart.yaml': chartYaml('".."', '1.0.0') }, expect: /name: "\.\." is not a valid chart name/ },
    { name: 'name with /', files: { 'Chart.yaml': chartYaml('a/b', '1.0.0') }, expect: /name: "a\/b" is not a valid chart name/ },
    {
      name: 'dependency missing from charts/',
      files: { 'Chart.yaml': chartYaml('x', '1.0.0', 'dependencies:\n  - name: db\n    version: 1.x\n') },
      expect: /Chart\.yaml:5:\d+: dependencies\[0\]: db is missing from charts\//,
    },
    {
      name: 'dependency from an unsupported repository',
      files: { 'Chart.yaml': chartYaml('x', '1.0.0', 'dependencies:\n  - name: db\n    version: 1.x\n    repository: ftp://charts.example.com/bitnami\n') },
      expect: /Chart\.yaml:5:\d+: dependencies\[0\]: unsupported repository "ftp:\/\/charts\.example\.com\/bitnami"/,
    },
    {
      name: 'symlink leaving the chart',
      files: { 'Chart.yaml': chartYaml('x', '1.0.0') },
      setup: (dir) => symlinkSync('/etc/passwd', join(dir, 'templates-link')),
      expect: /templates-link: symbolic link leaves the chart directory/,
    },
    { name: 'file over 5 MiB', files: { 'Chart.yaml': chartYaml('x', '1.0.0'), 'files/big.bin': big }, expect: /files\/big\.bin: file is 5242881 bytes, over helm's limit/ },
    { name: '** in .helmignore', files: { 'Chart.yaml': chartYaml('x', '1.0.0'), '.helmignore': '# ok\nsrc/**/x\n' }, expect: /\.helmignore:2:5: "src\/\*\*\/x": double-star/ },
    { name: 'invalid values.schema.json', files: { 'Chart.yaml': chartYaml('x', '1.0.0'), 'values.schema.json': '{\n  "type": "object",\n  "properties": {,}\n}\n' }, expect: /values\.schema\.json:3:18: invalid JSON/ },
    { name: 'malformed values.yaml', files: { 'Chart.yaml': chartYaml('x', '1.0.0'), 'values.yaml': 'a: 1\n b: [\n' }, expect: /values\.yaml:\d+:\d+: malformed YAML/ },
    { name: 'bad --version', files: { 'Chart.yaml': chartYaml('x', '1.0.0') }, args: ['--version', '2.0.x'], expect: /--version: "2\.0\.x" is not a valid version/ },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const dir = writeFiles(temp.make(), c.files);
      c.setup?.(dir);
      const out = temp.make();
      const r = await cli([dir, '-d', out, ...(c.args ?? [])]);
      assert.equal(r.code, 1);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, /^Error: /);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.match(r.stderr, c.expect);
      assert.deepEqual(readdirSync(out), [], 'nothing written');
    });
  }
});

describe('chartship package --sign (real gpg keys)', () => {
  let home: string;
  let keys: string;
  before(() => {
    home = temp.make('chartship-gnupg-');
    keys = temp.make();
    writeFileSync(join(home, 'gpg-agent.conf'), AGENT_CONF);
    const gpg = (...args: string[]) => execFileSync('gpg', ['--homedir', home, '--batch', '--pinentry-mode', 'loopback', '--passphrase', 'right', ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    gpg('--quick-gen-key', 'Chart Signer <signer@example.com>', 'ed25519', 'sign', 'never');
    writeFileSync(join(keys, 'secret.asc'), gpg('--armor', '--export-secret-keys'));
    writeFileSync(join(keys, 'public.asc'), gpg('--armor', '--export'));
    writeFileSync(join(keys, 'right'), 'right\n');
    writeFileSync(join(keys, 'wrong'), 'wrong\n');
  });
  after(() => {
    // gpg started an agent for this home directory; stop exactly that one.
    execFileSync('gpgconf', ['--homedir', home, '--kill', 'gpg-agent']);
  });

  it('writes <archive>.prov that gpg verifies, with the archive hash inside', async () => {
    const out = temp.make();
    const r = await cli([goodChart(), '-d', out, '--sign', '--key-file', join(keys, 'secret.asc'), '--passphrase-file', join(keys, 'right')]);
    assert.equal(r.code, 0, r.stderr);
    const tgz = join(out, 'web-1.0.0.tgz');
    assert.equal(r.stdout, `Successfully packaged chart and saved it to: ${tgz}\nProvenance file saved to: ${tgz}.prov\n`);
    const prov = readFileSync(`${tgz}.prov`, 'utf8');
    assert.match(prov, /^-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA512\n/);
    const { createHash } = await import('node:crypto');
    assert.ok(prov.includes(`web-1.0.0.tgz: sha256:${createHash('sha256').update(readFileSync(tgz)).digest('hex')}`));
    execFileSync('gpg', ['--homedir', home, '--batch', '--verify', `${tgz}.prov`], { stdio: 'pipe' });
  });

  it('a wrong passphrase or a public key fails before anything is written', async () => {
    for (const [key, pass, expect] of [
      ['secret.asc', 'wrong', /wrong passphrase/],
      ['public.asc', 'right', /public key/],
    ] as const) {
      const out = temp.make();
      const r = await cli([goodChart(), '-d', out, '--sign', '--key-file', join(keys, key), '--passphrase-file', join(keys, pass)]);
      assert.equal(r.code, 1);
      assert.match(r.stderr, expect);
      assert.deepEqual(readdirSync(out), []);
    }
  });
});
