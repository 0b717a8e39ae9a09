import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { main } from '../../src/cli/main.js';
import { openTarget } from '../../src/helm-oci/index.js';
import { readChartArchive } from '../../src/charts/archive.js';
import { memoryIO } from '../helpers/cli.js';
import { chartFiles, createRepo, type TestRepo } from '../helpers/git.js';
import { GpgHome, type GpgKey } from '../helpers/gpg.js';
import { startRegistry, type TestRegistry } from '../helpers/registry.js';

const run = promisify(execFile);
const sha256 = (data: Buffer) => `sha256:${createHash('sha256').update(data).digest('hex')}`;

function io(cwd: string) {
  return memoryIO({ cwd, env: { PATH: process.env['PATH'], HOME: cwd } });
}

interface Outcome {
  dryRun: boolean;
  pushed: number;
  charts: { name: string; version: string; status: string; registries: { registry: string; ref: string; digest: string; provDigest: string | null }[] }[];
  matrix: { include: { chart: string }[] };
}

describe('chartship publish', () => {
  let registry: TestRegistry;
  let repo: TestRepo;
  let gpg: GpgHome;
  let key: GpgKey;
  let base = '';
  const scratch = mkdtempSync(join(tmpdir(), 'chartship-cli-publish-'));

  before(async () => {
    registry = await startRegistry({ auth: 'none' });
    gpg = await GpgHome.create();
    key = await gpg.generateKey({ name: 'Release Bot', algo: 'ed25519', passphrase: 'correct horse' });
    writeFileSync(join(scratch, 'key.asc'), key.armoredSecret);
    writeFileSync(join(scratch, 'passphrase'), 'correct horse\n');
    repo = createRepo();
    base = repo.commit('chore: charts', {
      ...chartFiles('charts/lib', 'lib', '1.0.0'),
      'charts/lib/Chart.yaml': 'apiVersion: v2\nname: lib\n# a library: no templates of its own\ntype: library\nversion: 1.0.0\n',
      ...chartFiles('charts/app', 'app', '2.1.0', 'dependencies:\n  - name: lib\n    version: 1.0.0\n    repository: file://../lib\n'),
    });
    repo.commit('feat(lib)!: rename every helper', { 'charts/lib/templates/_helpers.tpl': '{{- define "lib.name" -}}x{{- end -}}\n' });
  });

  after(async () => {
    await registry?.stop();
    await gpg?.run('gpgconf', ['--kill', 'gpg-agent']);
    rmSync(gpg.dir, { recursive: true, force: true });
    repo?.cleanup();
    rmSync(scratch, { recursive: true, force: true });
  });

  const args = () => [
    'publish', '--cwd', repo.dir, '--base', base,
    '--registry', `oci://${registry.host}/charts`, '--registry', `oci-layout:${join(scratch, 'layout')}`,
    '--plain-http', '--sign-key-file', join(scratch, 'key.asc'), '--sign-key-passphrase-file', join(scratch, 'passphrase'),
    '--json', '--summary-file', join(scratch, 'summary.md'),
  ];

  it('plans only with --dry-run: nothing reaches the registry', async () => {
    const out = io(scratch);
    assert.equal(await main([...args(), '--dry-run'], out), 0, out.err);
    const outcome = JSON.parse(out.out) as Outcome;
    assert.equal(outcome.dryRun, true);
    assert.deepEqual(outcome.matrix.include.map((m) => m.chart), ['lib', 'app'], 'dependencies first');
    assert.equal(outcome.pushed, 0);
    // What a publish would push, at which version, as which ref in each registry (no digest: nothing was pushed).
    const layout = join(scratch, 'layout');
    assert.deepEqual(outcome.charts.map((c) => [c.name, c.version, c.status, c.registries]), ['lib 2.0.0', 'app 2.1.1'].map((planned) => {
      const [name, version] = planned.split(' ');
      return [name, version, 'planned', [
        { registry: `oci://${registry.host}/charts`, ref: `${registry.host}/charts/${name}:${version}`, digest: null, provDigest: null, attestation: null },
        { registry: `oci-layout:${layout}`, ref: `oci:${layout}:${name}:${version}`, digest: null, provDigest: null, attestation: null },
      ]];
    }));
    assert.match(readFileSync(join(scratch, 'summary.md'), 'utf8'), new RegExp(`^dry run: nothing was published; would push 2 chart\\(s\\) to oci://${registry.host}/charts, oci-layout:${layout}$`, 'm'));
    assert.deepEqual(await openTarget(`oci://${registry.host}/charts`, { plainHttp: true }).listVersions('lib'), []);
    assert.equal(repo.git('status', '--porcelain'), '', 'a dry run writes nothing');

    // The signing key is checked too: a wrong passphrase fails on the pull request, not after the merge.
    writeFileSync(join(scratch, 'wrong-passphrase'), 'battery staple\n');
    const wrong = io(scratch);
    const dryArgs = args().map((a) => (a === join(scratch, 'passphrase') ? join(scratch, 'wrong-passphrase') : a));
    assert.equal(await main([...dryArgs, '--dry-run'], wrong), 1);
    assert.match(wrong.err, /^Error: wrong passphrase for sign-key \([0-9A-F]{40}\)$/m);
  });

  it('takes every setting from CHARTSHIP_* variables too, and works from a subdirectory of the repository', async () => {
    const out = memoryIO({
      cwd: scratch,
      env: { PATH: process.env['PATH'], HOME: scratch, CHARTSHIP_REGISTRY: `oci-layout:${join(scratch, 'env-layout')}`, CHARTSHIP_BASE: base, CHARTSHIP_EXCLUDE: 'app' },
    });
    assert.equal(await main(['publish', '--cwd', join(repo.dir, 'charts', 'lib'), '--json'], out), 0, out.err);
    const outcome = JSON.parse(out.out) as Outcome;
    assert.deepEqual(outcome.charts.map((c) => `${c.name} ${c.version} ${c.status}`), ['lib 2.0.0 pushed']);
    repo.git('checkout', '-q', '--', '.');
  });

  it('releases a breaking library change and its dependent, signed, with the same bytes in every target', async () => {
    const out = io(scratch);
    assert.equal(await main(args(), out), 0, out.err);
    const outcome = JSON.parse(out.out) as Outcome;
    const lib = outcome.charts.find((c) => c.name === 'lib')!;
    const app = outcome.charts.find((c) => c.name === 'app')!;
    assert.equal(lib.version, '2.0.0', 'feat! is a major bump at 1.x');
    assert.equal(app.version, '2.1.1', 'a dependent of a released chart gets a patch');
    // Without --commit-bump the bumps go into the packages only: the work tree is left as it was.
    assert.equal(repo.git('status', '--porcelain'), '', 'the work tree is as before the run');
    assert.equal(outcome.pushed, 2);
    for (const chart of [lib, app]) {
      const [remote, layout] = chart.registries;
      assert.equal(remote?.digest, layout?.digest, 'the registry and the layout hold the same manifest');
      assert.match(remote?.provDigest ?? '', /^sha256:/);
    }

    // Pull what was pushed and check it the way `helm pull --verify` would: gpgv on the .prov, then the archive hash.
    const target = openTarget(`oci://${registry.host}/charts`, { plainHttp: true });
    const pulled = await target.pullChart('app', '2.1.1');
    await target.close();
    assert.ok(pulled.prov);
    assert.equal(sha256(pulled.prov), app.registries[0]!.provDigest);
    writeFileSync(join(scratch, 'app.prov'), pulled.prov);
    const keyring = join(scratch, 'pubring.gpg');
    writeFileSync(keyring, await gpg.gpg(['--export', key.fingerprint]));
    await run('gpgv', ['--keyring', keyring, join(scratch, 'app.prov')]);
    assert.match(pulled.prov.toString(), new RegExp(`app-2\\.1\\.1\\.tgz: ${sha256(pulled.archive)}`));
    const published = await readChartArchive(pulled.archive, 'app-2.1.1.tgz');
    assert.equal(published.metadata.dependencies?.[0]?.version, '2.0.0', 'the dependent now asks for the new library');

    const { stdout: raw } = await run('skopeo', ['inspect', '--tls-verify=false', '--raw', `docker://${registry.host}/charts/lib:2.0.0`], { encoding: 'buffer' });
    assert.equal(sha256(raw), lib.registries[0]!.digest);
    assert.match(readFileSync(join(scratch, 'summary.md'), 'utf8'), /\| `app` \| 2\.1\.1 \|/);
  });

  it('a rerun from a fresh checkout is a no-op with the same digests', async () => {
    const first = readFileSync(join(scratch, 'summary.md'), 'utf8');
    repo.git('checkout', '-q', '--', '.');
    const out = io(scratch);
    assert.equal(await main(args(), out), 0, out.err);
    const outcome = JSON.parse(out.out) as Outcome;
    assert.deepEqual(outcome.charts.map((c) => c.status), ['unchanged', 'unchanged']);
    const digests = (text: string) => [...text.matchAll(/sha256:[0-9a-f]{64}/g)].map((m) => m[0]);
    assert.deepEqual(digests(readFileSync(join(scratch, 'summary.md'), 'utf8')), digests(first));
  });

  it('a dry run catches a version that is already published with other content', async () => {
    repo.git('checkout', '-q', '--', '.');
    const chart = repo.read('charts/app/Chart.yaml').replace('version: 2.1.0', 'version: 2.1.1');
    repo.commit('fix(app): tune the defaults', { 'charts/app/Chart.yaml': chart, 'charts/app/values.yaml': 'replicas: 3\n' });
    const out = io(scratch);
    assert.equal(await main([...args(), '--dry-run'], out), 1, out.err);
    assert.match(out.err, /charts\/app\/Chart\.yaml:\d+:\d+: version: app 2\.1\.1 is already published in oci:\/\/\S+ with different content/);
  });
});
