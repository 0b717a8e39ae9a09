import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { main } from '../../src/cli/main.js';
import { memoryIO, runBundledCli } from '../helpers/cli.js';
import { chartArchive } from '../helpers/registry-charts.js';
import { startRegistry, type TestRegistry } from '../helpers/registry.js';
import { skopeoRaw } from './skopeo.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'chartship-cli-'));
let registry: TestRegistry;
before(async () => {
  registry = await startRegistry({ auth: 'htpasswd' });
});
after(async () => {
  await registry?.stop();
  rmSync(dir, { recursive: true, force: true });
});

function io(stdin = '') {
  return memoryIO({ cwd: dir, env: { HOME: dir, PATH: process.env['PATH'] }, stdin });
}

test('chartship push in-process: helm-like output, .prov sibling, unchanged, refused, --overwrite, --json', async () => {
  writeFileSync(join(dir, 'cli-1.0.0.tgz'), chartArchive({ name: 'cli', version: '1.0.0' }));
  writeFileSync(join(dir, 'cli-1.0.0.tgz.prov'), 'provenance');
  const args = ['push', 'cli-1.0.0.tgz', `oci://${registry.host}/cli`, '--plain-http', '--username', registry.username!, '--password-stdin'];
  const first = io(`${registry.password}\n`);
  assert.equal(await main(args, first), 0, first.err);
  const match = /^Pushed: (\S+)\nDigest: (sha256:[a-f0-9]{64})\n$/.exec(first.out);
  assert.ok(match, first.out);
  assert.equal(match[1], `${registry.host}/cli/cli:1.0.0`);
  const raw = await skopeoRaw(`docker://${match[1]}`, ['--tls-verify=false', '--creds', `${registry.username}:${registry.password}`]);
  assert.match(raw.toString(), /provenance\.v1\.prov/);

  const again = io(registry.password);
  assert.equal(await main(args, again), 0);
  assert.equal(again.out, `Unchanged: ${match[1]}\nDigest: ${match[2]}\n`);

  // A new signature over the same chart leaves the published one in place: signed reruns stay no-ops.
  writeFileSync(join(dir, 'cli-1.0.0.tgz.prov'), 'another signature');
  const resigned = io(registry.password);
  assert.equal(await main(args, resigned), 0, resigned.err);
  assert.equal(resigned.out, `Unchanged: ${match[1]}\nDigest: ${match[2]}\n`);

  writeFileSync(join(dir, 'cli-1.0.0.tgz'), chartArchive({ name: 'cli', version: '1.0.0', files: { 'values.yaml': 'replicaCount: 2\n' } }));
  const refused = io(registry.password);
  assert.equal(await main(args, refused), 1);
  assert.match(refused.err, /^Error: .*already exists with different content.*--overwrite/);
  assert.doesNotMatch(refused.err, new RegExp(registry.password!));

  const forced = io(registry.password);
  assert.equal(await main([...args, '--overwrite', '--json'], forced), 0, forced.err);
  const json = JSON.parse(forced.out) as { status: string; ref: string; provDigest: string };
  assert.equal(json.status, 'overwritten');
  assert.equal(json.ref, match[1]);
  assert.match(json.provDigest, /^sha256:/);
});

test('usage errors and missing files exit non-zero with one message', async () => {
  const missing = io();
  assert.equal(await main(['push', 'nope.tgz', `oci://${registry.host}/x`, '--plain-http'], missing), 1);
  assert.match(missing.err, /^Error: nope\.tgz: no such file\n$/);
  // A chart directory where its archive belongs: helm says to package it; so does chartship.
  mkdirSync(join(dir, 'chart-dir'), { recursive: true });
  const directory = io();
  assert.equal(await main(['push', 'chart-dir', `oci://${registry.host}/x`, '--plain-http'], directory), 1);
  assert.equal(directory.err, 'Error: chart-dir: is a directory, not a chart archive (package it first: chartship package chart-dir, then push the .tgz it writes)\n');
  const few = io();
  assert.equal(await main(['push', 'only-one'], few), 2);
  const help = io();
  assert.equal(await main(['push', '--help'], help), 0);
  assert.match(help.out, /--password-stdin/);
  const userOnly = io();
  assert.equal(await main(['push', 'a.tgz', 'oci://h/x', '--username', 'u'], userOnly), 1);
  assert.match(userOnly.err, /--password-stdin/);
});

test('chartship push as a subprocess', async () => {
  writeFileSync(join(dir, 'sub-0.1.0.tgz'), chartArchive({ name: 'sub', version: '0.1.0' }));
  const { stdout, stderr, code } = await runBundledCli(
    ['push', join(dir, 'sub-0.1.0.tgz'), `oci://${registry.host}/sub`, '--plain-http', '--username', registry.username!, '--password-stdin'],
    { cwd: root, env: { HOME: dir }, stdin: `${registry.password}\n` },
  );
  assert.equal(code, 0, stderr);
  assert.match(stdout, new RegExp(`^Pushed: ${registry.host.replace(/\./g, '\\.')}/sub/sub:0\\.1\\.0\\nDigest: sha256:[a-f0-9]{64}\\n$`));
});

test('chartship push: the first line tells missing credentials, refused credentials and a plain-HTTP registry apart', async () => {
  writeFileSync(join(dir, 'msg-0.1.0.tgz'), chartArchive({ name: 'msg', version: '0.1.0' }));
  const target = `oci://${registry.host}/msg`;
  const firstLine = (text: string) => text.split('\n')[0] ?? '';

  const none = io();
  assert.equal(await main(['push', 'msg-0.1.0.tgz', target, '--plain-http'], none), 1);
  assert.match(firstLine(none.err), new RegExp(`none were found for ${registry.host}.*helm registry login`));

  const wrong = io('not-the-password\n');
  assert.equal(await main(['push', 'msg-0.1.0.tgz', target, '--plain-http', '--username', registry.username!, '--password-stdin'], wrong), 1);
  assert.match(firstLine(wrong.err), /refused the credentials of user "chartship".*wrong or has expired/);
  assert.notEqual(firstLine(wrong.err), firstLine(none.err));

  // The registry serves plain HTTP; without --plain-http chartship speaks TLS to it.
  const plain = io(`${registry.password}\n`);
  assert.equal(await main(['push', 'msg-0.1.0.tgz', target, '--username', registry.username!, '--password-stdin'], plain), 1);
  assert.match(firstLine(plain.err), new RegExp(`^Error: ${registry.host.replace(/\./g, '\\.')} answered plain HTTP to an HTTPS request.*--plain-http.*plain-http: true`));
  assert.doesNotMatch(plain.err, /wrong version number|packet length/i);
});

test("chartship push and pull log in with CHARTSHIP_USERNAME and CHARTSHIP_PASSWORD, as publish, plan and migrate in the same CI job do", async () => {
  writeFileSync(join(dir, 'job-0.1.0.tgz'), chartArchive({ name: 'job', version: '0.1.0' }));
  const job = { HOME: dir, CHARTSHIP_USERNAME: registry.username!, CHARTSHIP_PASSWORD: registry.password! };
  const pushed = await runBundledCli(['push', 'job-0.1.0.tgz', `oci://${registry.host}/job`, '--plain-http'], { cwd: dir, env: job });
  assert.equal(pushed.code, 0, pushed.stderr);
  assert.match(pushed.stdout, /^Pushed: .*\/job\/job:0\.1\.0\n/);
  const pulled = await runBundledCli(['pull', `oci://${registry.host}/job/job`, '--plain-http', '-d', join(dir, 'pulled')], { cwd: dir, env: job });
  assert.equal(pulled.code, 0, pulled.stderr);
  assert.match(pulled.stderr, /^Pulled: .*\/job\/job:0\.1\.0\n/);

  // --username with --password-stdin wins over the variables; a password without a user is a mistake named as such.
  const flagged = io('not-the-password\n');
  flagged.env = { ...flagged.env, ...job };
  assert.equal(await main(['push', 'job-0.1.0.tgz', `oci://${registry.host}/job`, '--plain-http', '--username', registry.username!, '--password-stdin'], flagged), 1);
  assert.match(flagged.err, /refused the credentials/);
  const lone = io();
  lone.env = { ...lone.env, CHARTSHIP_PASSWORD: 'p' };
  assert.equal(await main(['push', 'job-0.1.0.tgz', `oci://${registry.host}/job`, '--plain-http'], lone), 1);
  assert.equal(lone.err, 'Error: CHARTSHIP_PASSWORD needs CHARTSHIP_USERNAME\n');
});

test('--password-stdin with nothing piped in says so, before any registry is asked, for every command that takes it', async () => {
  const said = 'Error: --password-stdin: standard input is empty (pipe the password in: echo "$PASSWORD" | chartship … --password-stdin)\n';
  for (const args of [
    ['push', 'job-0.1.0.tgz', `oci://${registry.host}/job`, '--plain-http', '--username', registry.username!, '--password-stdin'],
    ['pull', `oci://${registry.host}/job/job`, '--plain-http', '--username', registry.username!, '--password-stdin'],
    ['publish', '--registry', `oci://${registry.host}/job`, '--plain-http', '--username', registry.username!, '--password-stdin'],
    ['plan', '--registry', `oci://${registry.host}/job`, '--plain-http', '--username', registry.username!, '--password-stdin'],
  ]) {
    for (const stdin of ['', '\n']) {
      const empty = io(stdin);
      assert.equal(await main(args, empty), 1, args[0]);
      assert.equal(empty.err, said, args[0]);
    }
  }
});
