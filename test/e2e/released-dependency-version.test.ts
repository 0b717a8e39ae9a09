/**
 * Bumps not in Chart.yaml (recorded by release tags only, as create-releases without commit-bump does in README's
 * sharded workflow, or by nothing but the registry): Chart.yaml of a library stays at the version written while its
 * releases move on. A dependent released later must carry the library at the version its content was released as,
 * not at the older version Chart.yaml still names (the registry holds that version with other content).
 */
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { readChartArchive } from '../../src/charts/archive.js';
import { runBundledCli } from '../helpers/cli.js';
import { registryFixture } from '../helpers/fixture.js';
import { createRepo, type TestRepo } from '../helpers/git.js';
import { isolatedHelm } from '../helpers/helm.js';

const fx = registryFixture('released-dependency', { auth: 'none' });
const helm = isolatedHelm(4);
const untagged = createRepo('chartship-released-dependency-');
after(() => {
  helm.cleanup();
  untagged.cleanup();
});

for (const { recorded, repo, team } of [
  { recorded: 'the release tag records', repo: fx.repo, team: 'tagged' },
  { recorded: 'the registry holds', repo: untagged, team: 'untagged' },
] as { recorded: string; repo: TestRepo; team: string }[]) {
  it(`a dependent released after its library packages the library at the version ${recorded}`, async () => {
    const publish = (base?: string) =>
      runBundledCli(['publish', '--registry', `oci://${fx.registry.host}/${team}`, '--plain-http', '--policy', 'off', ...(base ? ['--base', base] : [])], { cwd: repo.dir, env: { HOME: repo.dir } });
    const first = repo.commit('chore: two charts', {
      'charts/lib/Chart.yaml': 'apiVersion: v2\nname: lib\ntype: library\nversion: 1.0.0\n',
      'charts/lib/templates/_helpers.tpl': '{{- define "lib.name" -}}lib{{- end -}}\n',
      'charts/app/Chart.yaml': 'apiVersion: v2\nname: app\nversion: 1.0.0\ndependencies:\n  - name: lib\n    version: 1.0.0\n    repository: file://../lib\n',
      'charts/app/templates/cm.yaml': 'kind: ConfigMap\nmetadata:\n  name: {{ include "lib.name" . }}\n',
    });
    assert.equal((await publish()).code, 0);
    const second = repo.commit('feat(lib): a longer name', { 'charts/lib/templates/_helpers.tpl': '{{- define "lib.name" -}}lib-{{ .Release.Name }}{{- end -}}\n' });
    const released = await publish(first);
    assert.equal(released.code, 0, released.stderr);
    if (team === 'tagged') {
      // What create-releases records: a release tag per chart.
      repo.git('tag', 'lib-1.1.0');
      repo.git('tag', 'app-1.0.1');
    }

    repo.commit('fix(app): a label', { 'charts/app/values.yaml': 'label: x\n' });
    const fixed = await publish(second);
    assert.equal(fixed.code, 0, fixed.stderr);
    assert.deepEqual([await fx.versions(team, 'lib'), await fx.versions(team, 'app')], [['1.0.0', '1.1.0'], ['1.0.0', '1.0.1', '1.0.2']]);
    assert.equal(repo.git('status', '--porcelain'), '', 'the work tree is put back');

    await helm.run(['pull', `oci://${fx.registry.host}/${team}/app`, '--version', '1.0.2', '--plain-http', '-d', helm.home]);
    const archive = await readChartArchive(readFileSync(join(helm.home, 'app-1.0.2.tgz')), 'app-1.0.2.tgz');
    const file = (name: string) => archive.files.get(name)?.toString('utf8') ?? '';
    assert.match(file('charts/lib/Chart.yaml'), /^version: 1\.1\.0$/m, 'the library as released');
    assert.match(file('charts/lib/templates/_helpers.tpl'), /lib-\{\{ \.Release\.Name \}\}/);
    assert.match(file('Chart.yaml'), /- name: lib\n\s+repository: file:\/\/\.\.\/lib\n\s+version: 1\.1\.0/, 'its constraint admits it');
    assert.match(await helm.run(['template', 'r', join(helm.home, 'app-1.0.2.tgz')]), /name: lib-r/);
    rmSync(join(helm.home, 'app-1.0.2.tgz'));
  });
}
