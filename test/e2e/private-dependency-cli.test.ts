/**
 * `chartship publish` as a GitLab or Jenkins job runs it (README, Other CI systems) for a chart whose dependency is in
 * a private chart repository: an earlier step of the job runs `helm repo add` with the password on stdin, the
 * repository's private CA and a client certificate, and the bundled CLI then publishes in the same environment. The
 * repository asks for Basic auth and the client certificate on 127.0.0.1; the registry is a real docker-registry; what
 * was pushed is read back by the real helm.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseTgz } from '../package/fixtures.js';
import { openTarget } from '../../src/helm-oci/index.js';
import { startClassicRepo, type ClassicRepoServer } from '../helpers/classic-repo.js';
import { runBundledCli } from '../helpers/cli.js';
import { createRepo, type TestRepo } from '../helpers/git.js';
import { isolatedHelm, type Helm } from '../helpers/helm.js';
import { appFiles, libraryCharts, privateCredentials } from '../helpers/private-chart-repo.js';
import { makeClientCertificate, makeServerCertificates } from '../helpers/registry-certs.js';
import { startRegistry, type TestRegistry } from '../helpers/registry.js';

const { basic, ...credentials } = privateCredentials();
const scratch = mkdtempSync(join(tmpdir(), 'chartship-private-cli-'));
let repo: ClassicRepoServer;
let registry: TestRegistry;
let git: TestRepo;
/** The repository's CA and the client certificate it asks for. */
let tlsFlags: string[];
const helms: Helm[] = [];

before(async () => {
  const certs = makeServerCertificates(scratch);
  const client = makeClientCertificate(scratch);
  repo = await startClassicRepo(await libraryCharts(), { auth: 'basic', credentials, tls: { ...certs, clientCaFile: certs.caFile } });
  registry = await startRegistry({ auth: 'none' });
  git = createRepo();
  git.commit('feat: app', appFiles('@private', 'charts/app'));
  tlsFlags = ['--ca-file', certs.caFile, '--cert-file', client.certFile, '--key-file', client.keyFile];
});

after(async () => {
  for (const helm of helms) helm.cleanup();
  await repo?.stop();
  await registry?.stop();
  git?.cleanup();
  rmSync(scratch, { recursive: true, force: true });
});

/** The job's helm step: `helm repo add private … --password-stdin` with the CA and the client certificate. */
async function jobHelm(): Promise<Helm> {
  const helm = isolatedHelm(4);
  helms.push(helm);
  await helm.run(['repo', 'add', 'private', repo.url, '--username', credentials.username, '--password-stdin', ...tlsFlags], { input: `${credentials.password}\n` });
  return helm;
}

/** The job's chartship step, in the environment the helm step ran in, publishing to `namespace`. */
async function publish(helm: Helm, namespace: string): Promise<{ code: number; output: string }> {
  repo.hits.length = 0;
  const { code, stdout, stderr } = await runBundledCli(['publish'], {
    cwd: git.dir,
    env: { ...helm.env, CHARTSHIP_REGISTRY: `oci://${registry.host}/${namespace}`, CHARTSHIP_PLAIN_HTTP: 'true' },
  });
  return { code, output: `${stdout}${stderr}` };
}

function assertNoSecret(output: string, ...secrets: string[]): void {
  for (const secret of secrets) assert.ok(!output.includes(secret), 'no password, plain or Basic-encoded, is printed');
}

describe('chartship publish (the CLI) of a chart whose dependency is in a private repository', () => {
  it('vendors the dependency fetched with the credentials, CA and client certificate helm repo add stored, printing no password', async () => {
    const helm = await jobHelm();
    const run = await publish(helm, 'charts');
    assert.equal(run.code, 0, run.output);
    assertNoSecret(run.output, credentials.password, basic);
    assert.deepEqual(repo.hits.map((h) => `${h.path} ${h.status} ${h.auth}`), ['/charts/index.yaml 200 basic', '/charts/lib-1.2.0.tgz 200 basic']);

    const pulled = mkdtempSync(join(scratch, 'pulled-'));
    await helm.run(['pull', `oci://${registry.host}/charts/app`, '--version', '0.1.0', '--plain-http', '-d', pulled]);
    const archive = join(pulled, readdirSync(pulled)[0]!);
    // helm package writes a fetched subchart into the archive as a directory, as this does.
    const names = (await parseTgz(readFileSync(archive))).map((e) => e.path);
    assert.deepEqual(names.filter((n) => n.startsWith('app/charts/')), ['app/charts/lib/Chart.yaml', 'app/charts/lib/templates/cm.yaml']);
    const rendered = await helm.run(['template', 'release', archive], { stdoutOnly: true });
    assert.match(rendered, /# Source: app\/charts\/lib\/templates\/cm\.yaml\nkind: ConfigMap\nmetadata:\n {2}name: lib\n/);
  });

  it('refused credentials: fails naming the repository, its repositories.yaml and the helm repo add that fixes it, never the password, publishing nothing', async () => {
    const helm = await jobHelm();
    const file = join(helm.env['HELM_CONFIG_HOME']!, 'repositories.yaml');
    // What a rotated secret leaves behind: helm repo add checks the password against the index, so it was right then.
    const stale = `stale-${credentials.password}`;
    writeFileSync(file, readFileSync(file, 'utf8').replace(credentials.password, stale));
    const run = await publish(helm, 'refused');
    assert.equal(run.code, 1, run.output);
    assertNoSecret(run.output, credentials.password, stale, Buffer.from(`${credentials.username}:${stale}`).toString('base64'));
    assert.deepEqual(repo.hits.map((h) => `${h.path} ${h.status} ${h.auth}`), ['/charts/index.yaml 401 bad']);
    assert.match(run.output, /charts\/app\/Chart\.yaml:\d+/);
    assert.ok(run.output.includes(`check the credentials of repository "private", or add it again: helm repo add private ${repo.url} --force-update --username USER --password-stdin (chartship reads the same ${file}; HELM_REPOSITORY_CONFIG names another)`), run.output);
    assert.deepEqual(await openTarget(`oci://${registry.host}/refused`, { plainHttp: true }).listVersions('app'), []);
  });
});
