import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startFlakyProxy } from '../helpers/flaky-proxy.js';
import { runAction } from '../helpers/action.js';
import { start as startGitHubApi } from '../helpers/github-api.js';
import { startRegistry } from '../helpers/registry.js';
import { publishedElsewhere } from '../helpers/registry-charts.js';

const work = mkdtempSync(join(tmpdir(), 'chartship-e2e-'));
const repo = join(work, 'repo');

function git(...args: string[]): string {
  return execFileSync('git', args, {
    cwd: repo,
    encoding: 'utf8',
    env: { ...process.env, GIT_AUTHOR_NAME: 'Dev', GIT_AUTHOR_EMAIL: 'dev@example.com', GIT_COMMITTER_NAME: 'Dev', GIT_COMMITTER_EMAIL: 'dev@example.com', GIT_AUTHOR_DATE: '2026-01-02T03:04:05Z', GIT_COMMITTER_DATE: '2026-01-02T03:04:05Z' },
  }).trim();
}

function write(path: string, text: string): void {
  mkdirSync(join(repo, path, '..'), { recursive: true });
  writeFileSync(join(repo, path), text);
}

function chart(name: string, version: string, extra = ''): void {
  write(`charts/${name}/Chart.yaml`, `apiVersion: v2\nname: ${name}\n# kept across bumps\nversion: ${version}\n${extra}`);
  write(`charts/${name}/values.yaml`, `name: ${name}\n`);
  write(`charts/${name}/templates/configmap.yaml`, `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-${name}\n`);
}

interface ChartOutput {
  name: string;
  version: string;
  previousVersion: string | null;
  status: string;
  registries: { registry: string; ref: string; digest: string; provDigest: string | null }[];
}

describe('the action, end to end', () => {
  let registry: Awaited<ReturnType<typeof startRegistry>>;
  let proxy: Awaited<ReturnType<typeof startFlakyProxy>>;
  let github: Awaited<ReturnType<typeof startGitHubApi>>;
  let before1 = '';
  let after1 = '';

  before(async () => {
    registry = await startRegistry({ auth: 'none' });
    // common is published already (the ranges below do not change it): it stays as it is.
    await publishedElsewhere(`oci://${registry.host}/charts`, [{ name: 'common', version: '1.0.0' }], { plainHttp: true });
    proxy = await startFlakyProxy(registry.url);
    github = await startGitHubApi({ token: 'ghs_e2etoken' });
    mkdirSync(repo, { recursive: true });
    git('init', '-q', '-b', 'main');
    chart('common', '1.0.0', 'type: library\n');
    chart('web', '0.1.0', 'dependencies:\n  - name: common\n    version: ^1.0.0\n    repository: file://../common\n');
    chart('api', '1.0.0');
    git('add', '.');
    git('commit', '-qm', 'chore: initial charts');
    before1 = git('rev-parse', 'HEAD');
    write('charts/web/templates/ingress.yaml', 'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\n');
    git('add', '.');
    git('commit', '-qm', 'feat(web): add an ingress (#12)');
    write('charts/api/values.yaml', 'name: api\nreplicas: 2\n');
    git('add', '.');
    git('commit', '-qm', 'fix: run two api replicas');
    after1 = git('rev-parse', 'HEAD');
    github.state.commitPulls.set(after1, [{ number: 5, state: 'open' }]);
  });

  after(async () => {
    await github?.stop();
    await proxy?.stop();
    await registry?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  async function publishRun(name: string, trigger?: { event: string; payload: object }) {
    // Each run starts from a fresh checkout, as a rerun on a runner does.
    git('checkout', '-q', '--', '.');
    git('clean', '-qfdx');
    const run = await runAction({
      cwd: repo,
      dir: join(work, name),
      event: { name: trigger?.event ?? 'push', payload: trigger?.payload ?? { before: before1, after: after1, ref: 'refs/heads/main' } },
      env: {
        GITHUB_SHA: after1,
        GITHUB_REF: 'refs/heads/main',
        GITHUB_REPOSITORY: 'acme/charts',
        GITHUB_SERVER_URL: 'https://github.example',
        GITHUB_API_URL: github.url,
        GITHUB_RUN_ID: '42',
      },
      inputs: {
        registry: `oci://${proxy.host}/charts`,
        'plain-http': 'true',
        'create-releases': 'true',
        'github-token': 'ghs_e2etoken',
        charts: 'charts/*',
        'pr-comment': 'true',
      },
    });
    return { ...run, charts: JSON.parse(run.outputs['charts'] ?? '[]') as ChartOutput[] };
  }

  it('on a pull request only plans, and says so in one sticky comment', async () => {
    const payload = { number: 9, pull_request: { number: 9, base: { sha: before1 }, head: { sha: after1 } } };
    const seenBefore = (await registry.settle()).length;
    const run = await publishRun('pr', { event: 'pull_request', payload });
    assert.equal(run.status, 0, run.log);
    // The charts a publish would push, and where; the one it would leave alone.
    assert.deepEqual(run.charts.map((c) => `${c.name} ${c.version} ${c.status} ${c.registries.map((r) => r.ref).join(' ')}`).sort(), [
      `api 1.0.1 planned ${proxy.host}/charts/api:1.0.1`,
      'common 1.0.0 skipped ',
      `web 0.2.0 planned ${proxy.host}/charts/web:0.2.0`,
    ]);
    assert.equal(run.outputs['pushed'], '0');
    assert.equal(run.outputs['released'], 'false');
    assert.ok(run.summary.includes(`dry run: nothing was published; would push 2 chart(s) to oci://${proxy.host}/charts`), run.summary);
    // The plan is compared with the registry (reads only); nothing is written.
    const seen = (await registry.settle()).slice(seenBefore);
    assert.deepEqual(seen.filter((r) => r.method !== 'GET' && r.method !== 'HEAD'), [], 'nothing was pushed');
    assert.ok(seen.some((r) => r.path === '/v2/charts/web/manifests/0.2.0'), 'the planned version was looked up');
    const again = await publishRun('pr-again', { event: 'pull_request', payload });
    assert.equal(again.status, 0, again.log);
    const comments = github.state.comments.filter((c) => c.issueNumber === 9);
    assert.equal(comments.length, 1, 'updated, not duplicated');
    assert.match(comments[0]!.body, /web/);
    assert.match(comments[0]!.body, /0\.1\.0 → 0\.2\.0|0\.1\.0.*0\.2\.0/);
    // Where merging would publish, named above the plan.
    assert.ok(comments[0]!.body.includes(`## chartship release plan\n\nRegistries: oci://${proxy.host}/charts\n`), comments[0]!.body);
    assert.deepEqual(github.state.releases, []);
  });

  it('publishes the changed charts, reports their digests, comments once and releases once, and reruns finish a failed release', async () => {
    // Run 1: the registry refuses the api chart's manifest, as a registry with a missing permission would.
    proxy.rules.push({
      method: 'PUT',
      path: /^\/v2\/charts\/api\/manifests\//,
      fault: { kind: 'status', status: 403, errors: [{ code: 'DENIED', message: 'requested access to the resource is denied' }] },
      times: 1000,
    });
    const first = await publishRun('run1');
    assert.equal(first.status, 1, first.log);
    const web1 = first.charts.find((c) => c.name === 'web');
    const api1 = first.charts.find((c) => c.name === 'api');
    assert.equal(web1?.status, 'pushed', first.log);
    assert.equal(web1?.version, '0.2.0');
    assert.equal(web1?.previousVersion, '0.1.0');
    assert.equal(api1?.status, 'failed');
    assert.equal(first.charts.find((c) => c.name === 'common')?.status, 'skipped');
    assert.match(first.log, /DENIED/);
    // create-releases is on: the release tags record the bumps (the next plan starts from them), so no warning
    // tells the user to turn it on.
    assert.doesNotMatch(first.log, /without recording them/);
    assert.equal(execFileSync('git', ['status', '--porcelain'], { cwd: repo, encoding: 'utf8' }), '', 'the work tree is left as it was');
    assert.deepEqual(github.state.releases.map((r) => r.tag_name), ['web-0.2.0'], 'a release only for the chart whose pushes all succeeded');
    // The runner hides a secret once told to with ::add-mask::; nothing else may carry it.
    assert.match(first.log, /::add-mask::ghs_e2etoken/);
    assert.doesNotMatch(first.log.replace(/::add-mask::.*\n/g, ''), /ghs_e2etoken/);

    // Run 2 (the rerun): the fault is gone; web is unchanged, api is pushed, its release appears.
    proxy.rules.length = 0;
    const second = await publishRun('run2');
    assert.equal(second.status, 0, second.log);
    const web2 = second.charts.find((c) => c.name === 'web')!;
    const api2 = second.charts.find((c) => c.name === 'api')!;
    assert.equal(web2.status, 'unchanged');
    assert.equal(web2.registries[0]?.digest, web1?.registries[0]?.digest, 'same bytes, same digest');
    assert.equal(api2.status, 'pushed');
    assert.equal(api2.version, '1.0.1');
    assert.equal(second.outputs['pushed'], '1');
    assert.deepEqual((JSON.parse(second.outputs['matrix']!) as { include: { chart: string }[] }).include.map((m) => m.chart).sort(), ['api', 'web']);

    // What the outputs say is what the registry holds.
    for (const reg of [...web2.registries, ...api2.registries]) {
      // skopeo goes through the proxy in this process, so it must not block the event loop.
      const { stdout: raw } = await promisify(execFile)('skopeo', ['inspect', '--tls-verify=false', '--raw', `docker://${reg.ref}`], { encoding: 'buffer' });
      assert.equal(`sha256:${createHash('sha256').update(raw).digest('hex')}`, reg.digest);
      assert.equal((JSON.parse(raw.toString()) as { config: { mediaType: string } }).config.mediaType, 'application/vnd.cncf.helm.config.v1+json');
    }
    const apiRow = second.summary.split('\n').find((line) => line.startsWith('| `api`'));
    assert.match(apiRow ?? '', /pushed/);
    assert.ok(apiRow?.includes(api2.registries[0]!.digest), second.summary);

    // Run 3: nothing new. Releases are not duplicated (no 422), the comment is updated in place.
    const third = await publishRun('run3');
    assert.equal(third.status, 0, third.log);
    assert.deepEqual(github.state.releases.map((r) => r.tag_name).sort(), ['api-1.0.1', 'web-0.2.0']);
    assert.deepEqual(github.state.releases.map((r) => r.make_latest), ['false', 'false'], 'a chart release never takes "latest" unless asked');
    const comments = github.state.comments.filter((c) => c.issueNumber === 5);
    assert.equal(comments.length, 1, 'one sticky comment, updated in place');
    assert.match(comments[0]!.body, /api/);
    assert.match(comments[0]!.body, new RegExp(api2.registries[0]!.digest));
    assert.deepEqual(github.violations, [], 'every request matches GitHub\'s OpenAPI description');
  });
});
