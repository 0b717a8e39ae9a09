/**
 * Registries that keep tags immutable refuse a manifest PUT each in their own words. A real registry holds the tag;
 * the proxy in front answers the PUT exactly as ECR, Harbor and ACR are documented to, and chartship must give its
 * one immutability message naming what the tag holds.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ChartshipError } from '../../src/model/errors.js';
import { OCI_MANIFEST } from '../../src/oci/index.js';
import { openTarget } from '../../src/helm-oci/index.js';
import { RegistryStore } from '../../src/oci/registry-store.js';
import { startFlakyProxy, type FlakyProxy } from '../helpers/flaky-proxy.js';
import { chartArchive } from '../helpers/registry-charts.js';
import { startRegistry, type TestRegistry } from '../helpers/registry.js';

let registry: TestRegistry;
let proxy: FlakyProxy;

before(async () => {
  registry = await startRegistry({ auth: 'none' });
  proxy = await startFlakyProxy(registry.url);
});
after(async () => {
  await proxy?.stop();
  await registry?.stop();
});

const refusals: Record<string, { status: number; errors: { code: string; message: string }[] }> = {
  // ECR's registry API (moby/buildkit#3776, osscontainertools/kaniko#204)
  'ECR (repository immutable)': {
    status: 400,
    errors: [{ code: 'TAG_INVALID', message: "The image tag '1.0.0' already exists in the 'imm/chart' repository and cannot be overwritten because the repository is immutable." }],
  },
  'ECR (tag immutable)': {
    status: 400,
    errors: [{ code: 'TAG_INVALID', message: "The image tag '1.0.0' already exists in the 'imm/chart' repository and cannot be overwritten because the tag is immutable." }],
  },
  'ECR (API exception name)': { status: 400, errors: [{ code: 'ImageTagAlreadyExistsException', message: "The image tag '1.0.0' already exists" }] },
  // Harbor 2.x (src/server/middleware/immutable: ErrImmutable sent with PreconditionCode) and 1.10
  'Harbor 2': { status: 412, errors: [{ code: 'PRECONDITION', message: "Failed to process request due to 'chart:1.0.0' configured as immutable." }] },
  'Harbor 1.10': { status: 412, errors: [{ code: 'DENIED', message: 'The tag:imm/chart:1.0.0 is immutable, cannot be overwrite.' }] },
  // ACR, a tag locked with --write-enabled false (Azure/azure-sdk-for-net#22827)
  ACR: {
    status: 405,
    errors: [{
      code: 'REGISTRY_DISALLOWED_OPERATION',
      message: 'The operation is disallowed on this registry, repository or image. View troubleshooting steps at https://aka.ms/acr/faq/#why-does-my-pull-or-push-request-fail-with-disallowed-operation',
    }],
  },
};

describe('immutable tags (emulated registry answers)', () => {
  let held: string;
  before(async () => {
    const direct = openTarget(`oci://${registry.host}/imm`, { plainHttp: true });
    try {
      held = (await direct.pushChart({ archive: chartArchive({ name: 'chart', version: '1.0.0' }) })).digest;
    } finally {
      await direct.close();
    }
  });

  for (const [registryName, refusal] of Object.entries(refusals)) {
    test(`${registryName}, emulated: --overwrite of an immutable tag gets the immutability message and what the tag holds`, async () => {
      proxy.rules.length = 0;
      proxy.rules.push({ method: 'PUT', path: /\/manifests\//, fault: { kind: 'status', ...refusal }, times: 1 });
      const target = openTarget(`oci://${proxy.host}/imm`, { plainHttp: true });
      try {
        const other = chartArchive({ name: 'chart', version: '1.0.0', files: { 'values.yaml': 'replicaCount: 3\n' } });
        await assert.rejects(target.pushChart({ archive: other }, { overwrite: true }), (error: unknown) => {
          assert.ok(error instanceof ChartshipError, String(error));
          assert.equal(error.code, 'TAG_IMMUTABLE', error.describe());
          assert.equal(error.message.split(' (the registry said')[0], `tag ${proxy.host}/imm/chart:1.0.0 is immutable in the registry and holds ${held}`);
          assert.ok(error.message.includes(refusal.errors[0]!.message), 'the registry\'s own words are kept');
          assert.match(error.hint ?? '', /bump the chart version/);
          return true;
        });
        assert.equal(proxy.rules[0]!.times, 0, 'the refusal was met');
      } finally {
        await target.close();
      }
    });
  }

  test('an immutable refusal of the very bytes the tag already holds is success (another run pushed the same)', async () => {
    const bytes = Buffer.from(await (await fetch(`${registry.url}/v2/imm/chart/manifests/1.0.0`, { headers: { accept: OCI_MANIFEST } })).arrayBuffer());
    proxy.rules.length = 0;
    proxy.rules.push({ method: 'PUT', path: /\/manifests\//, fault: { kind: 'status', ...refusals['Harbor 2']! }, times: 1 });
    const store = new RegistryStore(`oci://${proxy.host}/imm`, { plainHttp: true });
    try {
      assert.equal(await store.putManifest('imm/chart', '1.0.0', OCI_MANIFEST, bytes), held);
      assert.equal(proxy.rules[0]!.times, 0);
    } finally {
      await store.close();
    }
  });

  test('a refusal that is not about immutability stays what it is', async () => {
    proxy.rules.length = 0;
    proxy.rules.push({ method: 'PUT', path: /\/manifests\//, fault: { kind: 'status', status: 400, errors: [{ code: 'MANIFEST_INVALID', message: 'manifest invalid' }] }, times: 1 });
    const target = openTarget(`oci://${proxy.host}/imm`, { plainHttp: true });
    try {
      await assert.rejects(target.pushChart({ archive: chartArchive({ name: 'other', version: '1.0.0' }) }), (error: unknown) => {
        assert.ok(error instanceof ChartshipError);
        assert.equal(error.code, 'MANIFEST_INVALID');
        return true;
      });
    } finally {
      await target.close();
    }
  });
});
