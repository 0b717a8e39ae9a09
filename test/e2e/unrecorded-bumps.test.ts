/**
 * The action as it is installed, with its defaults: no commit-bump and no create-releases, so nothing records the
 * versions it publishes and Chart.yaml keeps the version before them. Each push is planned from its own range, and
 * its bump from Chart.yaml lands on, or below, a version a previous push published: the registry's content tells a
 * rerun of that push (published already: unchanged) from the next one (its commits come after: past that version).
 * Before, the second fix in a row failed ("already exists with different content"), and so did every rc after the first.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { it } from 'node:test';
import { openTarget } from '../../src/helm-oci/index.js';
import { registryFixture } from '../helpers/fixture.js';
import { runAction } from '../helpers/action.js';
import { runBundledCli } from '../helpers/cli.js';
import { isolatedHelm } from '../helpers/helm.js';

const fx = registryFixture('unrecorded-bumps');
const { repo, scratch } = fx;

/** The registry's namespace, once the fixture has started it. */
const target = () => `oci://${fx.registry.host}/team`;

type Row = { name: string; version: string; status: string; registries: { digest: string }[] };
let runs = 0;
/** The action on a push of `from..to`, as the runner starts it; `to` is checked out. */
async function push(from: string, to: string, inputs: Record<string, string> = {}): Promise<string[]> {
  const run = await runAction({
    cwd: repo.dir,
    dir: join(scratch, `run-${++runs}`),
    inputs: { registry: target(), 'plain-http': 'true', policy: 'off', ...inputs },
    event: { name: 'push', payload: { before: from, after: to, ref: 'refs/heads/main' } },
  });
  assert.equal(run.status, 0, run.log);
  return (JSON.parse(run.outputs['charts'] ?? '[]') as Row[]).map((r) => `${r.name} ${r.version} ${r.status}`);
}
const versions = async (chart: string) => {
  const client = openTarget(target(), { plainHttp: true, env: { HOME: scratch } });
  try {
    return (await client.listVersions(chart)).sort();
  } finally {
    await client.close();
  }
};
const lib = (text: string) => ({ 'charts/lib/templates/_name.tpl': `{{- define "lib.name" -}}${text}{{- end -}}\n` });

it('consecutive pushes release one version after another, and a rerun of a push publishes nothing new', async () => {
  const c0 = repo.commit('chore: two charts', {
    'charts/lib/Chart.yaml': 'apiVersion: v2\nname: lib\ntype: library\nversion: 1.0.0\n',
    ...lib('one'),
    'charts/app/Chart.yaml': 'apiVersion: v2\nname: app\nversion: 0.1.0\ndependencies:\n  - name: lib\n    version: ">=1.0.0"\n    repository: file://../lib\n',
    'charts/app/templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ include "lib.name" . }}\n',
  });
  const c1 = repo.commit('fix(lib): a better name', lib('two'));
  assert.deepEqual(await push(c0, c1), ['lib 1.0.1 pushed', 'app 0.1.1 pushed']);
  assert.deepEqual(await push(c0, c1), ['lib 1.0.1 unchanged', 'app 0.1.1 unchanged'], 'the rerun of a push');

  const c2 = repo.commit('fix(lib): a better name still', lib('three'));
  assert.deepEqual(await push(c1, c2), ['lib 1.0.2 pushed', 'app 0.1.2 pushed'], 'the next fix goes past 1.0.1, which the last push published');
  assert.deepEqual(await push(c1, c2), ['lib 1.0.2 unchanged', 'app 0.1.2 unchanged'], 'the rerun of that push');
  assert.deepEqual([await versions('lib'), await versions('app')], [['1.0.1', '1.0.2'], ['0.1.1', '0.1.2']]);

  // A release candidate channel: each push after the first rc is the next rc.
  const c3 = repo.commit('feat(lib): names with a prefix', lib('four'));
  assert.deepEqual(await push(c2, c3, { prerelease: 'rc' }), ['lib 1.1.0-rc.0 pushed', 'app 0.1.3-rc.0 pushed']);
  const c4 = repo.commit('fix(lib): the prefix', lib('five'));
  assert.deepEqual(await push(c3, c4, { prerelease: 'rc' }), ['lib 1.1.0-rc.1 pushed', 'app 0.1.3-rc.1 pushed']);

  // The CLI plans the same from the registry, and says why.
  const plan = await runBundledCli(['plan', '--base', c3, '--prerelease', 'rc', '--registry', target(), '--plain-http'], { cwd: repo.dir, env: { HOME: scratch } });
  assert.equal(plan.code, 0, plan.stderr);
  assert.match(plan.stdout, /^lib +charts\/lib +1\.0\.0 +1\.1\.0-rc\.1 .* unchanged +Chart\.yaml has 1\.0\.0, but 1\.1\.0-rc\.1 \(oci:\/\/\S+\) already holds these changes: a rerun/m);
  assert.equal(repo.git('status', '--porcelain'), '', 'comparing writes the bumps only for the while');

  // What helm pulls is the last rc of app, holding the last rc of lib.
  const helm = isolatedHelm(3);
  try {
    const rendered = await helm.run(['template', 'x', `${target()}/app`, '--version', '0.1.3-rc.1', '--plain-http']);
    assert.match(rendered, /name: five$/m);
  } finally {
    helm.cleanup();
  }
});
