import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import * as openpgp from 'openpgp';
import { loadChart } from '../../src/charts/load.js';
import { chartConfig } from '../../src/helm-oci/index.js';
import { packageChart } from '../../src/pipeline/package.js';
import { readChartArchive } from '../../src/charts/archive.js';
import { loadSigningKey, provenanceBody, signChart, verifyChart } from '../../src/sign/index.js';
import { runBundledCli } from '../helpers/cli.js';
import { parseTgz, tempDirs, writeFiles } from './fixtures.js';

const temp = tempDirs();
after(() => temp.cleanup());

const EPOCH = new Date('2024-03-01T12:34:56Z');

/** Everything helm's re-marshaling changes: comments, key order, quoting, block scalars, whitespace, a hand-written lock. */
const FANCY_CHART_YAML = [
  '# Chart.yaml as a person writes it',
  'version: 1.2.3   # bumped by CI',
  'name: fancy',
  'apiVersion: v2',
  'appVersion: "1.10"',
  'kubeVersion: ">=1.22.0-0"',
  'description: |',
  '  A chart that does',
  '  many\tthings.',
  'type: application',
  'keywords:',
  '  - "0755"',
  '  - web',
  '  - "yes"',
  'home: https://example.com/fancy',
  'sources: ["https://github.com/acme/fancy"]',
  'maintainers:',
  '  - email: ann@example.com',
  '    name: Ann',
  '  - name: "Bob\\_Builder"   # a no-break space',
  'icon: https://example.com/icon.png',
  'annotations:',
  '  artifacthub.io/license: Apache-2.0',
  '  category: "Database"',
  '  artifacthub.io/changes: |',
  '    - kind: added',
  '      description: x',
  '  "10": ten',
  '  "9": nine',
  'deprecated: false',
  'dependencies:',
  '  - name: common',
  '    repository: "file://../common"',
  '    version: "~1.2"',
  '    import-values:',
  '      - child: data',
  '        parent: common',
  '      - defaults',
  '    tags: [backend, "db"]',
  '    condition: common.enabled',
  '    alias: base',
  '',
].join('\n');

/** Derived from helm's rules: keys sorted (yaml.v2), omitempty, sanitised text, yaml.v2 quoting. */
const FANCY_IN_ARCHIVE = [
  'annotations:',
  '  "9": nine',
  '  "10": ten',
  '  artifacthub.io/changes: |',
  '    - kind: added',
  '      description: x',
  '  artifacthub.io/license: Apache-2.0',
  '  category: Database',
  'apiVersion: v2',
  'appVersion: "1.10"',
  'dependencies:',
  '- alias: base',
  '  condition: common.enabled',
  '  import-values:',
  '  - child: data',
  '    parent: common',
  '  - defaults',
  '  name: common',
  '  repository: file://../common',
  '  tags:',
  '  - backend',
  '  - db',
  '  version: ~1.2',
  // The block scalar's line breaks and the tab became spaces, the final one included: hence the quotes.
  "description: 'A chart that does many things. '",
  'home: https://example.com/fancy',
  'icon: https://example.com/icon.png',
  'keywords:',
  '- "0755"',
  '- web',
  '- "yes"',
  "kubeVersion: '>=1.22.0-0'",
  'maintainers:',
  '- email: ann@example.com',
  '  name: Ann',
  '- name: Bob Builder',
  'name: fancy',
  'sources:',
  '- https://github.com/acme/fancy',
  'type: application',
  'version: 1.2.3',
  '',
].join('\n');

const FANCY_LOCK = '# written by hand\ngenerated: 2024-02-03T04:05:06.700+00:00\ndigest: sha256:0123\ndependencies:\n  - version: "~1.2"\n    repository: file://../common\n    name: common\n';
const FANCY_LOCK_IN_ARCHIVE = 'dependencies:\n- name: common\n  repository: file://../common\n  version: ~1.2\ndigest: sha256:0123\ngenerated: "2024-02-03T04:05:06.7Z"\n';

function fancyChart(): string {
  return writeFiles(temp.make(), {
    'Chart.yaml': FANCY_CHART_YAML,
    'Chart.lock': FANCY_LOCK,
    'values.yaml': '# values keep their comments\nreplicas: 1\n',
    'templates/cm.yaml': 'kind: ConfigMap\n',
    'charts/common/Chart.yaml': '# the library\napiVersion: v2\nname: common\nversion: 1.2.5\ntype: library\ndescription: "Shared   helpers"\n',
    'charts/common/templates/_h.tpl': '{{- define "x" }}{{ end }}\n',
  });
}

async function entry(archive: Buffer, path: string): Promise<string> {
  const found = (await parseTgz(archive)).find((e) => e.path === path);
  assert.ok(found, `${path} is in the archive`);
  return found.data.toString('utf8');
}

/** The metadata part of a .prov body: everything before the `...` line. */
function signedMetadata(body: string): string {
  const parts = body.split('\n...\n');
  assert.ok(parts.length >= 2, 'the body has a "..." line');
  return parts[0]!;
}

describe("the archive's Chart.yaml and Chart.lock, as helm writes them", () => {
  it('re-marshals Chart.yaml and Chart.lock instead of copying them; values and templates stay raw', async () => {
    const pkg = await packageChart(fancyChart(), { sourceDate: EPOCH });
    assert.equal(await entry(pkg.archive, 'fancy/Chart.yaml'), FANCY_IN_ARCHIVE);
    assert.equal(await entry(pkg.archive, 'fancy/Chart.lock'), FANCY_LOCK_IN_ARCHIVE);
    assert.equal(await entry(pkg.archive, 'fancy/charts/common/Chart.yaml'), 'apiVersion: v2\ndescription: Shared   helpers\nname: common\ntype: library\nversion: 1.2.5\n');
    assert.equal(await entry(pkg.archive, 'fancy/values.yaml'), '# values keep their comments\nreplicas: 1\n');
  });

  it('is exactly the metadata part of the .prov body, and of a real signature over it', async () => {
    const pkg = await packageChart(fancyChart(), { sourceDate: EPOCH });
    const chartYaml = await entry(pkg.archive, 'fancy/Chart.yaml');
    assert.equal(signedMetadata(provenanceBody(pkg.metadata, pkg.fileName, pkg.archive)), chartYaml);

    const key = await openpgp.generateKey({ type: 'ecc', curve: 'curve25519Legacy', userIDs: [{ name: 'Test', email: 'test@example.com' }], format: 'armored' });
    const signer = await loadSigningKey({ armoredKey: key.privateKey });
    const prov = await signChart(signer, pkg);
    const message = await openpgp.readCleartextMessage({ cleartextMessage: prov });
    assert.equal(signedMetadata(message.getText()), chartYaml);
    const verified = await verifyChart({ archive: pkg.archive, fileName: pkg.fileName, prov, keyring: Buffer.from(key.publicKey) });
    assert.equal(verified.fingerprint, signer.fingerprint);
    assert.deepEqual(verified.metadata, pkg.metadata);
  });

  it('gives the sanitised values to the OCI config too', async () => {
    const pkg = await packageChart(fancyChart(), { sourceDate: EPOCH });
    const config = JSON.parse(chartConfig(pkg.metadata).toString('utf8')) as Record<string, unknown>;
    assert.equal(config['description'], 'A chart that does many things. ');
    assert.deepEqual(config['maintainers'], [{ name: 'Ann', email: 'ann@example.com' }, { name: 'Bob Builder' }]);
  });

  it('stays reproducible: same bytes twice, and in another time zone', async () => {
    const dir = fancyChart();
    const first = await packageChart(dir, { sourceDate: EPOCH });
    const second = await packageChart(dir, { sourceDate: EPOCH });
    assert.ok(first.archive.equals(second.archive));
    // Another process in another time zone: the bundled CLI, with the same date given the way users give it.
    const other = await runBundledCli(['package', dir, '--destination', temp.make(), '--json'], {
      cwd: dir,
      env: { TZ: 'Pacific/Chatham', SOURCE_DATE_EPOCH: String(EPOCH.getTime() / 1000) },
    });
    assert.equal(other.code, 0, other.stderr);
    assert.equal((JSON.parse(other.stdout) as { sha256: string }).sha256, first.sha256);
  });

  it('unpacks with tar and loads back to the same metadata; packaging that again gives the same bytes', async () => {
    const out = temp.make();
    const pkg = await packageChart(fancyChart(), { sourceDate: EPOCH, destination: out });
    const extracted = temp.make();
    execFileSync('tar', ['xzf', pkg.path!, '-C', extracted]);
    assert.equal(readFileSync(join(extracted, 'fancy', 'Chart.yaml'), 'utf8'), FANCY_IN_ARCHIVE);

    const reloaded = await loadChart(join(extracted, 'fancy'));
    assert.deepEqual(reloaded.metadata, pkg.metadata);
    assert.deepEqual((await readChartArchive(pkg.archive, pkg.path!)).metadata, pkg.metadata);
    // helm's marshaling is a fixed point: a chart that is already in helm's form comes out unchanged.
    const again = await packageChart(join(extracted, 'fancy'), { sourceDate: EPOCH });
    assert.ok(again.archive.equals(pkg.archive), 'repackaging the unpacked chart gives the same archive');
  });

  it('--app-version is sanitised like the rest; --version lands in the marshaled Chart.yaml', async () => {
    const pkg = await packageChart(fancyChart(), { sourceDate: EPOCH, version: '2.0.0', appVersion: 'v2\tbeta' });
    const chartYaml = await entry(pkg.archive, 'fancy/Chart.yaml');
    assert.match(chartYaml, /^appVersion: v2 beta$/m);
    assert.match(chartYaml, /^version: 2\.0\.0$/m);
    assert.equal(pkg.metadata.appVersion, 'v2 beta');
    assert.equal(signedMetadata(provenanceBody(pkg.metadata, pkg.fileName, pkg.archive)), chartYaml);
  });

  it("leaves the dependencies out of a v1 chart's Chart.yaml; what is signed has requirements.yaml's, as helm reads them back", async () => {
    const dir = writeFiles(temp.make(), {
      'Chart.yaml': 'apiVersion: v1\nname: old\nversion: 0.1.0\ndependencies:\n  - name: sub\n    version: 1.x\n',
      'Chart.lock': 'dependencies: []\ndigest: sha256:00\ngenerated: "2024-01-01T00:00:00Z"\n',
      'requirements.yaml': 'dependencies:\n  - name: sub\n    version: 1.x\n',
      'charts/sub/Chart.yaml': 'apiVersion: v1\nname: sub\nversion: 1.0.0\ndependencies:\n  - name: x\n    repository: ""\n',
      'charts/sub/charts/x/Chart.yaml': 'apiVersion: v2\nname: x\nversion: 1.0.0\n',
    });
    const pkg = await packageChart(dir, { sourceDate: EPOCH });
    const entries = await parseTgz(pkg.archive);
    assert.deepEqual(
      entries.map((e) => e.path),
      ['old/Chart.yaml', 'old/requirements.yaml', 'old/charts/sub/Chart.yaml', 'old/charts/sub/charts/x/Chart.yaml'],
      'no Chart.lock for v1; requirements.yaml is an ordinary file',
    );
    assert.equal(entries[0]!.data.toString(), 'apiVersion: v1\nname: old\nversion: 0.1.0\n');
    assert.equal(entries[2]!.data.toString(), 'apiVersion: v1\nname: sub\nversion: 1.0.0\n');
    assert.deepEqual(pkg.metadata.dependencies, [{ name: 'sub', version: '1.x' }]);
    assert.equal(
      signedMetadata(provenanceBody(pkg.metadata, pkg.fileName, pkg.archive)),
      'apiVersion: v1\ndependencies:\n- name: sub\n  repository: ""\n  version: 1.x\nname: old\nversion: 0.1.0\n',
    );
  });
});
