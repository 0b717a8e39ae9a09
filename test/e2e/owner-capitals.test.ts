/**
 * The README's workflow writes `registry: oci://ghcr.io/${{ github.repository_owner }}/charts`. An owner with capitals
 * (`Acme-Corp`) makes a namespace no registry takes, and a workflow has no expression to lowercase it: the action takes
 * the lowercase form, says so, and publishes there. Commands given one reference by hand (push) still refuse it, with
 * the form to write, as helm does.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { it } from 'node:test';
import { registryFixture } from '../helpers/fixture.js';
import { runAction } from '../helpers/action.js';
import { runBundledCli } from '../helpers/cli.js';
import { chartFiles } from '../helpers/git.js';
import { isolatedHelm } from '../helpers/helm.js';

const fx = registryFixture('owner-capitals');
const { repo, scratch } = fx;

it('the README workflow with an owner in capitals publishes to the lowercase namespace, with a warning', async () => {
  const sha = repo.commit('feat: web', chartFiles('charts/web', 'web', '1.0.0'));
  const run = await runAction({
    cwd: repo.dir,
    dir: join(scratch, 'action'),
    inputs: { registry: `oci://${fx.registry.host}/Acme-Corp/charts`, 'plain-http': 'true' },
    event: { name: 'push', payload: { before: '0000000000000000000000000000000000000000', after: sha, ref: 'refs/heads/main' } },
  });
  assert.equal(run.status, 0, run.log);
  assert.match(run.log, new RegExp(`::warning[^\\n]*::registry: oci://${fx.registry.host}/Acme-Corp/charts is pushed to as oci://${fx.registry.host}/acme-corp/charts`));
  const charts = JSON.parse(run.outputs['charts'] ?? '[]') as { name: string; status: string; registries: { registry: string; ref: string }[] }[];
  assert.deepEqual(
    charts.map((c) => [c.name, c.status, c.registries.map((r) => [r.registry, r.ref])]),
    [['web', 'pushed', [[`oci://${fx.registry.host}/acme-corp/charts`, `${fx.registry.host}/acme-corp/charts/web:1.0.0`]]]],
  );

  const helm = isolatedHelm(4);
  try {
    const shown = await helm.run(['show', 'chart', `oci://${fx.registry.host}/acme-corp/charts/web`, '--version', '1.0.0', '--plain-http']);
    assert.match(shown, /^name: web$/m);
  } finally {
    helm.cleanup();
  }
});

it('push, given the reference by hand, refuses capitals and names the form to write', async () => {
  const packaged = await runBundledCli(['package', 'charts/web', '--destination', scratch], { cwd: repo.dir, env: { HOME: scratch } });
  assert.equal(packaged.code, 0, packaged.stderr);
  const pushed = await runBundledCli(['push', join(scratch, 'web-1.0.0.tgz'), `oci://${fx.registry.host}/Acme-Corp/charts`, '--plain-http'], { cwd: repo.dir, env: { HOME: scratch } });
  assert.equal(pushed.code, 1, pushed.stderr);
  assert.match(pushed.stderr, new RegExp(`repository paths are lowercase: write oci://${fx.registry.host}/acme-corp/charts`));
});
