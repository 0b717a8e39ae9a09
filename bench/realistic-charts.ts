/**
 * `chartship publish` of charts as users write them, not the side-by-side bench's three-line ones: N charts made by
 * the real `helm create` (helpers, a values.yaml with `{}` and `[]`, a test pod), each with a draft-07
 * values.schema.json, all changed by one commit, published to an OCI image layout (no registry: the client alone),
 * with no helm on PATH and with helm 3 on PATH (the policy then renders every chart twice). Wall time and CPU (the
 * CLI with its git and helm children), median of the rounds; with --baseline, another build's cli.js runs beside,
 * interleaved, and the ratio is printed. Asserts nothing.
 *
 *   npm run bench:realistic-charts [-- [--charts N] [--rounds R] [--cli dist/cli.js] [--baseline OTHER/cli.js]]
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { isolatedHelm, pathWithHelm } from '../test/helpers/helm.js';
import { procCpuMs } from '../test/helpers/proc-cpu.js';
import { GIT_ENV, load, median } from './figures.js';

const option = (name: string): string | undefined => ((at) => (at >= 0 ? process.argv[at + 1] : undefined))(process.argv.indexOf(name));
const CHARTS = Number(option('--charts') ?? 100);
const ROUNDS = Number(option('--rounds') ?? 3);
const CLI = resolve(option('--cli') ?? join(import.meta.dirname, '..', 'dist', 'cli.js'));
const BASELINE = option('--baseline') === undefined ? undefined : resolve(option('--baseline')!);
const SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  type: 'object',
  properties: {
    replicaCount: { type: 'integer', minimum: 0 },
    image: { type: 'object', properties: { repository: { type: 'string' }, tag: { type: 'string' }, pullPolicy: { enum: ['Always', 'IfNotPresent', 'Never'] } } },
    service: { type: 'object', properties: { type: { type: 'string' }, port: { type: 'integer' } } },
  },
};


/** A repository of CHARTS `helm create` charts with schemas, and the base before the commit that changes them all. */
async function repository(dir: string): Promise<string> {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, env: { ...process.env, ...GIT_ENV }, encoding: 'utf8' }).trim();
  git('init', '-q', '-b', 'main');
  const helm = isolatedHelm(3);
  try {
    mkdirSync(join(dir, 'charts'));
    for (let i = 0; i < CHARTS; i++) {
      const chart = join(dir, 'charts', `app-${i}`);
      await helm.run(['create', chart]);
      writeFileSync(join(chart, 'values.schema.json'), `${JSON.stringify(SCHEMA, null, 2)}\n`);
    }
  } finally {
    helm.cleanup();
  }
  git('add', '.');
  git('commit', '-qm', 'chore: charts');
  const base = git('rev-parse', 'HEAD');
  for (let i = 0; i < CHARTS; i++) {
    const values = join(dir, 'charts', `app-${i}`, 'values.yaml');
    writeFileSync(values, readFileSync(values, 'utf8').replace(/^replicaCount: 1$/m, 'replicaCount: 2'));
  }
  git('add', '.');
  git('commit', '-qm', 'feat: two replicas everywhere');
  return base;
}

/** One publish: wall ms and the CPU ms of the CLI and everything it waited for. */
function publish(cli: string, repo: string, base: string, path: string, layout: string): Promise<{ wall: number; cpu: number }> {
  return new Promise((done, fail) => {
    const cpuBefore = procCpuMs('self', 'children');
    const started = performance.now();
    const child = spawn(process.execPath, [cli, 'publish', '--base', base, '--registry', `oci-layout:${layout}`, '--json'], {
      cwd: repo,
      env: { PATH: path, HOME: repo, ...GIT_ENV },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', fail);
    child.on('close', (status) => {
      if (status !== 0) fail(new Error(`${cli} publish exited ${status}:\n${stderr.slice(-2000)}`));
      else done({ wall: performance.now() - started, cpu: procCpuMs('self', 'children') - cpuBefore });
    });
  });
}

const scratch = mkdtempSync(join(tmpdir(), 'chartship-realistic-'));
try {
  const repo = join(scratch, 'repo');
  mkdirSync(repo);
  const base = await repository(repo);
  const builds: [string, string][] = [['this build', CLI], ...(BASELINE ? [['baseline', BASELINE] as [string, string]] : [])];
  const paths: [string, string][] = [
    ['no helm on PATH', '/usr/local/bin:/usr/bin:/bin'],
    ['helm 3 on PATH', pathWithHelm(3, '/usr/local/bin:/usr/bin:/bin')],
  ];
  console.log(`${CHARTS} charts from helm create, each with a values.schema.json, to an OCI layout; ${ROUNDS} rounds, node ${process.version}, load ${load()}`);
  const results = new Map<string, { wall: number[]; cpu: number[] }>();
  let run = 0;
  // Interleaved, so that load elsewhere hits every case alike.
  for (let round = 0; round < ROUNDS; round++) {
    for (const [pathLabel, path] of paths) {
      for (const [buildLabel, cli] of builds) {
        const measured = await publish(cli, repo, base, path, join(scratch, `layout-${run++}`));
        const key = `${pathLabel}, ${buildLabel}`;
        const seen = results.get(key) ?? { wall: [], cpu: [] };
        seen.wall.push(measured.wall);
        seen.cpu.push(measured.cpu);
        results.set(key, seen);
      }
    }
  }
  for (const [pathLabel] of paths) {
    for (const [buildLabel] of builds) {
      const seen = results.get(`${pathLabel}, ${buildLabel}`)!;
      const baseline = BASELINE && buildLabel === 'this build' ? results.get(`${pathLabel}, baseline`) : undefined;
      const ratio = baseline ? `   (this/baseline: wall ${(median(seen.wall) / median(baseline.wall)).toFixed(2)}, CPU ${(median(seen.cpu) / median(baseline.cpu)).toFixed(2)})` : '';
      console.log(`  ${`${pathLabel}, ${buildLabel}`.padEnd(32)} wall ${(median(seen.wall) / 1000).toFixed(2)} s   CPU ${(median(seen.cpu) / 1000).toFixed(2)} s${ratio}`);
    }
  }
  console.log(`load ${load()}`);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
