import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openTarget } from '../../src/helm-oci/index.js';
import { runAction } from '../helpers/action.js';
import { createRepo } from '../helpers/git.js';
import { start as startGitHubApi } from '../helpers/github-api.js';
import { envWithHelm } from '../helpers/helm.js';
import { commitPolicyCharts } from '../policy/charts.js';

const repo = createRepo('chartship-policy-e2e-');
const scratch = mkdtempSync(join(tmpdir(), 'chartship-policy-e2e-out-'));

describe('publish with a chart policy, through the action', () => {
  let github: Awaited<ReturnType<typeof startGitHubApi>>;
  let base = '';
  let head = '';

  before(async () => {
    github = await startGitHubApi({ token: 'ghs_policytoken' });
    ({ base, head } = commitPolicyCharts(repo));
  });
  after(async () => {
    await github?.stop();
    repo.cleanup();
    rmSync(scratch, { recursive: true, force: true });
  });

  const run = (name: string, inputs: Record<string, string>, event: { name: string; payload: object }) =>
    runAction({
      cwd: repo.dir,
      dir: join(scratch, name),
      event,
      env: {
        // The rules that render use the helm on the runner's PATH.
        ...envWithHelm(4),
        GITHUB_SHA: head,
        GITHUB_REF: 'refs/heads/main',
        GITHUB_REPOSITORY: 'acme/charts',
        GITHUB_SERVER_URL: 'https://github.example',
        GITHUB_API_URL: github.url,
        GITHUB_RUN_ID: '7',
      },
      inputs: { 'github-token': 'ghs_policytoken', charts: 'charts/*', ...inputs },
    });
  const charts = (outputs: Record<string, string>) =>
    (JSON.parse(outputs['charts'] ?? '[]') as { name: string; status: string; error?: string }[]).map((c) => `${c.name} ${c.status}${c.error ? `: ${c.error}` : ''}`).sort();

  it('on a pull request, the findings are a table in the sticky comment and the summary, and an enforced failure fails the check', async () => {
    const pr = await run('pr', { registry: `oci-layout:${join(scratch, 'pr-layout')}`, policy: 'enforce' }, {
      name: 'pull_request',
      payload: { number: 9, pull_request: { number: 9, base: { sha: base }, head: { sha: head } } },
    });
    assert.equal(pr.status, 1, pr.log);
    assert.deepEqual(charts(pr.outputs), ['api planned', 'moving-tag failed: not published: fails the chart policy (1 error: immutable-image-tags)', 'web planned']);
    const [comment, ...others] = github.state.comments.filter((c) => c.issueNumber === 9);
    assert.equal(others.length, 0);
    const row = '| `moving-tag` | `immutable-image-tags` | ❌ error | `charts/moving-tag/templates/deployment.yaml:18:11` | image registry.acme.example/acme/web-migrate:latest (Deployment chartship-web) has the mutable tag "latest": pin a version tag or a digest |';
    assert.ok(comment!.body.includes('### Chart policy'), comment!.body);
    assert.ok(comment!.body.includes('| Chart | Rule | Severity | Where | Finding |'), comment!.body);
    assert.ok(comment!.body.includes(row), comment!.body);
    assert.match(comment!.body, /3 charts checked \(enforced, rendered by helm v4\.1\.4\): 1 finding, 1 error; failing: moving-tag\./);
    assert.ok(pr.summary.includes(row), pr.summary);
    assert.match(pr.log, /^::error (?=[^:]*file=charts\/moving-tag\/templates\/deployment\.yaml)(?=[^:]*line=18)(?=[^:]*col=11)(?=[^:]*title=immutable-image-tags).*::immutable-image-tags: image registry\.acme\.example\/acme\/web-migrate:latest/m);
    assert.deepEqual(github.violations, [], 'every request matches GitHub\'s OpenAPI description');
  });

  it('on a push with policy enforce, the failing chart is not packaged and the others are published', async () => {
    const layout = join(scratch, 'layout');
    const push = await run('push', { registry: `oci-layout:${layout}`, policy: 'enforce' }, { name: 'push', payload: { before: base, after: head, ref: 'refs/heads/main' } });
    assert.equal(push.status, 1, push.log);
    assert.deepEqual(charts(push.outputs), ['api pushed', 'moving-tag failed: not published: fails the chart policy (1 error: immutable-image-tags)', 'web pushed']);
    const target = openTarget(`oci-layout:${layout}`);
    assert.deepEqual(await target.listVersions('web'), ['1.0.0']);
    assert.deepEqual(await target.listVersions('api'), ['1.0.0']);
    assert.deepEqual(await target.listVersions('moving-tag'), []);
    assert.match(push.log, /^\[\d\/3\] moving-tag 1\.0\.0 failed$/m);
    assert.doesNotMatch(push.log, /packaged moving-tag/);
    assert.ok(push.summary.includes('`charts/moving-tag/templates/deployment.yaml:18:11`'), push.summary);
    assert.equal(push.outputs['pushed'], '2');
  });

  it('with the default policy (warn) every chart is published and the findings are warnings', async () => {
    const layout = join(scratch, 'warn-layout');
    // The input's allow-list replaces the one of .chartship.yaml.
    const push = await run('warn', { registry: `oci-layout:${layout}`, 'policy-allowed-registries': 'docker.io\nghcr.io/acme' }, { name: 'push', payload: { before: base, after: head, ref: 'refs/heads/main' } });
    assert.equal(push.status, 0, push.log);
    assert.deepEqual(charts(push.outputs), ['api pushed', 'moving-tag pushed', 'web pushed']);
    assert.match(push.log, /^::warning (?=[^:]*file=charts\/moving-tag\/templates\/deployment\.yaml)(?=[^:]*line=18)(?=[^:]*col=11)(?=[^:]*title=immutable-image-tags).*::immutable-image-tags: /m);
    assert.match(push.log, /^::warning (?=[^:]*file=charts\/web\/templates\/deployment\.yaml)(?=[^:]*title=no-external-registry).*::no-external-registry: image registry\.acme\.example\/acme\/web-migrate:1\.4\.2 \(Deployment chartship-web\) is pulled from registry\.acme\.example, which is not an allowed registry \(docker\.io, ghcr\.io\/acme\)$/m);
    assert.doesNotMatch(push.log, /^::error/m);
  });

  it('a typo in the policy input or in .chartship.yaml fails the run before anything is published', async () => {
    const typo = await run('typo', { registry: `oci-layout:${join(scratch, 'typo-layout')}`, policy: 'enforced' }, { name: 'push', payload: { before: base, after: head } });
    assert.equal(typo.status, 1);
    assert.match(typo.log, /^::error::policy: must be off, warn or enforce, got "enforced" \(did you mean "enforce"\?\)$/m);

    repo.write('.chartship.yaml', 'policy:\n  rules:\n    immutable-image-tags: {mutable-tag: [latest]}\n');
    try {
      const config = await run('config', { registry: `oci-layout:${join(scratch, 'config-layout')}` }, { name: 'push', payload: { before: base, after: head } });
      assert.equal(config.status, 1);
      assert.match(config.log, /^::error (?=[^:]*file=\.chartship\.yaml)(?=[^:]*line=3)(?=[^:]*col=28).*::policy\.rules\.immutable-image-tags\.mutable-tag: unknown key \(did you mean "mutable-tags"\? known keys here: severity, mutable-tags\)$/m);
      assert.deepEqual(await openTarget(`oci-layout:${join(scratch, 'config-layout')}`).listVersions('web'), []);

      // With the policy off too: the configuration is the repository's, whatever this run does with it.
      repo.write('.chartship.yaml', 'policy:\n  charts:\n    - match: "charts/[web"\n');
      const glob = await run('glob', { registry: `oci-layout:${join(scratch, 'glob-layout')}`, policy: 'off' }, { name: 'push', payload: { before: base, after: head } });
      assert.equal(glob.status, 1);
      assert.match(glob.log, /^::error (?=[^:]*file=\.chartship\.yaml)(?=[^:]*line=3)(?=[^:]*col=7).*::policy\.charts\[0\]\.match: bad glob "charts\/\[web"/m);
    } finally {
      repo.git('checkout', '--', '.chartship.yaml');
    }
  });
});
