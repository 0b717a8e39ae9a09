/**
 * A large classic repository index.yaml (the shape of a public one, written as helm writes it: CHARTS charts × VERSIONS
 * versions, each entry with annotations and a multi-line `images` block, dependencies, maintainers, keywords, sources,
 * a long description folded over lines, urls, a digest and a `created`; ≈ 20 MB by default; the same bytes every
 * run) served from 127.0.0.1, and a
 * chart `app` depending on one of its charts by URL. Each round times, as users run them and interleaved:
 * `node cli.js package app` (the dependency resolved against the index, its archive fetched and packaged),
 * `--baseline` another build's cli.js the same way, and `helm dependency update app` with helm 3 and helm 4 (each
 * with a home of its own and an empty cache). Wall time and peak memory (the whole process, from /usr/bin/time) are
 * printed per tool, median of the rounds, with the version each picked (all must pick the same). Asserts nothing
 * but that agreement.
 *
 *   npm run bench:index-yaml [-- [--rounds R] [--charts N] [--versions M] [--target first|middle|last]
 *                                 [--cli dist/cli.js] [--baseline OTHER/cli.js] [--serve SECONDS]]
 *
 * `--serve SECONDS` writes the index and the chart, prints the commands that time each tool alone, and keeps the
 * server up that long (for an outside timer).
 */
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chartArchive } from '../test/helpers/registry-charts.js';
import { helmBinary, HELM_MAJORS } from '../test/helpers/helm.js';
import { emptyIndex, indexEntry, putIndexEntry, renderRepositoryIndex } from '../src/charts/repo-index.js';
import type { ChartMetadata } from '../src/model/metadata.js';
import { load, median } from './figures.js';

const option = (name: string): string | undefined => ((at) => (at >= 0 ? process.argv[at + 1] : undefined))(process.argv.indexOf(name));
const ROUNDS = Number(option('--rounds') ?? 3);
const CHARTS = Number(option('--charts') ?? 1100);
const VERSIONS = Number(option('--versions') ?? 12);
const TARGET = (option('--target') ?? 'middle') as 'first' | 'middle' | 'last';
const CLI = resolve(option('--cli') ?? join(import.meta.dirname, '..', 'dist', 'cli.js'));
const BASELINE = option('--baseline') === undefined ? undefined : resolve(option('--baseline')!);
const SERVE = option('--serve') === undefined ? undefined : Number(option('--serve'));

const WORDS = ['apache', 'kafka', 'redis', 'mongo', 'postgres', 'mysql', 'nginx', 'grafana', 'loki', 'tempo', 'keycloak', 'minio', 'rabbit', 'etcd', 'consul', 'vault', 'harbor', 'argo', 'flux', 'jenkins', 'gitea', 'sonar', 'elastic', 'kibana', 'fluent', 'jaeger', 'zipkin', 'thanos', 'cortex', 'memcached', 'cassandra', 'spark', 'airflow', 'superset', 'metabase', 'ghost', 'wordpress', 'drupal', 'joomla', 'magento'];
const SUFFIXES = ['', '-operator', '-exporter', '-proxy', '-gateway', '-agent', '-cluster', '-ha', '-ui', '-sidecar', '-cache', '-worker', '-controller', '-web', '-api', '-db', '-sync', '-backup', '-mesh', '-lite', '-pro', '-edge', '-core', '-stack', '-tools', '-relay', '-router', '-scheduler', '-batch', '-stream', '-search'];

/** A deterministic stream of numbers (mulberry32), so every run writes the same index. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface GeneratedIndex {
  text: string;
  /** The chart `app` depends on, its archives by version (the only ones served), and the constraint it asks. */
  target: string;
  archives: Map<string, Buffer>;
  constraint: string;
  /** The version helm picks for the constraint: the highest of the target's major. */
  expected: string;
}

/**
 * CHARTS × VERSIONS entries, written by helm's own writer (renderRepositoryIndex: keys sorted, long scalars folded
 * past column 80, multi-line text as a literal block), the target chart `first`, `middle` or `last` by name.
 */
export function generateIndex(charts: number, versions: number, target: 'first' | 'middle' | 'last', base: string): GeneratedIndex {
  const next = random(42);
  const pick = <T>(list: T[]): T => list[Math.floor(next() * list.length)]!;
  const names: string[] = [];
  for (let i = 0; names.length < charts; i++) names.push(`${WORDS[i % WORDS.length]}${SUFFIXES[Math.floor(i / WORDS.length) % SUFFIXES.length]}${i >= WORDS.length * SUFFIXES.length ? `-${Math.floor(i / (WORDS.length * SUFFIXES.length))}` : ''}`);
  names.sort();
  const targetName = target === 'first' ? names[0]! : target === 'last' ? names[names.length - 1]! : names[Math.floor(names.length / 2)]!;
  const archives = new Map<string, Buffer>();
  const index = emptyIndex();
  let expected = '';
  for (const name of names) {
    let major = 3 + Math.floor(next() * 20);
    let minor = Math.floor(next() * 5);
    let patch = Math.floor(next() * 3) + versions;
    for (let v = 0; v < versions; v++) {
      // Newest first; a new major now and then.
      if (patch === 0) {
        if (minor === 0) {
          major -= 1;
          minor = 4;
        } else minor -= 1;
        patch = 6;
      }
      patch -= 1;
      const version = `${major}.${minor}.${patch}`;
      const appVersion = `${1 + Math.floor(next() * 9)}.${Math.floor(next() * 30)}.${Math.floor(next() * 12)}`;
      const file = `${name}-${version}.tgz`;
      let digest: string;
      if (name === targetName) {
        const archive = chartArchive({ name, version });
        archives.set(version, archive);
        digest = createHash('sha256').update(archive).digest('hex');
        if (!expected) expected = version;
      } else {
        digest = createHash('sha256').update(`${name}@${version}`).digest('hex');
      }
      const image = (component: string) => `- name: ${component}\n  image: docker.io/charts/${component}:${appVersion}-debian-12-r${Math.floor(next() * 40)}\n`;
      const dependency = pick(names);
      const metadata: ChartMetadata = {
        apiVersion: 'v2',
        name,
        version,
        appVersion,
        annotations: {
          category: pick(['Database', 'Infrastructure', 'Analytics', 'DeveloperTools', 'CMS', 'WorkFlow', 'LogManagement']),
          images: image(name) + image('os-shell') + image(`${name}-exporter`),
          licenses: pick(['Apache-2.0', 'MIT', 'BSD-3-Clause']),
          tanzuCategory: pick(['service', 'clusterUtility', 'application']),
        },
        dependencies: [
          { condition: `${dependency}.enabled`, name: dependency, repository: 'oci://registry-1.docker.io/charts', version: `${1 + Math.floor(next() * 20)}.x.x` },
          { name: 'common', repository: 'oci://registry-1.docker.io/charts', tags: ['charts-common'], version: '2.x.x' },
        ],
        description: `${pick(['', '', '', '', 'Deprecated: '])}${name} is a widely used open source ${pick(['database', 'message broker', 'monitoring system', 'web server', 'workflow engine'])} packaged for Kubernetes. It ships with sensible defaults for production, supports high availability with ${pick(['replication', 'clustering', 'sharding'])}, metrics for Prometheus, network policies and TLS everywhere.`,
        home: 'https://example.com/charts',
        icon: `https://example.com/assets/stacks/${name}/img/${name}-stack-220x234.png`,
        keywords: [name, pick(['database', 'cache', 'proxy', 'queue', 'analytics'])],
        maintainers: [{ name: 'Example, Inc. All Rights Reserved.', url: 'https://github.com/example/charts' }],
        sources: [`https://github.com/example/charts/tree/main/example/${name}`],
      };
      const created = new Date(Date.UTC(2024, 11 - (v % 12), 1 + (v % 28), Math.floor(next() * 24), 14, Math.floor(next() * 60), Math.floor(next() * 1000)));
      const url = name === targetName ? `${base}/charts/${file}` : `https://charts.example.com/example/${file}`;
      putIndexEntry(index, indexEntry(metadata, { urls: [url], digest, created }));
    }
  }
  const constraint = `^${expected.split('.')[0]}.0.0`;
  return { text: renderRepositoryIndex(index, '2024-12-31T23:59:59.123456789Z'), target: targetName, archives, constraint, expected };
}

/** Serves `/index.yaml` (the text `body()` gives once the port is known) and the target's archives. */
function serve(index: GeneratedIndex, body: () => Buffer): Promise<{ server: Server; url: string }> {
  const server = createServer((request, response) => {
    const path = request.url ?? '';
    const archive = /^\/charts\/(.+)\.tgz$/.exec(path)?.[1]?.slice(index.target.length + 1);
    const found = path === '/index.yaml' ? body() : archive !== undefined ? index.archives.get(archive) : undefined;
    response.writeHead(found ? 200 : 404, { 'content-type': 'application/octet-stream' });
    response.end(found ?? '');
  });
  return new Promise((done) => server.listen(0, '127.0.0.1', () => done({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })));
}

interface Figure {
  wallMs: number;
  peakKb: number;
  /** The version of the target the tool fetched. */
  picked: string;
}

/** Runs a command under /usr/bin/time: its wall time and the peak memory of its largest process. */
function timed(command: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<{ wallMs: number; peakKb: number }> {
  return new Promise((done, fail) => {
    const report = join(cwd, `.time-${process.hrtime.bigint()}`);
    const start = process.hrtime.bigint();
    const child = spawn('/usr/bin/time', ['-f', '%M', '-o', report, ...command], { cwd, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => {
      const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
      if (code !== 0) return fail(new Error(`${command.join(' ')} exited ${code}: ${stderr.slice(-2000)}`));
      const peakKb = Number(readFileSync(report, 'utf8').trim().split('\n').pop());
      rmSync(report);
      done({ wallMs, peakKb });
    });
  });
}

/** A fresh copy of the app chart (no charts/, no lock): every tool resolves from scratch. */
function appChart(root: string, index: GeneratedIndex, url: string): string {
  const dir = join(root, 'app');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'templates'), { recursive: true });
  writeFileSync(
    join(dir, 'Chart.yaml'),
    `apiVersion: v2\nname: app\nversion: 1.0.0\ndependencies:\n  - name: ${index.target}\n    version: "${index.constraint}"\n    repository: ${url}\n`,
  );
  writeFileSync(join(dir, 'values.yaml'), 'replicaCount: 1\n');
  return dir;
}

async function chartship(cli: string, root: string, index: GeneratedIndex, url: string): Promise<Figure> {
  const dir = appChart(root, index, url);
  const out = join(root, 'out');
  rmSync(out, { recursive: true, force: true });
  const env = { ...process.env, HOME: join(root, 'home'), SOURCE_DATE_EPOCH: '0' };
  const figure = await timed([process.execPath, cli, 'package', dir, '-d', out], env, root);
  const lock = execFileSync('tar', ['-xzOf', join(out, 'app-1.0.0.tgz'), 'app/Chart.lock'], { encoding: 'utf8' });
  return { ...figure, picked: /^\s*version: (\S+)/m.exec(lock)?.[1] ?? '?' };
}

async function helm(major: number, root: string, index: GeneratedIndex, url: string): Promise<Figure> {
  const dir = appChart(root, index, url);
  const home = mkdtempSync(join(root, `helm${major}-`));
  const env = { PATH: process.env['PATH'], HOME: home, HELM_CONFIG_HOME: join(home, 'config'), HELM_CACHE_HOME: join(home, 'cache'), HELM_DATA_HOME: join(home, 'data') };
  try {
    const figure = await timed([helmBinary(major as 3 | 4), 'dependency', 'update', dir], env, root);
    const fetched = readdirSync(join(dir, 'charts')).find((f) => f.startsWith(`${index.target}-`)) ?? '?';
    return { ...figure, picked: fetched.slice(index.target.length + 1, -'.tgz'.length) };
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'chartship-bench-index-'));
  const placeholder = 'http://127.0.0.1:0';
  const generated = generateIndex(CHARTS, VERSIONS, TARGET, placeholder);
  let served = Buffer.alloc(0);
  const { server, url } = await serve(generated, () => served);
  // The target's urls are absolute, as chart-releaser writes them: they name the server's real port.
  const index = { ...generated, text: generated.text.replaceAll(`${placeholder}/`, `${url}/`) };
  served = Buffer.from(index.text);
  try {
    const bytes = Buffer.byteLength(index.text);
    console.log(`index.yaml: ${(bytes / 1e6).toFixed(1)} MB, ${CHARTS} charts × ${VERSIONS} versions; app depends on ${index.target} ${index.constraint} (helm picks ${index.expected}) at ${url}`);
    if (SERVE !== undefined) {
      writeFileSync(join(root, 'index.yaml'), index.text);
      const dir = appChart(root, index, url);
      console.log(`chart: ${dir}`);
      // helm leaves charts/ behind, which chartship would package as it is: each command starts without it.
      console.log(`chartship: sh -c 'rm -rf ${dir}/charts ${dir}/Chart.lock; SOURCE_DATE_EPOCH=0 exec ${process.execPath} ${CLI} package ${dir} -d ${join(root, 'out')}'`);
      for (const major of HELM_MAJORS) console.log(`helm ${major}: sh -c 'rm -rf ${dir}/charts ${dir}/Chart.lock /tmp/h${major}; HOME=/tmp/h${major} HELM_CACHE_HOME=/tmp/h${major}/c HELM_CONFIG_HOME=/tmp/h${major}/f HELM_DATA_HOME=/tmp/h${major}/d exec ${helmBinary(major)} dependency update ${dir}'`);
      console.log(`serving for ${SERVE} s`);
      await new Promise((done) => setTimeout(done, SERVE * 1000));
      return;
    }
    const tools: [string, () => Promise<Figure>][] = [
      ['chartship', () => chartship(CLI, root, index, url)],
      ...(BASELINE ? [['baseline', () => chartship(BASELINE, root, index, url)] as [string, () => Promise<Figure>]] : []),
      ...HELM_MAJORS.map((major) => [`helm ${major}`, () => helm(major, root, index, url)] as [string, () => Promise<Figure>]),
    ];
    const figures = new Map<string, Figure[]>(tools.map(([name]) => [name, []]));
    for (let round = 0; round < ROUNDS; round++) {
      for (const [name, run] of tools) figures.get(name)!.push(await run());
    }
    console.log(`load ${load()}; ${ROUNDS} rounds, interleaved; median wall, median peak memory (largest process)`);
    for (const [name, list] of figures) {
      const picked = [...new Set(list.map((f) => f.picked))].join(', ');
      console.log(`  ${name.padEnd(10)} ${(median(list.map((f) => f.wallMs)) / 1000).toFixed(2).padStart(7)} s  ${(median(list.map((f) => f.peakKb)) / 1024).toFixed(0).padStart(6)} MB  picked ${picked}`);
      if (picked !== index.expected) throw new Error(`${name} picked ${picked}, not ${index.expected}`);
    }
  } finally {
    server.closeAllConnections();
    await new Promise((done) => server.close(done));
    rmSync(root, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) await main();
