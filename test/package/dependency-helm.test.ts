/**
 * Dependencies as monorepos have them, judged against what the real helm 3 and 4 do with the same chart: oci://
 * dependencies on registries that ask for credentials, and Chart.lock files that pin what the repository no longer
 * has or no longer match Chart.yaml.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseChartYaml } from '../../src/charts/chartfile.js';
import { hashRequirements } from '../../src/charts/lockfile.js';
import { ChartshipError } from '../../src/model/errors.js';
import { openTarget } from '../../src/helm-oci/index.js';
import { HttpDownloader } from '../../src/oci/index.js';
import { packageChart } from '../../src/pipeline/package.js';
import { startChartRepository, type ChartRepository } from '../helpers/chart-repo.js';
import { HELM_MAJORS, isolatedHelm, type Helm } from '../helpers/helm.js';
import { chartArchive } from '../helpers/registry-charts.js';
import { startRegistry, type TestRegistry } from '../helpers/registry.js';
import { chartYaml, parseTgz, tempDirs, writeFiles } from './fixtures.js';

const temp = tempDirs();
after(() => temp.cleanup());
const EPOCH = new Date('2024-06-01T00:00:00Z');
const NO_LOGIN = { HOME: '/nonexistent' };

function app(repository: string, name = 'redis', range = '^1.0.0'): string {
  return writeFiles(temp.make(), {
    'Chart.yaml': chartYaml('app', '0.1.0', `dependencies:\n  - name: ${name}\n    version: ${range}\n    repository: ${repository}\n`),
    'templates/cm.yaml': 'kind: ConfigMap\n',
  });
}

/** The version of the subchart packaged (its ConfigMap names it). */
async function packagedVersion(archive: Buffer, name: string): Promise<string | undefined> {
  const chart = (await parseTgz(archive)).find((e) => e.path === `app/charts/${name}/Chart.yaml`);
  return chart && /version: (\S+)/.exec(chart.data.toString())?.[1];
}

for (const auth of ['htpasswd', 'token'] as const) {
  describe(`oci:// dependencies on a registry that asks for credentials (${auth})`, () => {
    let registry: TestRegistry;
    let repository: string;
    before(async () => {
      registry = await startRegistry({ auth });
      repository = `oci://${registry.host}/deps`;
      const target = openTarget(repository, { plainHttp: true, username: registry.username, password: registry.password, env: NO_LOGIN });
      try {
        for (const version of ['1.0.0', '1.1.0']) await target.pushChart({ archive: chartArchive({ name: 'redis', version }) });
      } finally {
        await target.close();
      }
    });
    after(async () => registry?.stop());

    it('without credentials for its host, fails naming the dependency, its Chart.yaml line and how to log in to that host', async () => {
      const dir = app(repository);
      await assert.rejects(packageChart(dir, { dependencies: { oci: { plainHttp: true, env: NO_LOGIN } } }), (e: unknown) => {
        assert.ok(e instanceof ChartshipError, String(e));
        assert.equal(e.file, join(dir, 'Chart.yaml'));
        assert.equal(e.field, 'dependencies[0]');
        assert.equal(e.line, 5);
        assert.match(e.message, new RegExp(`^redis from ${repository}: .*401`));
        assert.match(e.hint ?? '', new RegExp(`log in to ${registry.host} \\(helm registry login ${registry.host}`));
        return true;
      });
    });

    it('with the login of a docker config.json, or the credentials chartship pushes with, pulls the highest match', async () => {
      const docker = temp.make();
      const basic = Buffer.from(`${registry.username}:${registry.password}`).toString('base64');
      writeFileSync(join(docker, 'config.json'), JSON.stringify({ auths: { [registry.host]: { auth: basic } } }));
      const fromFile = await packageChart(app(repository), { sourceDate: EPOCH, dependencies: { oci: { plainHttp: true, env: { ...NO_LOGIN, DOCKER_CONFIG: docker } } } });
      assert.equal(await packagedVersion(fromFile.archive, 'redis'), '1.1.0');
      const given = { plainHttp: true, env: NO_LOGIN, username: registry.username, password: registry.password, credentialHost: registry.host };
      const fromLogin = await packageChart(app(repository), { sourceDate: EPOCH, dependencies: { oci: given } });
      assert.equal(fromLogin.sha256, fromFile.sha256);
    });
  });
}

describe('Chart.lock against helm dependency build', () => {
  let registry: TestRegistry;
  let classic: ChartRepository;
  const helms = new Map<number, Helm>();
  before(async () => {
    registry = await startRegistry({ auth: 'none' });
    const target = openTarget(`oci://${registry.host}/deps`, { plainHttp: true, env: NO_LOGIN });
    try {
      for (const version of ['1.0.0', '1.1.0', '1.2.0']) await target.pushChart({ archive: chartArchive({ name: 'redis', version }) });
    } finally {
      await target.close();
    }
    classic = await startChartRepository({ nginx: ['1.0.0', '1.1.0'] });
    for (const major of HELM_MAJORS) helms.set(major, isolatedHelm(major));
    // helm dependency build reads https:// repositories only when added by name.
    for (const helm of helms.values()) await helm.run(['repo', 'add', 'classic', classic.url]);
  });
  after(async () => {
    await registry?.stop();
    await classic?.stop();
    for (const helm of helms.values()) helm.cleanup();
  });

  /** A chart with a Chart.lock in sync with its Chart.yaml that pins `version` (as an older `helm dependency update` wrote it). */
  function locked(repository: string, name: string, version: string): string {
    const dir = app(repository, name);
    const deps = parseChartYaml(readFileSync(join(dir, 'Chart.yaml'), 'utf8'), 'Chart.yaml').metadata.dependencies!;
    const pins = [{ name, repository, version }];
    writeFileSync(join(dir, 'Chart.lock'), `dependencies:\n- name: ${name}\n  repository: ${repository}\n  version: ${version}\ndigest: ${hashRequirements(deps, pins)}\ngenerated: "2024-01-01T00:00:00Z"\n`);
    return dir;
  }

  /** What `helm dependency build` says of a copy of the chart, per major: undefined when it succeeds. */
  async function helmBuildRefusals(dir: string): Promise<(string | undefined)[]> {
    return Promise.all(
      [...helms].map(async ([major, helm]) => {
        const copy = join(temp.make(), 'app');
        cpSync(dir, copy, { recursive: true });
        return helm.run(['dependency', 'build', copy, '--plain-http']).then(
          () => undefined,
          (error: unknown) => `helm ${major}: ${String(error)}`,
        );
      }),
    );
  }

  for (const kind of ['oci', 'https'] as const) {
    it(`a lock pinning a version the ${kind} repository no longer has fails, as helm dependency build does, instead of taking another`, async () => {
      const dir = kind === 'oci' ? locked(`oci://${registry.host}/deps`, 'redis', '1.0.5') : locked(classic.url, 'nginx', '1.0.5');
      for (const refusal of await helmBuildRefusals(dir)) assert.match(refusal ?? 'helm built it', /1\.0\.5: not found|no matching version/);
      await assert.rejects(packageChart(dir, { dependencies: { oci: { plainHttp: true, env: NO_LOGIN } } }), (e: unknown) => {
        assert.ok(e instanceof ChartshipError, String(e));
        assert.equal(e.code, 'DEPENDENCY_NOT_FOUND');
        assert.equal(e.field, 'dependencies[0]');
        assert.equal(e.line, 5);
        assert.match(e.message, /^Chart\.lock pins (redis|nginx) 1\.0\.5, which .* does not have$/);
        assert.match(e.hint ?? '', /helm dependency update.*available: .*1\.1\.0/);
        return true;
      });
    });
  }

  it('a lock still served pins the version packaged', async () => {
    const pkg = await packageChart(locked(`oci://${registry.host}/deps`, 'redis', '1.1.0'), { sourceDate: EPOCH, dependencies: { oci: { plainHttp: true, env: NO_LOGIN } } });
    assert.equal(await packagedVersion(pkg.archive, 'redis'), '1.1.0');
    assert.deepEqual(pkg.warnings, []);
  });

  it('a lock out of sync with Chart.yaml: helm dependency build refuses it, chartship resolves again as helm package --dependency-update does, and warns', async () => {
    const repository = `oci://${registry.host}/deps`;
    const dir = locked(repository, 'redis', '1.0.0');
    // A condition added to Chart.yaml after the lock was written: the lock's digest no longer matches.
    writeFileSync(join(dir, 'Chart.yaml'), chartYaml('app', '0.1.0', `dependencies:\n  - name: redis\n    version: ^1.0.0\n    repository: ${repository}\n    condition: redis.enabled\n`));
    for (const refusal of await helmBuildRefusals(dir)) assert.match(refusal ?? 'helm built it', /the lock file \(Chart\.lock\) is out of sync with the dependencies file \(Chart\.yaml\)/);
    const helm = helms.get(4)!;
    const updated = join(temp.make(), 'app');
    cpSync(dir, updated, { recursive: true });
    await helm.run(['dependency', 'update', updated, '--plain-http']);
    assert.match(readFileSync(join(updated, 'Chart.lock'), 'utf8'), /version: 1\.2\.0/);

    const pkg = await packageChart(dir, { sourceDate: EPOCH, dependencies: { oci: { plainHttp: true, env: NO_LOGIN } } });
    assert.equal(await packagedVersion(pkg.archive, 'redis'), '1.2.0', 'what helm dependency update picks');
    assert.deepEqual(
      pkg.warnings.map((w) => [w.code, w.file, w.message]),
      [['LOCK_OUT_OF_SYNC', join(dir, 'Chart.lock'), 'Chart.lock is out of sync with the dependencies of Chart.yaml: its pins were not used, the versions were resolved again']],
    );
  });
});

describe('https:// dependencies from a classic repository as CDNs and object stores serve one', () => {
  let repo: Server;
  let blobs: Server;
  let url: string;
  const hits: string[] = [];
  let gzipped = false;
  // The transport a run downloads through (retries, limits, proxy), not a bare fetch.
  const downloader = new HttpDownloader({ env: NO_LOGIN });
  const helms = new Map<number, Helm>();
  before(async () => {
    const archive = chartArchive({ name: 'nginx', version: '1.0.0' });
    const digest = createHash('sha256').update(archive).digest('hex');
    // The archive lives on another host (release assets, a bucket): the repository redirects there.
    blobs = await listen('127.0.0.2', (req, res) => {
      hits.push(`blobs ${req.url}`);
      res.end(archive);
    });
    const blobsAt = `http://127.0.0.2:${(blobs.address() as AddressInfo).port}`;
    const index = `apiVersion: v1\nentries:\n  nginx:\n  - apiVersion: v2\n    name: nginx\n    version: 1.0.0\n    digest: ${digest}\n    urls:\n    - charts/nginx-1.0.0.tgz\ngenerated: "2024-01-01T00:00:00Z"\n`;
    repo = await listen('127.0.0.1', (req, res) => {
      hits.push(`repo ${req.url}`);
      if (req.url === '/repo/index.yaml') {
        // Stored compressed and sent as such, whatever the client asked for (S3 or a CDN in front of .gz files).
        res.writeHead(200, gzipped ? { 'content-encoding': 'gzip' } : {});
        res.end(gzipped ? gzipSync(index) : index);
      } else if (req.url === '/repo/charts/nginx-1.0.0.tgz') {
        res.writeHead(302, { location: `${blobsAt}/store/nginx-1.0.0.tgz` });
        res.end();
      } else {
        res.writeHead(404);
        res.end();
      }
    });
    url = `http://127.0.0.1:${(repo.address() as AddressInfo).port}/repo`;
    for (const major of HELM_MAJORS) helms.set(major, isolatedHelm(major));
  });
  after(async () => {
    await downloader.close();
    for (const server of [repo, blobs]) {
      server?.closeAllConnections();
      await new Promise((resolve) => server?.close(resolve));
    }
    for (const helm of helms.values()) helm.cleanup();
  });

  it('follows an archive to the host the repository redirects it to, as helm does', async () => {
    gzipped = false;
    for (const [major, helm] of helms) {
      const copy = app(url, 'nginx');
      await helm.run(['dependency', 'update', copy]).catch((error: unknown) => assert.fail(`helm ${major}: ${String(error)}`));
      assert.match(readFileSync(join(copy, 'Chart.lock'), 'utf8'), /version: 1\.0\.0/, `helm ${major}`);
    }
    hits.length = 0;
    const pkg = await packageChart(app(url, 'nginx'), { sourceDate: EPOCH, dependencies: { download: downloader.download } });
    assert.equal(await packagedVersion(pkg.archive, 'nginx'), '1.0.0');
    assert.deepEqual(hits, ['repo /repo/index.yaml', 'repo /repo/charts/nginx-1.0.0.tgz', 'blobs /store/nginx-1.0.0.tgz']);
  });

  it('reads an index.yaml sent gzip-encoded whatever was asked, as chartship pull and migrate do (helm, asking for no encoding, cannot)', async () => {
    gzipped = true;
    for (const [major, helm] of helms) {
      await assert.rejects(helm.run(['dependency', 'update', app(url, 'nginx')]), /no cached repository|not a valid chart repository/, `helm ${major}`);
    }
    const pkg = await packageChart(app(url, 'nginx'), { sourceDate: EPOCH, dependencies: { download: downloader.download } });
    assert.equal(await packagedVersion(pkg.archive, 'nginx'), '1.0.0');
  });
});

function listen(host: string, handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<Server> {
  const server = createServer(handler);
  return new Promise((resolve) => server.listen(0, host, () => resolve(server)));
}

describe('repositories named as helm repo add names them (@name, alias:name)', () => {
  let classic: ChartRepository;
  const helms = new Map<number, Helm>();
  before(async () => {
    classic = await startChartRepository({ nginx: ['1.0.0', '1.1.0'] });
    for (const major of HELM_MAJORS) {
      const helm = isolatedHelm(major);
      helms.set(major, helm);
      await helm.run(['repo', 'add', 'stable', classic.url]);
    }
  });
  after(async () => {
    await classic?.stop();
    for (const helm of helms.values()) helm.cleanup();
  });

  for (const written of ['"@stable"', '"alias:stable"']) {
    it(`reads ${written} from helm's repositories.yaml and locks the URL, as helm dependency build does`, async () => {
      const dir = app(written, 'nginx');
      const env = { ...NO_LOGIN, HELM_REPOSITORY_CONFIG: join(helms.get(4)!.home, 'config', 'repositories.yaml') };
      const ours = await parseTgz((await packageChart(dir, { sourceDate: EPOCH, dependencies: { oci: { env } } })).archive);
      const text = (path: string) => ours.find((e) => e.path === path)?.data.toString();
      assert.match(text('app/Chart.yaml') ?? '', new RegExp(`repository: '?${written.replaceAll('"', '')}'?\\n`), 'Chart.yaml keeps the name');
      assert.equal(text('app/charts/nginx/templates/cm.yaml'), 'version: 1.1.0\n');
      for (const [major, helm] of helms) {
        const copy = join(temp.make(), 'app');
        cpSync(dir, copy, { recursive: true });
        await helm.run(['dependency', 'update', copy]);
        const theirs = readFileSync(join(copy, 'Chart.lock'), 'utf8');
        assert.equal(text('app/Chart.lock')?.replace(/generated: .*/, ''), theirs.replace(/generated: .*/, ''), `helm ${major}: the same lock, digest included`);
      }
    });
  }

  it('a name helm has no repository for fails naming the dependency line and how to add it', async () => {
    const dir = app('"@nowhere"', 'nginx');
    const env = { ...NO_LOGIN, HELM_REPOSITORY_CONFIG: join(helms.get(4)!.home, 'config', 'repositories.yaml') };
    await assert.rejects(packageChart(dir, { dependencies: { oci: { env } } }), (e: unknown) => {
      assert.ok(e instanceof ChartshipError, String(e));
      assert.equal(e.field, 'dependencies[0]');
      assert.equal(e.line, 5);
      assert.match(e.message, /^no repository named "nowhere" in .*repositories\.yaml$/);
      assert.match(e.hint ?? '', /helm repo add nowhere URL/);
      return true;
    });
  });
});
