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
    archive: 'sha256:e50d20d06343cb998bd1443302c882480e9b4f49fd3692cb03305a32785fd8c2',
    config: 'sha256:c24788f66fc7473952509d55cc244827996e12ee02007f41393961e6ee61d613',
    manifest: 'sha256:44e2f7b20a0a594024163b7c26b3b8996c3b0a5e4ed50178961023ae38b38344',
  },
  'web-0.4.1': {
    archive: 'sha256:7acf8f284ec92ad30f1355dc8c95d977838f63731a0576883da1a6a1d68bf507',
    config: 'sha256:feb7b62ad608f351b1fa4d1d99c082139bad78bba334fd43375dc1e17baf7e12',
    manifest: 'sha256:9bbb1d5cd2ced2531ce1419669ddb6c4af2810cb4fa08819236df087b4fb2789',
  },
  'worker-1.0.0': {
    archive: 'sha256:050267058207ab35f1eaf5fdbca0776c8554f94960484f57b17af25f7a406dda',
    config: 'sha256:4257bc51f612c9c72cfeeb19d4beabbef3b93f9bba8476c0da69630b9041d5aa',
    manifest: 'sha256:744c35691a6857c8cc884195fb668cefeb0454e434e43980454546cb7b25edb8',
  },
  'lib-0.3.1': {
    archive: 'sha256:65e2ee533a42fb332b2fea1ac623e6566f6ae5b835d1a0254179934e2def2c89',
    config: 'sha256:463467cdb6c11d6f3bbefd4c8a457b04b72b0962aafcc9a0125176542348e8d0',
    manifest: 'sha256:c85a68dc352dd7ed23cbbd483f54816cdec6041cb36a1e3c79f128e8db55778a',
  },
  'legacy-0.9.0': {
    archive: 'sha256:2dfd102cf494187a85afdc7987b90ffbd2baa75d64f0de060deea8734c53c785',
    config: 'sha256:07fc84043ca9be8f06db99bd7e6cfeffef6616aff6a0d62080c283ffce7ad7c1',
    manifest: 'sha256:39b1ac18e56cddadd56f9ba8d8c39f7890c981ae1833de65774e931b8be6d0df',
  },
};

/** `chartship publish` in a git repository whose commits have fixed dates, without SOURCE_DATE_EPOCH: manifest digests. */
const PUBLISHED: Record<string, string> = {
  'common-1.2.0': 'pushed sha256:6c2a4ab076d06ab1dfb3e76257262e37f47a7e1c1afc94a16a402bdfb773bc4d',
  'web-0.4.1': 'pushed sha256:362db1a520857249d1d4d91d467ed38296b60334a727816b45783228757babb9',
  'worker-1.0.0': 'pushed sha256:96d5df2a39d6d2b299ef712dd10a8fbedd28185dba143afc495a92507f477ab1',
};

/** The text signed into web's .prov (the signature itself carries a time stamp, so only what it signs is pinned). */
const SIGNED_BODY = 'sha256:81fbf2ac402a0c0bc6b355859c305ec9c9de8ad40a6b46286700afee08b3e1d2';

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
  const env = { SOURCE_DATE_EPOCH: '1700000000', HOME: scratch };
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
