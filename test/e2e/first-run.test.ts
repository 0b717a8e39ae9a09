/**
 * A repository that has charts and adds the workflow: its first push changes no chart. The charts no registry holds are
 * published as their Chart.yaml has them, as chart-releaser's first run releases every chart; before, that run
 * published nothing, and each chart waited for its next change. A dependent is not bumped for a dependency published
 * as it was, a rerun finds them all published, and a target that cannot be listed leaves the charts waiting.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, it } from 'node:test';
import { openTarget } from '../../src/helm-oci/index.js';
import { registryFixture } from '../helpers/fixture.js';
import { runAction } from '../helpers/action.js';
import { runBundledCli } from '../helpers/cli.js';
import { chartFiles, createRepo } from '../helpers/git.js';
import { isolatedHelm } from '../helpers/helm.js';
import { chartArchive } from '../helpers/registry-charts.js';
import { startRegistry, type TestRegistry } from '../helpers/registry.js';

const fx = registryFixture('first-run');
const { repo, scratch } = fx;

let charts: string;
let workflow: string;
before(() => {
  charts = repo.commit('chore: the charts', {
    ...chartFiles('charts/solo', 'solo', '3.0.0'),
    'charts/lib/Chart.yaml': 'apiVersion: v2\nname: lib\ntype: library\nversion: 1.0.0\n',
    'charts/lib/templates/_name.tpl': '{{- define "lib.name" -}}from-lib{{- end -}}\n',
    'charts/app/Chart.yaml': 'apiVersion: v2\nname: app\nversion: 0.2.0\ndependencies:\n  - name: lib\n    version: ^1.0.0\n    repository: file://../lib\n',
    'charts/app/templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ include "lib.name" . }}\n',
  });
  workflow = repo.commit('ci: publish the charts', { '.github/workflows/charts.yml': 'on: push\n' });
});

/** The bundled CLI publishing `from..HEAD` of `cwd` to a token registry, logged in; its rows as `name version status`. */
async function publishLoggedIn(hub: TestRegistry, cwd: string, from: string): Promise<{ rows: string[]; stderr: string }> {
  const run = await runBundledCli(['publish', '--base', from, '--registry', `oci://${hub.host}/team`, '--plain-http', '--username', hub.username!, '--password-stdin', '--policy', 'off', '--json'], {
    cwd,
    env: { HOME: scratch },
    stdin: hub.password,
  });
  assert.equal(run.code, 0, run.stderr);
  const outcome = JSON.parse(run.stdout) as { charts: { name: string; version: string; status: string }[] };
  return { rows: outcome.charts.map((c) => `${c.name} ${c.version} ${c.status}`).sort(), stderr: run.stderr };
}

let runs = 0;
async function push(): Promise<{ rows: string[]; log: string }> {
  const run = await runAction({
    cwd: repo.dir,
    dir: join(scratch, `run-${++runs}`),
    inputs: { registry: `oci://${fx.registry.host}/team`, 'plain-http': 'true', policy: 'off' },
    event: { name: 'push', payload: { before: charts, after: workflow, ref: 'refs/heads/main' } },
  });
  assert.equal(run.status, 0, run.log);
  const rows = (JSON.parse(run.outputs['charts'] ?? '[]') as { name: string; version: string; status: string }[]).map((r) => `${r.name} ${r.version} ${r.status}`);
  return { rows: rows.sort(), log: run.log };
}

it('the first push after adding the workflow publishes the charts no registry holds, as written, and a rerun nothing', async () => {
  const first = await push();
  assert.deepEqual(first.rows, ['app 0.2.0 pushed', 'lib 1.0.0 pushed', 'solo 3.0.0 pushed'], 'app is not bumped for lib published as it was');
  assert.match(first.log, /first release of 0\.2\.0: no registry holds it yet/);

  const helm = isolatedHelm(4);
  try {
    assert.match(await helm.run(['template', 'x', `oci://${fx.registry.host}/team/app`, '--version', '0.2.0', '--plain-http']), /name: from-lib$/m);
  } finally {
    helm.cleanup();
  }

  const rerun = await push();
  assert.deepEqual(rerun.rows, ['app 0.2.0 skipped', 'lib 1.0.0 skipped', 'solo 3.0.0 skipped']);
});

it('a target that cannot be listed leaves the charts waiting: unknown is not "holds none"', async () => {
  const layout = join(scratch, 'layout');
  const run = await runBundledCli(['publish', '--base', charts, '--registry', `oci-layout:${layout}`, '--registry', 'oci://127.0.0.1:9/team', '--plain-http', '--policy', 'off', '--json'], {
    cwd: repo.dir,
    env: { HOME: scratch },
  });
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stderr, /could not list the published versions in oci:\/\/127\.0\.0\.1:9\/team/);
  const outcome = JSON.parse(run.stdout) as { charts: { name: string; status: string }[] };
  assert.deepEqual(outcome.charts.map((c) => c.status), ['skipped', 'skipped', 'skipped']);
  assert.deepEqual(await openTarget(`oci-layout:${layout}`).listVersions('solo'), []);
});

it('a registry that refuses repositories it does not hold yet (Docker Hub, Quay) makes those charts wait, quietly, and blinds no plan', async () => {
  // Docker Hub answers a login's listing of a repository that does not exist with 401: the token grants nothing there.
  const ghosts = ['g1', 'g2', 'g3', 'g4', 'g5'];
  const hub = await startRegistry({ auth: 'token', token: { grant: (_user, repository, actions) => (ghosts.some((g) => repository.endsWith(`/${g}`)) ? [] : actions) } });
  const hubRepo = createRepo('chartship-first-run-hub-');
  try {
    const credentials = { plainHttp: true, username: hub.username, password: hub.password, env: { HOME: scratch } };
    // kept is published at 1.0.5, ahead of the 1.0.0 its Chart.yaml has: only its listing keeps the plan above it.
    const seed = openTarget(`oci://${hub.host}/team`, credentials);
    await seed.pushChart({ archive: chartArchive({ name: 'kept', version: '1.0.5' }) });
    await seed.close();
    const files: Record<string, string> = chartFiles('charts/kept', 'kept', '1.0.0');
    for (const g of ghosts) Object.assign(files, chartFiles(`charts/${g}`, g, '0.1.0'));
    const start = hubRepo.commit('chore: the charts', files);
    hubRepo.commit('fix(kept): one more replica', { 'charts/kept/values.yaml': 'replicas: 2\n' });
    const run = await publishLoggedIn(hub, hubRepo.dir, start);
    assert.deepEqual(run.rows, ['g1 0.1.0 skipped', 'g2 0.1.0 skipped', 'g3 0.1.0 skipped', 'g4 0.1.0 skipped', 'g5 0.1.0 skipped', 'kept 1.0.6 pushed']);
    assert.doesNotMatch(run.stderr, /could not list/, 'a repository that is not there yet is no warning');
  } finally {
    hubRepo.cleanup();
    await hub.stop();
  }
});

it('an enforced policy leaves out a chart published only for being unpublished, with a warning, and fails no run over it', async () => {
  // A repository adopting chartship with an enforced policy: its legacy chart, untouched, fails the policy.
  const strict = createRepo('chartship-first-run-policy-');
  try {
    const good = {
      'charts/good/Chart.yaml': 'apiVersion: v2\nname: good\nversion: 1.0.0\ndescription: good\nkubeVersion: ">=1.25.0-0"\nicon: https://example.com/i.svg\nsources: [https://example.com/src]\nmaintainers:\n  - name: Team\n    email: team@example.com\n',
      'charts/good/values.yaml': 'replicas: 1\n',
      'charts/good/values.schema.json': '{"$schema":"https://json-schema.org/draft-07/schema#","type":"object","properties":{"replicas":{"type":"integer"}}}\n',
      'charts/good/templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: good\n',
    };
    const start = strict.commit('chore: charts', { ...good, ...chartFiles('charts/legacy', 'legacy', '0.1.0') });
    const head = strict.commit('fix(good): two replicas', { 'charts/good/values.yaml': 'replicas: 2\n' });
    const layout = join(scratch, 'policy-layout');
    const run = (event: { name: string; payload: object }) =>
      runAction({
        cwd: strict.dir,
        dir: join(scratch, `run-${++runs}`),
        inputs: { registry: `oci-layout:${layout}`, policy: 'enforce', 'pr-comment': 'false' },
        env: { GITHUB_REPOSITORY: 'acme/charts' },
        event,
      });
    const rows = (outputs: Record<string, string>) => (JSON.parse(outputs['charts'] ?? '[]') as { name: string; version: string; status: string }[]).map((r) => `${r.name} ${r.version} ${r.status}`).sort();

    const pr = await run({ name: 'pull_request', payload: { number: 3, pull_request: { number: 3, base: { sha: start }, head: { sha: head } } } });
    assert.equal(pr.status, 0, pr.log);
    assert.match(pr.log, /::warning file=charts\/legacy\/Chart\.yaml::legacy 0\.1\.0: not published: fails the chart policy \(\d+ errors: [^)]*\); no registry holds it yet, and a later run publishes it once that is fixed/);
    // Its findings are warnings too: a passing run shows no error annotations.
    assert.match(pr.log, /^::warning (?=[^:]*file=charts\/legacy\/)[^:]*::values-schema: /m);
    assert.doesNotMatch(pr.log, /^::error/m);

    const pushed = await run({ name: 'push', payload: { before: start, after: head, ref: 'refs/heads/main' } });
    assert.equal(pushed.status, 0, pushed.log);
    assert.deepEqual(rows(pushed.outputs), ['good 1.0.1 pushed', 'legacy 0.1.0 skipped']);
    assert.doesNotMatch(pushed.log, /^::error/m);
    assert.deepEqual(await openTarget(`oci-layout:${layout}`).listVersions('legacy'), []);
  } finally {
    strict.cleanup();
  }
});

it('a chart published only for being unpublished that the registry will not take waits with a warning; the changed ones publish', async () => {
  // As ECR with no repository made for a chart: it lists as empty, and refuses the push.
  const hub = await startRegistry({ auth: 'token', token: { grant: (_user, repository, actions) => (/\/g[12]$/.test(repository) ? actions.filter((a) => a === 'pull') : actions) } });
  const hubRepo = createRepo('chartship-first-run-refused-');
  try {
    const start = hubRepo.commit('chore: charts', { ...chartFiles('charts/g1', 'g1', '0.1.0'), ...chartFiles('charts/g2', 'g2', '0.1.0'), ...chartFiles('charts/kept', 'kept', '1.0.0') });
    hubRepo.commit('fix(kept): two replicas', { 'charts/kept/values.yaml': 'replicas: 2\n' });
    const run = await publishLoggedIn(hub, hubRepo.dir, start);
    assert.deepEqual(run.rows, ['g1 0.1.0 skipped', 'g2 0.1.0 skipped', 'kept 1.0.1 pushed']);
    assert.match(run.stderr, /^warning: charts\/g1\/Chart\.yaml: g1 0\.1\.0: .*; no registry holds it yet, and a later run publishes it once that is fixed$/m);
  } finally {
    hubRepo.cleanup();
    await hub.stop();
  }
});

it('a chart published only for being unpublished that cannot be packaged waits with one warning, at its line in the repository', async () => {
  // sapcc/helm-charts' first run: a chart whose dependency cannot be fetched is left for a later run. Its warning named
  // the runner's absolute path, and an error annotation said the same of a chart that fails nothing.
  const waiting = createRepo('chartship-first-run-unpackaged-');
  try {
    const start = waiting.commit('chore: charts', {
      ...chartFiles('charts/needs', 'needs', '0.1.0', 'dependencies:\n  - name: gone\n    version: 1.0.0\n'),
      ...chartFiles('charts/kept', 'kept', '1.0.0'),
    });
    waiting.commit('fix(kept): two replicas', { 'charts/kept/values.yaml': 'replicas: 2\n' });
    const layout = join(scratch, 'unpackaged-layout');
    const run = await runBundledCli(['publish', '--base', start, '--registry', `oci-layout:${layout}`, '--policy', 'off', '--json'], { cwd: waiting.dir, env: { HOME: scratch } });
    assert.equal(run.code, 0, run.stderr);
    const outcome = JSON.parse(run.stdout) as { charts: { name: string; version: string; status: string }[] };
    assert.deepEqual(outcome.charts.map((c) => `${c.name} ${c.version} ${c.status}`).sort(), ['kept 1.0.1 pushed', 'needs 0.1.0 skipped']);
    assert.match(run.stderr, /^warning: charts\/needs\/Chart\.yaml: needs 0\.1\.0: charts\/needs\/Chart\.yaml:\d+:\d+: dependencies\[0\]: gone is missing from charts\/ .*; no registry holds it yet, and a later run publishes it once that is fixed$/m);
    assert.ok(!run.stderr.includes(waiting.dir), run.stderr);
    assert.doesNotMatch(run.stderr, /^error:/m);
    // Nothing happened to it, so no group of its own opens (it was an empty `==> needs 0.1.0`).
    assert.doesNotMatch(run.stderr, /^==> needs /m, run.stderr);
    assert.match(run.stderr, /^==> kept 1\.0\.1$/m, run.stderr);
  } finally {
    waiting.cleanup();
  }
});
