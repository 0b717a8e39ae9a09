/**
 * A run cancelled mid-publish (a newer push with cancel-in-progress, GitLab's redundant pipelines, Ctrl-C) and the next
 * push's run, whose range holds only its own commits: together they publish what two uninterrupted runs would. The
 * stopped run says what it pushed, in its log and, as an action, in its outputs and job summary, and leaves no process
 * of its own running.
 */
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, it } from 'node:test';
import { runAction } from '../helpers/action.js';
import { runBundledCli } from '../helpers/cli.js';
import { registryFixture } from '../helpers/fixture.js';
import { startFlakyProxy, type FlakyProxy } from '../helpers/flaky-proxy.js';
import { chartFiles, chartYaml, gitCallLog } from '../helpers/git.js';
import { GpgHome, type GpgKey } from '../helpers/gpg.js';
import { isolatedHelm } from '../helpers/helm.js';
import { startRegistry, type TestRegistry } from '../helpers/registry.js';
import { skopeoRaw } from '../oci/skopeo.js';

let proxy: FlakyProxy | undefined;
let tokens: TestRegistry | undefined;
let key: GpgKey;
let gpg: GpgHome;
let start = '';
const lib = (version: string) => chartYaml('lib', version).replace('type: application', 'type: library');
const app = (version: string, libVersion: string) => chartYaml('app', version, `dependencies:\n  - name: lib\n    version: "${libVersion}"\n    repository: file://../lib\n`);
const fx = registryFixture('cancelled-run', { auth: 'htpasswd' }, {
  setup: async ({ registry, repo }) => {
    [proxy, tokens, gpg] = await Promise.all([startFlakyProxy(registry.url), startRegistry({ auth: 'token' }), GpgHome.create()]);
    key = await gpg.generateKey({ name: 'Cancelled Run', algo: 'rsa3072' });
    start = repo.commit('chore: charts', {
      ...chartFiles('charts/alpha', 'alpha', '1.0.0'),
      ...chartFiles('charts/beta', 'beta', '1.0.0'),
      'charts/lib/Chart.yaml': lib('1.0.0'),
      'charts/lib/templates/_helpers.tpl': '{{- define "lib.name" -}}lib{{- end -}}\n',
      ...chartFiles('charts/app', 'app', '1.0.0'),
      'charts/app/Chart.yaml': app('1.0.0', '^1.0.0'),
    });
  },
});
after(async () => {
  await Promise.all([proxy?.stop(), tokens?.stop(), gpg?.close()]);
});
const { repo, scratch } = fx;
const env = { HOME: scratch, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' };
const auth = () => `${proxy!.host}=${fx.registry.username}:${fx.registry.password}\n${tokens!.host}=${tokens!.username}:${tokens!.password}`;
const targets = (ns: string) => [`oci://${proxy!.host}/${ns}`, `oci://${tokens!.host}/${ns}`];
/** GitLab's variables for a push pipeline of `before..sha` on main. */
const gitlab = (before: string, sha: string) => ({ GITLAB_CI: 'true', CI_PIPELINE_SOURCE: 'push', CI_COMMIT_BEFORE_SHA: before, CI_COMMIT_SHA: sha, CI_COMMIT_BRANCH: 'main' });

/** `run` started, then sent `signal` once `ready(output so far)` holds (polled, bounded); what the run gave. */
async function interrupted<T>(run: (onSpawn: (child: ChildProcess) => void) => Promise<T>, ready: (output: string) => boolean, signal: NodeJS.Signals, what: string): Promise<T> {
  let child: ChildProcess | undefined;
  let output = '';
  const running = run((c) => {
    child = c;
    c.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    c.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  });
  for (let i = 0; i < 600 && !(child && ready(output)); i++) await sleep(50);
  if (!(child && ready(output))) {
    child?.kill('SIGKILL');
    await running;
    throw new Error(`never saw ${what}:\n${output}`);
  }
  child.kill(signal);
  return running;
}

/** Manifest PUTs of `chart` to the proxied registry are held (a barrier no run reaches); says whether one arrived. */
function holdManifestPuts(chart: string): () => boolean {
  proxy!.rules.length = 0;
  proxy!.log.length = 0;
  const path = new RegExp(`/${chart}/manifests/`);
  proxy!.rules.push({ method: 'PUT', path, fault: { kind: 'barrier', count: 1000 }, times: 1000 });
  return () => proxy!.log.some((entry) => entry.method === 'PUT' && path.test(entry.path));
}

/** The versions of `chart` each registry lists: the first as chartship reads it, the token one as skopeo does. */
async function versions(ns: string, chart: string): Promise<string[][]> {
  return Promise.all([fx.versions(ns, chart), listTags(tokens!, ns, chart)]);
}

async function listTags(registry: TestRegistry, ns: string, chart: string): Promise<string[]> {
  const { execFile } = await import('node:child_process');
  return new Promise((resolve) => {
    execFile('skopeo', ['list-tags', '--tls-verify=false', '--creds', `${registry.username}:${registry.password}`, `docker://${registry.host}/${ns}/${chart}`], (error, stdout) => {
      resolve(error ? [] : ((JSON.parse(stdout) as { Tags: string[] }).Tags ?? []).filter((t) => !t.startsWith('sha256-')).sort());
    });
  });
}

/** The chart layer's digest each registry serves for `chart:version`, read with skopeo. */
async function chartLayers(ns: string, chart: string, version: string): Promise<string[]> {
  const layer = (raw: Buffer) => (JSON.parse(raw.toString()) as { layers: { mediaType: string; digest: string }[] }).layers.find((l) => l.mediaType.endsWith('chart.content.v1.tar+gzip'))!.digest;
  return Promise.all([
    skopeoRaw(`docker://${proxy!.host}/${ns}/${chart}:${version}`, ['--tls-verify=false', '--creds', `${fx.registry.username}:${fx.registry.password}`]).then(layer),
    skopeoRaw(`docker://${tokens!.host}/${ns}/${chart}:${version}`, ['--tls-verify=false', '--creds', `${tokens!.username}:${tokens!.password}`]).then(layer),
  ]);
}

it('CLI in GitLab CI, versions bumped by hand: SIGTERM mid-push says what went where; the next push run publishes the rest, once each', async () => {
  const ns = 'hand';
  const publish = (before: string, sha: string, onSpawn?: (c: ChildProcess) => void) =>
    runBundledCli(['publish', '--plain-http', '--policy', 'off', '--version-bump', 'none', '--json'], {
      cwd: repo.dir,
      env: { ...env, ...gitlab(before, sha), CHARTSHIP_REGISTRY: targets(ns).join('\n'), CHARTSHIP_REGISTRY_AUTH: auth(), CHARTSHIP_SIGN_KEY: key.armoredSecret },
      ...(onSpawn ? { onSpawn } : {}),
    });
  proxy!.rules.length = 0;
  const first = await publish('0'.repeat(40), start);
  assert.equal(first.code, 0, first.stderr);

  // Push 1 bumps alpha, the library and its dependent by hand; the run is stopped with app held in the first registry.
  const one = repo.commit('feat: alpha 1.1.0, lib 1.1.0', { 'charts/alpha/Chart.yaml': chartYaml('alpha', '1.1.0'), 'charts/lib/Chart.yaml': lib('1.1.0'), 'charts/app/Chart.yaml': app('1.0.1', '^1.1.0') });
  const appHeld = holdManifestPuts('app');
  const killed = await interrupted((onSpawn) => publish(start, one, onSpawn), (out) => appHeld() && /alpha 1\.1\.0 → sha256:/.test(out), 'SIGTERM', 'alpha pushed and app held');
  assert.equal(killed.code, 143, killed.stderr);
  assert.match(killed.stderr, /^chartship: pushed before the stop: alpha 1\.1\.0 → 127\.0\.0\.1:\d+\/hand\/alpha:1\.1\.0@sha256:[0-9a-f]{64}, 127\.0\.0\.1:\d+\/hand\/alpha:1\.1\.0@sha256:/m);
  assert.match(killed.stderr, /^chartship: partly pushed \(1 of 2 registries\) before the stop: app 1\.0\.1 → 127\.0\.0\.1:\d+\/hand\/app:1\.0\.1@/m);
  assert.equal(repo.git('status', '--porcelain'), '');

  // Push 2 changes beta alone: its range does not hold push 1.
  const two = repo.commit('fix: beta 1.0.1', { 'charts/beta/Chart.yaml': chartYaml('beta', '1.0.1') });
  proxy!.rules.length = 0;
  const next = await publish(one, two);
  assert.equal(next.code, 0, next.stderr);
  const rows = (JSON.parse(next.stdout) as { charts: { name: string; version: string; status: string; copiedFrom?: string }[] }).charts;
  assert.deepEqual(rows.map((r) => `${r.name} ${r.version} ${r.status}${r.copiedFrom ? ` copied from ${r.copiedFrom}` : ''}`).sort(), ['alpha 1.1.0 skipped', `app 1.0.1 pushed copied from oci://${tokens!.host}/hand`, 'beta 1.0.1 pushed', 'lib 1.1.0 skipped']);
  // app went where the stopped run had not taken it, as the other registry holds it (not packaged again), and no further.
  assert.match(next.stderr, new RegExp(`^Copied from oci://${tokens!.host}/hand: ${proxy!.host}/hand/app:1\\.0\\.1$`, 'm'));
  assert.doesNotMatch(next.stderr, new RegExp(`${tokens!.host}/hand/app:1\\.0\\.1$`, 'm'));
  for (const [chart, list] of [['alpha', ['1.0.0', '1.1.0']], ['beta', ['1.0.0', '1.0.1']], ['lib', ['1.0.0', '1.1.0']], ['app', ['1.0.0', '1.0.1']]] as const) {
    assert.deepEqual(await versions(ns, chart), [list, list], chart);
  }
  const [held, completed] = await chartLayers(ns, 'app', '1.0.1');
  assert.equal(completed, held, 'one content under app 1.0.1 in both registries');

  // What a user pulls of the completed registry verifies against the signing key.
  const helm = isolatedHelm(4);
  try {
    writeFileSync(join(helm.home, 'pubring.gpg'), await gpg.exportKeyring([key.fingerprint]));
    await helm.run(['registry', 'login', proxy!.host, '--plain-http', '--username', fx.registry.username!, '--password-stdin'], { input: fx.registry.password! });
    const out = mkdtempSync(join(scratch, 'pull-'));
    const pulled = await helm.run(['pull', `oci://${proxy!.host}/${ns}/app`, '--version', '1.0.1', '--plain-http', '--verify', '--keyring', join(helm.home, 'pubring.gpg'), '-d', out]);
    assert.match(pulled, /Signed by: Cancelled Run/);
  } finally {
    helm.cleanup();
  }
});

const actionInputs = (ns: string, more: Record<string, string> = {}) => ({ registry: targets(ns).join('\n'), 'registry-auth': auth(), 'plain-http': 'true', policy: 'off', 'sign-key': key.armoredSecret, ...more });
const pushEvent = (before: string, after: string) => ({ name: 'push', payload: { before, after, ref: 'refs/heads/main' } });

it('the action, cancelled by the runner (SIGINT) mid-push: its outputs and job summary say what it pushed; the next push run publishes the rest', async () => {
  const ns = 'action';
  const inputs = actionInputs(ns, { 'version-bump': 'none' });
  proxy!.rules.length = 0;
  const base = repo.git('rev-parse', 'HEAD');
  const first = await runAction({ cwd: repo.dir, dir: join(scratch, 'action-first'), inputs, event: pushEvent('0'.repeat(40), base) });
  assert.equal(first.status, 0, first.log);

  const one = repo.commit('feat: alpha 1.2.0, beta 1.0.2', { 'charts/alpha/Chart.yaml': chartYaml('alpha', '1.2.0'), 'charts/beta/Chart.yaml': chartYaml('beta', '1.0.2') });
  const betaHeld = holdManifestPuts('beta');
  const killed = await interrupted(
    (onSpawn) => runAction({ cwd: repo.dir, dir: join(scratch, 'action-killed'), inputs, event: pushEvent(base, one), onSpawn }),
    (out) => betaHeld() && /alpha 1\.2\.0 → sha256:/.test(out),
    'SIGINT',
    'alpha pushed and beta held',
  );
  assert.equal(killed.status, 130, killed.log);
  assert.match(killed.log, /^pushed before the stop: alpha 1\.2\.0 → /m);
  assert.equal(killed.outputs['released'], 'true');
  assert.equal(killed.outputs['released-charts'], 'alpha');
  assert.equal(killed.outputs['alpha--version'], '1.2.0');
  assert.match(killed.outputs['alpha--digest'] ?? '', /^sha256:[0-9a-f]{64}$/);
  assert.match(killed.summary, /^### chartship was stopped$/m);
  assert.match(killed.summary, /^- pushed before the stop: alpha 1\.2\.0 → 127\.0\.0\.1:\d+\/action\/alpha:1\.2\.0@sha256:[0-9a-f]{64}, /m);
  assert.doesNotMatch(killed.summary, /^- pushed before the stop: beta/m, 'beta is not in every registry');

  const two = repo.commit('docs: readme', { 'README.md': '# charts\n' });
  proxy!.rules.length = 0;
  const next = await runAction({ cwd: repo.dir, dir: join(scratch, 'action-next'), inputs, event: pushEvent(one, two) });
  assert.equal(next.status, 0, next.log);
  // beta, which one registry took before the stop, is copied to the other as that one holds it: no new release.
  assert.equal(next.outputs['released-charts'], '');
  assert.match(next.log, new RegExp(`^Copied from oci://${tokens!.host}/action: ${proxy!.host}/action/beta:1\\.0\\.2$`, 'm'));
  assert.deepEqual(await versions(ns, 'beta'), [['1.0.1', '1.0.2'], ['1.0.1', '1.0.2']]);
  assert.deepEqual(await versions(ns, 'alpha'), [['1.1.0', '1.2.0'], ['1.1.0', '1.2.0']]);
});

it('with commit-bump, SIGTERM while the bump commit is pushed ends that git push: nothing lands after the run said it stopped', async () => {
  const ns = 'bump';
  const origin = repo.addOrigin(join(scratch, 'origin.git'));
  const base = repo.git('rev-parse', 'HEAD');
  const fix = repo.commit('fix: alpha replicas', { 'charts/alpha/values.yaml': 'replicas: 3\n' });
  repo.git('push', '--quiet', 'origin', 'HEAD:refs/heads/main');
  const git = gitCallLog(join(scratch, 'bump'), { held: ['push'], seconds: 15 });
  proxy!.rules.length = 0;
  const killed = await interrupted(
    (onSpawn) =>
      runAction({
        cwd: repo.dir,
        dir: join(scratch, 'action-bump'),
        inputs: actionInputs(ns, { 'commit-bump': 'true' }),
        event: pushEvent(base, fix),
        env: { GITHUB_SHA: fix, GITHUB_REF: 'refs/heads/main', PATH: `${git.bin}:${process.env['PATH']}` },
        onSpawn,
      }),
    () => git.calls().some((call) => / push origin HEAD:refs\/heads\/main$/.test(call)),
    'SIGTERM',
    'the bump commit pushed',
  );
  try {
    assert.equal(killed.status, 143, killed.log);
    assert.match(killed.log, /^pushed before the stop: alpha 1\.2\.1 → /m);
    // The held push is a child of chartship's: ended with it (bounded wait for the signal to be delivered).
    const pids = readFileSync(join(git.bin, 'held-pids'), 'utf8').trim().split('\n').map(Number);
    const alive = () => pids.filter((pid) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    });
    for (let i = 0; i < 40 && alive().length > 0; i++) await sleep(50);
    assert.deepEqual(alive(), [], 'the git push chartship started still runs');
    assert.equal(origin('rev-parse', 'main'), fix, 'no bump commit reached the origin');
    assert.ok(!git.calls().some((call) => call.startsWith('done ')), 'the held push never ran');
  } finally {
    git.endHeld();
  }
});

it('CLI in GitLab CI, a version bumped by hand in a pipeline GitLab cancelled before it ran: the next push run publishes it as written', async () => {
  const ns = 'never-ran';
  const publish = (before: string, sha: string) =>
    runBundledCli(['publish', '--plain-http', '--policy', 'off', '--version-bump', 'none', '--json'], {
      cwd: repo.dir,
      env: { ...env, ...gitlab(before, sha), CHARTSHIP_REGISTRY: targets(ns).join('\n'), CHARTSHIP_REGISTRY_AUTH: auth(), CHARTSHIP_SIGN_KEY: key.armoredSecret },
    });
  proxy!.rules.length = 0;
  const base = repo.git('rev-parse', 'HEAD');
  const first = await publish('0'.repeat(40), base);
  assert.equal(first.code, 0, first.stderr);
  const before = (await versions(ns, 'alpha'))[0]!;
  // Push 1 bumps alpha by hand; its pipeline never runs (auto-cancelled as redundant). Push 2 changes beta alone.
  const bumped = `${before.at(-1)!.split('.').slice(0, 1).join('.')}.9.0`;
  const one = repo.commit(`feat: alpha ${bumped}`, { 'charts/alpha/Chart.yaml': chartYaml('alpha', bumped) });
  const two = repo.commit('fix: beta replicas', { 'charts/beta/values.yaml': 'replicas: 4\n' });
  const next = await publish(one, two);
  assert.equal(next.code, 0, next.stderr);
  const rows = (JSON.parse(next.stdout) as { charts: { name: string; version: string; status: string }[] }).charts;
  assert.ok(rows.some((r) => `${r.name} ${r.version} ${r.status}` === `alpha ${bumped} pushed`), next.stdout);
  assert.match(next.stderr, new RegExp(`first release of ${bumped.replaceAll('.', '\\.')}: no registry holds it yet`));
  assert.deepEqual(await versions(ns, 'alpha'), [[...before, bumped], [...before, bumped]]);
});
