import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { ChartshipError } from '../../src/model/errors.js';
import { openTarget } from '../../src/helm-oci/index.js';
import { chartArchive } from '../helpers/registry-charts.js';
import { skopeoRaw } from './skopeo.js';

const dir = mkdtempSync(join(tmpdir(), 'chartship-layout-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const sha = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

test('oci-layout target: layout files, index entry with ref.name, skopeo reads it back', async () => {
  const layout = join(dir, 'out');
  const target = openTarget(`oci-layout:${layout}`);
  const archive = chartArchive({ name: 'laid', version: '2.0.0+b1' });
  const result = await target.pushChart({ archive, prov: Buffer.from('signature') });
  assert.equal(result.status, 'pushed');
  assert.equal(result.ref, `oci:${layout}:laid:2.0.0_b1`);
  assert.equal(readFileSync(join(layout, 'oci-layout'), 'utf8'), '{"imageLayoutVersion":"1.0.0"}');
  const index = JSON.parse(readFileSync(join(layout, 'index.json'), 'utf8')) as { schemaVersion: number; manifests: { mediaType: string; digest: string; annotations: Record<string, string> }[] };
  assert.equal(index.schemaVersion, 2);
  assert.deepEqual(index.manifests.map((m) => [m.mediaType, m.digest, m.annotations['org.opencontainers.image.ref.name']]), [
    ['application/vnd.oci.image.manifest.v1+json', result.digest, 'laid:2.0.0_b1'],
  ]);
  assert.deepEqual(readFileSync(join(layout, 'blobs', 'sha256', sha(archive).slice(7))), archive);

  const raw = await skopeoRaw(`oci:${layout}:laid:2.0.0_b1`);
  assert.equal(sha(raw), result.digest);
  assert.match(raw.toString(), /application\/vnd\.cncf\.helm\.chart\.provenance\.v1\.prov/);

  // same content again: unchanged; another chart: a second entry; a changed one: refused, then replaced
  assert.equal((await target.pushChart({ archive, prov: Buffer.from('signature') })).status, 'unchanged');
  await target.pushChart({ archive: chartArchive({ name: 'other', version: '1.0.0' }) });
  const changed = chartArchive({ name: 'laid', version: '2.0.0+b1', files: { 'NOTES.txt': 'hi' } });
  await assert.rejects(target.pushChart({ archive: changed }), (e: unknown) => e instanceof ChartshipError && e.code === 'TAG_EXISTS');
  const replaced = await target.pushChart({ archive: changed }, { overwrite: true });
  assert.equal(replaced.status, 'overwritten');
  const after2 = JSON.parse(readFileSync(join(layout, 'index.json'), 'utf8')) as typeof index;
  assert.deepEqual(after2.manifests.map((m) => m.annotations['org.opencontainers.image.ref.name']).sort(), ['laid:2.0.0_b1', 'other:1.0.0']);
  assert.equal(after2.manifests.find((m) => m.annotations['org.opencontainers.image.ref.name'] === 'laid:2.0.0_b1')?.digest, replaced.digest);
  assert.equal(sha(await skopeoRaw(`oci:${layout}:laid:2.0.0_b1`)), replaced.digest);

  assert.deepEqual(await target.listVersions('laid'), ['2.0.0+b1']);
  const pulled = await target.pullChart('laid', '2.0.0+b1');
  assert.deepEqual(pulled.archive, changed);
  assert.equal(pulled.prov, undefined);
});
