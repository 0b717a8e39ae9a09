/**
 * bench/side-by-side: the helm loop (`helm package` + `helm push` per chart, helm 3 and helm 4) and
 * `node cli.js publish` (the CLI bundled from the current sources) on the same changed charts, against the same
 * local docker-registry, in one run. Prints wall times and ratios, registry requests per chart (from the registry's
 * access log), cold start (hrtime around spawn, median of several runs) and the size of what the build writes to
 * dist/ with what takes the space (esbuild's metafile, by package). Asserts nothing: the machine may be shared, so it
 * also prints the load average.
 *
 *   npm run bench:side-by-side                     # 100 charts, 3 rounds
 *   BENCH_CHARTS=20 BENCH_ROUNDS=1 npm run bench:side-by-side
 *   npm run bench:side-by-side -- --cold-start     # the cold-start table only
 *   npm run bench:side-by-side -- --cold-start --baseline /tmp/main-dist
 *                                                  # … with another build's `plan` (e.g. main's) interleaved
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { isolatedHelm, pathWithHelm, type HelmMajor } from '../test/helpers/helm.js';
import { procCpuMs } from '../test/helpers/proc-cpu.js';
import { GIT_ENV, load, median } from './figures.js';
import { startRegistry, type TestRegistry } from '../test/helpers/registry.js';

const CHARTS = Number(process.env['BENCH_CHARTS'] ?? 100);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 3);
const COLD_RUNS = Number(process.env['BENCH_COLD_RUNS'] ?? 15);
const COLD_ONLY = process.argv.includes('--cold-start');
const BASELINE = ((at) => (at > 0 ? process.argv[at + 1] : undefined))(process.argv.indexOf('--baseline'));

const ms = (value: number): string => `${value.toFixed(0)} ms`;

/**
 * Spawns a command and resolves with the time to its first byte on stdout or stderr and to its exit (both in ms).
 * Rejects when it exits non-zero unless `allowFailure`.
 */
function timed(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv; allowFailure?: boolean; until?: RegExp }): Promise<{ first: number; total: number; out: string; stdout: string; reached?: number }> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const elapsed = () => Number(process.hrtime.bigint() - started) / 1e6;
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, timeout: 600_000 });
    let first: number | undefined;
    // When the output first matched `until` (a line of substance after a header).
    let reached: number | undefined;
    let out = '';
    // stdout alone too: what a command prints on stderr (a warning after the report) may come between its chunks.
    let stdout = '';
    const data = (chunk: Buffer) => {
      first ??= elapsed();
      out += chunk.toString();
      if (reached === undefined && options.until?.test(out)) reached = elapsed();
    };
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      data(chunk);
    });
    child.stderr.on('data', data);
    child.stdin.end();
    child.on('error', reject);
    child.on('close', (status) => {
      const total = elapsed();
      if (status !== 0 && !options.allowFailure) reject(new Error(`${command} ${args.join(' ')} exited ${status}:\n${out.slice(-3000)}`));
      else resolve({ first: first ?? total, total, out, stdout, ...(reached !== undefined && { reached }) });
    });
  });
}

/** A repository whose last commit changes every one of `count` small charts (a `feat`: each gets a minor bump). */
function changedCharts(count: number): { dir: string; base: string } {
  const dir = mkdtempSync(join(tmpdir(), 'chartship-side-by-side-'));
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, env: { ...process.env, ...GIT_ENV }, encoding: 'utf8' }).trim();
  git('init', '-q', '-b', 'main');
  for (let i = 0; i < count; i++) {
    const chart = join(dir, 'charts', `chart-${i}`);
    mkdirSync(join(chart, 'templates'), { recursive: true });
    writeFileSync(join(chart, 'Chart.yaml'), `apiVersion: v2\nname: chart-${i}\nversion: 1.0.0\ndescription: bench chart ${i}\n`);
    writeFileSync(join(chart, 'values.yaml'), `replicas: ${i}\nimage: example/app-${i}\n`);
    writeFileSync(join(chart, 'templates', 'deployment.yaml'), `kind: Deployment\nmetadata:\n  name: {{ .Release.Name }}-${i}\n`);
  }
  git('add', '.');
  git('commit', '-qm', 'chore: initial');
  const base = git('rev-parse', 'HEAD');
  for (let i = 0; i < count; i++) writeFileSync(join(dir, 'charts', `chart-${i}`, 'values.yaml'), `replicas: ${i + 1}\nimage: example/app-${i}\n`);
  git('add', '.');
  git('commit', '-qm', 'feat: scale every chart');
  return { dir, base };
}

/** What users write in a workflow without chartship: package and push each chart, one after the other. */
async function helmLoop(major: HelmMajor, repo: string, target: string): Promise<number> {
  const helm = isolatedHelm(major);
  const out = join(helm.home, 'packages');
  try {
    const started = performance.now();
    for (let i = 0; i < CHARTS; i++) {
      await helm.run(['package', join(repo, 'charts', `chart-${i}`), '-d', out]);
      await helm.run(['push', join(out, `chart-${i}-1.0.0.tgz`), target, '--plain-http']);
    }
    return performance.now() - started;
  } finally {
    helm.cleanup();
  }
}

async function requestsSince(registry: TestRegistry): Promise<number> {
  const seen = await registry.settle();
  await registry.reset();
  return seen.length;
}

function sizeOf(dir: string): { total: number; files: { path: string; bytes: number }[] } {
  const files = readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => {
      const path = join(e.parentPath, e.name);
      return { path: relative(dir, path), bytes: statSync(path).size };
    })
    .sort((a, b) => b.bytes - a.bytes);
  return { total: files.reduce((sum, f) => sum + f.bytes, 0), files };
}

async function coldStart(cli: string, action: string): Promise<void> {
  const repo = changedCharts(1);
  const scratch = mkdtempSync(join(tmpdir(), 'chartship-cold-'));
  const env = { PATH: process.env['PATH'], HOME: scratch, ...GIT_ENV };
  const actionEnv = (name: string, inputs: Record<string, string>): NodeJS.ProcessEnv => {
    const file = (suffix: string) => {
      const path = join(scratch, `${name}-${suffix}`);
      writeFileSync(path, suffix === 'event' ? '{}' : '');
      return path;
    };
    const vars: NodeJS.ProcessEnv = {
      ...env,
      GITHUB_ACTIONS: 'true',
      GITHUB_EVENT_NAME: 'workflow_dispatch',
      GITHUB_EVENT_PATH: file('event'),
      GITHUB_WORKSPACE: repo.dir,
      GITHUB_OUTPUT: file('output'),
      GITHUB_STEP_SUMMARY: file('summary'),
    };
    for (const [input, value] of Object.entries(inputs)) vars[`INPUT_${input.toUpperCase()}`] = value;
    return vars;
  };
  // `until`: also time the first line of substance, when the first line is a header (the action's version line).
  type Case = [label: string, args: string[], env: NodeJS.ProcessEnv, fails?: boolean, until?: { label: string; pattern: RegExp }];
  const baseline: Case[] = BASELINE === undefined ? [] : [['baseline: cli plan (1 chart), first output', [join(BASELINE, 'cli.js'), 'plan', '--base', repo.base], env]];
  const cases: Case[] = [
    ['node -e 0 (bare node)', ['-e', '0'], env],
    ['cli --help', [cli, '--help'], env],
    ['cli plan --help', [cli, 'plan', '--help'], env],
    ['cli plan (1 chart), first output', [cli, 'plan', '--base', repo.base], env],
    ...baseline,
    ['action, first log line (input error)', [action], actionEnv('bad', { registry: 'ftp://nowhere' }), true],
    ['action, first log line (1 chart, oci-layout)', [action], actionEnv('ok', { registry: `oci-layout:${join(scratch, 'layout')}` }), false, { label: 'action, the plan (1 chart, oci-layout)', pattern: /^Plan for /m }],
  ];
  try {
    const results = new Map<string, number[]>(cases.flatMap(([label, , , , until]) => [[label, []], ...(until ? [[until.label, []] as [string, number[]]] : [])]));
    // Interleaved, so a burst of load elsewhere hits every case alike.
    for (let run = 0; run < COLD_RUNS; run++) {
      for (const [label, args, caseEnv, fails, until] of cases) {
        const { first, reached } = await timed(process.execPath, args, { cwd: repo.dir, env: caseEnv, allowFailure: fails, ...(until && { until: until.pattern }) });
        results.get(label)!.push(first);
        if (until) {
          if (reached === undefined) throw new Error(`${label}: its output never matched ${until.pattern}`);
          results.get(until.label)!.push(reached);
        }
      }
    }
    const bare = median(results.get(cases[0]![0])!);
    console.log(`\ncold start: time to the first output byte (and the action's plan line), median of ${COLD_RUNS} runs (min … max)`);
    for (const [label, values] of results) {
      const above = label.startsWith('node') ? '' : `  (+${ms(median(values) - bare)} over bare node)`;
      console.log(`  ${label.padEnd(46)} ${ms(median(values)).padStart(7)}${above}   [${ms(Math.min(...values))} … ${ms(Math.max(...values))}]`);
    }
  } finally {
    rmSync(repo.dir, { recursive: true, force: true });
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** The bundles as `npm run build` writes them, built from the current sources into a scratch directory. */
function build(): { dir: string; cli: string; action: string; meta: Metafile } {
  const dir = mkdtempSync(join(tmpdir(), 'chartship-side-by-side-dist-'));
  const metafile = join(dir, 'meta.json');
  execFileSync(process.execPath, [join(import.meta.dirname, '..', 'scripts', 'build.mjs'), '--outdir', join(dir, 'dist'), '--metafile', metafile], { stdio: ['ignore', 'ignore', 'inherit'] });
  const meta = JSON.parse(readFileSync(metafile, 'utf8')) as Metafile;
  return { dir: join(dir, 'dist'), cli: join(dir, 'dist', 'cli.js'), action: join(dir, 'dist', 'index.js'), meta };
}

interface Metafile {
  outputs: Record<string, { bytes: number; inputs: Record<string, { bytesInOutput: number }> }>;
}

/** Bytes in dist/ by package (node_modules/<package>) or source folder (src/<folder>), largest first. */
function bytesByPackage(meta: Metafile): [string, number][] {
  const by = new Map<string, number>();
  for (const [file, output] of Object.entries(meta.outputs)) {
    if (file.endsWith('.map')) continue;
    let inputs = 0;
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const key = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1] ?? input.split('/').slice(0, 2).join('/');
      by.set(key, (by.get(key) ?? 0) + bytesInOutput);
      inputs += bytesInOutput;
    }
    // Import statements, the require banner and esbuild's helpers.
    by.set('(chunk glue)', (by.get('(chunk glue)') ?? 0) + output.bytes - inputs);
  }
  return [...by].sort((a, b) => b[1] - a[1]);
}

const built = build();
if (COLD_ONLY) {
  console.log(`cold start only: node ${process.version}, load average ${load()}`);
  await coldStart(built.cli, built.action);
  console.log(`\nload average ${load()}`);
  process.exit(0);
}
console.log(`side by side: ${CHARTS} small changed charts, ${ROUNDS} round(s), node ${process.version}, load average ${load()}`);
// The registry as it runs by default (one Go thread per core), not the suite's single-threaded one.
const registry = await startRegistry({ auth: 'none' });
const repo = changedCharts(CHARTS);
const times = new Map<string, number[]>();
const perChart = new Map<string, number>();
const record = (label: string, value: number) => times.set(label, [...(times.get(label) ?? []), value]);
/** CPU (ms) per case: the client's (this process's finished children: helm, or chartship and its git) and the registry's. */
const cpu = new Map<string, { client: number[]; registry: number[] }>();
const childrenCpuMs = (): number => procCpuMs('self', 'children');
/** Runs `work` and records the CPU the client and the registry spent on it. */
const measured = async <T>(label: string, work: () => Promise<T>): Promise<T> => {
  const [client, server] = [childrenCpuMs(), registry.cpuMs()];
  const result = await work();
  const entry = cpu.get(label) ?? { client: [], registry: [] };
  entry.client.push(childrenCpuMs() - client);
  entry.registry.push(registry.cpuMs() - server);
  cpu.set(label, entry);
  return result;
};
try {
  // helm on PATH, as on GitHub's runners: the default `policy: warn` renders every chart with it.
  const withHelm = { PATH: pathWithHelm(3), HOME: repo.dir, ...GIT_ENV };
  const withoutHelm = { PATH: process.env['PATH'], HOME: repo.dir, ...GIT_ENV };
  const publish = async (label: string, namespace: string, env: NodeJS.ProcessEnv, extra: string[] = []) => {
    const args = [built.cli, 'publish', '--cwd', repo.dir, '--base', repo.base, '--registry', `oci://${registry.host}/${namespace}`, '--plain-http', '--json', ...extra];
    const { total, stdout } = await measured(label, () => timed(process.execPath, args, { cwd: repo.dir, env }));
    const charts = (JSON.parse(stdout) as { charts: { status: string }[] }).charts;
    const statuses = [...new Set(charts.map((c) => c.status))].join(',');
    if (charts.length !== CHARTS) throw new Error(`${label}: ${charts.length} charts in the outcome`);
    record(label, total);
    perChart.set(label, (await requestsSince(registry)) / CHARTS);
    return statuses;
  };
  await requestsSince(registry);
  for (let round = 1; round <= ROUNDS; round++) {
    for (const major of [3, 4] as const) {
      const label = `helm ${major} loop`;
      record(label, await measured(label, () => helmLoop(major, repo.dir, `oci://${registry.host}/r${round}-helm${major}`)));
      perChart.set(label, (await requestsSince(registry)) / CHARTS);
    }
    await publish('chartship publish (helm on PATH: policy renders)', `r${round}-chartship`, withHelm);
    await publish('chartship publish, rerun (all unchanged)', `r${round}-chartship`, withHelm);
    await publish('chartship publish (no helm on PATH)', `r${round}-nohelm`, withoutHelm);
    // The same with the archive time pinned: no `git log` per chart for its source date.
    await publish('chartship publish (no helm, SOURCE_DATE_EPOCH set)', `r${round}-epoch`, { ...withoutHelm, SOURCE_DATE_EPOCH: '1700000000' });
    console.log(`  round ${round} done, load average ${load()}`);
  }

  const helm3 = median(times.get('helm 3 loop')!);
  console.log(`\nwall time, median of ${ROUNDS} (each run)                        ratio to the helm 3 loop   requests/chart`);
  for (const [label, values] of times) {
    const m = median(values);
    console.log(`  ${label.padEnd(50)} ${(m / 1000).toFixed(2).padStart(6)} s   ${(helm3 / m).toFixed(1).padStart(5)}×   ${perChart.get(label)!.toFixed(2).padStart(6)}   [${values.map((v) => (v / 1000).toFixed(2)).join(' ')}]`);
  }
  // Client and registry share this machine's cores: their CPU together over the cores bounds the wall time from below.
  console.log(`\nCPU, median of ${ROUNDS}: client (helm, or chartship with its git) and the registry; (client + registry) / ${cpus().length} cores`);
  for (const [label, { client, registry: server }] of cpu) {
    const [c, r] = [median(client), median(server)];
    console.log(`  ${label.padEnd(50)} client ${(c / 1000).toFixed(2).padStart(6)} s   registry ${(r / 1000).toFixed(2).padStart(6)} s   floor ${((c + r) / 1000 / cpus().length).toFixed(2).padStart(6)} s`);
  }
} finally {
  await registry.stop();
  rmSync(repo.dir, { recursive: true, force: true });
}

await coldStart(built.cli, built.action);

const size = sizeOf(built.dir);
console.log(`\ndist/ as built from the sources: ${(size.total / 1e6).toFixed(2)} MB in ${size.files.length} files`);
for (const file of size.files.slice(0, 12)) console.log(`  ${(file.bytes / 1e3).toFixed(0).padStart(7)} kB  ${file.path}`);
if (size.files.length > 12) console.log(`  ${((size.files.slice(12).reduce((s, f) => s + f.bytes, 0)) / 1e3).toFixed(0).padStart(7)} kB  ${size.files.length - 12} smaller files`);
const packages = bytesByPackage(built.meta);
console.log(`\ndist/ by package (esbuild metafile), largest first:`);
for (const [name, bytes] of packages.slice(0, 25)) console.log(`  ${(bytes / 1e3).toFixed(0).padStart(7)} kB  ${name}`);
console.log(`  ${(packages.slice(25).reduce((sum, [, b]) => sum + b, 0) / 1e3).toFixed(0).padStart(7)} kB  ${packages.length - 25} others`);
rmSync(join(built.dir, '..'), { recursive: true, force: true });
console.log(`load average at the end: ${load()}`);
