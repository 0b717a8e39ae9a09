import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { openTarget } from '../../src/helm-oci/index.js';
import { runAction } from '../helpers/action.js';
import { runCli } from '../helpers/cli.js';
import { chartFiles, createRepo } from '../helpers/git.js';

const repo = createRepo();
const scratch = mkdtempSync(join(tmpdir(), 'chartship-one-fails-'));
after(() => {
  repo.cleanup();
  rmSync(scratch, { recursive: true, force: true });
});

const dependsOn = (name: string) => `dependencies:\n  - name: ${name}\n    version: "*"\n    repository: file://../${name}\n`;

it('a bad .helmignore pattern or a dependency cycle fails those charts (and the cycle\'s dependents) alone, with file:line', async () => {
  repo.commit('feat: charts', {
    ...chartFiles('charts/good', 'good', '1.0.0'),
    ...chartFiles('charts/bracket', 'bracket', '1.0.0'),
    'charts/bracket/.helmignore': '# patterns\n[\n',
    ...chartFiles('charts/star', 'star', '1.0.0'),
    'charts/star/.helmignore': '**\n',
    // a and b depend on each other; c depends on a; d only on good.
    ...chartFiles('charts/a', 'a', '1.0.0', dependsOn('b')),
    ...chartFiles('charts/b', 'b', '1.0.0', dependsOn('a')),
    ...chartFiles('charts/c', 'c', '1.0.0', dependsOn('a')),
    ...chartFiles('charts/d', 'd', '1.0.0', dependsOn('good')),
  });
  const layout = join(scratch, 'layout');
  const env = { PATH: process.env['PATH'], HOME: scratch, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' };
  const cli = await runCli(['publish', '--cwd', repo.dir, '--registry', `oci-layout:${layout}`, '--json'], { cwd: scratch, env });
  assert.equal(cli.code, 1, cli.stderr);
  const charts = (JSON.parse(cli.stdout) as { charts: { name: string; version: string; status: string; error?: string }[] }).charts;
  const byName = new Map(charts.map((c) => [c.name, c]));
  assert.deepEqual(charts.map((c) => `${c.name} ${c.status}`).sort(), ['a failed', 'b failed', 'bracket failed', 'c failed', 'd pushed', 'good pushed', 'star failed']);
  assert.match(byName.get('bracket')!.error!, /^charts\/bracket\/\.helmignore:2:1: "\[": bad pattern: /);
  assert.match(byName.get('star')!.error!, /^charts\/star\/\.helmignore:1:1: "\*\*": double-star \(\*\*\) is not supported by helm/);
  assert.match(byName.get('a')!.error!, /^charts\/a\/Chart\.yaml:\d+:\d+: dependencies\[0\]: dependency cycle: a → b → a$/);
  assert.match(byName.get('b')!.error!, /^charts\/b\/Chart\.yaml:\d+:\d+: dependencies\[0\]: dependency cycle: a → b → a$/);
  assert.match(byName.get('c')!.error!, /^charts\/c\/Chart\.yaml:\d+:\d+: dependencies\[0\]: depends on a, which is part of a dependency cycle/);
  assert.equal(byName.get('a')!.version, '1.0.0', 'a failed chart whose Chart.yaml was read keeps its version');
  // What the run reported pushed is in the layout; nothing of the failed charts is.
  const target = openTarget(`oci-layout:${layout}`);
  for (const name of ['good', 'd']) assert.deepEqual(await target.listVersions(name), ['1.0.0']);
  for (const name of ['a', 'b', 'c', 'bracket', 'star']) assert.deepEqual(await target.listVersions(name), []);

  // In the action, each is an annotation on its file and line.
  const run = await runAction({ cwd: repo.dir, dir: join(scratch, 'run'), inputs: { registry: `oci-layout:${join(scratch, 'layout2')}` } });
  assert.equal(run.status, 1);
  assert.match(run.log, /^::error (?=[^:]*file=charts\/bracket\/\.helmignore)(?=[^:]*line=2).*::"\[": bad pattern/m);
  assert.match(run.log, /^::error (?=[^:]*file=charts\/b\/Chart\.yaml)(?=[^:]*line=\d)(?=[^:]*title=dependencies\[0\]).*::dependencies\[0\]: dependency cycle: a → b → a$/m);
  assert.equal(JSON.parse(run.outputs['pushed'] ?? '0'), 2);
});

it('a chart that fails while packaging says where once: the CLI line and the action annotation carry file, line and field, the message only the rest', async () => {
  const other = createRepo();
  try {
    other.commit('feat: charts', {
      ...chartFiles('charts/good', 'good', '1.0.0'),
      ...chartFiles('charts/app', 'app', '1.0.0', 'dependencies:\n  - name: ext\n    version: ^5.0.0\n    repository: file://../../ext\n'),
      'ext/Chart.yaml': 'apiVersion: v2\nname: ext\nversion: 1.0.0\n',
    });
    const env = { PATH: process.env['PATH'], HOME: scratch, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' };
    const cli = await runCli(['publish', '--cwd', other.dir, '--registry', `oci-layout:${join(scratch, 'packaging-layout')}`], { cwd: scratch, env });
    assert.equal(cli.code, 1, cli.stderr);
    const says = 'ext at file://../../ext is version 1.0.0, outside "^5.0.0"';
    assert.ok(cli.stderr.split('\n').includes(`error: charts/app/Chart.yaml:8:5: dependencies[0]: ${says}`), cli.stderr);

    const run = await runAction({ cwd: other.dir, dir: join(scratch, 'packaging-run'), inputs: { registry: `oci-layout:${join(scratch, 'packaging-layout2')}` } });
    assert.equal(run.status, 1);
    const annotation = run.log.split('\n').find((line) => line.startsWith('::error ') && line.includes('outside'));
    assert.ok(annotation, run.log);
    assert.match(annotation, /^::error (?=[^:]*file=charts\/app\/Chart\.yaml)(?=[^:]*line=8)(?=[^:]*title=dependencies\[0\])/);
    assert.equal(annotation.slice(annotation.indexOf('::', 2) + 2), `dependencies[0]: ${says}`);
    // The summary and the `charts` output name the file as the annotation does, not by the runner's absolute path.
    const app = (JSON.parse(run.outputs['charts'] ?? '[]') as { name: string; error?: string }[]).find((c) => c.name === 'app');
    assert.equal(app?.error, `charts/app/Chart.yaml:8:5: dependencies[0]: ${says}`);
    assert.ok(run.summary.includes('charts/app/Chart.yaml:8:5: dependencies\\[0\\]: ext at file://../../ext'), run.summary);
    assert.ok(!run.summary.includes(other.dir) && !run.outputs['charts']!.includes(other.dir), run.summary);
  } finally {
    other.cleanup();
  }
});
