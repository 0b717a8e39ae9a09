/**
 * Dependencies from private classic chart repositories, as platform teams add them in CI: `helm repo add NAME URL
 * --username U --password P [--ca-file …] [--pass-credentials]`, then `helm dependency build`. The repositories.yaml
 * is the one the real helm writes; the repository asks for Basic auth on 127.0.0.1 (over HTTPS with a CA of the
 * test's own where TLS is the point); chartship is the bundled CLI; what it packages is judged against the real helm 3
 * and 4 (`helm dependency build` + `helm package`), and where the password goes against where helm sends it.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { entries, gzipHeader } from '../helpers/archive-parity.js';
import { runAction } from '../helpers/action.js';
import { startClassicRepo, type ClassicRepoServer } from '../helpers/classic-repo.js';
import { runBundledCli } from '../helpers/cli.js';
import { packageChart } from '../../src/pipeline/package.js';
import { createRepo } from '../helpers/git.js';
import { HELM_MAJORS, isolatedHelm, type Helm } from '../helpers/helm.js';
import { appFiles, libraryCharts, privateCredentials } from '../helpers/private-chart-repo.js';
import { makeServerCertificates } from '../helpers/registry-certs.js';
import { tempDirs, writeFiles } from '../package/fixtures.js';

const temp = tempDirs();
const helms: Helm[] = [];
after(() => {
  for (const helm of helms.splice(0)) helm.cleanup();
  temp.cleanup();
});

const { basic, ...credentials } = privateCredentials();

function helmOf(major: (typeof HELM_MAJORS)[number] = 4): Helm {
  const helm = isolatedHelm(major);
  helms.push(helm);
  return helm;
}

const repositoriesYaml = (helm: Helm) => join(helm.home, 'config', 'repositories.yaml');

function app(repository: string): string {
  const dir = temp.make();
  writeFiles(dir, appFiles(repository));
  return join(dir, 'app');
}

/** `chartship package` (the bundled CLI) reading helm's repositories.yaml: its archive, or what it printed. */
async function chartshipPackage(dir: string, repositories: string, env: Record<string, string> = {}): Promise<{ code: number; output: string; archive?: Buffer }> {
  const out = temp.make();
  const home = temp.make();
  const { code, stdout, stderr } = await runBundledCli(['package', dir, '--destination', out], {
    cwd: home,
    env: { HOME: home, HELM_REPOSITORY_CONFIG: repositories, SOURCE_DATE_EPOCH: '1717200000', ...env },
  });
  const output = `${stdout}${stderr}`;
  assert.ok(!output.includes(credentials.password) && !output.includes(basic), 'the password is never printed');
  return { code, output, ...(code === 0 ? { archive: readFileSync(join(out, readdirSync(out)[0]!)) } : {}) };
}

/** `helm dependency build` + `helm package` of a copy of the chart. */
async function helmPackage(helm: Helm, dir: string): Promise<Buffer> {
  const work = join(temp.make(), 'app');
  cpSync(dir, work, { recursive: true });
  await helm.run(['dependency', 'build', work]);
  const out = temp.make();
  await helm.run(['package', work, '-d', out]);
  return readFileSync(join(out, readdirSync(out)[0]!));
}

function assertSameArchive(ours: Buffer, theirs: Buffer, label: string): void {
  assert.equal(gzipHeader(ours).toString('hex'), gzipHeader(theirs).toString('hex'), `${label}: gzip header`);
  const mine = entries(ours);
  assert.deepEqual(mine.map((e) => e.name), entries(theirs).map((e) => e.name), `${label}: entry names`);
  assert.deepEqual(mine, entries(theirs), `${label}: headers and bytes`);
}

describe('dependencies from a private https:// repository added with helm repo add --username --password --ca-file', () => {
  let repo: ClassicRepoServer;
  let caFile: string;
  const byMajor = new Map<number, Helm>();
  before(async () => {
    const certs = makeServerCertificates(temp.make());
    caFile = certs.caFile;
    repo = await startClassicRepo(await libraryCharts(), { auth: 'basic', tls: certs, credentials });
    for (const major of HELM_MAJORS) {
      const helm = helmOf(major);
      await helm.run(['repo', 'add', 'private', repo.url, '--username', credentials.username, '--password', credentials.password, '--ca-file', caFile]);
      byMajor.set(major, helm);
    }
  });
  after(async () => repo?.stop());

  for (const written of ['url', '@private', 'alias:private'] as const) {
    it(`${written === 'url' ? 'by the repository URL' : `as ${written}`}: packaged with the entry's credentials and CA, the archive helm 3 and 4 give`, async () => {
      const dir = app(written === 'url' ? `${repo.url}/` : written);
      for (const [major, helm] of byMajor) {
        repo.hits.length = 0;
        const ours = await chartshipPackage(dir, repositoriesYaml(helm));
        assert.equal(ours.code, 0, ours.output);
        // helm's getter sends the credentials with every request to the repository's host, not only after a 401.
        assert.deepEqual(repo.hits.map((h) => `${h.path} ${h.status} ${h.auth}`), ['/charts/index.yaml 200 basic', '/charts/lib-1.2.0.tgz 200 basic']);
        assertSameArchive(ours.archive!, await helmPackage(helm, dir), `helm ${major}`);
      }
    });
  }

  it('tells onSecret the password and the Basic credential before any request, so the action masks them', async () => {
    const told: string[] = [];
    repo.hits.length = 0;
    const env = { HOME: temp.make(), HELM_REPOSITORY_CONFIG: repositoriesYaml(byMajor.get(4)!) };
    const onSecret = (secret: string) => {
      assert.equal(repo.hits.length, 0, 'told before the first request');
      told.push(secret);
    };
    await packageChart(app('@private'), { sourceDate: new Date('2024-06-01T00:00:00Z'), dependencies: { oci: { env, onSecret } } });
    assert.ok(told.includes(credentials.password) && told.includes(basic), 'the password and its Basic encoding');
    assert.equal(repo.hits.length, 2);
  });

  it('the same repository with no credentials for it: fails naming the dependency line, the repository and how to add it, as helm fails', async () => {
    const helm = helmOf();
    // TLS is not the question here: the CA is trusted, only the credentials are missing.
    await helm.run(['repo', 'add', 'private', repo.url, '--ca-file', caFile]).then(
      () => assert.fail('helm repo add without credentials is refused by this repository'),
      (error: Error) => assert.match(error.message, /401/),
    );
    const dir = app(repo.url);
    const refused = await chartshipPackage(dir, join(temp.make(), 'repositories.yaml'), { NODE_EXTRA_CA_CERTS: caFile });
    assert.notEqual(refused.code, 0);
    assert.match(refused.output, /app\/Chart\.yaml:\d+/);
    assert.match(refused.output, new RegExp(`${repo.url.replaceAll('.', '\\.')}`));
    assert.match(refused.output, /helm repo add NAME https:\/\/127\.0\.0\.1:\d+\/charts --username USER --password-stdin/);
    await assert.rejects(helmPackage(helm, dir), 'helm dependency build fails too');
  });
});

describe('a private repository that refuses the credentials helm repo add stored', () => {
  let repo: ClassicRepoServer;
  before(async () => {
    repo = await startClassicRepo(await libraryCharts(), { auth: 'basic', credentials });
  });
  after(async () => repo?.stop());

  it('fails naming the dependency line, the entry and how to add it again, never the password it sent', async () => {
    const helm = helmOf();
    const wrong = `wrong-${randomBytes(6).toString('hex')}`;
    // helm repo add checks the credentials against the index: a stale password is what a rotated secret leaves behind.
    await helm.run(['repo', 'add', 'private', repo.url, '--username', credentials.username, '--password', credentials.password]);
    const file = repositoriesYaml(helm);
    writeFileSync(file, readFileSync(file, 'utf8').replace(credentials.password, wrong));
    repo.hits.length = 0;
    const refused = await chartshipPackage(app('@private'), file);
    assert.notEqual(refused.code, 0);
    assert.deepEqual(repo.hits.map((h) => `${h.path} ${h.status} ${h.auth}`), ['/charts/index.yaml 401 bad']);
    assert.match(refused.output, /app\/Chart\.yaml:\d+/);
    assert.match(refused.output, /check the credentials of repository "private", or add it again: helm repo add private .* --force-update --username USER --password-stdin/);
    assert.ok(!refused.output.includes(wrong) && !refused.output.includes(Buffer.from(`${credentials.username}:${wrong}`).toString('base64')), 'the stored password is never printed');
  });
});

describe('a repository whose certificate the runner does not trust', () => {
  let repo: ClassicRepoServer;
  before(async () => {
    repo = await startClassicRepo(await libraryCharts(), { tls: makeServerCertificates(temp.make()) });
  });
  after(async () => repo?.stop());

  it('fails naming the certificate problem and how a chart repository is given its CA (not the registry flags)', async () => {
    const refused = await chartshipPackage(app(repo.url), join(temp.make(), 'repositories.yaml'));
    assert.notEqual(refused.code, 0);
    assert.match(refused.output, /app\/Chart\.yaml:\d+/);
    assert.match(refused.output, /SELF_SIGNED|UNABLE_TO|CERT/);
    assert.match(refused.output, /helm repo add NAME URL --ca-file FILE \(chartship reads the same repositories\.yaml\)/);
    assert.doesNotMatch(refused.output, /--plain-http|registry CA/);
  });
});

describe('archives on another host', () => {
  let index: ClassicRepoServer;
  let redirecting: ClassicRepoServer;
  let archives: ClassicRepoServer;
  before(async () => {
    const charts = await libraryCharts();
    // Another port is another host to helm (it compares scheme and host:port): release assets, a CDN. This one
    // would take the credentials, and records whether they came.
    archives = await startClassicRepo(charts, { credentials });
    index = await startClassicRepo(charts, { auth: 'basic', credentials, archiveUrl: archives.url });
    redirecting = await startClassicRepo(charts, { auth: 'basic', credentials, redirects: { '/charts/lib-1.2.0.tgz': `${archives.url}/lib-1.2.0.tgz` } });
  });
  after(async () => {
    await index?.stop();
    await redirecting?.stop();
    await archives?.stop();
  });

  it('an archive the repository redirects to another host: the credentials stay with the repository, even with --pass-credentials', async () => {
    const helm = helmOf();
    await helm.run(['repo', 'add', 'private', redirecting.url, '--username', credentials.username, '--password', credentials.password, '--pass-credentials']);
    archives.hits.length = 0;
    redirecting.hits.length = 0;
    const ours = await chartshipPackage(app(redirecting.url), repositoriesYaml(helm));
    assert.equal(ours.code, 0, ours.output);
    assert.deepEqual(redirecting.hits.map((h) => `${h.path} ${h.status} ${h.auth}`), ['/charts/index.yaml 200 basic', '/charts/lib-1.2.0.tgz 302 basic']);
    assert.deepEqual(archives.hits.map((h) => `${h.path} ${h.auth}`), ['/charts/lib-1.2.0.tgz none']);
  });

  for (const passAll of [false, true]) {
    it(`${passAll ? 'with --pass-credentials, gets the credentials' : 'gets no credentials'}, as helm sends them`, async () => {
      const helm = helmOf();
      await helm.run(['repo', 'add', 'private', index.url, '--username', credentials.username, '--password', credentials.password, ...(passAll ? ['--pass-credentials'] : [])]);
      const dir = app(index.url);
      archives.hits.length = 0;
      const ours = await chartshipPackage(dir, repositoriesYaml(helm));
      assert.equal(ours.code, 0, ours.output);
      const sent = archives.hits.map((h) => `${h.path} ${h.auth}`);
      assert.deepEqual(sent, [`/charts/lib-1.2.0.tgz ${passAll ? 'basic' : 'none'}`]);
      archives.hits.length = 0;
      const theirs = await helmPackage(helm, dir);
      assert.deepEqual(archives.hits.map((h) => `${h.path} ${h.auth}`), sent, 'helm sends the archive host the same');
      assertSameArchive(ours.archive!, theirs, 'helm 4');
    });
  }
});

describe('the action publishing a chart whose dependency is in a private repository', () => {
  let repo: ClassicRepoServer;
  before(async () => {
    repo = await startClassicRepo(await libraryCharts(), { auth: 'basic', credentials });
  });
  after(async () => repo?.stop());

  it('publishes it with the credentials helm repo add stored, and tells the runner to mask the password and its Basic form', async () => {
    const helm = helmOf();
    await helm.run(['repo', 'add', 'private', repo.url, '--username', credentials.username, '--password', credentials.password]);
    const git = createRepo();
    try {
      git.commit('feat: app', appFiles('@private', 'charts/app'));
      const scratch = temp.make();
      repo.hits.length = 0;
      const run = await runAction({
        cwd: git.dir,
        dir: scratch,
        env: { HELM_REPOSITORY_CONFIG: repositoriesYaml(helm) },
        inputs: { registry: `oci-layout:${join(scratch, 'layout')}`, charts: 'charts/*', policy: 'off', 'pr-comment': 'false' },
      });
      assert.equal(run.status, 0, run.log);
      assert.deepEqual(repo.hits.map((h) => `${h.path} ${h.status} ${h.auth}`), ['/charts/index.yaml 200 basic', '/charts/lib-1.2.0.tgz 200 basic']);
      // The runner hides a secret from the line it is told of on: both forms are told, and no other line carries them.
      const lines = run.log.split('\n');
      assert.ok(lines.includes(`::add-mask::${credentials.password}`) && lines.includes(`::add-mask::${basic}`), run.log);
      assert.doesNotMatch(run.log.replace(/::add-mask::.*\n/g, ''), new RegExp(`${credentials.password}|${basic.replaceAll('+', '\\+')}`));
      assert.match(run.outputs['charts'] ?? '', /"name":"app"/);
    } finally {
      git.cleanup();
    }
  });
});
