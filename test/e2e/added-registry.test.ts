/**
 * A registry added to a setup that has published to another for a while (a move to another host, a mirror), or one
 * that missed a release: the next run, with a push's range or without one, puts every chart's current released
 * version into it, byte-identical to what the other holds (one manifest digest, the same .prov), pushes nothing new to
 * the registry that had it, releases no new version, and a rerun is a no-op. Checked in each way versions are
 * recorded: in Chart.yaml (commit-bump, or by hand), by release tags only (create-releases), by the registry only.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runAction } from '../helpers/action.js';
import { runBundledCli } from '../helpers/cli.js';
import { start as startGitHubApi } from '../helpers/github-api.js';
import { chartFiles, chartYaml, createRepo, type TestRepo } from '../helpers/git.js';
import { GpgHome, type GpgKey } from '../helpers/gpg.js';
import { isolatedHelm, type Helm } from '../helpers/helm.js';
import { startRegistry, type TestRegistry } from '../helpers/registry.js';

const scratch = mkdtempSync(join(tmpdir(), 'chartship-added-registry-'));
let a: TestRegistry;
let b: TestRegistry;
let gpg: GpgHome;
let key: GpgKey;
let helm: Helm;

before(async () => {
  [a, b, gpg] = await Promise.all([startRegistry({ auth: 'htpasswd' }), startRegistry({ auth: 'token' }), GpgHome.create()]);
  key = await gpg.generateKey({ name: 'Mirror Signer', algo: 'ed25519' });
  writeFileSync(join(scratch, 'key.asc'), key.armoredSecret);
  writeFileSync(join(scratch, 'auth'), `${a.host}=${a.username}:${a.password}\n${b.host}=${b.username}:${b.password}\n`);
  writeFileSync(join(scratch, 'pubring.gpg'), await gpg.exportKeyring([key.fingerprint]));
  helm = isolatedHelm(4);
});
after(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await gpg?.run('gpgconf', ['--kill', 'gpg-agent']);
  if (gpg) rmSync(gpg.dir, { recursive: true, force: true });
  rmSync(scratch, { recursive: true, force: true });
});

interface Outcome {
  charts: { name: string; version: string; status: string; copiedFrom?: string; registries: { registry: string; digest: string; provDigest?: string }[] }[];
}

/** The bundled CLI publishing to the registries given (A first), signed, at most 2 charts at once. */
async function publish(repo: TestRepo, registries: string[], ...extra: string[]): Promise<Outcome & { stdout: string; stderr: string }> {
  const run = await runBundledCli(
    ['publish', ...registries.flatMap((r) => ['--registry', r]), '--plain-http', '--registry-auth-file', join(scratch, 'auth'), '--sign-key-file', join(scratch, 'key.asc'), '--json', ...extra],
    { cwd: repo.dir, env: { HOME: repo.dir } },
  );
  assert.equal(run.code, 0, `${run.stderr}\n${run.stdout}`);
  return { ...(JSON.parse(run.stdout) as Outcome), stdout: run.stdout, stderr: run.stderr };
}

/** `skopeo inspect --raw` digest of NS/CHART:VERSION in a registry, or undefined when it does not hold it (asynchronous: B's token server is in this process). */
async function manifestDigest(registry: TestRegistry, path: string): Promise<string | undefined> {
  const args = ['inspect', '--raw', '--tls-verify=false', '--creds', `${registry.username}:${registry.password}`, `docker://${registry.host}/${path}`];
  try {
    const { stdout } = await promisify(execFile)('skopeo', args, { encoding: 'buffer', timeout: 30_000 });
    return `sha256:${createHash('sha256').update(stdout).digest('hex')}`;
  } catch {
    return undefined;
  }
}

/** Each chart version as both registries hold it: the same manifest digest in both, or what each has. */
async function compare(ns: string, charts: Record<string, string>): Promise<{ same: string[]; missing: string[] }> {
  const same: string[] = [];
  const missing: string[] = [];
  for (const [name, version] of Object.entries(charts)) {
    const [inA, inB] = [await manifestDigest(a, `${ns}/${name}:${version}`), await manifestDigest(b, `${ns}/${name}:${version}`)];
    if (inA && inA === inB) same.push(`${name} ${version}`);
    else missing.push(`${name} ${version}: A ${inA ?? 'none'}, B ${inB ?? 'none'}`);
  }
  return { same, missing };
}

function manifestPuts(registry: TestRegistry): number {
  return registry.requests().filter((r) => r.method === 'PUT' && r.path.includes('/manifests/')).length;
}

const CHARTS = (lib: string, app: string, web: string) => ({
  'charts/lib/Chart.yaml': `apiVersion: v2\nname: lib\ntype: library\nversion: ${lib}\n`,
  'charts/lib/templates/_helpers.tpl': '{{- define "lib.name" -}}lib{{- end -}}\n',
  'charts/app/Chart.yaml': `apiVersion: v2\nname: app\nversion: ${app}\ndependencies:\n  - name: lib\n    version: ^1.0.0\n    repository: file://../lib\n`,
  'charts/app/templates/cm.yaml': 'kind: ConfigMap\nmetadata:\n  name: {{ include "lib.name" . }}\n',
  ...chartFiles('charts/web', 'web', web),
});
const RELEASED = { lib: '1.0.0', app: '0.1.0', web: '1.0.1' };
const ALL_SAME = { same: ['lib 1.0.0', 'app 0.1.0', 'web 1.0.1'], missing: [] };

/**
 * With B added: the run copies each chart's current release from A to B (one manifest in both, nothing new in A, the
 * plan saying why, no new release), and a rerun pushes nothing anywhere.
 */
async function addB(repo: TestRepo, ns: string, ...extra: string[]): Promise<void> {
  const [A, B] = [`oci://${a.host}/${ns}`, `oci://${b.host}/${ns}`];
  await Promise.all([a.settle(), b.settle()]);
  const pushedA = manifestPuts(a);
  const added = await publish(repo, [A, B], ...extra);
  const said = added.stderr + added.stdout;
  assert.deepEqual(await compare(ns, RELEASED), ALL_SAME, said);
  await a.settle();
  assert.equal(manifestPuts(a), pushedA, 'nothing new pushed to A');
  assert.deepEqual(
    added.charts.map((r) => `${r.name} ${r.version} ${r.status} ${r.copiedFrom} ${r.registries.map((g) => (g.registry === B ? 'B' : g.registry)).join()}`),
    ['lib 1.0.0 pushed A B', 'app 0.1.0 pushed A B', 'web 1.0.1 pushed A B'].map((l) => l.replace(' A ', ` ${A} `)),
  );
  for (const chart of ['lib', 'app', 'web']) assert.match(said, new RegExp(`${chart}\\s.*${RELEASED[chart as keyof typeof RELEASED].replaceAll('.', '\\.')} is released in ${A}, missing from ${B}: copied there as published`));
  assert.doesNotMatch(said, /first release|starting from/);

  await b.settle();
  const [before, beforeB] = [manifestPuts(a), manifestPuts(b)];
  const rerun = await publish(repo, [A, B], ...extra);
  await Promise.all([a.settle(), b.settle()]);
  assert.deepEqual([manifestPuts(a), manifestPuts(b)], [before, beforeB], 'a rerun pushes nothing');
  assert.deepEqual(rerun.charts.map((r) => `${r.name} ${r.status}`), ['lib skipped', 'app skipped', 'web skipped']);
}

describe('a registry added after releases', () => {
  it('versions in Chart.yaml: the next push gives B every current release, A\'s bytes also where the chart changed since without a release', async () => {
    const repo = createRepo('chartship-added-bumped-');
    try {
      const ns = 'bumped';
      const A = `oci://${a.host}/${ns}`;
      repo.commit('feat: charts', CHARTS('1.0.0', '0.1.0', '1.0.0'));
      await publish(repo, [A]);
      const before = repo.git('rev-parse', 'HEAD');
      repo.commit('fix(web): a fix, bumped as commit-bump records it', { 'charts/web/Chart.yaml': chartYaml('web', '1.0.1'), 'charts/web/values.yaml': 'fixed: true\n' });
      await publish(repo, [A], '--base', before);
      // Changed since its release by a commit that releases nothing: B gets what A serves as 1.0.1, not this.
      repo.commit('chore(web): notes', { 'charts/web/NOTES.txt': 'unreleased\n' });
      const last = repo.git('rev-parse', 'HEAD');
      repo.commit('ci: add B to the workflow', { 'README.md': 'mirrored\n' });
      await addB(repo, ns, '--base', last, '--other-types', 'none');
      // What B serves verifies as signed, with the .prov A had.
      const out = mkdtempSync(join(scratch, 'pulled-'));
      const said = await helm.run(['pull', `oci://${b.host}/${ns}/web`, '--version', '1.0.1', '--plain-http', '--username', b.username!, '--password', b.password!, '--verify', '--keyring', join(scratch, 'pubring.gpg'), '-d', out]);
      assert.match(said, /Signed by: Mirror Signer/);
      assert.match(said, new RegExp(`Digest: ${(await manifestDigest(a, `${ns}/web:1.0.1`))!}`));
    } finally {
      repo.cleanup();
    }
  });

  /** web fixed and released at 1.0.1 in A after a first release of all three, recorded by release tags or by A alone. */
  async function releasedInA(ns: string, tags: boolean, then: (repo: TestRepo) => Promise<void>): Promise<void> {
    const repo = createRepo(`chartship-added-${ns}-`);
    const tag = (...names: string[]) => {
      if (tags) for (const name of names) repo.git('tag', name);
    };
    try {
      repo.commit('feat: charts', CHARTS('1.0.0', '0.1.0', '1.0.0'));
      await publish(repo, [`oci://${a.host}/${ns}`]);
      tag('lib-1.0.0', 'app-0.1.0', 'web-1.0.0');
      repo.commit('fix(web): a fix', { 'charts/web/values.yaml': 'fixed: true\n' });
      await publish(repo, [`oci://${a.host}/${ns}`], '--base', 'HEAD~1');
      tag('web-1.0.1');
      await then(repo);
    } finally {
      repo.cleanup();
    }
  }

  it('release tags only: a run without a range gives B the tagged release Chart.yaml lags behind', () => releasedInA('tags', true, (repo) => addB(repo, 'tags')));

  it('registry only: the next push gives B the release only A records', () =>
    releasedInA('registry', false, async (repo) => {
      repo.commit('ci: add B to the workflow', { 'README.md': 'mirrored\n' });
      await addB(repo, 'registry', '--base', 'HEAD~1');
    }));

  it('the action with create-releases: a workflow_dispatch copies the tagged release to B, and no GitHub release is made or changed', async () => {
    const repo = createRepo('chartship-added-action-');
    const github = await startGitHubApi({ token: 'ghs_added' });
    try {
      const ns = 'action';
      const [A, B] = [`oci://${a.host}/${ns}`, `oci://${b.host}/${ns}`];
      const run = async (name: string, registries: string[], event: { name: string; payload: object }) => {
        const done = await runAction({
          cwd: repo.dir,
          dir: join(scratch, name),
          event,
          env: { GITHUB_SHA: repo.git('rev-parse', 'HEAD'), GITHUB_REF: 'refs/heads/main', GITHUB_REPOSITORY: 'acme/charts', GITHUB_API_URL: github.url },
          inputs: {
            registry: registries.join('\n'), 'plain-http': 'true', 'registry-auth': `${a.host}=${a.username}:${a.password}\n${b.host}=${b.username}:${b.password}`,
            'sign-key': key.armoredSecret, 'create-releases': 'true', 'github-token': 'ghs_added', 'pr-comment': 'false', policy: 'off',
          },
        });
        assert.equal(done.status, 0, done.log);
        return done;
      };
      repo.commit('feat: web', chartFiles('charts/web', 'web', '1.0.0'));
      const first = repo.git('rev-parse', 'HEAD');
      await run('first', [A], { name: 'workflow_dispatch', payload: {} });
      repo.git('tag', 'web-1.0.0');
      repo.commit('fix(web): a fix', { 'charts/web/values.yaml': 'fixed: true\n' });
      await run('fix', [A], { name: 'push', payload: { before: first, after: repo.git('rev-parse', 'HEAD'), ref: 'refs/heads/main' } });
      repo.git('tag', 'web-1.0.1');
      const releases = JSON.stringify(github.state.releases);
      assert.deepEqual(github.state.releases.map((r) => r.tag_name), ['web-1.0.0', 'web-1.0.1']);

      const added = await run('added', [A, B], { name: 'workflow_dispatch', payload: {} });
      assert.equal((await manifestDigest(b, `${ns}/web:1.0.1`)) ?? 'none', (await manifestDigest(a, `${ns}/web:1.0.1`)) ?? 'none in A');
      assert.match(added.log, new RegExp(`1\\.0\\.1 is released in ${A}, missing from ${B}: copied there as published`));
      assert.match(added.summary, new RegExp(`copied from ${A}: missing there`));
      assert.equal(added.outputs['released'], 'false', 'a copy is no release');
      assert.equal(JSON.stringify(github.state.releases), releases, 'no GitHub release made or changed');
      assert.deepEqual(github.violations, []);
    } finally {
      await github.stop();
      repo.cleanup();
    }
  });
});
