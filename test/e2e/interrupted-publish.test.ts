/**
 * A publish ended by a signal mid-push (Ctrl-C in a terminal; a cancelled CI job: the GitHub runner sends SIGINT, then
 * SIGTERM, GitLab and Jenkins SIGTERM) runs no `finally`. Before, the bumped Chart.yaml files stayed in the work tree,
 * and a rerun in that checkout took them for versions set by hand and published the next versions past them.
 */
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, it } from 'node:test';
import { runAction } from '../helpers/action.js';
import { runBundledCli } from '../helpers/cli.js';
import { registryFixture } from '../helpers/fixture.js';
import { startFlakyProxy, type FlakyProxy } from '../helpers/flaky-proxy.js';
import { chartFiles, gitCallLog } from '../helpers/git.js';

const CHARTS = ['alpha', 'beta', 'gamma'];
let proxy: FlakyProxy | undefined;
let base = '';
let head = '';
const fx = registryFixture('interrupted-publish', { auth: 'none' }, {
  setup: async ({ registry, repo }) => {
    proxy = await startFlakyProxy(registry.url);
    base = repo.commit('chore: three charts', Object.assign({}, ...CHARTS.map((name) => chartFiles(`charts/${name}`, name, '1.0.0'))) as Record<string, string>);
    head = repo.commit('fix: two replicas', Object.fromEntries(CHARTS.map((name) => [`charts/${name}/values.yaml`, 'replicas: 2\n'])));
  },
});
after(() => proxy?.stop());
const { repo, scratch } = fx;
const env = { HOME: scratch, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' };
const bumped = () => CHARTS.filter((name) => /^version: 1\.0\.1$/m.test(readFileSync(join(repo.dir, 'charts', name, 'Chart.yaml'), 'utf8')));

/**
 * `run` started, then sent `signal` once `ready()` holds (polled, bounded); what the run gave. A run never ready is
 * ended, and the test fails saying what it waited for.
 */
async function interrupted<T>(run: (onSpawn: (child: ChildProcess) => void) => Promise<T>, ready: () => boolean, signal: NodeJS.Signals, what: string): Promise<T> {
  let child: ChildProcess | undefined;
  const running = run((c) => (child = c));
  for (let i = 0; i < 600 && !(child && ready()); i++) await sleep(50);
  if (!(child && ready())) {
    child?.kill('SIGKILL');
    await running;
    throw new Error(`never saw ${what}`);
  }
  child.kill(signal);
  return running;
}

/** Manifest PUTs are held (a barrier no run reaches), so the run is mid-push, with its bumps written, until signalled. */
function holdManifestPuts(): () => boolean {
  proxy!.rules.length = 0;
  proxy!.log.length = 0;
  proxy!.rules.push({ method: 'PUT', path: /\/manifests\//, fault: { kind: 'barrier', count: 1000 }, times: 1000 });
  return () => proxy!.log.some((entry) => entry.method === 'PUT' && entry.path.includes('/manifests/'));
}

type Row = { name: string; version: string; status: string };
const rows = (charts: Row[]) => charts.map((r) => `${r.name} ${r.version} ${r.status}`).sort();
const published = CHARTS.map((name) => `${name} 1.0.1 pushed`);

it('the CLI, sent SIGTERM mid-push, puts back the bumped Chart.yaml files and exits 143; a rerun publishes what an uninterrupted run would', async () => {
  const target = `oci://${proxy!.host}/cli`;
  const pushing = holdManifestPuts();
  const killed = await interrupted(
    (onSpawn) => runBundledCli(['publish', '--base', base, '--registry', target, '--plain-http', '--policy', 'off'], { cwd: repo.dir, env, onSpawn }),
    () => pushing() && bumped().length === CHARTS.length,
    'SIGTERM',
    'a manifest pushed with the Chart.yaml files bumped',
  );
  assert.equal(repo.git('status', '--porcelain'), '', 'the work tree is as it was');
  assert.equal(killed.code, 143, killed.stderr);
  assert.match(killed.stderr, /^chartship: SIGTERM: stopped; put back 3 files the run had bumped$/m);
  assert.deepEqual(await fx.versions('cli', 'alpha'), [], 'nothing was published: the run was stopped mid-push');

  proxy!.rules.length = 0;
  const rerun = await runBundledCli(['publish', '--base', base, '--registry', target, '--plain-http', '--policy', 'off', '--json'], { cwd: repo.dir, env });
  assert.equal(rerun.code, 0, rerun.stderr);
  assert.doesNotMatch(rerun.stderr, /set by hand/);
  assert.deepEqual(rows((JSON.parse(rerun.stdout) as { charts: Row[] }).charts), published);
  assert.equal(repo.git('status', '--porcelain'), '');
});

it('the action, sent SIGINT mid-push as a runner cancelling the job does, puts back the bumps and exits 130; a rerun publishes what an uninterrupted run would', async () => {
  const inputs = { registry: `oci://${proxy!.host}/action`, 'plain-http': 'true', policy: 'off' };
  const event = { name: 'push', payload: { before: base, after: head, ref: 'refs/heads/main' } };
  const pushing = holdManifestPuts();
  const killed = await interrupted(
    (onSpawn) => runAction({ cwd: repo.dir, dir: join(scratch, 'action-killed'), inputs, event, onSpawn }),
    () => pushing() && bumped().length === CHARTS.length,
    'SIGINT',
    'a manifest pushed with the Chart.yaml files bumped',
  );
  assert.equal(repo.git('status', '--porcelain'), '', 'the work tree is as it was');
  assert.equal(killed.status, 130, killed.log);
  assert.match(killed.log, /^SIGINT: stopped; put back 3 files the run had bumped$/m);

  proxy!.rules.length = 0;
  const rerun = await runAction({ cwd: repo.dir, dir: join(scratch, 'action-rerun'), inputs, event });
  assert.equal(rerun.status, 0, rerun.log);
  assert.doesNotMatch(rerun.log, /set by hand/);
  assert.deepEqual(rows(JSON.parse(rerun.outputs['charts'] ?? '[]') as Row[]), published);
  assert.equal(repo.git('status', '--porcelain'), '');
});

it('chartship plan --registry, interrupted while it compares the bumped charts with the registry, puts them back', async () => {
  // The CLI test published 1.0.1 of each chart there: the plan packages them as bumped to compare, slowly.
  proxy!.rules.length = 0;
  proxy!.rules.push({ method: 'GET', path: /\/manifests\//, fault: { kind: 'delay', ms: 300 }, times: 1000 });
  const plan = ['plan', '--base', base, '--registry', `oci://${proxy!.host}/cli`, '--plain-http'];
  const killed = await interrupted((onSpawn) => runBundledCli(plan, { cwd: repo.dir, env, onSpawn }), () => bumped().length === CHARTS.length, 'SIGINT', 'the Chart.yaml files bumped');
  assert.equal(repo.git('status', '--porcelain'), '', 'the work tree is as it was');
  assert.equal(killed.code, 130, killed.stderr);
  assert.match(killed.stderr, /^chartship: SIGINT: stopped; put back 3 files the run had bumped$/m);

  proxy!.rules.length = 0;
  const rerun = await runBundledCli(plan, { cwd: repo.dir, env });
  assert.equal(rerun.code, 0, rerun.stderr);
  assert.deepEqual(CHARTS.map((name) => new RegExp(`^${name} .* 1\\.0\\.0 +1\\.0\\.1 .* unchanged `, 'm').test(rerun.stdout)), [true, true, true], rerun.stdout);
});

it('with commit-bump, a signal after the bumps were committed puts nothing back: the work tree is the commit', async () => {
  proxy!.rules.length = 0;
  repo.addOrigin(join(scratch, 'origin.git'));
  // The bump commit's push waits, so the run is signalled after the commit and before the push ends.
  const git = gitCallLog(scratch, { held: ['push'], seconds: 15 });
  const killed = await interrupted(
    (onSpawn) =>
      runAction({
        cwd: repo.dir,
        dir: join(scratch, 'action-bump'),
        inputs: { registry: `oci://${proxy!.host}/bump`, 'plain-http': 'true', policy: 'off', 'commit-bump': 'true' },
        event: { name: 'push', payload: { before: base, after: head, ref: 'refs/heads/main' } },
        env: { GITHUB_SHA: head, GITHUB_REF: 'refs/heads/main', PATH: `${git.bin}:${process.env['PATH']}` },
        onSpawn,
      }),
    () => git.calls().some((call) => / push origin HEAD:refs\/heads\/main$/.test(call)),
    'SIGTERM',
    'the bump commit pushed',
  );
  // The held push is the wrapper's, not chartship's: ended here, so it does not run on past the test.
  git.endHeld();
  assert.equal(killed.status, 143, killed.log);
  assert.match(killed.log, /^SIGTERM: stopped; no bumped file to put back$/m);
  assert.match(repo.git('log', '-1', '--format=%s'), /^chore\(release\): alpha 1\.0\.1, beta 1\.0\.1, gamma 1\.0\.1 \[skip ci\]$/);
  assert.deepEqual(bumped(), CHARTS, 'the committed bumps stay');
  assert.equal(repo.git('status', '--porcelain'), '', 'the work tree is the bump commit');
});
