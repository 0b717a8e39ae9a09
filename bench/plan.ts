/**
 * Planning on large monorepos, through the bundled CLI as users run it (`npm run build` first): `chartship plan
 * --json` against a base (every commit in range) and since per-chart release tags (a different range per chart), at
 * 1,000 charts × 10,000 commits, 3,000 × 30,000 and 10,000 × 100,000 (goal: ≤ 10 s and ≤ 1 GB at the largest, and
 * time growing linearly). Prints wall time, CPU time (chartship and its git children) and peak RSS; asserts nothing.
 *
 *   npm run bench:plan [-- CHARTSxCOMMITS …]               e.g. 1000x10000
 *   BENCH_CPU_PROF=DIR …                                   writes a .cpuprofile per run into DIR
 *
 * The repositories are generated once (one `git fast-import` each) and kept under .cache/bench/.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { monorepo } from './monorepo.js';

const CLI = join(import.meta.dirname, '..', 'dist', 'cli.js');
const sizes = (process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['1000x10000', '3000x30000', '10000x100000']).map((s) => {
  const [charts, commits] = s.split('x').map(Number);
  if (!charts || !commits) throw new Error(`a size is CHARTSxCOMMITS, got ${s}`);
  return { charts, commits };
});
if (!existsSync(CLI)) throw new Error(`${CLI} is missing: npm run build`);
const profiles = process.env['BENCH_CPU_PROF'];

interface Run {
  wall: number;
  cpu: number;
  rssMiB: number;
  releases: number;
}

/** One `chartship plan --json` under /usr/bin/time (peak RSS of the process tree's largest member, CPU of all). */
function plan(dir: string, args: string[]): Run {
  const node = [...(profiles ? ['--cpu-prof', '--cpu-prof-dir', profiles] : []), CLI, 'plan', '--json', '--cwd', dir, ...args];
  const started = performance.now();
  const run = spawnSync('/usr/bin/time', ['-f', 'TIME %U %S %M', process.execPath, ...node], { encoding: 'utf8', maxBuffer: 1 << 30 });
  const wall = (performance.now() - started) / 1000;
  const times = /TIME (\S+) (\S+) (\d+)\s*$/.exec(run.stderr);
  if (run.status !== 0 || !times) throw new Error(`chartship plan failed: ${run.stderr}`);
  const json = JSON.parse(run.stdout) as { charts: { action: string }[] };
  return { wall, cpu: Number(times[1]) + Number(times[2]), rssMiB: Number(times[3]) / 1024, releases: json.charts.filter((c) => c.action === 'release').length };
}

// The machine's load average beside each run: on a shared machine, wall time means little without it.
const row = (label: string, run: Run) =>
  console.log(
    `  ${label.padEnd(34)} ${run.wall.toFixed(2).padStart(6)} s wall ${run.cpu.toFixed(2).padStart(6)} s CPU ${run.rssMiB.toFixed(0).padStart(5)} MiB peak RSS   ${run.releases} to release   (load ${loadavg()[0]!.toFixed(1)})`,
  );

const results: { size: string; base: Run; tags: Run }[] = [];
for (const { charts, commits } of sizes) {
  const size = `${charts} charts × ${commits} commits`;
  const started = performance.now();
  const repo = await monorepo(charts, commits);
  console.log(`${size}: repository ${repo.built ? 'built' : 'cached'} in ${((performance.now() - started) / 1000).toFixed(1)} s (${repo.dir})`);
  const base = plan(repo.dir, ['--charts', repo.charts, '--base', repo.root]);
  row('plan --base <first commit>', base);
  const tags = plan(repo.dir, ['--charts', repo.charts]);
  row(`plan since tags (${charts} range starts)`, tags);
  results.push({ size, base, tags });
}

// Linear growth shows as a constant time per commit from one size to the next.
if (results.length > 1) {
  console.log('\nper 1,000 commits (wall / CPU):');
  results.forEach(({ size, base, tags }, i) => {
    const k = sizes[i]!.commits / 1000;
    console.log(`  ${size.padEnd(32)} base ${(base.wall / k * 1000).toFixed(0)} / ${(base.cpu / k * 1000).toFixed(0)} ms   tags ${(tags.wall / k * 1000).toFixed(0)} / ${(tags.cpu / k * 1000).toFixed(0)} ms`);
  });
}
