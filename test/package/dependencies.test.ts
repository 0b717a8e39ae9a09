import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { readdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse } from 'yaml';
import { parseChartYaml } from '../../src/charts/chartfile.js';
import { hashRequirements, lockInSync } from '../../src/charts/lockfile.js';
import { ChartshipError } from '../../src/model/errors.js';
import { openTarget } from '../../src/helm-oci/index.js';
import { packageChart } from '../../src/pipeline/package.js';
import { startRegistry, type TestRegistry } from '../helpers/registry.js';
import { chartYaml, parseTgz, tempDirs, writeFiles } from './fixtures.js';

const temp = tempDirs();
after(() => temp.cleanup());
const EPOCH = new Date('2024-06-01T00:00:00Z');

async function archiveOf(name: string, version: string, extra = ''): Promise<Buffer> {
  const dir = writeFiles(temp.make(), { 'Chart.yaml': chartYaml(name, version, extra), 'templates/cm.yaml': `name: ${name}-${version}\n` });
  return (await packageChart(dir, { sourceDate: EPOCH })).archive;
}

interface Lock {
  dependencies: { name: string; version: string; repository: string }[];
  digest: string;
  generated: string;
}

function lockOf(entries: { path: string; data: Buffer }[], path: string): Lock {
  const lock = entries.find((e) => e.path === path);
  assert.ok(lock, `${path} in the archive`);
  return parse(lock.data.toString()) as Lock;
}

describe('Chart.lock digest', () => {
  it('matches a Chart.lock written by helm (laravel-chart: mariadb ^11.5.5 → 11.5.7, redis ^17.9.2 → 17.9.4)', () => {
    const { metadata } = parseChartYaml(
      'apiVersion: v2\nname: laravel-chart\nversion: 0.1.0\ndependencies:\n  - name: mariadb\n    repository: https://charts.bitnami.com/bitnami\n    version: ^11.5.5\n    condition: mariadb.enabled\n  - name: redis\n    repository: https://charts.bitnami.com/bitnami\n    version: ^17.9.2\n    condition: redis.enabled\n',
      'Chart.yaml',
    );
    const repo = 'https://charts.bitnami.com/bitnami';
    const digest = hashRequirements(metadata.dependencies!, [
      { name: 'mariadb', repository: repo, version: '11.5.7' },
      { name: 'redis', repository: repo, version: '17.9.4' },
    ]);
    assert.equal(digest, 'sha256:827ec37ab8b2df15bfbb68ab5194d1d84f3b34eff67e6b61ed2267cdd8913c13');
  });

  it('hashes Go JSON: struct field order, omitempty, sorted map keys, HTML escapes', () => {
    const json =
      '[[{"name":"a","version":"\\u003e=1.0.0","repository":"file://../a","condition":"a.on","tags":["t"],"enabled":true,"import-values":[{"child":"x","parent":"y"},"data"],"alias":"b"}],' +
      '[{"name":"a","version":"1.0.0","repository":"file://../a"}]]';
    const expected = `sha256:${createHash('sha256').update(json).digest('hex')}`;
    const got = hashRequirements(
      [{ name: 'a', version: '>=1.0.0', repository: 'file://../a', condition: 'a.on', tags: ['t'], enabled: true, 'import-values': [{ parent: 'y', child: 'x' }, 'data'], alias: 'b' }],
      [{ name: 'a', version: '1.0.0', repository: 'file://../a' }],
    );
    assert.equal(got, expected);
  });

  it("takes a requirements.lock helm 2 wrote (a digest of the requirements alone) as in sync for a v1 chart only, as helm dependency build does", () => {
    const requested = [{ name: 'mysql', version: '~1.6.0', repository: 'https://charts.helm.sh/stable' }];
    const lock = {
      dependencies: [{ name: 'mysql', version: '1.6.2', repository: 'https://charts.helm.sh/stable' }],
      digest: `sha256:${createHash('sha256').update('{"dependencies":[{"name":"mysql","version":"~1.6.0","repository":"https://charts.helm.sh/stable"}]}').digest('hex')}`,
      generated: '2019-03-04T05:06:07.123456789Z',
    };
    assert.equal(lockInSync('v1', requested, lock), true);
    assert.equal(lockInSync('v2', requested, lock), false, 'helm refuses it for a v2 chart');
    assert.equal(lockInSync('v1', [{ ...requested[0]!, version: '~1.7.0' }], lock), false, 'requirements changed since');
    assert.equal(lockInSync('v2', requested, { ...lock, digest: hashRequirements(requested, lock.dependencies) }), true, "helm 3's digest");
  });
});

describe('file:// dependencies', () => {
  it('packages the dependency directory (its own .helmignore and dependencies too) and writes Chart.lock', async () => {
    const root = temp.make();
    writeFiles(join(root, 'lib'), { 'Chart.yaml': chartYaml('lib', '1.2.0', 'type: library\n'), 'templates/_x.tpl': 'x\n', 'notes.tmp': 'no\n', '.helmignore': '*.tmp\n' });
    writeFiles(join(root, 'mid'), {
      'Chart.yaml': chartYaml('mid', '0.3.0', 'dependencies:\n  - name: lib\n    version: ^1.0.0\n    repository: file://../lib\n'),
      'templates/m.yaml': 'm\n',
    });
    const app = writeFiles(join(root, 'app'), {
      'Chart.yaml': chartYaml(
        'app',
        '1.0.0',
        'dependencies:\n  # a comment helm drops\n  - name: mid\n    version: ">=0.1.0 <1.0.0"\n    repository: "file://../mid"\n    condition: mid.enabled\n    alias: middle\n    import-values:\n      - child: a\n        parent: b\n',
      ),
    });
    const pkg = await packageChart(app, { sourceDate: EPOCH });
    const entries = await parseTgz(pkg.archive);
    assert.deepEqual(
      entries.map((e) => e.path),
      [
        'app/Chart.yaml',
        'app/Chart.lock',
        'app/charts/mid/Chart.yaml',
        'app/charts/mid/Chart.lock',
        'app/charts/mid/templates/m.yaml',
        'app/charts/mid/charts/lib/Chart.yaml',
        'app/charts/mid/charts/lib/templates/_x.tpl',
        'app/charts/mid/charts/lib/.helmignore',
      ],
    );
    // helm re-marshals Chart.yaml: the comment and the quoting go, keys are sorted, `>=…` needs single quotes.
    assert.equal(
      entries[0]!.data.toString(),
      [
        'apiVersion: v2',
        'dependencies:',
        '- alias: middle',
        '  condition: mid.enabled',
        '  import-values:',
        '  - child: a',
        '    parent: b',
        '  name: mid',
        '  repository: file://../mid',
        "  version: '>=0.1.0 <1.0.0'",
        'name: app',
        'version: 1.0.0',
        '',
      ].join('\n'),
    );
    const lock = lockOf(entries, 'app/Chart.lock');
    assert.deepEqual(lock.dependencies, [{ name: 'mid', repository: 'file://../mid', version: '0.3.0' }]);
    assert.equal(lock.digest, hashRequirements(pkg.metadata.dependencies!, lock.dependencies));
    assert.equal(lock.generated, '2024-06-01T00:00:00Z');
    assert.equal(entries[1]!.data.toString(), `dependencies:\n- name: mid\n  repository: file://../mid\n  version: 0.3.0\ndigest: ${lock.digest}\ngenerated: "2024-06-01T00:00:00Z"\n`);
    assert.deepEqual(lockOf(entries, 'app/charts/mid/Chart.lock').dependencies, [{ name: 'lib', repository: 'file://../lib', version: '1.2.0' }]);
    assert.deepEqual(readdirSync(app), ['Chart.yaml'], 'the chart directory is left alone');
  });

  it('fails on a version outside the range, a missing directory and a cycle', async () => {
    const root = temp.make();
    writeFiles(join(root, 'lib'), { 'Chart.yaml': chartYaml('lib', '2.0.0') });
    const app = writeFiles(join(root, 'app'), { 'Chart.yaml': chartYaml('app', '1.0.0', 'dependencies:\n  - name: lib\n    version: ^1.0.0\n    repository: file://../lib\n') });
    await assert.rejects(packageChart(app), (e: unknown) => e instanceof ChartshipError && e.field === 'dependencies[0]' && /2\.0\.0/.test(e.message));

    const gone = writeFiles(temp.make(), { 'Chart.yaml': chartYaml('app', '1.0.0', 'dependencies:\n  - name: x\n    version: 1.x\n    repository: file://./nowhere\n') });
    await assert.rejects(packageChart(gone), (e: unknown) => e instanceof ChartshipError && e.field === 'dependencies[0]' && e.file === join(gone, 'Chart.yaml'));

    const loop = temp.make();
    writeFiles(join(loop, 'a'), { 'Chart.yaml': chartYaml('a', '1.0.0', 'dependencies:\n  - name: b\n    version: 1.x\n    repository: file://../b\n') });
    writeFiles(join(loop, 'b'), { 'Chart.yaml': chartYaml('b', '1.0.0', 'dependencies:\n  - name: a\n    version: 1.x\n    repository: file://../a\n') });
    await assert.rejects(packageChart(join(loop, 'a')), (e: unknown) => e instanceof ChartshipError && e.code === 'DEPENDENCY_CYCLE');
  });
});

describe('charts/ dependencies', () => {
  it('accepts a matching chart in charts/ (dir or .tgz) and keeps the Chart.lock it has (a lock helm wrote comes out unchanged)', async () => {
    const lockText = 'dependencies:\n- name: sub\n  repository: ""\n  version: 1.x\ndigest: sha256:abc\ngenerated: "2020-01-01T00:00:00Z"\n';
    const dir = writeFiles(temp.make(), {
      'Chart.yaml': chartYaml('app', '1.0.0', 'dependencies:\n  - name: sub\n    version: 1.x\n  - name: packed\n    version: ~0.2.0\n'),
      'Chart.lock': lockText,
      'charts/sub/Chart.yaml': chartYaml('sub', '1.4.0'),
      'charts/packed-0.2.1.tgz': await archiveOf('packed', '0.2.1'),
      'charts/.gitkeep': '',
      'charts/_notes/x': 'skipped like helm',
    });
    const entries = await parseTgz((await packageChart(dir, { sourceDate: EPOCH })).archive);
    assert.equal(entries.find((e) => e.path === 'app/Chart.lock')?.data.toString(), lockText);
    assert.deepEqual(
      entries.filter((e) => e.path.includes('/charts/')).map((e) => e.path),
      ['app/charts/packed/Chart.yaml', 'app/charts/packed/templates/cm.yaml', 'app/charts/sub/Chart.yaml'],
    );
  });

  it('names Chart.yaml and dependencies[i] when a dependency is missing or the wrong version', async () => {
    const dir = writeFiles(temp.make(), {
      'Chart.yaml': chartYaml('app', '1.0.0', 'dependencies:\n  - name: here\n    version: 1.x\n  - name: gone\n    version: 1.x\n'),
      'charts/here/Chart.yaml': chartYaml('here', '1.0.0'),
    });
    await assert.rejects(packageChart(dir), (e: unknown) => e instanceof ChartshipError && e.file === join(dir, 'Chart.yaml') && e.field === 'dependencies[1]' && e.line === 7);
  });

  it('packages a vendored subchart outside its constraint, as helm does, and says which version met which constraint', async () => {
    // The repository is not even looked at: `helm package` only asks for a subchart of that name.
    const old = writeFiles(temp.make(), {
      'Chart.yaml': chartYaml('app', '1.0.0', 'dependencies:\n  - name: here\n    version: ^2.0.0\n    repository: file://../nowhere\n'),
      'charts/here/Chart.yaml': chartYaml('here', '1.0.0'),
    });
    const pkg = await packageChart(old, { sourceDate: EPOCH });
    assert.deepEqual((await parseTgz(pkg.archive)).map((e) => e.path), ['app/Chart.yaml', 'app/charts/here/Chart.yaml']);
    assert.equal(pkg.warnings.length, 1);
    assert.equal(pkg.warnings[0]!.field, 'dependencies[0]');
    assert.equal(pkg.warnings[0]!.line, 5);
    assert.match(pkg.warnings[0]!.message, /^here in charts\/ is version 1\.0\.0, outside "\^2\.0\.0"; packaged as helm packages it$/);
  });
});

describe('oci:// dependencies from a real registry', () => {
  let registry: TestRegistry;
  before(async () => {
    registry = await startRegistry({ auth: 'none' });
    const target = openTarget(`oci://${registry.host}/deps`, { plainHttp: true });
    try {
      for (const v of ['1.0.0', '1.1.0', '1.2.0-rc.1', '2.0.0']) await target.pushChart({ archive: await archiveOf('redis', v) });
    } finally {
      await target.close();
    }
  });
  after(async () => registry?.stop());

  it('resolves the range against the tag list (highest stable match) and pulls the chart', async () => {
    const repository = `oci://${registry.host}/deps`;
    const dir = writeFiles(temp.make(), { 'Chart.yaml': chartYaml('app', '1.0.0', `dependencies:\n  - name: redis\n    version: ^1.0.0\n    repository: ${repository}\n`) });
    const pkg = await packageChart(dir, { sourceDate: EPOCH, dependencies: { oci: { plainHttp: true } } });
    const entries = await parseTgz(pkg.archive);
    assert.equal(entries.find((e) => e.path === 'app/charts/redis/templates/cm.yaml')?.data.toString(), 'name: redis-1.1.0\n');
    assert.deepEqual(lockOf(entries, 'app/Chart.lock').dependencies, [{ name: 'redis', repository, version: '1.1.0' }]);
  });

  it('uses the version pinned by an in-sync Chart.lock', async () => {
    const repository = `oci://${registry.host}/deps`;
    const chartText = chartYaml('app', '1.0.0', `dependencies:\n  - name: redis\n    version: ^1.0.0\n    repository: ${repository}\n`);
    const deps = parseChartYaml(chartText, 'Chart.yaml').metadata.dependencies!;
    const locked = [{ name: 'redis', repository, version: '1.0.0' }];
    const lockText = `dependencies:\n- name: redis\n  repository: ${repository}\n  version: 1.0.0\ndigest: ${hashRequirements(deps, locked)}\ngenerated: "2023-05-05T05:05:05.5Z"\n`;
    const dir = writeFiles(temp.make(), { 'Chart.yaml': chartText, 'Chart.lock': lockText });
    const entries = await parseTgz((await packageChart(dir, { sourceDate: EPOCH, dependencies: { oci: { plainHttp: true } } })).archive);
    assert.equal(entries.find((e) => e.path === 'app/charts/redis/templates/cm.yaml')?.data.toString(), 'name: redis-1.0.0\n');
    assert.equal(entries.find((e) => e.path === 'app/Chart.lock')?.data.toString(), lockText, 'an in-sync lock written by helm re-marshals to the same bytes');
  });

  it('fails naming dependencies[i] when no tag matches', async () => {
    const dir = writeFiles(temp.make(), { 'Chart.yaml': chartYaml('app', '1.0.0', `dependencies:\n  - name: redis\n    version: ^3.0.0\n    repository: oci://${registry.host}/deps\n`) });
    await assert.rejects(
      packageChart(dir, { dependencies: { oci: { plainHttp: true } } }),
      (e: unknown) => e instanceof ChartshipError && e.field === 'dependencies[0]' && /\^3\.0\.0/.test(e.message) && /2\.0\.0/.test(e.hint ?? ''),
    );
  });
});

describe('https:// chart repository dependencies (local HTTP server)', () => {
  let server: Server;
  let base: string;
  const hits: string[] = [];
  const archives = new Map<string, Buffer>();
  let corrupt = false;

  before(async () => {
    for (const v of ['0.9.0', '1.0.0', '1.0.3', '1.1.0']) archives.set(v, await archiveOf('nginx', v));
    const sha = (v: string) => createHash('sha256').update(archives.get(v)!).digest('hex');
    server = createServer((req, res) => {
      hits.push(req.url ?? '');
      if (req.url === '/repo/index.yaml') {
        const entries = [...archives.keys()].map((v) => `  - name: nginx\n    version: ${v}\n    digest: ${sha(v)}\n    urls:\n      - ${v === '1.0.3' ? `${base}/elsewhere/nginx-${v}.tgz` : `charts/nginx-${v}.tgz`}\n`);
        res.end(`apiVersion: v1\nentries:\n  nginx:\n${entries.join('')}generated: "2024-01-01T00:00:00Z"\n`);
        return;
      }
      const match = /^\/repo\/charts\/nginx-(.+)\.tgz$|^\/elsewhere\/nginx-(.+)\.tgz$/.exec(req.url ?? '');
      const data = match ? archives.get(match[1] ?? match[2]!) : undefined;
      if (!data) {
        res.statusCode = 404;
        res.end('not found');
        return;
      }
      res.end(corrupt ? Buffer.concat([data, Buffer.from('x')]) : data);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  function app(range: string): string {
    return writeFiles(temp.make(), { 'Chart.yaml': chartYaml('app', '1.0.0', `dependencies:\n  - name: nginx\n    version: "${range}"\n    repository: ${base}/repo\n`) });
  }

  it('picks the highest version in range, resolves urls[0] against the repository, and caches the download', async () => {
    const cacheDir = temp.make();
    hits.length = 0;
    const first = await packageChart(app('~1.0.0'), { sourceDate: EPOCH, dependencies: { cacheDir } });
    const entries = await parseTgz(first.archive);
    assert.equal(entries.find((e) => e.path === 'app/charts/nginx/templates/cm.yaml')?.data.toString(), 'name: nginx-1.0.3\n');
    assert.deepEqual(lockOf(entries, 'app/Chart.lock').dependencies, [{ name: 'nginx', repository: `${base}/repo`, version: '1.0.3' }]);
    assert.deepEqual(hits, ['/repo/index.yaml', '/elsewhere/nginx-1.0.3.tgz']);
    assert.equal(readdirSync(cacheDir).filter((f) => f.endsWith('.tgz')).length, 1);

    hits.length = 0;
    const second = await packageChart(app('~1.0.0'), { sourceDate: EPOCH, dependencies: { cacheDir } });
    assert.deepEqual(hits, ['/repo/index.yaml'], 'the archive came from the cache');
    assert.equal(second.sha256, first.sha256);

    const relative = await parseTgz((await packageChart(app('>=1.0.0 <2'), { sourceDate: EPOCH })).archive);
    assert.equal(relative.find((e) => e.path === 'app/charts/nginx/templates/cm.yaml')?.data.toString(), 'name: nginx-1.1.0\n');
  });

  it('refuses a download that does not match the index digest, and a range nothing matches', async () => {
    corrupt = true;
    try {
      await assert.rejects(packageChart(app('1.1.0')), (e: unknown) => e instanceof ChartshipError && e.code === 'DIGEST_MISMATCH' && e.field === 'dependencies[0]');
    } finally {
      corrupt = false;
    }
    await assert.rejects(packageChart(app('^5.0.0')), (e: unknown) => e instanceof ChartshipError && e.code === 'DEPENDENCY_NOT_FOUND' && e.field === 'dependencies[0]');
  });

  it('refuses plain http:// to a host that is not loopback', async () => {
    const dir = writeFiles(temp.make(), { 'Chart.yaml': chartYaml('app', '1.0.0', 'dependencies:\n  - name: nginx\n    version: 1.x\n    repository: http://charts.example.com/repo\n') });
    await assert.rejects(packageChart(dir), (e: unknown) => e instanceof ChartshipError && e.code === 'INSECURE_REPOSITORY');
  });
});
