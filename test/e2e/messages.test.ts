import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { publish } from '../../src/pipeline/publish.js';
import { silentLog } from '../../src/pipeline/log.js';
import { renderReleaseBody } from '../../src/report/index.js';
import { runAction } from '../helpers/action.js';
import { runCli } from '../helpers/cli.js';
import { chartFiles, createRepo, type TestRepo } from '../helpers/git.js';
import { GpgHome, type GpgKey } from '../helpers/gpg.js';
import { isolatedHelm, type Helm } from '../helpers/helm.js';
import { startRegistry, type TestRegistry } from '../helpers/registry.js';

const scratch = mkdtempSync(join(tmpdir(), 'chartship-messages-'));
const env = { PATH: process.env['PATH'], HOME: scratch, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' };
let runs = 0;
const runDir = () => join(scratch, `run-${++runs}`);

describe('messages that point at the fix', () => {
  let repo: TestRepo;
  let base = '';
  let head = '';

  before(() => {
    repo = createRepo();
    base = repo.commit('chore: charts', { ...chartFiles('charts/web', 'web', '1.0.0'), ...chartFiles('charts/api', 'api', '2.0.0'), ...chartFiles('charts/db', 'db', '0.1.0') });
    head = repo.commit('feat: everything', {
      'charts/web/values.yaml': 'a: 1\n',
      'charts/api/values.yaml': 'a: 1\n',
      'charts/db/values.yaml': 'a: 1\n',
      'charts/nameless/Chart.yaml': 'apiVersion: v2\nversion: 1.0.0\n',
    });
  });
  after(() => {
    repo.cleanup();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('a missing Chart.yaml field is named, in the CLI log and the action annotation', async () => {
    const cli = await runCli(['publish', '--cwd', repo.dir, '--base', base, '--registry', `oci-layout:${join(scratch, 'l1')}`], { cwd: scratch, env });
    assert.equal(cli.code, 1);
    assert.match(cli.stderr, /^error: charts\/nameless\/Chart\.yaml(:\d+:\d+)?: name: is required$/m);
    const action = await runAction({ cwd: repo.dir, dir: runDir(), inputs: { registry: `oci-layout:${join(scratch, 'l2')}`, base } });
    assert.equal(action.status, 1);
    assert.match(action.log, /^::error (?=[^:]*file=charts\/nameless\/Chart\.yaml)(?=[^:]*title=name).*::name: is required$/m);
  });

  it('long runs print one progress line per chart', async () => {
    const cli = await runCli(['publish', '--cwd', repo.dir, '--base', base, '--registry', `oci-layout:${join(scratch, 'l3')}`, '--exclude', 'nameless'], { cwd: scratch, env });
    assert.equal(cli.code, 0, cli.stderr);
    const lines = cli.stderr.split('\n').filter((l) => /^\[\d\/3\]/.test(l)).sort();
    assert.equal(lines.length, 3, cli.stderr);
    assert.deepEqual(lines.map((l) => l.slice(0, 5)), ['[1/3]', '[2/3]', '[3/3]']);
    for (const [chart, version] of [['api', '2.1.0'], ['db', '0.2.0'], ['web', '1.1.0']] as const) {
      assert.ok(lines.some((l) => new RegExp(`^\\[\\d/3\\] ${chart} ${version.replaceAll('.', '\\.')} → sha256:[0-9a-f]{64}$`).test(l)), `${chart}: ${lines.join('\n')}`);
    }
  });

  it('a pull request run prints the plan table in the log and puts it in the job summary', async () => {
    const payload = { number: 3, pull_request: { number: 3, base: { sha: base }, head: { sha: head } } };
    const run = await runAction({ cwd: repo.dir, dir: runDir(), event: { name: 'pull_request', payload }, env: { GITHUB_SHA: head, GITHUB_REPOSITORY: 'acme/charts' }, inputs: { registry: `oci-layout:${join(scratch, 'l4')}`, exclude: 'nameless' } });
    assert.equal(run.status, 0, run.log);
    assert.match(run.log, /^NAME +PATH +CURRENT +NEXT +BUMP +ACTION +WHY$/m);
    assert.match(run.log, /^web +charts\/web +1\.0\.0 +1\.1\.0 +minor +release +minor: feat: everything/m);
    assert.match(run.summary, /## chartship release plan/);
    assert.match(run.summary, /\| `web` \| 1\.0\.0 → \*\*1\.1\.0\*\* \| minor \|/);
  });

  it('a port out of range names the reference, not "Invalid URL"', async () => {
    const cli = await runCli(['publish', '--cwd', repo.dir, '--base', base, '--registry', 'oci://127.0.0.1:99999/charts'], { cwd: scratch, env });
    assert.equal(cli.code, 1);
    assert.match(cli.stderr, /^Error: registry: oci:\/\/127\.0\.0\.1:99999\/charts: port 99999 is out of range \(a port is a number from 1 to 65535\)$/m);
    assert.doesNotMatch(cli.stderr, /Invalid URL/);
    writeFileSync(join(scratch, 'web.tgz'), 'not read');
    const push = await runCli(['push', join(scratch, 'web.tgz'), 'oci://localhost:0/charts'], { cwd: scratch, env });
    assert.equal(push.code, 1);
    assert.match(push.stderr, /oci:\/\/localhost:0\/charts: port 0 is out of range/);
  });

  it('a password inside a registry URL is refused with a hint, and never echoed', async () => {
    const secret = 'Pw-9f8e7d6c5b';
    const spec = `oci://bot:${secret}@127.0.0.1:5000/charts`;
    const cli = await runCli(['publish', '--cwd', repo.dir, '--base', base, '--registry', spec], { cwd: scratch, env });
    assert.equal(cli.code, 1);
    assert.match(cli.stderr, /^Error: registry: oci:\/\/bot:\*\*\*@127\.0\.0\.1:5000\/charts has credentials in it; a registry reference never carries them \(remove USER:PASSWORD@ and pass them as credentials/m);
    assert.ok(!`${cli.stdout}${cli.stderr}`.includes(secret));
    const push = await runCli(['push', join(scratch, 'web.tgz'), `oci://${secret}@127.0.0.1:5000/charts`], { cwd: scratch, env });
    assert.equal(push.code, 1);
    assert.ok(!`${push.stdout}${push.stderr}`.includes(secret), push.stderr);

    const action = await runAction({ cwd: repo.dir, dir: runDir(), inputs: { registry: spec, base } });
    assert.equal(action.status, 1);
    // The runner is told to mask it before anything else is printed, and the refusal itself does not carry it.
    const lines = action.log.split('\n');
    assert.ok(lines.findIndex((l) => l === `::add-mask::${secret}`) === 0, action.log);
    assert.deepEqual(lines.filter((l) => l.includes(secret) && !l.startsWith('::add-mask::')), []);
    assert.match(action.log, /^::error::registry: oci:\/\/bot:\*\*\*@127\.0\.0\.1:5000\/charts has credentials in it/m);

    // Without oci:// (a URL pasted from elsewhere, or no scheme at all), the password is as much a password.
    for (const bare of [`bot:${secret}@127.0.0.1:5000/charts`, `https://bot:${secret}@127.0.0.1:5000/charts`]) {
      const typed = await runCli(['publish', '--cwd', repo.dir, '--base', base, '--registry', bare], { cwd: scratch, env });
      assert.equal(typed.code, 1);
      assert.ok(!`${typed.stdout}${typed.stderr}`.includes(secret), typed.stderr);
      assert.match(typed.stderr, /bot:\*\*\*@127\.0\.0\.1:5000\/charts has credentials in it/);
      const run = await runAction({ cwd: repo.dir, dir: runDir(), inputs: { registry: bare, base } });
      assert.equal(run.status, 1);
      assert.ok(run.log.split('\n').includes(`::add-mask::${secret}`), run.log);
      assert.deepEqual(run.log.split('\n').filter((l) => l.includes(secret) && !l.startsWith('::add-mask::')), []);
    }
  });
});

describe('the release notes tell how to verify with GnuPG 2.1 and later', () => {
  let registry: TestRegistry;
  let gpg: GpgHome;
  let key: GpgKey;
  let helm: Helm;
  let repo: TestRepo;

  before(async () => {
    registry = await startRegistry({ auth: 'none' });
    gpg = await GpgHome.create();
    key = await gpg.generateKey({ name: 'Chart Signer', algo: 'rsa3072' });
    helm = isolatedHelm(4);
    repo = createRepo();
    repo.commit('feat: web', chartFiles('charts/web', 'web', '1.0.0'));
  });
  after(async () => {
    await registry?.stop();
    await gpg?.run('gpgconf', ['--kill', 'gpg-agent']);
    rmSync(gpg.dir, { recursive: true, force: true });
    helm?.cleanup();
    repo?.cleanup();
  });

  it('the commands in the notes, run as written against a GnuPG 2.1+ home (pubring.kbx), verify the chart with helm', async () => {
    const outcome = await publish(
      { cwd: repo.dir, targets: [`oci://${registry.host}/charts`], target: { plainHttp: true, env }, signKey: { armoredKey: key.armoredSecret } },
      silentLog,
    );
    const web = outcome.results.find((r) => r.name === 'web')!;
    assert.equal(web.status, 'pushed');
    const body = renderReleaseBody(web, { serverUrl: 'https://github.example', repository: 'acme/charts' });
    assert.ok(body.includes(`key \`${key.fingerprint}\``), body);
    const verify = body.slice(body.indexOf('### Verify'));
    const commands = /```sh\n([\s\S]*?)\n```/.exec(verify)?.[1]?.split('\n') ?? [];
    assert.deepEqual(commands.map((c) => c.split(' ').slice(0, 2).join(' ')), ['gpg --export', 'helm pull']);

    // This GnuPG keeps its keys in a keybox, which helm cannot read: the notes' export step is what makes it work.
    assert.ok(existsSync(join(gpg.dir, 'pubring.kbx')));
    const work = join(scratch, 'verify');
    mkdirSync(work, { recursive: true });
    execFileSync('sh', ['-c', commands[0]!], { cwd: work, env: gpg.env });
    const pull = commands[1]!.split(' ');
    // The test registry speaks plain HTTP; everything else is the command as printed.
    const out = await helm.run([...pull.slice(1), '--plain-http', '-d', work], { cwd: work });
    assert.match(out, /Signed by: Chart Signer/);
    await assert.rejects(helm.run([...pull.slice(1, -1), join(gpg.dir, 'pubring.kbx'), '--plain-http', '-d', join(work, 'kbx')], { cwd: work }));
  });
});
