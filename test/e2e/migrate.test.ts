import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readChartArchive } from '../../src/charts/archive.js';
import { provenanceBody } from '../../src/sign/index.js';
import { cliBundle } from '../helpers/bundle.js';
import { startClassicRepo, type ClassicChart, type ClassicRepoServer } from '../helpers/classic-repo.js';
import { runBundledCli } from '../helpers/cli.js';
import { GpgHome, type GpgKey } from '../helpers/gpg.js';
import { HELM_MAJORS, isolatedHelm } from '../helpers/helm.js';
import { makeServerCertificates } from '../helpers/registry-certs.js';
import { chartArchive } from '../helpers/registry-charts.js';
import { startRegistry, type TestRegistry } from '../helpers/registry.js';
import { skopeoRaw } from '../oci/skopeo.js';

const scratch = mkdtempSync(join(tmpdir(), 'chartship-migrate-'));
let gpg: GpgHome;
let key: GpgKey;
const keyring = join(scratch, 'pubring.gpg');

before(async () => {
  gpg = await GpgHome.create();
  key = await gpg.generateKey({ name: 'Repo Signer', algo: 'rsa3072' });
  writeFileSync(keyring, await gpg.exportKeyring([key.fingerprint]));
});
after(async () => {
  await gpg?.close();
  rmSync(scratch, { recursive: true, force: true });
});

/** A chart version as chart-releaser publishes it: the archive, and a .prov signed by real gpg when `signed`. */
async function published(name: string, version: string, signed: boolean, extra = ''): Promise<ClassicChart> {
  const archive = chartArchive({ name, version, extra, files: { 'templates/cm.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-${name}\ndata:\n  version: "${version}"\n` } });
  const file = `${name}-${version}.tgz`;
  if (!signed) return { file, archive };
  const metadata = (await readChartArchive(archive, file)).metadata;
  return { file, archive, prov: await gpg.clearsign(key, provenanceBody(metadata, file, archive)) };
}

const migrateCli = (args: string[], env: NodeJS.ProcessEnv = {}, stdin?: string) =>
  runBundledCli(['migrate', ...args], { cwd: scratch, env: { HOME: scratch, ...env }, ...(stdin !== undefined ? { stdin } : {}) });

/** Progress lines on stderr: `[n/N] name version: …`. */
const progressLines = (stderr: string) => stderr.split('\n').filter((l) => /^\[\s*\d+\/\d+\] /.test(l));

describe('chartship migrate from an index.yaml repository into a real registry', () => {
  let registry: TestRegistry;
  let source: ClassicRepoServer;
  let charts: ClassicChart[];

  before(async () => {
    registry = await startRegistry();
    charts = [
      await published('alpha', '1.0.0', true, 'appVersion: "1.10"\nmaintainers:\n- name: Jane\n  email: jane@example.com\n'),
      await published('alpha', '1.1.0', true),
      await published('alpha', '2.0.0-rc.1', false),
      await published('beta', '0.1.0+build.7', false),
    ];
    source = await startClassicRepo(charts);
  });
  after(async () => {
    await source?.stop();
    await registry?.stop();
  });

  it('copies every version, the .prov files as provenance layers, and helm pull --verify and helm template accept the result', async () => {
    const result = await migrateCli([`${source.url}/index.yaml`, `oci://${registry.host}/migrated`, '--plain-http']);
    assert.equal(result.code, 0, result.stderr);
    const progress = progressLines(result.stderr);
    assert.equal(progress.length, 4, result.stderr);
    assert.ok(progress.some((l) => /alpha 1\.0\.0: copied sha256:[0-9a-f]{64} \(signed\)$/.test(l)), result.stderr);
    assert.ok(progress.some((l) => /beta 0\.1\.0\+build\.7: copied sha256:[0-9a-f]{64}$/.test(l)), result.stderr);
    assert.match(result.stdout, /^CHART\s+VERSION\s+RESULT\s+DIGEST \/ WHY$/m);
    assert.match(result.stdout, /^alpha\s+2\.0\.0-rc\.1\s+copied\s+sha256:[0-9a-f]{64}$/m);
    assert.match(result.stdout, /copied 4, already there 0, failed 0 \(of 4\)/);

    for (const major of HELM_MAJORS) {
      const helm = isolatedHelm(major);
      try {
        for (const chart of charts) {
          const [, name, version] = /^(.+?)-(\d.*)\.tgz$/.exec(chart.file)!;
          const out = join(scratch, `pulled-${major}-${chart.file}`);
          mkdirSync(out);
          const verify = chart.prov ? ['--verify', '--keyring', keyring] : [];
          const said = await helm.run(['pull', `oci://${registry.host}/migrated/${name}`, '--version', version!, '--plain-http', '-d', out, ...verify]);
          if (chart.prov) assert.match(said, /Signed by: Repo Signer/);
          // Copied as published, not repackaged: the archive users pinned keeps its bytes and digest.
          assert.deepEqual(readFileSync(join(out, chart.file)), chart.archive, `${chart.file} with helm ${major}`);
          if (chart.prov) assert.equal(readFileSync(join(out, `${chart.file}.prov`), 'utf8'), chart.prov);
          const rendered = await helm.run(['template', 'shop', join(out, chart.file)]);
          assert.match(rendered, new RegExp(`name: shop-${name}\\n`));
        }
      } finally {
        helm.cleanup();
      }
    }
  });

  it('derives the OCI config and layers from the archive as helm push does', async () => {
    const helm = isolatedHelm(3);
    try {
      const chart = charts[0]!;
      const file = join(scratch, chart.file);
      writeFileSync(file, chart.archive);
      writeFileSync(`${file}.prov`, chart.prov!);
      await helm.run(['push', file, `oci://${registry.host}/by-helm`, '--plain-http']);
      const manifest = async (ns: string) => JSON.parse((await skopeoRaw(`docker://${registry.host}/${ns}/alpha:1.0.0`, ['--tls-verify=false'])).toString()) as { config: unknown; layers: unknown };
      const ours = await manifest('migrated');
      const helms = await manifest('by-helm');
      assert.deepEqual(ours.config, helms.config);
      assert.deepEqual(ours.layers, helms.layers);
    } finally {
      helm.cleanup();
    }
  });

  it('a rerun copies nothing: every version is already there, no archive is downloaded and nothing is written to the registry', async () => {
    await registry.reset();
    const before = source.hits.length;
    const result = await migrateCli([source.url, `oci://${registry.host}/migrated`, '--plain-http', '--json']);
    assert.equal(result.code, 0, result.stderr);
    const { results } = JSON.parse(result.stdout) as { results: { status: string; digest: string }[] };
    assert.deepEqual(results.map((r) => r.status), ['unchanged', 'unchanged', 'unchanged', 'unchanged']);
    assert.ok(results.every((r) => /^sha256:[0-9a-f]{64}$/.test(r.digest)));
    const writes = (await registry.settle()).filter((r) => r.method !== 'GET' && r.method !== 'HEAD');
    assert.deepEqual(writes, [], 'no upload, no manifest PUT');
    assert.deepEqual(source.hits.slice(before).map((h) => h.path), ['/charts/index.yaml'], 'only the index is read');
    assert.equal(progressLines(result.stderr).filter((l) => l.includes('already there')).length, 4);
  });

  it('--charts and --versions select; an unknown chart or a bad range fails before anything is copied', async () => {
    const latest = await migrateCli([source.url, `oci://${registry.host}/latest`, '--plain-http', '--versions', 'latest', '--json']);
    assert.equal(latest.code, 0, latest.stderr);
    const picked = (JSON.parse(latest.stdout) as { results: { name: string; version: string }[]; skipped: number });
    assert.deepEqual(picked.results.map((r) => `${r.name} ${r.version}`), ['alpha 1.1.0', 'beta 0.1.0+build.7']);
    assert.equal(picked.skipped, 2);

    const ranged = await migrateCli([source.url, `oci://${registry.host}/ranged`, '--plain-http', '--charts', 'alpha', '--versions', '>=1.1.0-0', '--json']);
    assert.equal(ranged.code, 0, ranged.stderr);
    assert.deepEqual((JSON.parse(ranged.stdout) as { results: { version: string }[] }).results.map((r) => r.version), ['1.1.0', '2.0.0-rc.1']);

    const typo = await migrateCli([source.url, `oci://${registry.host}/typo`, '--plain-http', '--charts', 'alpah']);
    assert.equal(typo.code, 1);
    assert.match(typo.stderr, /charts: not in the repository: alpah \(it has alpha, beta\)/);
    const range = await migrateCli([source.url, `oci://${registry.host}/typo`, '--plain-http', '--versions', 'newest']);
    assert.equal(range.code, 1);
    assert.match(range.stderr, /versions: "newest" is neither all, latest nor a version range/);
    const seen = await registry.settle();
    assert.ok(!seen.some((r) => r.path.includes('/typo/')), 'nothing was sent for the failed runs');
  });

  it('a version that fails (its archive does not match the index digest) is reported with why; the others are copied; exit 1', async () => {
    const tampered = await startClassicRepo(charts);
    try {
      tampered.override('/charts/alpha-1.1.0.tgz', chartArchive({ name: 'alpha', version: '1.1.0', extra: 'description: swapped\n' }));
      const result = await migrateCli([tampered.url, `oci://${registry.host}/tampered`, '--plain-http']);
      assert.equal(result.code, 1);
      assert.match(result.stdout, /^alpha\s+1\.1\.0\s+failed\s+.*alpha-1\.1\.0\.tgz does not match the digest the index lists/m);
      assert.match(result.stdout, /copied 3, already there 0, failed 1 \(of 4\)/);
      const tags = JSON.parse((await skopeoRaw(`docker://${registry.host}/tampered/alpha:1.0.0`, ['--tls-verify=false'])).toString()) as object;
      assert.ok(tags);
    } finally {
      await tampered.stop();
    }
  });
});

describe('chartship migrate with credentials on both sides', () => {
  let registry: TestRegistry;
  let charts: ClassicChart[];

  before(async () => {
    registry = await startRegistry({ auth: 'htpasswd' });
    charts = [await published('gamma', '1.0.0', true), await published('gamma', '1.1.0', false)];
  });
  after(async () => {
    await registry?.stop();
  });

  const target = () => ({ CHARTSHIP_USERNAME: registry.username!, CHARTSHIP_PASSWORD: registry.password! });

  it('Basic auth on the source: refused without credentials (saying how to pass them), accepted from the environment or stdin, never printed', async () => {
    const source = await startClassicRepo(charts, { auth: 'basic' });
    try {
      const refused = await migrateCli([source.url, `oci://${registry.host}/basic`, '--plain-http'], target());
      assert.equal(refused.code, 1);
      assert.match(refused.stderr, /the chart repository asks for credentials.*CHARTSHIP_SOURCE_USERNAME and CHARTSHIP_SOURCE_PASSWORD/);

      const wrong = await migrateCli([source.url, `oci://${registry.host}/basic`, '--plain-http'], { ...target(), CHARTSHIP_SOURCE_USERNAME: source.username, CHARTSHIP_SOURCE_PASSWORD: 'nope-wrong' });
      assert.equal(wrong.code, 1);
      assert.match(wrong.stderr, /refused the credentials of user "migrator"/);
      assert.ok(!wrong.stderr.includes('nope-wrong'));

      const byEnv = await migrateCli([source.url, `oci://${registry.host}/basic`, '--plain-http'], { ...target(), CHARTSHIP_SOURCE_USERNAME: source.username, CHARTSHIP_SOURCE_PASSWORD: source.password });
      assert.equal(byEnv.code, 0, byEnv.stderr);
      assert.match(byEnv.stdout, /copied 2, already there 0, failed 0/);
      // gamma 1.0.0 is signed and 1.1.0 is not: said once, naming it.
      assert.match(byEnv.stderr, /gamma 1\.1\.0: no \.prov in the repository, while the other versions copied are signed; copied unsigned \(helm pull --verify refuses it\)/);
      assert.ok(source.hits.some((h) => h.path.endsWith('.prov') && h.status === 200 && h.auth === 'basic'), 'the .prov came with the credentials');

      const byStdin = await migrateCli(
        [source.url, `oci://${registry.host}/basic`, '--plain-http', '--source-username', source.username, '--source-password-stdin'],
        target(),
        `${source.password}\n`,
      );
      assert.equal(byStdin.code, 0, byStdin.stderr);
      assert.match(byStdin.stdout, /copied 0, already there 2, failed 0/);
      for (const run of [refused, wrong, byEnv, byStdin]) {
        assert.ok(!`${run.stdout}${run.stderr}`.includes(source.password), 'the source password is never printed');
        assert.ok(!`${run.stdout}${run.stderr}`.includes(registry.password!), 'the registry password is never printed');
      }
    } finally {
      await source.stop();
    }
  });

  it('a registry password that is wrong fails once, before any version is copied: it is not sent again for every version', async () => {
    const many = [...charts, await published('delta', '1.0.0', false), await published('delta', '1.1.0', false), await published('eps', '0.1.0', false)];
    const source = await startClassicRepo(many);
    try {
      await registry.reset();
      const run = await migrateCli([source.url, `oci://${registry.host}/wrong`, '--plain-http'], { CHARTSHIP_USERNAME: registry.username!, CHARTSHIP_PASSWORD: 'not-the-password' });
      assert.equal(run.code, 1, run.stderr);
      assert.match(run.stderr, /nothing was copied, because not every registry would be read: target 1 of 1 \(oci:\/\/[^)]+\/wrong\): .*401/);
      assert.doesNotMatch(`${run.stdout}${run.stderr}`, /^\[\s*\d+\/\d+\] /m, 'no version was tried');
      assert.ok(!`${run.stdout}${run.stderr}`.includes('not-the-password'));
      // The push check asks about two charts at most: not one request with the wrong password per version.
      const refused = (await registry.settle()).filter((r) => r.status === 401);
      assert.ok(refused.length <= 4, `${refused.length} refused requests`);
      assert.ok(!source.hits.some((h) => h.path.endsWith('.tgz')), 'no archive was downloaded');
    } finally {
      await source.stop();
    }
  });

  it('a source whose certificate is not trusted: refused saying how to give its CA (--source-ca-file), and accepted with it', async () => {
    const certs = makeServerCertificates(mkdtempSync(join(tmpdir(), 'chartship-migrate-ca-')));
    const source = await startClassicRepo(charts, { tls: certs });
    try {
      const refused = await migrateCli([source.url, `oci://${registry.host}/tls`, '--plain-http'], target());
      assert.equal(refused.code, 1);
      assert.match(refused.stderr, /pass the source's CA with --source-ca-file FILE/);
      assert.doesNotMatch(refused.stderr, /registry CA|helm repo add/);
      const trusted = await migrateCli([source.url, `oci://${registry.host}/tls`, '--plain-http', '--source-ca-file', certs.caFile], target());
      assert.equal(trusted.code, 0, trusted.stderr);
      assert.match(trusted.stdout, /copied 2, already there 0, failed 0/);
    } finally {
      await source.stop();
    }
  });

  it("ChartMuseum's bearer flow: a 401 with a Bearer challenge, a token from its realm for the credentials, then the index and archives", async () => {
    const source = await startClassicRepo(charts, { auth: 'bearer' });
    try {
      const result = await migrateCli([`${source.url}/index.yaml`, `oci://${registry.host}/bearer`, '--plain-http'], {
        ...target(),
        CHARTSHIP_SOURCE_USERNAME: source.username,
        CHARTSHIP_SOURCE_PASSWORD: source.password,
      });
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, /copied 2, already there 0, failed 0/);
      assert.ok(source.tokensIssued() >= 1);
      assert.ok(source.tokensIssued() <= 2, `one token serves the run (${source.tokensIssued()} issued)`);
      const served = source.hits.filter((h) => h.status === 200 && !h.path.startsWith('/oauth'));
      assert.ok(served.length === 4 && served.every((h) => h.auth === 'bearer'), JSON.stringify(source.hits));
      const tokenCalls = source.hits.filter((h) => h.path.startsWith('/oauth/token'));
      assert.ok(tokenCalls.every((h) => h.path.includes('scope=artifact-repository%3Arepo%3Apull') && h.auth === 'basic'), JSON.stringify(tokenCalls));

      const helm = isolatedHelm(4);
      try {
        await helm.run(['registry', 'login', registry.host, '--plain-http', '--username', registry.username!, '--password-stdin'], { input: registry.password! });
        const out = join(scratch, 'bearer-pulled');
        mkdirSync(out);
        await helm.run(['pull', `oci://${registry.host}/bearer/gamma`, '--version', '1.0.0', '--plain-http', '--verify', '--keyring', keyring, '-d', out]);
        assert.deepEqual(readFileSync(join(out, 'gamma-1.0.0.tgz')), charts[0]!.archive);
      } finally {
        helm.cleanup();
      }
    } finally {
      await source.stop();
    }
  });
});

describe('chartship migrate interrupted halfway', () => {
  it('killed in the middle, a rerun copies the rest and reports the first ones as already there', async () => {
    const registry = await startRegistry();
    const charts = await Promise.all(Array.from({ length: 12 }, (_, i) => published('delta', `1.${i}.0`, i % 3 === 0)));
    const source = await startClassicRepo(charts, { archiveDelayMs: 250 });
    try {
      const args = ['migrate', source.url, `oci://${registry.host}/resumed`, '--plain-http', '--concurrency', '2'];
      const child = spawn(process.execPath, [cliBundle(), ...args], { cwd: scratch, env: { PATH: process.env['PATH'], HOME: scratch } });
      let stderr = '';
      const done = await new Promise<number>((resolve) => {
        child.stderr.on('data', (chunk: Buffer) => {
          stderr += chunk.toString();
          if (progressLines(stderr).length >= 4) child.kill('SIGKILL');
        });
        child.on('close', () => resolve(progressLines(stderr).length));
      });
      assert.ok(done >= 4 && done < 12, `stopped halfway (${done} of 12 done): ${stderr}`);

      const rerun = await migrateCli([source.url, `oci://${registry.host}/resumed`, '--plain-http', '--json']);
      assert.equal(rerun.code, 0, rerun.stderr);
      const results = (JSON.parse(rerun.stdout) as { results: { version: string; status: string }[] }).results;
      assert.equal(results.length, 12);
      const already = results.filter((r) => r.status === 'unchanged').length;
      assert.ok(already >= 4, `the versions done before the kill are already there (${already})`);
      assert.equal(results.filter((r) => r.status === 'copied').length, 12 - already);

      const helm = isolatedHelm(3);
      try {
        const out = join(scratch, 'resumed');
        mkdirSync(out);
        for (const version of ['1.0.0', '1.9.0', '1.11.0']) {
          const verify = version === '1.9.0' ? ['--verify', '--keyring', keyring] : [];
          await helm.run(['pull', `oci://${registry.host}/resumed/delta`, '--version', version, '--plain-http', '-d', out, ...verify]);
          assert.deepEqual(readFileSync(join(out, `delta-${version}.tgz`)), charts.find((c) => c.file === `delta-${version}.tgz`)!.archive);
        }
      } finally {
        helm.cleanup();
      }
    } finally {
      await source.stop();
      await registry.stop();
    }
  });
});
