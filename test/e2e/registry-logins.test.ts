/**
 * Logins per registry as users give them: the action with a runner's environment (registry-auth, registry-tls,
 * the github-token fallback for ghcr.io) and the bundled CLI (--registry-auth-file, CHARTSHIP_REGISTRY_AUTH,
 * --registry-tls). Public names (ghcr.io, europe-docker.pkg.dev) lead to real registries on loopback through a
 * forward proxy (test/helpers/named-registry.ts).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runAction } from '../helpers/action.js';
import { runBundledCli } from '../helpers/cli.js';
import { chartFiles, createRepo, type TestRepo } from '../helpers/git.js';
import { startNamedRegistry, type NamedRegistry } from '../helpers/named-registry.js';
import { startRegistry, type TestRegistry } from '../helpers/registry.js';

const scratch = mkdtempSync(join(tmpdir(), 'chartship-logins-'));
let repo: TestRepo;
let plain: TestRegistry;
let other: TestRegistry;

before(async () => {
  [plain, other] = await Promise.all([
    startRegistry({ auth: 'htpasswd', users: { 'robot$ci': 'plain:pa=ss#1' } }),
    startRegistry({ auth: 'htpasswd', users: { deployer: 'other-secret-2' } }),
  ]);
  repo = createRepo();
  repo.commit('feat: charts', { ...chartFiles('charts/one', 'one', '1.0.0'), ...chartFiles('charts/two', 'two', '1.0.0'), ...chartFiles('charts/three', 'three', '1.0.0') });
});
after(async () => {
  await Promise.all([plain?.stop(), other?.stop()]);
  repo?.cleanup();
  rmSync(scratch, { recursive: true, force: true });
});

interface ChartOutput {
  name: string;
  status: string;
  registries: { registry: string; ref: string }[];
}

const outside = (log: string) => log.replace(/::add-mask::.*\n/g, '');

describe('the action', () => {
  let ghcr: NamedRegistry;
  let gar: NamedRegistry;
  const key = JSON.stringify({ type: 'service_account', project_id: 'acme', private_key: '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\n-----END PRIVATE KEY-----\n', client_email: 'ci@acme.iam.gserviceaccount.com' }, null, 2);

  before(async () => {
    [ghcr, gar] = await Promise.all([
      startNamedRegistry(['ghcr.io'], { auth: 'token', users: { octocat: 'ghs_fallbacktoken42' } }),
      startNamedRegistry(['europe-docker.pkg.dev'], { auth: 'token', tokenPath: '/v2/token', users: { _json_key: key } }),
    ]);
  });
  after(() => Promise.all([ghcr?.stop(), gar?.stop()]));

  const runner = (proxy: NamedRegistry) => ({
    GITHUB_SHA: 'HEAD',
    GITHUB_REPOSITORY: 'acme/charts',
    GITHUB_ACTOR: 'octocat',
    HTTPS_PROXY: proxy.proxy.url,
  });

  it('ghcr.io with no login configured logs in with github-token, and the log says so', async () => {
    const run = await runAction({
      cwd: repo.dir,
      dir: join(scratch, 'ghcr'),
      env: runner(ghcr),
      inputs: { registry: 'oci://ghcr.io/acme/charts', 'github-token': 'ghs_fallbacktoken42', 'registry-tls': `ghcr.io=ca-file=${ghcr.caFile}`, 'pr-comment': 'false' },
    });
    assert.equal(run.status, 0, run.log);
    const charts = JSON.parse(run.outputs['charts'] ?? '[]') as ChartOutput[];
    assert.deepEqual(charts.map((c) => `${c.name} ${c.status} ${c.registries[0]?.ref}`).sort(), [
      'one pushed ghcr.io/acme/charts/one:1.0.0',
      'three pushed ghcr.io/acme/charts/three:1.0.0',
      'two pushed ghcr.io/acme/charts/two:1.0.0',
    ]);
    assert.match(run.log, /ghcr\.io: no credentials configured for it, so chartship logs in with the github-token input \(the workflow's GITHUB_TOKEN unless set\) as "octocat"/);
    assert.match(run.log, /::add-mask::ghs_fallbacktoken42/);
    assert.doesNotMatch(outside(run.log), /ghs_fallbacktoken42/);
    assert.ok(ghcr.registry.tokenRequests().every((r) => r.auth === 'basic:octocat'));
  });

  it('registry-auth gives each registry its own login (a JSON key over several lines included), all masked', async () => {
    const run = await runAction({
      cwd: repo.dir,
      dir: join(scratch, 'gar'),
      env: runner(gar),
      inputs: {
        registry: `oci://europe-docker.pkg.dev/acme/charts\noci://${plain.host}/team`,
        'registry-auth': `# one login per registry\neurope-docker.pkg.dev=_json_key:${key}\n${plain.host}=robot$ci:plain:pa=ss#1`,
        'registry-tls': `europe-docker.pkg.dev=ca-file=${gar.caFile}\n${plain.host}=plain-http`,
        'pr-comment': 'false',
      },
    });
    assert.equal(run.status, 0, run.log);
    const charts = JSON.parse(run.outputs['charts'] ?? '[]') as ChartOutput[];
    assert.deepEqual(charts.map((c) => `${c.name} ${c.status} ${c.registries.length}`).sort(), ['one pushed 2', 'three pushed 2', 'two pushed 2']);
    assert.ok(gar.registry.tokenRequests().some((r) => r.auth === 'basic:_json_key' && r.status === 200));
    // Every piece of a secret is hidden before anything could print it; nothing else carries one.
    const keyLine = key.split('\n').find((l) => l.includes('private_key'))!.trim();
    for (const secret of ['plain:pa=ss#1', keyLine, Buffer.from(`_json_key:${key}`).toString('base64'), Buffer.from('robot$ci:plain:pa=ss#1').toString('base64')]) {
      assert.ok(run.log.includes(`::add-mask::${secret}`), secret);
    }
    assert.doesNotMatch(outside(run.log), /plain:pa=ss#1|MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7/);
  });
});

describe('the CLI', () => {
  it('--registry-auth-file and --registry-tls: two registries, two logins, never a password on the command line', async () => {
    const file = join(scratch, 'registry-auth');
    writeFileSync(file, `${plain.host}=robot$ci:plain:pa=ss#1\n${other.host}=deployer:other-secret-2\n`);
    const repoTwo = createRepo();
    try {
      repoTwo.commit('feat: a chart', chartFiles('charts/solo', 'solo', '2.0.0'));
      const args = ['publish', '--registry', `oci://${plain.host}/cli`, '--registry', `oci://${other.host}/cli`, '--registry-tls', `${plain.host}=plain-http`, '--registry-tls', `${other.host}=plain-http`, '--json'];
      const run = await runBundledCli([...args, '--registry-auth-file', file], { cwd: repoTwo.dir, env: { HOME: scratch } });
      assert.equal(run.code, 0, run.stderr);
      const outcome = JSON.parse(run.stdout) as { charts: ChartOutput[] };
      assert.deepEqual(outcome.charts.map((c) => c.registries.map((r) => r.ref)), [[`${plain.host}/cli/solo:2.0.0`, `${other.host}/cli/solo:2.0.0`]]);
      assert.doesNotMatch(run.stdout + run.stderr, /pa=ss#1|other-secret-2/);

      // The same from the environment, as a CI secret variable; a rerun finds everything in place.
      const again = await runBundledCli(args, { cwd: repoTwo.dir, env: { HOME: scratch, CHARTSHIP_REGISTRY_AUTH: `${plain.host}=robot$ci:plain:pa=ss#1\n${other.host}=deployer:other-secret-2` } });
      assert.equal(again.code, 0, again.stderr);
      assert.deepEqual((JSON.parse(again.stdout) as { charts: ChartOutput[] }).charts.map((c) => c.status), ['unchanged']);

      // Without the logins the registries refuse, which shows the file and the variable were what logged in.
      const none = await runBundledCli(args, { cwd: repoTwo.dir, env: { HOME: scratch } });
      assert.equal(none.code, 1);
      assert.match(none.stderr, /asks for credentials and none were found/);

      // A login written for a host one character off the target's (127.0.0.2 for 127.0.0.1) logs nothing in: the
      // run warns, naming the target, before the registry refuses it, and publishes nothing.
      const typo = plain.host.replace(/^127\.0\.0\.1:/, '127.0.0.2:');
      const off = await runBundledCli(args, {
        cwd: repoTwo.dir,
        env: { HOME: scratch, CHARTSHIP_REGISTRY_AUTH: `${typo}=robot$ci:plain:pa=ss#1\n${other.host}=deployer:other-secret-2` },
      });
      assert.equal(off.code, 1, off.stderr);
      assert.match(off.stderr, new RegExp(`^warning: registry-auth: ${typo.replaceAll('.', '\\.')} is no target's host \\(did you mean ${plain.host.replaceAll('.', '\\.')}\\?\\): ${plain.host.replaceAll('.', '\\.')} gets no login from this line$`, 'm'));
      assert.match(off.stderr, /nothing was published/);
    } finally {
      repoTwo.cleanup();
    }
  });
});
