/**
 * The bytes chartship writes, pinned: fixed charts packaged and pushed to an OCI layout by the bundled CLI, with the
 * sha256 of every archive, config blob and manifest written down. A change to packaging, to the Chart.yaml or
 * Chart.lock writer, to dependency vendoring, to the config or the manifest shows up here as a changed digest, so a
 * refactoring that claims to change no behaviour is held to it. Only the CLI is used: where the code lives does not
 * matter to this test.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseTgz, writeFiles } from '../package/fixtures.js';
import { runBundledCli } from '../helpers/cli.js';
import { createRepo, type TestRepo } from '../helpers/git.js';
import { GpgHome } from '../helpers/gpg.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const EXAMPLES = join(ROOT, 'examples/charts');
const sha256 = (data: Buffer | string) => `sha256:${createHash('sha256').update(data).digest('hex')}`;

interface Pinned {
  archive: string;
  config: string;
  manifest: string;
}

/** `chartship package` then `chartship push` to an oci-layout, at SOURCE_DATE_EPOCH=1700000000. */
const PACKAGED: Record<string, Pinned> = {
  'common-1.2.0': {
    archive: 'sha256:af84761b8da79511f510a2191363917ec2ffa926b00bb51b0fb0bccb3a7a78b0',
    config: 'sha256:c192aeef9f483c901249453849843f2d4573af0e050e7d9f54009360c7f122be',
    manifest: 'sha256:8f3b4d498743cb7e472016862393eae1c43255d9e6f3f44c6761f2dc9a0a9b16',
  },
  'web-0.4.1': {
    archive: 'sha256:a8a00dab817ef074b412ba8b7056b17ee0dbf3501dcc55b15a42eb375d2df433',
    config: 'sha256:81009e1bb6c4f81874cd41688d0dad61d26decc9d865f6e4a0d1a544f4fd0549',
    manifest: 'sha256:3ef06510957d143bbe3af4d1020ffe8fc9a56b15190c97c18e336e9a732cd7e8',
  },
  'worker-1.0.0': {
    archive: 'sha256:a60a919ac495147524d33b840cf0f8bd26b3b523cd7cde09bd1b2e4feafeaf63',
    config: 'sha256:7f75feb1d57756bdbbc897b7b8f78fe06d5f2518fd04b22f9e3c14f0be39a76e',
    manifest: 'sha256:a1e6e8f8c186bbd706016b84de3146d1bbfa8c7ad29b1649d692fda53f5ba8d3',
  },
  'lib-0.3.1': {
    archive: 'sha256:65e2ee533a42fb332b2fea1ac623e6566f6ae5b835d1a0254179934e2def2c89',
    config: 'sha256:463467cdb6c11d6f3bbefd4c8a457b04b72b0962aafcc9a0125176542348e8d0',
    manifest: 'sha256:c85a68dc352dd7ed23cbbd483f54816cdec6041cb36a1e3c79f128e8db55778a',
  },
  'legacy-0.9.0': {
    archive: 'sha256:24ac16048a70da359e31f50c3412f27ec1e02ebcda81e64f93fd422cb42886f2',
    config: 'sha256:07fc84043ca9be8f06db99bd7e6cfeffef6616aff6a0d62080c283ffce7ad7c1',
    manifest: 'sha256:dc52db0451dfa66ea018f3e02e454cbdfbfb68afa6949b5e9b2265dfde85d990',
  },
};

/** `chartship publish` in a git repository whose commits have fixed dates, without SOURCE_DATE_EPOCH: manifest digests. */
const PUBLISHED: Record<string, string> = {
  'common-1.2.0': 'pushed sha256:70aa0bd02a5b7b363d7821e3178a73c23b448892d83eab81443d16d20ee44ff0',
  'web-0.4.1': 'pushed sha256:be3bf7bee70e541afa1d26f80dfc02bde7aa6d001124b08599020e308eddc12f',
  'worker-1.0.0': 'pushed sha256:e99a3815bd2edc271f729a12e30ee2ebe43d2bcdef27df39922fbde4fcab775d',
};

/** The text signed into web's .prov, its last newline included as helm 4 signs it (the signature itself carries a time stamp, so only what it signs is pinned). */
const SIGNED_BODY = 'sha256:b46207b6184b19c2c199a05d3315a985aba167ff4d779facf4330b84c58c4891';

/** A chart of the shapes the examples lack: apiVersion v1 with requirements.yaml, a vendored directory and archive. */
function legacyChart(dir: string, commonTgz: Buffer): string {
  return writeFiles(dir, {
    'Chart.yaml': 'apiVersion: v1\nname: legacy\nversion: 0.9.0\nappVersion: "3"\ndescription: a v1 chart\n',
    'requirements.yaml': 'dependencies:\n  - name: common\n    version: ~1.2.0\n  - name: vendored\n    version: 2.x\n  - name: lib\n    version: ">=0.1.0"\n    repository: file://../lib\n',
    'values.yaml': 'replicas: 2\n# a comment that stays\n',
    'values.schema.json': '{"type": "object"}\n',
    'templates/deploy.yaml': 'kind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n',
    'templates/_helpers.tpl': '{{- define "legacy.name" -}}legacy{{- end -}}\n',
    'templates/NOTES.txt': 'installed\n',
    'charts/vendored/Chart.yaml': 'apiVersion: v2\nname: vendored\nversion: 2.1.0\n',
    'charts/vendored/templates/cm.yaml': 'kind: ConfigMap\n',
    // A subchart as an archive, the way `helm dependency build` leaves one.
    'charts/common-1.2.0.tgz': commonTgz,
    '.helmignore': '*.bak\n',
    'notes.bak': 'left out\n',
    'files/data.bin': Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 31) % 256)),
  });
}

function libChart(dir: string): string {
  return writeFiles(dir, {
    'Chart.yaml': 'apiVersion: v2\nname: lib\nversion: 0.3.1\ntype: library\nannotations:\n  b: "2"\n  a: "1"\n',
    'templates/_lib.tpl': '{{- define "lib.x" -}}x{{- end -}}\n',
  });
}

/** The manifest, config and layers an oci-layout holds for name:version. */
function inLayout(layout: string, name: string, version: string): { manifest: string; config: string; layers: string[] } {
  const index = JSON.parse(readFileSync(join(layout, 'index.json'), 'utf8')) as { manifests: { digest: string; annotations?: Record<string, string> }[] };
  const entry = index.manifests.find((m) => m.annotations?.['org.opencontainers.image.ref.name'] === `${name}:${version}` || m.annotations?.['org.opencontainers.image.ref.name'] === version);
  assert.ok(entry, `${name}:${version} in ${layout}/index.json`);
  const bytes = readFileSync(join(layout, 'blobs/sha256', entry.digest.slice('sha256:'.length)));
  assert.equal(sha256(bytes), entry.digest);
  const manifest = JSON.parse(bytes.toString('utf8')) as { config: { digest: string }; layers: { digest: string }[] };
  return { manifest: entry.digest, config: manifest.config.digest, layers: manifest.layers.map((l) => l.digest) };
}

describe('pinned digests: the same charts give the same archives, configs and manifests', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'chartship-pinned-'));
  // push stamps the manifest with the archive file's time in the local zone, as helm push does: pinned in UTC.
  const env = { SOURCE_DATE_EPOCH: '1700000000', HOME: scratch, TZ: 'UTC' };
  const packaged: Record<string, Pinned> = {};
  let legacyEntries: string[] = [];
  let gpg: GpgHome;
  let repo: TestRepo;

  before(async () => {
    gpg = await GpgHome.create();
  });
  after(async () => {
    await gpg.close();
    repo?.cleanup();
    rmSync(scratch, { recursive: true, force: true });
  });

  async function cli(args: string[], extraEnv: Record<string, string> = env): Promise<string> {
    const { code, stdout, stderr } = await runBundledCli(args, { cwd: scratch, env: extraEnv });
    assert.equal(code, 0, `chartship ${args.join(' ')}: ${stderr}`);
    return stdout;
  }

  async function packageAndPush(dir: string, layout: string): Promise<{ key: string; pinned: Pinned; path: string }> {
    const out = JSON.parse(await cli(['package', dir, '--destination', join(scratch, 'out'), '--json'])) as { name: string; version: string; path: string; sha256: string };
    // The file carries the archive's date, so that pushing it (by helm or chartship) pins the manifest too.
    assert.equal(statSync(out.path).mtime.getTime(), 1_700_000_000_000, out.path);
    const pushed = JSON.parse(await cli(['push', out.path, `oci-layout:${layout}`, '--json'])) as { digest: string; configDigest: string; chartDigest: string };
    assert.equal(pushed.chartDigest, `sha256:${out.sha256}`);
    return { key: `${out.name}-${out.version}`, pinned: { archive: pushed.chartDigest, config: pushed.configDigest, manifest: pushed.digest }, path: out.path };
  }

  it('packages and pushes the examples and a v1 chart with vendored and file:// dependencies', async () => {
    const charts = join(scratch, 'charts');
    cpSync(EXAMPLES, charts, { recursive: true });
    const layout = join(scratch, 'layout');
    const common = await packageAndPush(join(charts, 'common'), layout);
    packaged[common.key] = common.pinned;
    for (const name of ['web', 'worker']) {
      const result = await packageAndPush(join(charts, name), layout);
      packaged[result.key] = result.pinned;
    }
    libChart(join(charts, 'lib'));
    legacyChart(join(charts, 'legacy'), readFileSync(common.path));
    for (const name of ['lib', 'legacy']) {
      const result = await packageAndPush(join(charts, name), layout);
      packaged[result.key] = result.pinned;
      if (name === 'legacy') legacyEntries = (await parseTgz(readFileSync(result.path))).map((e) => e.path);
    }
    // What the legacy chart's digest stands for: both vendored subcharts, the fetched file:// one and its lock.
    assert.deepEqual(legacyEntries, [
      'legacy/Chart.yaml', 'legacy/values.yaml', 'legacy/values.schema.json',
      'legacy/templates/NOTES.txt', 'legacy/templates/_helpers.tpl', 'legacy/templates/deploy.yaml',
      'legacy/.helmignore', 'legacy/files/data.bin', 'legacy/requirements.lock', 'legacy/requirements.yaml',
      'legacy/charts/common/Chart.yaml', 'legacy/charts/common/values.yaml', 'legacy/charts/common/templates/_helpers.tpl',
      'legacy/charts/lib/Chart.yaml', 'legacy/charts/lib/templates/_lib.tpl',
      'legacy/charts/vendored/Chart.yaml', 'legacy/charts/vendored/templates/cm.yaml',
    ]);
    for (const [key, pinned] of Object.entries(packaged)) {
      const version = key.slice(key.lastIndexOf('-') + 1);
      const stored = inLayout(layout, key.slice(0, key.lastIndexOf('-')), version);
      assert.deepEqual({ manifest: stored.manifest, config: stored.config, layers: stored.layers }, { manifest: pinned.manifest, config: pinned.config, layers: [pinned.archive] });
    }
    assert.deepEqual(packaged, PACKAGED);
  });

  it('signs the same text into the .prov', async () => {
    const key = await gpg.generateKey({ name: 'Pinned', algo: 'ed25519' });
    const keyFile = writeFiles(join(scratch, 'key'), { 'key.asc': key.armoredSecret });
    const out = JSON.parse(await cli(['package', join(EXAMPLES, 'web'), '--destination', join(scratch, 'signed'), '--sign', '--key-file', join(keyFile, 'key.asc'), '--json'])) as { prov: string; sha256: string };
    const prov = readFileSync(out.prov, 'utf8');
    const body = /^-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA512\n\n([\s\S]*)\n-----BEGIN PGP SIGNATURE-----/.exec(prov)?.[1];
    assert.ok(body, prov);
    assert.equal(`sha256:${out.sha256}`, PACKAGED['web-0.4.1']?.archive);
    assert.equal(sha256(body), SIGNED_BODY);
  });

  it('publishes the same manifests from a git repository, dated by its commits', async () => {
    repo = createRepo('chartship-pinned-git-');
    const files: Record<string, string> = {};
    for (const path of readdirSync(EXAMPLES, { recursive: true, encoding: 'utf8' })) {
      const full = join(EXAMPLES, path);
      if (statSync(full).isFile()) files[`charts/${path}`] = readFileSync(full, 'utf8');
    }
    repo.commit('feat: the examples', files);
    repo.commit('fix(web): a newer commit dates web', { 'charts/web/values.yaml': `${files['charts/web/values.yaml'] ?? ''}# touched\n` });
    const layout = join(scratch, 'published');
    const stdout = await cli(['publish', '--charts', 'charts/*', '--registry', `oci-layout:${layout}`, '--cwd', repo.dir, '--json'], { HOME: scratch });
    const outcome = JSON.parse(stdout) as { charts: { name: string; version: string; status: string; registries: { digest: string }[] }[] };
    const digests = Object.fromEntries(outcome.charts.map((c) => [`${c.name}-${c.version}`, `${c.status} ${c.registries[0]?.digest ?? ''}`]));
    assert.deepEqual(digests, PUBLISHED);
  });
});
