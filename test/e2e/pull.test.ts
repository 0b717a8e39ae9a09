import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readChartArchive } from '../../src/charts/archive.js';
import { provenanceBody } from '../../src/sign/index.js';
import { runBundledCli } from '../helpers/cli.js';
import { GpgHome, type GpgKey } from '../helpers/gpg.js';
import { HELM_MAJORS, isolatedHelm, type Helm } from '../helpers/helm.js';
import { chartArchive } from '../helpers/registry-charts.js';
import { putRawArtifact } from '../helpers/registry-raw.js';
import { startRegistry, type TestRegistry } from '../helpers/registry.js';

/** Every file below `dir`, by relative path, with its bytes. */
function listing(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (at: string) => {
    for (const name of readdirSync(at)) {
      const path = join(at, name);
      if (statSync(path).isDirectory()) walk(path);
      else out[relative(dir, path)] = readFileSync(path).toString('base64');
    }
  };
  walk(dir);
  return out;
}

const LEGACY_LAYER = 'application/tar+gzip';
const HELM_CONFIG = 'application/vnd.cncf.helm.config.v1+json';

describe('chartship pull, judged against the real helm pull', () => {
  let registry: TestRegistry;
  let gpg: GpgHome;
  let key: GpgKey;
  let helm3: Helm;
  const scratch = mkdtempSync(join(tmpdir(), 'chartship-pull-'));
  const keyring = join(scratch, 'pubring.gpg');
  const otherKeyring = join(scratch, 'other.gpg');
  let ref: string;
  let digest120 = '';
  let counter = 0;
  const fresh = () => {
    const dir = join(scratch, `out-${++counter}`);
    mkdirSync(dir);
    return dir;
  };
  const pull = (args: string[], dir: string) => runBundledCli(['pull', ...args, '--plain-http', '-d', dir], { cwd: scratch, env: { HOME: scratch } });

  before(async () => {
    registry = await startRegistry();
    ref = `oci://${registry.host}/charts/demo`;
    gpg = await GpgHome.create();
    key = await gpg.generateKey({ name: 'Chart Signer', algo: 'rsa3072' });
    const stranger = await gpg.generateKey({ name: 'Stranger', algo: 'rsa3072' });
    writeFileSync(keyring, await gpg.exportKeyring([key.fingerprint]));
    writeFileSync(otherKeyring, await gpg.exportKeyring([stranger.fingerprint]));
    // Pushed by helm itself, signed by gpg itself: only the pulling is chartship's.
    helm3 = isolatedHelm(3);
    const build = join(scratch, 'build');
    mkdirSync(build);
    for (const [version, signed] of [['1.0.0', true], ['1.2.0', true], ['1.3.0-rc.1', false], ['2.0.0+build.5', true], ['2.1.0-beta.1', false]] as const) {
      // A template starting with a byte order mark: helm's --untar writes it without, as its loader reads it.
      const archive = chartArchive({ name: 'demo', version, files: { 'templates/cm.yaml': `\u{feff}version: ${version}\n` } });
      const file = join(build, `demo-${version}.tgz`);
      writeFileSync(file, archive);
      if (signed) {
        const metadata = (await readChartArchive(archive, file)).metadata;
        writeFileSync(`${file}.prov`, await gpg.clearsign(key, provenanceBody(metadata, `demo-${version}.tgz`, archive)));
      }
      const pushed = await helm3.run(['push', file, `oci://${registry.host}/charts`, '--plain-http']);
      if (version === '1.2.0') digest120 = /Digest: (sha256:[0-9a-f]{64})/.exec(pushed)![1]!;
    }
    // helm < 3.7 (`helm chart save` + `helm chart push`): the chart layer had the generic tar+gzip type.
    const legacy = chartArchive({ name: 'legacy', version: '0.1.0' });
    await putRawArtifact(registry.url, 'charts/legacy', '0.1.0', {
      config: { mediaType: HELM_CONFIG, bytes: Buffer.from('{"name":"legacy","version":"0.1.0","description":"A test chart","apiVersion":"v2","type":"application"}') },
      layers: [{ mediaType: LEGACY_LAYER, bytes: legacy }],
    });
  });

  after(async () => {
    await registry?.stop();
    helm3?.cleanup();
    await gpg?.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  const cases: { args: string[]; expect: string[]; name?: string }[] = [
    { args: [], expect: ['demo-2.0.0+build.5.tgz'] },
    { args: ['--version', '^1'], expect: ['demo-1.2.0.tgz'] },
    { args: ['--version', '~1.3.0-0'], expect: ['demo-1.3.0-rc.1.tgz'] },
    { args: ['--devel'], expect: ['demo-2.1.0-beta.1.tgz'] },
    { args: ['--devel', '--version', '^1'], expect: ['demo-1.2.0.tgz'] },
    { args: ['--version', '>=1.0.0 <1.2.0'], expect: ['demo-1.0.0.tgz'] },
    { args: ['--version', '2.0.0+build.5'], expect: ['demo-2.0.0+build.5.tgz'] },
    { args: ['--version', '1.0.0', '--prov'], expect: ['demo-1.0.0.tgz', 'demo-1.0.0.tgz.prov'] },
    { args: ['--version', '1.2.0', '--verify', '--keyring', keyring], expect: ['demo-1.2.0.tgz', 'demo-1.2.0.tgz.prov'] },
    { args: ['--version', '1.2.0', '--untar'], expect: ['demo/Chart.yaml', 'demo/templates/cm.yaml', 'demo/values.yaml'] },
    { args: ['--untar', '--untardir', 'sub', '--verify', '--keyring', keyring], expect: ['sub/demo/Chart.yaml', 'sub/demo/templates/cm.yaml', 'sub/demo/values.yaml'] },
    { name: 'demo:1.0.0', args: [], expect: ['demo-1.0.0.tgz'] },
  ];

  // chartship's pull of each case, run once and held up against both majors.
  const ourPulls = new Map<(typeof cases)[number], Promise<{ dir: string; result: Awaited<ReturnType<typeof pull>> }>>();
  const ourPull = (c: (typeof cases)[number], chart: string) => {
    if (!ourPulls.has(c)) {
      const dir = fresh();
      ourPulls.set(c, pull([chart, ...c.args], dir).then((result) => ({ dir, result })));
    }
    return ourPulls.get(c)!;
  };

  for (const major of HELM_MAJORS) {
    it(`writes what helm ${major} pull writes: the same file names and bytes, the same Pulled/Digest and verification lines`, async () => {
      const helm = isolatedHelm(major);
      try {
        for (const c of cases) {
          const { args, expect, name } = c;
          const chart = name ? `oci://${registry.host}/charts/${name}` : ref;
          const theirs = fresh();
          const [said, { dir: ours, result }] = await Promise.all([
            helm.run(['pull', chart, '--plain-http', '-d', theirs, ...args], { stdoutOnly: true }),
            ourPull(c, chart),
          ]);
          assert.equal(result.code, 0, `${args.join(' ')}: ${result.stderr}`);
          assert.deepEqual(Object.keys(listing(ours)).sort(), expect, args.join(' '));
          assert.deepEqual(listing(ours), listing(theirs), `${args.join(' ')}: the same files as helm ${major}`);
          assert.equal(result.stdout, said, `${args.join(' ')}: stdout as helm's (the verification lines)`);
          assert.match(result.stderr, /^Pulled: 127\.0\.0\.1:\d+\/charts\/demo:[\w.-]+\nDigest: sha256:[0-9a-f]{64}\n$/, args.join(' '));
        }
      } finally {
        helm.cleanup();
      }
    });
  }

  it('prints the tag and manifest digest helm prints', async () => {
    const ours = await pull([ref, '--version', '2.0.0+build.5'], fresh());
    const theirs = await helm3.run(['pull', ref, '--version', '2.0.0+build.5', '--plain-http', '-d', fresh()]);
    const lines = (text: string) => text.split('\n').filter((l) => /^(Pulled|Digest):/.test(l));
    assert.deepEqual(lines(ours.stderr), lines(theirs));
    assert.match(ours.stderr, /demo:2\.0\.0_build\.5\n/);
  });

  it('reads the legacy tar+gzip chart layer of helm < 3.7, with a warning, and writes the bytes helm pull writes', async () => {
    const legacyRef = `oci://${registry.host}/charts/legacy`;
    const ours = fresh();
    const result = await pull([legacyRef, '--version', '0.1.0'], ours);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /warning: .*charts\/legacy:0\.1\.0 stores the chart as application\/tar\+gzip, the layer type of helm < 3\.7/);
    for (const major of HELM_MAJORS) {
      const helm = isolatedHelm(major);
      try {
        const theirs = fresh();
        await helm.run(['pull', legacyRef, '--version', '0.1.0', '--plain-http', '-d', theirs]);
        assert.deepEqual(listing(ours), listing(theirs), `helm ${major}`);
      } finally {
        helm.cleanup();
      }
    }
    assert.deepEqual(Object.keys(listing(ours)), ['legacy-0.1.0.tgz']);
    // And the chart it holds renders.
    const rendered = await helm3.run(['template', 'x', join(ours, 'legacy-0.1.0.tgz')]);
    assert.match(rendered, /kind: ConfigMap/);
  });

  it('a digest reference pulls that manifest and names the file after the chart version (helm names it demo@sha256-….tgz)', async () => {
    const ours = fresh();
    const result = await pull([`${ref}@${digest120}`], ours);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, new RegExp(`Pulled: 127\\.0\\.0\\.1:\\d+/charts/demo@${digest120}\\nDigest: ${digest120}\\n`));
    const theirs = fresh();
    await helm3.run(['pull', `${ref}@${digest120}`, '--plain-http', '-d', theirs]);
    assert.deepEqual(Object.values(listing(ours)), Object.values(listing(theirs)), 'the same bytes');
    assert.deepEqual(Object.keys(listing(ours)), ['demo-1.2.0.tgz']);
  });

  it('a tag written with _ for + names the file after the chart version, which the .prov lists (helm refuses the tag)', async () => {
    const ours = fresh();
    const result = await pull([`${ref}:2.0.0_build.5`, '--verify', '--keyring', keyring], ours);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^Chart Hash Verified: sha256:/m);
    const theirs = fresh();
    await helm3.run(['pull', ref, '--version', '2.0.0+build.5', '--verify', '--keyring', keyring, '--plain-http', '-d', theirs]);
    assert.deepEqual(listing(ours), listing(theirs), 'the files helm pull --version 2.0.0+build.5 writes');
    const tagged = await pull([`${ref}:2.0.0_build.5`, '--version', '2.0.0+build.5'], fresh());
    assert.equal(tagged.code, 0, `the tag and the version it stands for agree: ${tagged.stderr}`);
  });

  it('--prov of an unsigned version writes the archive alone and warns, as helm does', async () => {
    const ours = fresh();
    const result = await pull([ref, '--version', '1.3.0-rc.1', '--prov'], ours);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /^warning: .*charts\/demo:1\.3\.0-rc\.1 has no provenance layer: no \.prov written \(the chart is not signed\)$/m);
    const theirs = fresh();
    const said = await helm3.run(['pull', ref, '--version', '1.3.0-rc.1', '--prov', '--plain-http', '-d', theirs]);
    assert.match(said, /WARNING: Verification not found/);
    assert.deepEqual(listing(ours), listing(theirs));
  });

  it('fails, writing nothing, when verification fails: a key not in the keyring, an unsigned version', async () => {
    const stranger = fresh();
    const refused = await pull([ref, '--version', '1.2.0', '--verify', '--keyring', otherKeyring], stranger);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /signed by key [0-9A-F]+, which is not in the keyring/);
    assert.deepEqual(readdirSync(stranger), [], 'nothing written');
    await assert.rejects(helm3.run(['pull', ref, '--version', '1.2.0', '--plain-http', '--verify', '--keyring', otherKeyring, '-d', fresh()]));

    const unsigned = fresh();
    const noProv = await pull([ref, '--version', '1.3.0-rc.1', '--verify', '--keyring', keyring], unsigned);
    assert.equal(noProv.code, 1);
    assert.match(noProv.stderr, /demo:1\.3\.0-rc\.1 is not signed: it has no provenance layer/);
    assert.deepEqual(readdirSync(unsigned), []);
    await assert.rejects(helm3.run(['pull', ref, '--version', '1.3.0-rc.1', '--plain-http', '--verify', '--keyring', keyring, '-d', fresh()]));
  });

  it('a range nothing matches, a missing version, a mismatched tag and --version, and an existing --untar directory fail as helm does, naming why', async () => {
    const none = await pull([ref, '--version', '>5'], fresh());
    assert.equal(none.code, 1);
    assert.match(none.stderr, /no version of 127\.0\.0\.1:\d+\/charts\/demo matches ">5" \(the newest are 2\.1\.0-beta\.1, 2\.0\.0\+build\.5, 1\.3\.0-rc\.1, 1\.2\.0, 1\.0\.0\)/);
    await assert.rejects(helm3.run(['pull', ref, '--version', '>5', '--plain-http', '-d', fresh()]), /could not locate a version matching/i);

    const missing = await pull([ref, '--version', '9.9.9'], fresh());
    assert.match(missing.stderr, /charts\/demo:9\.9\.9: not found/);

    const mismatch = await pull([`${ref}:1.0.0`, '--version', '1.2.0'], fresh());
    assert.match(mismatch.stderr, /chart reference and version mismatch: 1\.2\.0 is not 1\.0\.0/);

    const dir = fresh();
    mkdirSync(join(dir, 'demo'));
    const exists = await pull([ref, '--untar'], dir);
    assert.equal(exists.code, 1);
    assert.match(exists.stderr, /a file or directory with the name .*demo already exists/);

    const notChart = await pull([`oci://${registry.host}/charts/nothing-here`], fresh());
    assert.equal(notChart.code, 1);
    assert.match(notChart.stderr, /charts\/nothing-here has no chart versions/);
  });

  it('checks every blob against its descriptor: a chart layer whose size the manifest misstates is refused, and nothing is written', async () => {
    const archive = chartArchive({ name: 'liar', version: '1.0.0' });
    const config = Buffer.from('{"name":"liar","version":"1.0.0","apiVersion":"v2"}');
    const chartLayer = 'application/vnd.cncf.helm.chart.content.v1.tar+gzip';
    await putRawArtifact(registry.url, 'charts/liar', '1.0.0', { config: { mediaType: HELM_CONFIG, bytes: config }, layers: [{ mediaType: chartLayer, bytes: archive, size: archive.length - 7 }] });
    await putRawArtifact(registry.url, 'charts/liar', '1.0.1', { config: { mediaType: HELM_CONFIG, bytes: config, size: config.length + 3 }, layers: [{ mediaType: chartLayer, bytes: archive }] });
    for (const version of ['1.0.0', '1.0.1']) {
      const dir = fresh();
      const result = await pull([`oci://${registry.host}/charts/liar`, '--version', version], dir);
      assert.equal(result.code, 1, version);
      assert.match(result.stderr, /sha256:[0-9a-f]{64}.*(larger than|bytes, its descriptor says)/, version);
      assert.deepEqual(readdirSync(dir), [], `${version}: nothing written`);
    }
  });
});
