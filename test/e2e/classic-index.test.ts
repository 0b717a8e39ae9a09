import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseRepositoryIndex } from '../../src/charts/repo-index.js';
import { runAction } from '../helpers/action.js';
import { runCli } from '../helpers/cli.js';
import { chartFiles, createRepo, type TestRepo } from '../helpers/git.js';
import { start as startGitHubApi, type GitHubApi } from '../helpers/github-api.js';
import { GpgHome, type GpgKey } from '../helpers/gpg.js';
import { HELM_MAJORS, isolatedHelm } from '../helpers/helm.js';
import { startRegistry, type TestRegistry } from '../helpers/registry.js';

const scratch = mkdtempSync(join(tmpdir(), 'chartship-classic-index-'));
let registry: TestRegistry;
let gpg: GpgHome;
let key: GpgKey;
const keyFile = join(scratch, 'key.asc');
const keyring = join(scratch, 'pubring.gpg');
const servers: Server[] = [];

before(async () => {
  registry = await startRegistry();
  gpg = await GpgHome.create();
  key = await gpg.generateKey({ name: 'Index Signer', algo: 'rsa3072' });
  writeFileSync(keyFile, key.armoredSecret);
  writeFileSync(keyring, await gpg.exportKeyring([key.fingerprint]));
});
after(async () => {
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  await registry?.stop();
  await gpg?.close();
  rmSync(scratch, { recursive: true, force: true });
});

/** A loopback web server for a classic repository (as GitHub Pages or any static host would serve it). */
async function serve(read: (path: string) => Buffer | undefined): Promise<string> {
  const server = createServer((req, res) => {
    const body = read(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname.replace(/^\/+/, '')));
    res.writeHead(body ? 200 : 404);
    res.end(body ?? 'not found');
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A file on a branch of a bare repository, or undefined. */
function fromBranch(gitDir: string, branch: string): (path: string) => Buffer | undefined {
  return (path) => {
    try {
      return execFileSync('git', ['--git-dir', gitDir, 'cat-file', 'blob', `${branch}:${path}`], { stdio: ['ignore', 'pipe', 'ignore'] });
    } catch {
      return undefined;
    }
  };
}

/** `helm repo add` + `helm pull --verify` from the classic repository with both majors; the archive must be the one in OCI. */
async function pullBothWays(url: string, chart: string, version: string, namespace: string): Promise<void> {
  for (const major of HELM_MAJORS) {
    const helm = isolatedHelm(major);
    try {
      await helm.run(['repo', 'add', 'classic', url]);
      const fromIndex = join(scratch, `index-${major}-${namespace}-${chart}-${version}`);
      const fromOci = join(scratch, `oci-${major}-${namespace}-${chart}-${version}`);
      mkdirSync(fromIndex);
      mkdirSync(fromOci);
      const said = await helm.run(['pull', `classic/${chart}`, '--version', version, '--verify', '--keyring', keyring, '-d', fromIndex]);
      assert.match(said, /Signed by: Index Signer/, `helm ${major}`);
      await helm.run(['pull', `oci://${registry.host}/${namespace}/${chart}`, '--version', version, '--plain-http', '-d', fromOci]);
      const file = `${chart}-${version}.tgz`;
      assert.deepEqual(readFileSync(join(fromIndex, file)), readFileSync(join(fromOci, file)), `helm ${major}: the classic repository serves the bytes the registry holds`);
      const rendered = await helm.run(['template', 'shop', join(fromIndex, file)]);
      assert.match(rendered, /kind: ConfigMap/);
    } finally {
      helm.cleanup();
    }
  }
}

describe('classic-index: a directory users serve', () => {
  let repo: TestRepo;
  before(() => {
    repo = createRepo();
    repo.commit('feat: two charts', { ...chartFiles('charts/web', 'web', '0.1.0'), ...chartFiles('charts/api', 'api', '1.0.0') });
  });
  after(() => repo.cleanup());

  const publish = () =>
    runCli(['publish', '--cwd', repo.dir, '--registry', `oci://${registry.host}/dir`, '--plain-http', '--sign-key-file', keyFile, '--classic-index', 'public'], {
      cwd: scratch,
      env: { ...process.env, HOME: scratch },
    });

  it('writes index.yaml, the archives and their .prov files; helm repo add and helm pull --verify read them', async () => {
    const run = await publish();
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /classic index public: added api 1\.0\.0, web 0\.1\.0|classic index public: added web 0\.1\.0, api 1\.0\.0/);
    const dir = join(repo.dir, 'public');
    for (const file of ['index.yaml', 'web-0.1.0.tgz', 'web-0.1.0.tgz.prov', 'api-1.0.0.tgz', 'api-1.0.0.tgz.prov']) assert.ok(existsSync(join(dir, file)), file);
    const index = parseRepositoryIndex(readFileSync(join(dir, 'index.yaml'), 'utf8'), 'index.yaml');
    assert.equal(index.apiVersion, 'v1');
    const web = index.entries.get('web')![0]!;
    assert.deepEqual(web.urls, ['web-0.1.0.tgz'], 'relative to the index, as ChartMuseum writes them');
    assert.match(web.digest ?? '', /^[0-9a-f]{64}$/);
    assert.match(web.created ?? '', /^\d{4}-\d\d-\d\dT/);
    const url = await serve((path) => (existsSync(join(dir, path)) ? readFileSync(join(dir, path)) : undefined));
    await pullBothWays(url, 'web', '0.1.0', 'dir');
  });

  it('a new version is added next to the old ones, whose entries stay as they were; a rerun writes nothing new', async () => {
    const dir = join(repo.dir, 'public');
    const first = parseRepositoryIndex(readFileSync(join(dir, 'index.yaml'), 'utf8'), 'index.yaml');
    repo.commit('feat(web): 0.2.0', { 'charts/web/Chart.yaml': readFileSync(join(repo.dir, 'charts/web/Chart.yaml'), 'utf8').replace('version: 0.1.0', 'version: 0.2.0') });
    const run = await publish();
    assert.equal(run.code, 0, run.stderr);
    const second = parseRepositoryIndex(readFileSync(join(dir, 'index.yaml'), 'utf8'), 'index.yaml');
    assert.deepEqual(second.entries.get('web')!.map((v) => v.version), ['0.2.0', '0.1.0'], 'newest first');
    assert.deepEqual(second.entries.get('web')![1], first.entries.get('web')![0], 'the old entry is untouched');
    assert.deepEqual(second.entries.get('api'), first.entries.get('api'));

    const text = readFileSync(join(dir, 'index.yaml'), 'utf8');
    const again = await publish();
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stderr, /classic index public: up to date/);
    assert.equal(readFileSync(join(dir, 'index.yaml'), 'utf8'), text, 'not even `generated` changes');
  });
});

describe('classic-index: pointed at the index chart-releaser kept', () => {
  it('a version it already lists with another archive (helm package of the same sources) keeps its entry and archive, with a warning; overwrite: true replaces them', async () => {
    const repo = createRepo();
    try {
      repo.commit('feat: web', chartFiles('charts/web', 'web', '1.0.0'));
      // What chart-releaser published: helm's own archive of the same chart (other gzip bytes), a release-asset url.
      const dir = join(repo.dir, 'site');
      mkdirSync(dir);
      const helm = isolatedHelm(4);
      try {
        await helm.run(['package', join(repo.dir, 'charts/web'), '-d', dir]);
        await helm.run(['repo', 'index', dir, '--url', 'https://github.com/acme/charts/releases/download/web-1.0.0']);
      } finally {
        helm.cleanup();
      }
      const index = readFileSync(join(dir, 'index.yaml'), 'utf8');
      const archive = readFileSync(join(dir, 'web-1.0.0.tgz'));
      const publish = (...more: string[]) =>
        runCli(['publish', '--cwd', repo.dir, '--registry', `oci://${registry.host}/released-before`, '--plain-http', '--classic-index', 'site', ...more], { cwd: scratch, env: { ...process.env, HOME: scratch } });
      const run = await publish();
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stderr, /classic index site already lists web 1\.0\.0 \(sha256:[0-9a-f]{64}\) with another archive: left as it is \(overwrite: true replaces it\)/);
      assert.equal(readFileSync(join(dir, 'index.yaml'), 'utf8'), index, 'the entry users have is the one listed');
      assert.deepEqual(readFileSync(join(dir, 'web-1.0.0.tgz')), archive, 'and its archive is not replaced');

      const replaced = await publish('--overwrite');
      assert.equal(replaced.code, 0, replaced.stderr);
      const web = parseRepositoryIndex(readFileSync(join(dir, 'index.yaml'), 'utf8'), 'index.yaml').entries.get('web')!;
      assert.equal(web.length, 1);
      assert.deepEqual(web[0]!.urls, ['web-1.0.0.tgz']);
      assert.notDeepEqual(readFileSync(join(dir, 'web-1.0.0.tgz')), archive);
    } finally {
      repo.cleanup();
    }
  });
});

describe('classic-index: gh-pages, served from a base URL', () => {
  let repo: TestRepo;
  const origin = join(scratch, 'pages-origin.git');
  before(() => {
    repo = createRepo();
    repo.commit('feat: a chart', chartFiles('charts/web', 'web', '1.0.0'));
    repo.addOrigin(origin);
  });
  after(() => repo.cleanup());
  const pages = (...args: string[]) => execFileSync('git', ['--git-dir', origin, ...args], { encoding: 'utf8' }).trim();

  it('commits index.yaml and the archives to gh-pages and pushes them, leaving the checkout alone; helm reads them through the Pages URL', async () => {
    const url = await serve(fromBranch(origin, 'gh-pages'));
    const head = repo.git('rev-parse', 'HEAD');
    const args = ['publish', '--cwd', repo.dir, '--registry', `oci://${registry.host}/pages`, '--plain-http', '--sign-key-file', keyFile, '--classic-index', 'gh-pages', '--classic-index-url', `${url}/`];
    const run = await runCli(args, { cwd: scratch, env: { ...process.env, HOME: scratch, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' } });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(pages('ls-tree', '--name-only', 'gh-pages'), 'index.yaml\nweb-1.0.0.tgz\nweb-1.0.0.tgz.prov');
    assert.match(pages('log', '-1', '--format=%an %s', 'gh-pages'), /^github-actions\[bot\] chore\(classic-index\): add web 1\.0\.0 \[skip ci\]$/);
    const index = parseRepositoryIndex(pages('show', 'gh-pages:index.yaml'), 'index.yaml');
    assert.deepEqual(index.entries.get('web')![0]!.urls, [`${url}/web-1.0.0.tgz`], 'one slash between the base URL and the file');
    assert.equal(repo.git('rev-parse', 'HEAD'), head);
    assert.equal(repo.git('symbolic-ref', '--short', 'HEAD'), 'main');
    assert.equal(repo.git('status', '--porcelain'), '', 'the work tree is as it was');
    assert.equal(pages('rev-parse', 'main'), head, 'main is not touched');
    await pullBothWays(url, 'web', '1.0.0', 'pages');

    const tip = pages('rev-parse', 'gh-pages');
    const again = await runCli(args, { cwd: scratch, env: { ...process.env, HOME: scratch, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' } });
    assert.equal(again.code, 0, again.stderr);
    assert.equal(pages('rev-parse', 'gh-pages'), tip, 'a rerun commits nothing');
  });

  it('a classic-index-url without classic-index, or one that is no URL, fails before anything runs', async () => {
    const noWhere = await runCli(['publish', '--cwd', repo.dir, '--registry', `oci://${registry.host}/x`, '--classic-index-url', 'https://example.com'], { cwd: scratch });
    assert.equal(noWhere.code, 1);
    assert.match(noWhere.stderr, /classic-index-url: needs classic-index/);
    const bad = await runCli(['publish', '--cwd', repo.dir, '--registry', `oci://${registry.host}/x`, '--classic-index', 'gh-pages', '--classic-index-url', 'example.com/charts'], { cwd: scratch });
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /classic-index-url: must be an http\(s\) URL/);
  });
});

describe('classic-index: gh-pages with the archives as release assets, from the action (as chart-releaser)', () => {
  let github: GitHubApi;
  let repo: TestRepo;
  const origin = join(scratch, 'assets-origin.git');
  before(async () => {
    github = await startGitHubApi({ token: 'ghs_classic' });
    repo = createRepo();
    repo.commit('feat: a chart', chartFiles('charts/api', 'api', '2.1.0'));
    repo.addOrigin(origin);
  });
  after(async () => {
    await github?.stop();
    repo?.cleanup();
  });

  const action = (name: string) =>
    runAction({
      cwd: repo.dir,
      dir: join(scratch, name),
      event: { name: 'push', payload: {} },
      env: { GITHUB_SHA: repo.git('rev-parse', 'HEAD'), GITHUB_REF: 'refs/heads/main', GITHUB_REPOSITORY: 'acme/charts', GITHUB_API_URL: github.url, GITHUB_SERVER_URL: github.origin },
      inputs: {
        registry: `oci://${registry.host}/assets`,
        'plain-http': 'true',
        'sign-key': key.armoredSecret,
        'create-releases': 'true',
        'github-token': 'ghs_classic',
        'classic-index': 'gh-pages',
      },
    });

  it('attaches the archive and its .prov to the release, points the index there, and helm pulls through it', async () => {
    const run = await action('assets-1');
    assert.equal(run.status, 0, run.log);
    const release = github.state.releases.find((r) => r.tag_name === 'api-2.1.0')!;
    assert.deepEqual(release.assets?.map((a) => a.name), ['api-2.1.0.tgz', 'api-2.1.0.tgz.prov']);
    assert.equal(pages('ls-tree', '--name-only', 'gh-pages'), 'index.yaml', 'only the index on the branch');
    const index = parseRepositoryIndex(pages('show', 'gh-pages:index.yaml'), 'index.yaml');
    assert.deepEqual(index.entries.get('api')![0]!.urls, [`${github.origin}/acme/charts/releases/download/api-2.1.0/api-2.1.0.tgz`]);
    const url = await serve(fromBranch(origin, 'gh-pages'));
    await pullBothWays(url, 'api', '2.1.0', 'assets');

    const again = await action('assets-2');
    assert.equal(again.status, 0, again.log);
    assert.equal(github.requests.filter((r) => r.operationId === 'repos/upload-release-asset').length, 2, 'uploaded once each');
    assert.equal(pages('rev-list', '--count', 'gh-pages'), '1', 'the rerun commits nothing');
    assert.deepEqual(github.violations, []);
    assert.deepEqual(github.responseViolations, []);
  });

  function pages(...args: string[]): string {
    return execFileSync('git', ['--git-dir', origin, ...args], { encoding: 'utf8' }).trim();
  }
});
