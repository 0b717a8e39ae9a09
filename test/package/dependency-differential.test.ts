/**
 * A differential table: each chart goes through chartship's dependency resolution and packaging, and through the
 * real helm 3 and 4 (`helm package --dependency-update`, or `helm dependency build` then `helm package`). What ends
 * up under charts/ in the archive (paths and bytes), the Chart.lock packaged (`generated` aside) and whether it fails
 * must be the same. Sources: oci:// on the local registry (tags helm ignores among them), an https-style index.yaml
 * on 127.0.0.1 (deprecated, several and relative urls, no digest, entries helm skips), file:// charts and charts/.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { cpSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse } from 'yaml';
import { openTarget } from '../../src/helm-oci/index.js';
import { ChartshipError } from '../../src/model/errors.js';
import { packageChart } from '../../src/pipeline/package.js';
import { HELM_MAJORS, isolatedHelm, type Helm, type HelmMajor } from '../helpers/helm.js';
import { chartArchive } from '../helpers/registry-charts.js';
import { putRawArtifact } from '../helpers/registry-raw.js';
import { startRegistry, type TestRegistry } from '../helpers/registry.js';
import { chartYaml, parseTgz, tempDirs, writeFiles } from './fixtures.js';

const temp = tempDirs();
const EPOCH = new Date('2024-06-01T00:00:00Z');
const NO_LOGIN = { HOME: '/nonexistent' };

/** Tags of oci://…/deps/dep pushed as chartship (and helm push) tag versions: `+` written `_`. */
const OCI_VERSIONS = ['0.1.0', '0.2.3', '0.2.9', '0.3.0', '1.0.0', '1.2.0', '1.2.3', '1.2.9', '1.3.0', '1.5.0+build.7', '1.9.0-rc.1', '2.0.0'];
/** Tags that are no strict SemVer: helm's tag list leaves them out, whatever chart they hold. */
const ODD_TAGS = ['v9.0.0', '9.1', 'latest'];

const sha = (data: Buffer) => createHash('sha256').update(data).digest('hex').slice(0, 12);

interface Outcome {
  /** `path sha` of every archive entry under app/charts/. */
  charts?: string[];
  /** The packaged Chart.lock (requirements.lock for apiVersion v1) without `generated`. */
  lock?: unknown;
  failed?: string;
}

async function outcomeOf(archive: Buffer): Promise<Outcome> {
  const entries = await parseTgz(archive);
  const lockEntry = entries.find((e) => e.path === 'app/Chart.lock' || e.path === 'app/requirements.lock');
  const lock = lockEntry ? (parse(lockEntry.data.toString()) as Record<string, unknown>) : undefined;
  if (lock) delete lock['generated'];
  // helm writes subcharts in Go map order (random): compared as a set.
  return { charts: entries.filter((e) => e.path.startsWith('app/charts/')).map((e) => `${e.path} ${sha(e.data)}`).sort(), lock };
}

interface Case {
  /** Files of the chart `app`; other top-level directories beside it (file:// targets) go in `beside`. */
  files: Record<string, string | Buffer>;
  beside?: Record<string, string | Buffer>;
  /** How helm gets the dependencies: `update` (helm package -u), `build` (dependency build, then package), `none`. */
  helm: 'update' | 'build' | 'none';
  /** helm packages two charts under one charts/<name>/ (entries repeated, one over the other when unpacked). */
  helmDuplicates?: true;
  /** helm 3 resolves differently (Masterminds v3.3 on prereleases); chartship follows helm 4. */
  helm3Differs?: true;
  /** What chartship's refusal says, when more than the Chart.yaml line and dependency (checked for every refusal). */
  refused?: RegExp;
}

describe('dependency resolution, chartship against helm 3 and 4', () => {
  let registry: TestRegistry;
  let index: Server;
  let indexUrl: string;
  let helmRepositories: string;
  const helms = new Map<HelmMajor, Helm>();

  before(async () => {
    registry = await startRegistry({ auth: 'none' });
    const target = openTarget(`oci://${registry.host}/deps`, { plainHttp: true, env: NO_LOGIN });
    try {
      for (const version of OCI_VERSIONS) await target.pushChart({ archive: chartArchive({ name: 'dep', version, files: { 'templates/cm.yaml': `version: ${version}\n` } }) });
    } finally {
      await target.close();
    }
    const odd = chartArchive({ name: 'dep', version: '9.0.0' });
    const config = Buffer.from(JSON.stringify({ name: 'dep', version: '9.0.0', apiVersion: 'v2' }));
    for (const tag of ODD_TAGS) {
      await putRawArtifact(registry.url, 'deps/dep', tag, {
        config: { mediaType: 'application/vnd.cncf.helm.config.v1+json', bytes: config },
        layers: [{ mediaType: 'application/vnd.cncf.helm.chart.content.v1.tar+gzip', bytes: odd }],
      });
    }
    ({ server: index, url: indexUrl } = await serveIndex());
    for (const major of HELM_MAJORS) {
      const helm = isolatedHelm(major);
      helms.set(major, helm);
      await helm.run(['repo', 'add', 'named', indexUrl]);
    }
    helmRepositories = join(helms.get(4)!.home, 'config', 'repositories.yaml');
  });
  after(async () => {
    await registry?.stop();
    index?.closeAllConnections();
    await new Promise((resolve) => index?.close(resolve));
    for (const helm of helms.values()) helm.cleanup();
    temp.cleanup();
  });

  function materialise(c: Case): string {
    const root = temp.make('chartship-diff-');
    writeFiles(join(root, 'app'), c.files);
    if (c.beside) writeFiles(root, c.beside);
    return join(root, 'app');
  }

  async function chartship(dir: string): Promise<Outcome> {
    try {
      const env = { ...NO_LOGIN, HELM_REPOSITORY_CONFIG: helmRepositories };
      return await outcomeOf((await packageChart(dir, { sourceDate: EPOCH, dependencies: { oci: { plainHttp: true, env } } })).archive);
    } catch (error) {
      return { failed: error instanceof ChartshipError ? error.describe() : String(error) };
    }
  }

  async function helm(major: HelmMajor, source: string, mode: Case['helm']): Promise<Outcome> {
    const root = temp.make('chartship-diff-helm-');
    cpSync(join(source, '..'), root, { recursive: true });
    const dir = join(root, 'app');
    const run = helms.get(major)!;
    try {
      if (mode === 'build') await run.run(['dependency', 'build', dir, '--plain-http']);
      await run.run(['package', dir, '-d', root, ...(mode === 'update' ? ['--dependency-update', '--plain-http'] : [])]);
      const archive = readdirSync(root).find((f) => f.startsWith('app-') && f.endsWith('.tgz'))!;
      return await outcomeOf(readFileSync(join(root, archive)));
    } catch (error) {
      return { failed: String(error) };
    }
  }

  const oci = () => `oci://${registry.host}/deps`;

  const one = (repository: string, name: string, constraint: string, extra = ''): Record<string, string> => ({
    'Chart.yaml': chartYaml('app', '0.1.0', `dependencies:\n  - name: ${name}\n    version: ${JSON.stringify(constraint)}\n    repository: ${JSON.stringify(repository)}\n${extra}`),
  });

  const OCI_CONSTRAINTS = ['~1.2', '~1.2.3', '^0.2.3', '^1', '1.x', '1.2.x', '*', '>=1.0 <2.0', '>= 1.0, < 2.0', '1.0 - 2.0', '~1.2 || ^0.2', '=1.0.0', '!=2.0.0', '>=1.9.0-0', '>1.4 <1.6', '1.5.0+build.7', '>=1.0.0-0 <1.9.0'];
  /** helm 3.17 (Masterminds v3.3) admits a prerelease only to the comparison that names one, and to `!=`. */
  const HELM3_PRERELEASES = new Set(['!=2.0.0', '>=1.0.0-0 <1.9.0', '>=1.3.0-0 <1.4.0']);
  const HTTP_CONSTRAINTS = ['*', '>=2.0.0 <3.0.0', '~2.0.0', '~1.5', '~1.4', '~1.4 || ~1.3.0-0', '1.0.0', '~1.1', '1.2.x', '>=1.3.0-0 <1.4.0', '~1.0.0'];

  const CASES: [string, () => Case][] = [
    ...OCI_CONSTRAINTS.map((c): [string, () => Case] => [
      `oci:// ${JSON.stringify(c)} against a tag list with build metadata as _ and tags that are no SemVer`,
      () => ({ files: one(oci(), 'dep', c), helm: 'update', ...(HELM3_PRERELEASES.has(c) ? { helm3Differs: true as const } : {}) }),
    ]),
    ...HTTP_CONSTRAINTS.map((c): [string, () => Case] => [
      `index.yaml ${JSON.stringify(c)}: deprecated, absolute and ../ urls, no digest, no urls, an invalid entry, loose versions, build metadata`,
      () => ({ files: one(indexUrl, 'web', c), helm: 'update', ...(HELM3_PRERELEASES.has(c) ? { helm3Differs: true as const } : {}) }),
    ]),
    ['oci:// v1.2.3 and 1.2: read as exact versions, pulled by that tag, which the registry does not have', () => ({ files: one(oci(), 'dep', 'v1.2.3'), helm: 'update' })],
    ['oci:// 1.2 read as the exact tag 1.2', () => ({ files: one(oci(), 'dep', '1.2'), helm: 'update' })],
    ['a constraint helm refuses', () => ({ files: one(oci(), 'dep', '>= 1.0 foo'), helm: 'update', refused: /dependencies\[0\]\.version: ">= 1\.0 foo" is not a valid version constraint/ })],
    ['@name and alias:name through the repositories.yaml helm repo add wrote', () => ({
      files: { 'Chart.yaml': chartYaml('app', '0.1.0', `dependencies:\n  - name: web\n    version: ~2.0.0\n    repository: "@named"\n  - name: dep\n    version: ~1.2\n    repository: ${oci()}\n`) },
      helm: 'update',
    })],
    ['alias:name', () => ({ files: one('alias:named', 'web', '>=2.0.0 <3.0.0'), helm: 'update' })],
    ['the same chart under two aliases at one version: fetched once, one subchart', () => ({
      files: { 'Chart.yaml': chartYaml('app', '0.1.0', `dependencies:\n  - name: dep\n    alias: a\n    version: ~1.2\n    repository: ${oci()}\n  - name: dep\n    alias: b\n    version: 1.2.9\n    repository: ${oci()}\n`) },
      helm: 'update',
    })],
    ['the same chart under two aliases at two versions: helm packages both as charts/dep/, chartship refuses', () => ({
      files: { 'Chart.yaml': chartYaml('app', '0.1.0', `dependencies:\n  - name: dep\n    alias: a\n    version: ~1.2\n    repository: ${oci()}\n  - name: dep\n    alias: b\n    version: ^0.2.3\n    repository: ${oci()}\n`) },
      helm: 'update',
      helmDuplicates: true,
      refused: /dependencies\[1\]: dep resolves to 1\.2\.9 for dependencies\[0\] and to 0\.2\.9 here: helm packages both as charts\/dep\//,
    })],
    ['file:// with .., alias, condition, tags, import-values, twice, beside a vendored directory with repository ""', () => ({
      files: {
        'Chart.yaml': chartYaml('app', '0.1.0', `dependencies:\n  - name: lib\n    alias: one\n    version: ">=0.1.0"\n    repository: file://../libs/../lib\n    condition: one.enabled\n    tags: [a]\n    import-values: [data]\n  - name: lib\n    alias: two\n    version: 0.3.0\n    repository: file://../lib\n  - name: vend\n    version: 1.0.0\n    repository: ""\n`),
        'charts/vend/Chart.yaml': chartYaml('vend', '1.0.0'),
        'charts/vend/values.yaml': 'x: 1\n',
      },
      beside: { 'lib/Chart.yaml': chartYaml('lib', '0.3.0'), 'lib/values.yaml': 'exports:\n  data:\n    a: 1\n', 'lib/templates/x.yaml': 'k: v\n', 'libs/.keep': '' },
      helm: 'update',
    })],
    ['apiVersion v1: requirements.yaml, locked in requirements.lock', () => ({
      files: {
        'Chart.yaml': 'apiVersion: v1\nname: app\nversion: 0.1.0\n',
        'requirements.yaml': `dependencies:\n  - name: dep\n    version: ^0.2.3\n    repository: ${oci()}\n  - name: web\n    version: 1.0.0\n    repository: ${indexUrl}\n`,
      },
      helm: 'update',
    })],
    ['no version: helm refuses an empty constraint', () => ({ files: { 'Chart.yaml': chartYaml('app', '0.1.0', `dependencies:\n  - name: dep\n    repository: ${oci()}\n`) }, helm: 'update' })],
    ['repository "" with nothing in charts/', () => ({ files: one('', 'vend', '1.0.0'), helm: 'update', refused: /dependencies\[0\]: vend is missing from charts\// })],
    ['a file:// chart outside its constraint', () => ({ files: one('file://../lib', 'lib', '^1.0.0'), beside: { 'lib/Chart.yaml': chartYaml('lib', '0.3.0') }, helm: 'update' })],
    ['a vendored .tgz with repository "": packaged as helm package packages it, no lock written', () => ({
      files: {
        'Chart.yaml': chartYaml('app', '0.1.0', `dependencies:\n  - name: vend\n    version: 1.0.0\n    repository: ""\n`),
        'charts/vend-1.0.0.tgz': chartArchive({ name: 'vend', version: '1.0.0' }),
      },
      helm: 'none',
    })],
  ];

  for (const [name, make] of CASES) {
    it(name, async () => {
      const c = make();
      const dir = materialise(c);
      const [ours, ...theirs] = await Promise.all([chartship(dir), ...HELM_MAJORS.map((major) => helm(major, dir, c.helm))]);
      if (process.env['DIFF_DEBUG']) console.log(JSON.stringify({ ours, theirs }, null, 1));
      // A refusal is compared as one; chartship's must name the Chart.yaml line and the dependency.
      if (ours.failed) assert.match(ours.failed, c.refused ?? /\/app\/Chart\.yaml:\d+:\d+: dependencies\[\d+\]/);
      if (c.helmDuplicates) {
        for (const outcome of theirs) {
          const paths = (outcome.charts ?? []).map((e) => e.split(' ')[0]);
          assert.ok(new Set(paths).size < paths.length, 'helm repeats entries');
        }
        assert.ok(ours.failed, 'chartship refuses');
        return;
      }
      const judged = (o: Outcome) => (o.failed ? { failed: true } : o);
      HELM_MAJORS.forEach((major, i) => {
        if (major === 3 && c.helm3Differs) assert.notDeepEqual(judged(theirs[i]!), judged(ours), 'helm 3 differs here (Masterminds v3.3)');
        else assert.deepEqual(judged(ours), judged(theirs[i]!), `helm ${major}${theirs[i]!.failed ? `: ${theirs[i]!.failed}` : ''}`);
      });
    });
  }

  it('helm dependency build takes the Chart.lock chartship writes as in sync, and builds the same charts/ from it', async () => {
    const dir = materialise({
      files: {
        'Chart.yaml': chartYaml('app', '0.1.0', `dependencies:\n  - name: dep\n    version: ~1.2\n    repository: ${oci()}\n  - name: web\n    version: ~2.0.0\n    repository: "@named"\n  - name: lib\n    version: "*"\n    repository: file://../lib\n`),
      },
      beside: { 'lib/Chart.yaml': chartYaml('lib', '0.3.0') },
      helm: 'build',
    });
    const env = { ...NO_LOGIN, HELM_REPOSITORY_CONFIG: helmRepositories };
    const packaged = await packageChart(dir, { sourceDate: EPOCH, dependencies: { oci: { plainHttp: true, env } } });
    const lock = (await parseTgz(packaged.archive)).find((e) => e.path === 'app/Chart.lock');
    assert.ok(lock, 'chartship packages the lock it resolved');
    writeFiles(dir, { 'Chart.lock': lock.data });
    const ours = await outcomeOf(packaged.archive);
    for (const major of HELM_MAJORS) assert.deepEqual(await helm(major, dir, 'build'), ours, `helm ${major}`);
  });
});

/** An index.yaml with the entries real repositories have, and the archives it points at. */
async function serveIndex(): Promise<{ server: Server; url: string }> {
  const files = new Map<string, Buffer>();
  const server = createServer((req, res) => {
    const body = files.get(req.url ?? '');
    res.writeHead(body ? 200 : 404);
    res.end(body ?? 'not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const entries: string[] = [];
  const add = (version: string, at: string, entry: { urls?: string[]; digest?: boolean; extra?: string } = {}) => {
    const archive = chartArchive({ name: 'web', version, files: { 'templates/cm.yaml': `version: ${version}\n` } });
    files.set(at, archive);
    const urls = entry.urls ?? [at.replace('/repo/', '')];
    const digest = entry.digest === false ? '' : `    digest: ${createHash('sha256').update(archive).digest('hex')}\n`;
    entries.push(`  - apiVersion: v2\n    name: web\n    version: "${version}"\n${digest}${entry.extra ?? ''}    urls:\n${urls.map((u) => `    - ${u}\n`).join('')}`);
  };
  add('3.0.0', '/repo/web-3.0.0.tgz', { extra: '    deprecated: true\n' });
  add('2.1.0', '/other/web-2.1.0.tgz', { urls: [`${origin}/other/web-2.1.0.tgz`, 'missing.tgz'], digest: false });
  add('2.0.0', '/elsewhere/web-2.0.0.tgz', { urls: ['../elsewhere/web-2.0.0.tgz'] });
  add('1.5.0', '/repo/web-1.5.0.tgz', { urls: [] });
  add('1.4.0', '/repo/web-1.4.0.tgz', { extra: '    type: foo\n' });
  add('1.3.0-rc.1', '/repo/web-1.3.0-rc.1.tgz');
  add('1.2', '/repo/web-1.2.tgz');
  add('v1.1.0', '/repo/web-v1.1.0.tgz');
  add('1.0.0+build.1', '/repo/web-1.0.0+build.1.tgz');
  add('1.0.0+build.2', '/repo/web-1.0.0+build.2.tgz');
  add('latest', '/repo/web-latest.tgz');
  files.set('/repo/index.yaml', Buffer.from(`apiVersion: v1\nentries:\n  web:\n${entries.join('')}generated: "2024-01-01T00:00:00Z"\n`));
  return { server, url: `${origin}/repo` };
}
