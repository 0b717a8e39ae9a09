/**
 * Several registries: a run publishes everywhere or says exactly where a chart is missing. Before the first push
 * every target is reached, authenticated and asked whether it would take a push; during the run a chart missing from
 * one registry is reported as partly published, gets no GitHub release, and a rerun completes it.
 */
import assert from 'node:assert/strict';
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ChartshipError } from '../../src/model/errors.js';
import { silentLog } from '../../src/pipeline/log.js';
import { publish, type PublishOptions } from '../../src/pipeline/publish.js';
import { createGitHubClient } from '../../src/report/github.js';
import { startFlakyProxy, type FlakyProxy } from '../helpers/flaky-proxy.js';
import { createRepo, type TestRepo } from '../helpers/git.js';
import { start as startGitHubApi, type GitHubApi } from '../helpers/github-api.js';
import { GpgHome } from '../helpers/gpg.js';
import { startRegistry, type TestRegistry } from '../helpers/registry.js';

const TOKEN = 'ghs_all-or-none-0123456789';
let first: TestRegistry;
let second: TestRegistry;
let repo: TestRepo;

before(async () => {
  [first, second] = await Promise.all([startRegistry({ auth: 'htpasswd' }), startRegistry({ auth: 'none' })]);
  repo = createRepo();
  cpSync(join(import.meta.dirname, '..', '..', 'examples', 'charts'), join(repo.dir, 'charts'), { recursive: true });
  repo.commit('feat: the example charts');
});
after(async () => {
  await first?.stop();
  await second?.stop();
  repo?.cleanup();
});

function options(targets: string[], extra: Partial<PublishOptions> = {}): PublishOptions {
  return {
    cwd: repo.dir,
    targets,
    versionBump: 'none',
    target: { plainHttp: true, username: first.username, password: first.password, env: {}, retry: { attempts: 2, baseDelayMs: 5 } },
    ...extra,
  };
}

describe('before the first push', () => {
  it('the second registry is down: nothing is pushed anywhere, and the error names target 2', async () => {
    const down = await startRegistry({ auth: 'none' });
    const downHost = down.host;
    await down.stop();
    await first.reset();
    const targets = [`oci://${first.host}/early`, `oci://${downHost}/early`];
    await assert.rejects(publish(options(targets), silentLog), (error: unknown) => {
      assert.ok(error instanceof ChartshipError, String(error));
      assert.equal(error.code, 'TARGET_UNUSABLE');
      assert.match(error.message, new RegExp(`^nothing was published, .*target 2 of 2 \\(oci://${downHost.replace(/\./g, '\\.')}/early\\): .*ECONNREFUSED`));
      assert.doesNotMatch(error.message, /target 1 of 2/);
      // The one line a user reads: the outage's hint and the check's, neither opened inside another.
      assert.match(error.describe(), /kept failing through every retry, as when the network or the server is down: run again once it is back; .*\) \(fix the access to that registry, or drop it from the targets, and run again\)$/);
      assert.doesNotMatch(error.describe(), /\([^()]*\(/, 'no parenthesis opened inside another');
      return true;
    });
    const seen = await first.settle();
    assert.deepEqual(seen.filter((r) => r.method === 'PUT'), [], 'no blob and no manifest reached the first registry');
    assert.equal(repo.git('status', '--porcelain'), '', 'the work tree is as it was');
  });

  it('an oci-layout target that cannot hold a layout is checked with the registries: nothing is pushed anywhere', async () => {
    await first.reset();
    // Under a regular file: no directory can be made there.
    const blocked = join(repo.dir, 'charts', 'common', 'Chart.yaml', 'layout');
    const targets = [`oci://${first.host}/beside-layout`, `oci-layout:${blocked}`];
    await assert.rejects(publish(options(targets), silentLog), (error: unknown) => {
      assert.ok(error instanceof ChartshipError, String(error));
      assert.equal(error.code, 'TARGET_UNUSABLE');
      assert.match(error.message, /^nothing was published, .*target 2 of 2 .*: cannot use .*layout as an OCI layout: .*is not a directory/);
      return true;
    });
    assert.deepEqual((await first.settle()).filter((r) => r.method === 'PUT'), [], 'no blob and no manifest reached the registry');
  });

  it('wrong credentials on the first registry fail the run before anything reaches the second', async () => {
    await second.reset();
    const targets = [`oci://${first.host}/creds`, `oci://${second.host}/creds`];
    const wrong = options(targets);
    wrong.target = { ...wrong.target, password: 'not-the-password' };
    await assert.rejects(publish(wrong, silentLog), /target 1 of 2 .*refused the credentials of user "chartship"/);
    assert.deepEqual((await second.settle()).filter((r) => r.method === 'PUT'), []);
  });
});

describe('during the run', () => {
  let proxy: FlakyProxy;
  let github: GitHubApi;
  before(async () => {
    proxy = await startFlakyProxy(second.url);
    github = await startGitHubApi({ token: TOKEN });
  });
  after(async () => {
    await proxy?.stop();
    await github?.stop();
  });

  it('a chart the second registry refuses is reported partly published, gets no release, and a rerun completes it', async () => {
    const targets = [`oci://${first.host}/mid`, `oci://${proxy.host}/mid`];
    const releases = {
      client: createGitHubClient({ token: TOKEN, apiUrl: github.url, owner: 'acme', repo: 'charts' }),
      tagTemplate: '{name}-{version}',
      sha: repo.git('rev-parse', 'HEAD'),
      render: () => 'release notes',
    };
    proxy.rules.push({ method: 'PUT', path: /\/v2\/mid\/worker\/manifests\//, fault: { kind: 'status', status: 500 }, times: 1000 });

    const partial = await publish(options(targets, { releases }), silentLog);
    const byName = new Map(partial.results.map((r) => [r.name, r]));
    assert.equal(byName.get('web')?.status, 'pushed');
    assert.equal(byName.get('common')?.status, 'pushed');
    const worker = byName.get('worker')!;
    assert.equal(worker.status, 'failed');
    assert.match(
      worker.error ?? '',
      new RegExp(`^partly published: in oci://${first.host}/mid, missing from oci://${proxy.host}/mid \\(oci://${proxy.host}/mid: .*HTTP 500.*\\); run again to complete it$`),
    );
    assert.deepEqual(worker.registries.map((r) => r.status), ['pushed', 'failed']);
    assert.deepEqual(github.state.releases.map((r) => r.tag_name).sort(), ['common-1.2.0', 'web-0.4.1'], 'no release for a chart missing from a registry');

    proxy.rules.length = 0;
    const rerun = await publish(options(targets, { releases }), silentLog);
    const again = new Map(rerun.results.map((r) => [r.name, r]));
    assert.deepEqual(again.get('worker')?.registries.map((r) => r.status), ['unchanged', 'pushed'], 'the rerun adds only what was missing');
    assert.ok(rerun.results.every((r) => r.status === 'pushed' || r.status === 'unchanged'), JSON.stringify(rerun.results.map((r) => [r.name, r.status, r.error])));
    assert.deepEqual(github.state.releases.map((r) => r.tag_name).sort(), ['common-1.2.0', 'web-0.4.1', 'worker-1.0.0']);
    assert.deepEqual(github.violations, []);
  });

  it('signed: the rerun gives the registry it completes the .prov the other holds, so both serve one manifest', async () => {
    const home = await GpgHome.create();
    const key = await home.generateKey({ name: 'Partial Signer', algo: 'rsa3072' });
    const signed = (targets: string[]) => options(targets, { signKey: { armoredKey: key.armoredSecret } });
    const targets = [`oci://${first.host}/signed`, `oci://${proxy.host}/signed`];
    proxy.rules.push({ method: 'PUT', path: /\/v2\/signed\/worker\/manifests\//, fault: { kind: 'status', status: 500 }, times: 1000 });
    const partial = await publish(signed(targets), silentLog);
    assert.deepEqual(partial.results.find((r) => r.name === 'worker')?.registries.map((r) => r.status), ['pushed', 'failed']);

    proxy.rules.length = 0;
    const lines: string[] = [];
    const rerun = await publish(signed(targets), { ...silentLog, info: (m) => lines.push(m) });
    assert.ok(lines.some((l) => l.includes('a registry held this version signed already: its .prov went to the others instead')), lines.join('\n'));
    const [held, completed] = rerun.results.find((r) => r.name === 'worker')!.registries;
    assert.equal(held?.status, 'unchanged');
    assert.equal(completed?.status, 'pushed');
    assert.equal(completed.provDigest, held.provDigest, 'the .prov the first registry holds');
    assert.equal(completed.digest, held.digest, 'one manifest in both registries');
    // What the second registry serves, read back past chartship.
    const served = await fetch(`${second.url}/v2/signed/worker/manifests/1.0.0`, { method: 'HEAD', headers: { accept: 'application/vnd.oci.image.manifest.v1+json' } });
    assert.equal(served.headers.get('docker-content-digest'), held.digest);
  });
});
