/**
 * Charts that share a helper through symbolic links elsewhere in the repository, as helm packages them: published with
 * the target's bytes (helm 3 and 4 render them from the registry), and a change to the shared file releases the charts
 * linking to it, and only those.
 */
import assert from 'node:assert/strict';
import { symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, it } from 'node:test';
import { runBundledCli } from '../helpers/cli.js';
import { registryFixture } from '../helpers/fixture.js';
import { HELM_MAJORS, isolatedHelm, pathWithHelm } from '../helpers/helm.js';

const fx = registryFixture('linked');
const { repo } = fx;
const helper = (text: string) => `{{- define "shared.greeting" -}}${text}{{- end -}}\n`;
let first: string;

before(() => {
  repo.write('shared/tpl/_greeting.tpl', helper('hello'));
  for (const name of ['api', 'web', 'jobs']) {
    repo.write(`charts/${name}/Chart.yaml`, `apiVersion: v2\nname: ${name}\nversion: 1.0.0\n`);
    repo.write(`charts/${name}/templates/cm.yaml`, `kind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  greeting: {{ include "shared.greeting" . | default "none" | quote }}\n`);
  }
  // api links the helper file, web the whole shared directory; jobs defines its own.
  symlinkSync('../../../shared/tpl/_greeting.tpl', join(repo.dir, 'charts/api/templates/_greeting.tpl'));
  symlinkSync('../../../shared/tpl', join(repo.dir, 'charts/web/templates/shared'));
  repo.write('charts/jobs/templates/_greeting.tpl', helper('jobs'));
  first = repo.commit('feat: three charts, two sharing a helper');
});

const publish = (...extra: string[]) => runBundledCli(['publish', '--registry', `oci://${fx.registry.host}/team`, '--plain-http', '--policy', 'off', ...extra], { cwd: repo.dir, env: { HOME: repo.dir } });

it('publishes linked files with their targets\' bytes, and a change to the shared file releases the charts linking to it', async () => {
  const published = await publish();
  assert.equal(published.code, 0, published.stderr);

  repo.write('shared/tpl/_greeting.tpl', helper('hello again'));
  const fix = repo.commit('fix: a warmer greeting');
  const planned = await runBundledCli(['plan', '--base', first, '--json'], { cwd: repo.dir, env: { HOME: repo.dir } });
  assert.equal(planned.code, 0, planned.stderr);
  const releasing = (JSON.parse(planned.stdout) as { charts: { name: string; nextVersion: string; action: string }[] }).charts.filter((c) => c.action === 'release');
  assert.deepEqual(releasing.map((c) => `${c.name} ${c.nextVersion}`), ['api 1.0.1', 'web 1.0.1'], 'jobs links nothing');

  const released = await publish('--base', first);
  assert.equal(released.code, 0, released.stderr);
  assert.match(released.stderr, new RegExp(`patch: fix: a warmer greeting \\(${fix.slice(0, 7)}\\)`));

  for (const major of HELM_MAJORS) {
    const helm = isolatedHelm(major);
    try {
      const render = (chart: string, version: string) => helm.run(['template', 'r', `oci://${fx.registry.host}/team/${chart}`, '--version', version, '--plain-http'], { stdoutOnly: true });
      assert.match(await render('api', '1.0.0'), /greeting: "hello"/, `helm ${major}`);
      assert.match(await render('api', '1.0.1'), /greeting: "hello again"/, `helm ${major}`);
      assert.match(await render('web', '1.0.1'), /greeting: "hello again"/, `helm ${major}`);
      assert.match(await render('jobs', '1.0.0'), /greeting: "jobs"/, `helm ${major}`);
      const shown = await helm.run(['show', 'chart', `oci://${fx.registry.host}/team/web`, '--version', '1.0.1', '--plain-http'], { stdoutOnly: true });
      assert.match(shown, /^version: 1\.0\.1$/m);
    } finally {
      helm.cleanup();
    }
  }
});

it('a chart whose link leaves the repository is not rendered for the policy either: helm would read the file into the findings', async () => {
  const outside = join(fx.scratch, 'runner-secret');
  writeFileSync(outside, 'SECRET-FROM-THE-RUNNER\n');
  repo.write('charts/leaky/Chart.yaml', 'apiVersion: v2\nname: leaky\nversion: 1.0.0\n');
  repo.write('charts/leaky/templates/deploy.yaml', 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: leaky\nspec:\n  template:\n    spec:\n      containers:\n        - name: a\n          image: {{ .Files.Get "leak" | trim | quote }}\n');
  symlinkSync(outside, join(repo.dir, 'charts/leaky/leak'));
  const linted = await runBundledCli(['lint', 'charts/leaky'], { cwd: repo.dir, env: { HOME: repo.dir, PATH: pathWithHelm(3) } });
  assert.doesNotMatch(`${linted.stdout}${linted.stderr}`, /SECRET-FROM-THE-RUNNER/);
  assert.match(linted.stdout, /not checked: [^\n]*for leaky: not rendered: [^\n]*symbolic link leaves the repository/);
  assert.doesNotMatch(linted.stdout, /helm v[\d.]+ could not render/, 'the refusal is chartship\'s, not helm\'s');
});
