/**
 * Where the test suite's time goes: every test file run alone, one after another, compiled and bundled exactly as
 * `npm test` does (scripts/test.mjs), with its wall time and the CPU time of its whole process tree (user + system,
 * children included). With --spawns, each file also runs under `strace -f -e trace=execve` and the programs it
 * starts are counted (helm, git, gpg, node, docker-registry, skopeo, …). With --programs, each file runs under
 * `perf record -e cpu-clock` and its CPU time is split by program (perf's `comm`: node, helm, git, docker-registr…).
 * Prints a table sorted by CPU; asserts nothing. The machine's load average is printed too: CPU figures are steady under load, wall times are not.
 * Each file runs below a small python3 subreaper, so daemons the tests start (gpg-agent forks away from gpg, and RSA
 * keys are made there) are reaped and counted too instead of being lost to init.
 *
 *   npm run bench:suite [-- [--spawns] [--top N] [FILE…]]
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { basename, join, relative, resolve } from 'node:path';
import { procCpuMs } from '../test/helpers/proc-cpu.js';

const root = join(import.meta.dirname, '..');
const args = process.argv.slice(2);
const spawns = args.includes('--spawns');
const programsCpu = args.includes('--programs');
const topAt = args.indexOf('--top');
const top = topAt >= 0 ? Number(args[topAt + 1]) : Infinity;
const only = args.filter((a, i) => !a.startsWith('--') && !(topAt >= 0 && i === topAt + 1));

function findTests(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .flatMap((e) => (e.isDirectory() ? findTests(join(dir, e.name)) : e.name.endsWith('.test.ts') ? [join(dir, e.name)] : []));
}
const files = (only.length > 0 ? only.map((f) => resolve(f)) : findTests(join(root, 'test'))).map((f) => relative(root, f));

interface Row {
  file: string;
  wall: number;
  cpu: number;
  ok: boolean;
  programs: Map<string, number>;
  /** CPU seconds by program, from perf's samples. */
  cpuBy: Map<string, number>;
}

/** Programs started under strace (one execve per process image; failed PATH lookups are not counted). */
/**
 * Runs its arguments as a child, adopting every orphan below it (PR_SET_CHILD_SUBREAPER) and waiting for all of
 * them, so its own children's CPU time is the whole tree's.
 */
const SUBREAPER = [
  'import ctypes, os, sys',
  'ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0)',
  'pid = os.fork()',
  'if pid == 0: os.execvp(sys.argv[1], sys.argv[1:])',
  'code = 1',
  'while True:',
  '    try: p, status = os.wait()',
  '    except ChildProcessError: break',
  '    if p == pid: code = os.waitstatus_to_exitcode(status)',
  'sys.exit(code if code >= 0 else 128 - code)',
].join('\n');

// The interpreter itself, not a version manager's shim in front of it (a shell script that costs more than the wrapper).
const python = spawnSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).stdout.trim() || 'python3';

/** CPU seconds per command name, from perf's share of samples applied to the measured total. */
function cpuByProgram(data: string, total: number): Map<string, number> {
  const report = spawnSync('perf', ['report', '-i', data, '--stdio', '--sort', 'comm', '-F', 'overhead,comm'], { encoding: 'utf8' }).stdout;
  const by = new Map<string, number>();
  for (const line of report.split('\n')) {
    const m = /^\s*([\d.]+)%\s+(.+?)\s*$/.exec(line);
    if (m) by.set(m[2]!, (Number(m[1]) / 100) * total);
  }
  return by;
}

function countExecs(log: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const line of readFileSync(log, 'utf8').split('\n')) {
    const m = /execve\("([^"]+)".*= 0$/.exec(line);
    if (!m) continue;
    const name = basename(m[1]!);
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return counts;
}

// As npm test builds the bundle the test files run (scripts/test-bundle.mjs).
const { buildTestBundle } = (await import(join(root, 'scripts', 'test-bundle.mjs'))) as {
  buildTestBundle: () => { dir: string; built: Promise<void>; env: Record<string, string> };
};
const bundle = buildTestBundle();
const { testEnv } = (await import(join(root, 'scripts', 'test-env.mjs'))) as {
  testEnv: (bundle: { env: Record<string, string> }, scratch: string | undefined) => NodeJS.ProcessEnv;
};
mkdirSync(join(root, '.cache'), { recursive: true });
const compiledDir = mkdtempSync(join(root, '.cache', 'test-run-'));
const traces = mkdtempSync(join(tmpdir(), 'chartship-strace-'));
// As npm test gives the test files their TMPDIR (scripts/test-scratch.mjs).
const { testScratch } = (await import(join(root, 'scripts', 'test-scratch.mjs'))) as { testScratch: () => string | undefined };
const scratch = testScratch();
const rows: Row[] = [];
try {
  await bundle.built;
  const { compileTests } = (await import(join(root, 'scripts', 'test-compile.mjs'))) as {
    compileTests: (outdir: string) => Promise<Map<string, string>>;
  };
  const compiled = await compileTests(compiledDir);
  const startLoad = loadavg()[0]!;
  for (const [i, file] of files.entries()) {
    const target = compiled.get(file) ?? file;
    const node = [process.execPath, '--enable-source-maps', '--test', '--test-reporter=dot', target];
    const log = join(traces, `${i}.log`);
    const traced = spawns ? ['strace', '-f', '-qq', '--seccomp-bpf', '-e', 'trace=execve', '-e', 'signal=none', '-o', log, ...node] : node;
    const data = join(traces, `${i}.perf`);
    const sampled = programsCpu ? ['perf', 'record', '-q', '-e', 'cpu-clock', '-F', '250', '-o', data, '--', ...traced] : traced;
    const command = [python, '-c', SUBREAPER, ...sampled];
    const cpuBefore = procCpuMs('self', 'children');
    const started = performance.now();
    const run = spawnSync(command[0]!, command.slice(1), {
      cwd: root,
      encoding: 'utf8',
      maxBuffer: 1 << 28,
      env: testEnv(bundle, scratch),
    });
    const wall = (performance.now() - started) / 1000;
    const cpu = (procCpuMs('self', 'children') - cpuBefore) / 1000;
    const row = {
      file,
      wall,
      cpu,
      ok: run.status === 0,
      programs: spawns ? countExecs(log) : new Map<string, number>(),
      cpuBy: programsCpu ? cpuByProgram(data, cpu) : new Map<string, number>(),
    };
    rows.push(row);
    const split = [...row.cpuBy.entries()].sort((a, b) => b[1] - a[1]).filter(([, s]) => s >= 0.1).map(([p, s]) => `${p} ${s.toFixed(1)}`).join(', ');
    process.stderr.write(`${row.ok ? 'ok  ' : 'FAIL'} ${cpu.toFixed(1).padStart(6)} s CPU ${wall.toFixed(1).padStart(6)} s wall  ${file}${split ? `  (${split})` : ''}\n`);
    if (!row.ok) process.stderr.write(run.stdout.slice(-4000));
  }
  const endLoad = loadavg()[0]!;
  rows.sort((a, b) => b.cpu - a.cpu);
  const total = rows.reduce((s, r) => ({ cpu: s.cpu + r.cpu, wall: s.wall + r.wall }), { cpu: 0, wall: 0 });
  const programs = new Map<string, number>();
  for (const r of rows) for (const [p, n] of r.programs) programs.set(p, (programs.get(p) ?? 0) + n);
  const shown = [...programs.entries()].sort((a, b) => b[1] - a[1]).slice(0, 10).map(([p]) => p);
  console.log(`load average ${startLoad.toFixed(2)} at start, ${endLoad.toFixed(2)} at end; ${rows.length} files`);
  console.log(`| file | CPU s | wall s |${shown.map((p) => ` ${p} |`).join('')}`);
  console.log(`| --- | ---: | ---: |${shown.map(() => ' ---: |').join('')}`);
  for (const r of rows.slice(0, top)) {
    const counts = shown.map((p) => ` ${r.programs.get(p) ?? 0} |`).join('');
    console.log(`| ${r.file}${r.ok ? '' : ' (FAILED)'} | ${r.cpu.toFixed(1)} | ${r.wall.toFixed(1)} |${counts}`);
  }
  console.log(`| total (${rows.length} files) | ${total.cpu.toFixed(1)} | ${total.wall.toFixed(1)} |${shown.map((p) => ` ${programs.get(p)} |`).join('')}`);
  if (programsCpu) {
    const cpuBy = new Map<string, number>();
    for (const r of rows) for (const [p, n] of r.cpuBy) cpuBy.set(p, (cpuBy.get(p) ?? 0) + n);
    console.log('\nCPU seconds by program, all files:');
    for (const [p, n] of [...cpuBy.entries()].sort((a, b) => b[1] - a[1]).filter(([, n]) => n >= 0.1)) console.log(`  ${n.toFixed(1).padStart(7)}  ${p}`);
    console.log('\nCPU seconds by program, per file:');
    for (const r of rows.slice(0, top)) {
      console.log(`  ${r.file}: ${[...r.cpuBy.entries()].sort((a, b) => b[1] - a[1]).filter(([, s]) => s >= 0.1).map(([p, s]) => `${p} ${s.toFixed(1)}`).join(', ')}`);
    }
  }
  if (spawns) {
    console.log('\nprograms started, all files:');
    for (const [p, n] of [...programs.entries()].sort((a, b) => b[1] - a[1])) console.log(`  ${String(n).padStart(6)}  ${p}`);
  }
} finally {
  rmSync(bundle.dir, { recursive: true, force: true });
  rmSync(compiledDir, { recursive: true, force: true });
  rmSync(traces, { recursive: true, force: true });
  if (scratch) rmSync(scratch, { recursive: true, force: true });
}
