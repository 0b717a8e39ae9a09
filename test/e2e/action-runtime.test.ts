/**
 * The action on the Node.js a runner starts it with. action.yml says `runs.using: node24`, while this machine's node
 * (and every other test's) is the oldest the CLI supports, so these tests run the action entry as a runner does, with
 * the node24 scripts/test.mjs fetched (scripts/action-runtime.mjs): a fresh clone's committed entry, a registry
 * behind TLS and Basic auth with charts pushed at once and signed, and the test command itself.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse } from 'yaml';
import { runAction, runnerNode, type ActionRun } from '../helpers/action.js';
import { cloneWithDist } from '../helpers/bundle.js';
import { chartFiles, createRepo, type TestRepo } from '../helpers/git.js';
import { GpgHome, type GpgKey } from '../helpers/gpg.js';
import { isolatedHelm, type Helm } from '../helpers/helm.js';
import { startRegistry, type TestRegistry } from '../helpers/registry.js';

const root = join(import.meta.dirname, '..', '..');
const scratch = mkdtempSync(join(tmpdir(), 'chartship-action-runtime-'));
const runner = await runnerNode();

interface ChartOutput {
  name: string;
  version: string;
  status: string;
  registries: { ref: string; digest: string; provDigest: string | null }[];
}
const charts = (run: ActionRun): ChartOutput[] => JSON.parse(run.outputs['charts'] ?? '[]') as ChartOutput[];

/** What a runtime says that no user asked for: deprecations, experimental features, uncaught warnings. */
const RUNTIME_NOISE = /\(node:\d+\)|DeprecationWarning|ExperimentalWarning|Warning: /;

after(() => rmSync(scratch, { recursive: true, force: true }));

describe('the action on the node action.yml names', () => {
  let repo: TestRepo;

  before(() => {
    repo = createRepo();
    cpSync(join(root, 'examples', 'charts'), join(repo.dir, 'charts'), { recursive: true });
    repo.commit('feat: the example charts');
  });
  after(() => repo?.cleanup());

  it('is the runtime these tests start it with', () => {
    const action = parse(readFileSync(join(root, 'action.yml'), 'utf8')) as { runs: { using: string } };
    assert.equal(action.runs.using, `node${runner.version.split('.')[0]}`);
    assert.equal(execFileSync(runner.path, ['--version'], { encoding: 'utf8' }).trim(), `v${runner.version}`);
  });

  it("a fresh clone's committed entry publishes the examples, and a bad input fails with an annotation naming it, without a runtime warning", async () => {
    const clone = cloneWithDist(join(scratch, 'clone'));
    const action = parse(readFileSync(join(clone, 'action.yml'), 'utf8')) as { runs: { main: string } };
    const entry = join(clone, action.runs.main);
    const layout = join(scratch, 'layout');
    const run = await runAction({ cwd: repo.dir, dir: join(scratch, 'run-layout'), bundle: entry, node: runner.path, inputs: { registry: `oci-layout:${layout}` } });
    assert.equal(run.status, 0, run.log);
    // The first line says which chartship runs (what a floating @v1 resolved to) and what it was asked.
    const { version } = JSON.parse(readFileSync(join(clone, 'package.json'), 'utf8')) as { version: string };
    assert.equal(run.log.split('\n')[0], `chartship ${version}: charts/* to oci-layout:${layout}`);
    assert.deepEqual(charts(run).map((c) => `${c.name} ${c.version} ${c.status}`).sort(), ['common 1.2.0 pushed', 'web 0.4.1 pushed', 'worker 1.0.0 pushed']);
    const index = JSON.parse(readFileSync(join(layout, 'index.json'), 'utf8')) as { manifests: { digest: string }[] };
    assert.deepEqual(index.manifests.map((m) => m.digest).sort(), charts(run).map((c) => c.registries[0]!.digest).sort());
    assert.doesNotMatch(run.log, RUNTIME_NOISE);

    // The current sources' entry (the clone holds the last commit's).
    const bad = await runAction({ cwd: repo.dir, dir: join(scratch, 'run-bad'), node: runner.path, inputs: { registry: 'ftp://nowhere' } });
    assert.equal(bad.status, 1, bad.log);
    assert.match(bad.log, /^::error::registry: "ftp:\/\/nowhere" is not an OCI target/m);
    assert.doesNotMatch(bad.log, RUNTIME_NOISE);
  });

  describe('against a registry behind TLS and Basic auth', () => {
    let registry: TestRegistry;
    let gpg: GpgHome;
    let key: GpgKey;
    let helm: Helm;

    before(async () => {
      registry = await startRegistry({ auth: 'htpasswd', tls: true });
      gpg = await GpgHome.create();
      key = await gpg.generateKey({ name: 'Runtime Signer', algo: 'rsa3072' });
      writeFileSync(join(scratch, 'pubring.gpg'), await gpg.gpg(['--export', key.fingerprint]));
      helm = isolatedHelm(4);
      // Six charts, so that several uploads share the Basic-auth connection pool at once.
      const more = ['alpha', 'beta', 'gamma'].map((name) => chartFiles(`charts/${name}`, name, '0.1.0'));
      repo.commit('feat: three more charts', Object.assign({}, ...more) as Record<string, string>);
    });
    after(async () => {
      await registry?.stop();
      helm?.cleanup();
      await gpg?.run('gpgconf', ['--kill', 'gpg-agent']);
      if (gpg) rmSync(gpg.dir, { recursive: true, force: true });
    });

    it('pushes six signed charts at once, and helm pull --verify accepts what it pushed', async () => {
      const run = await runAction({
        cwd: repo.dir,
        dir: join(scratch, 'run-registry'),
        node: runner.path,
        inputs: { registry: `oci://${registry.host}/rt`, username: registry.username!, password: registry.password!, 'ca-file': registry.caFile!, 'sign-key': key.armoredSecret },
      });
      assert.equal(run.status, 0, run.log);
      assert.doesNotMatch(run.log, RUNTIME_NOISE);
      const pushed = charts(run);
      assert.deepEqual(pushed.map((c) => `${c.name} ${c.status}`).sort(), ['alpha pushed', 'beta pushed', 'common pushed', 'gamma pushed', 'web pushed', 'worker pushed']);
      assert.ok(pushed.every((c) => /^sha256:[0-9a-f]{64}$/.test(c.registries[0]?.provDigest ?? '')), 'every chart signed');
      const web = pushed.find((c) => c.name === 'web')!;
      const out = mkdtempSync(join(scratch, 'pulled-'));
      const said = await helm.run([
        'pull', `oci://${registry.host}/rt/web`, '--version', web.version, '--ca-file', registry.caFile!, '--username', registry.username!, '--password', registry.password!,
        '--verify', '--keyring', join(scratch, 'pubring.gpg'), '-d', out,
      ]);
      assert.match(said, new RegExp(`Digest: ${web.registries[0]!.digest}`));
      assert.match(said, /Signed by: Runtime Signer/);
    });
  });
});

describe("the test command on the action's node", () => {
  it('exits 0 with its summary when every test passes', { timeout: 120_000 }, async () => {
    // A file of the suite, through the whole harness: install checks, the bundle, the compiled tests, the reporters.
    // Not as a child of this runner (NODE_TEST_CONTEXT would make node skip the files), but as a shell starts it.
    const { NODE_TEST_CONTEXT: _runner, ...env } = process.env;
    const child = spawn(runner.path, [join(root, 'scripts', 'test.mjs'), 'test/shared/chartfile.test.ts'], { cwd: root, env });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.match(out, /^# fail 0$/m, out);
    assert.match(out, /^# pass [1-9]\d*$/m, out);
    assert.equal(status, 0, out.slice(-2000));
  });
});
