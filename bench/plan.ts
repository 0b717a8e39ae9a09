/**
 * Planning on a large monorepo: 1,000 charts, 10,000 commits, built in one `git fast-import` run. Times createPlan
 * against a base, since per-chart release tags (1,000 different range starts), and `chartship plan --json` as a
 * subprocess. Goal: each under 2 s.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPlan } from '../src/pipeline/plan.js';

const CHARTS = 1000;
const COMMITS = 10_000;
const TYPES = ['feat', 'fix', 'chore', 'docs', 'perf', 'refactor'];

function stream(): string {
  const out: string[] = [];
  const file = (path: string, content: string) => out.push(`M 100644 inline ${path}`, `data ${Buffer.byteLength(content)}`, content);
  const header = (mark: number, time: number, message: string, parent?: number) => {
    out.push('commit refs/heads/main', `mark :${mark}`, `author Bench <bench@example.com> ${time} +0000`, `committer Bench <bench@example.com> ${time} +0000`);
    out.push(`data ${Buffer.byteLength(message)}`, message);
    if (parent !== undefined) out.push(`from :${parent}`);
  };
  let seed = 42;
  const random = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return Math.floor((seed / 2 ** 31) * n);
  };
  header(1, 1_700_000_000, 'chore: initial import');
  for (let c = 0; c < CHARTS; c++) {
    file(`charts/c${c}/Chart.yaml`, `apiVersion: v2\nname: c${c}\ndescription: chart ${c}\nversion: 1.0.0\nappVersion: "1.0"\n`);
    file(`charts/c${c}/values.yaml`, 'replicas: 1\n');
    file(`charts/c${c}/templates/deployment.yaml`, `kind: Deployment\nmetadata:\n  name: c${c}\n`);
  }
  for (let i = 2; i <= COMMITS; i++) {
    const chart = random(CHARTS);
    const type = TYPES[random(TYPES.length)];
    const scoped = random(4) === 0 ? `(c${random(CHARTS)})` : '';
    header(i, 1_700_000_000 + i * 60, `${type}${scoped}: change ${i} (#${i})\n\nDetails of change ${i}.`, i - 1);
    file(`charts/c${chart}/values.yaml`, `replicas: ${i}\n`);
    if (random(10) === 0) file(`docs/notes-${i % 50}.md`, `note ${i}\n`);
  }
  // Each chart's release tag at its own commit: the hardest case, a different range per chart.
  for (let c = 0; c < CHARTS; c++) out.push(`reset refs/tags/c${c}-1.0.0`, `from :${1 + ((c * 7919) % (COMMITS - 1))}`, '');
  return `${out.join('\n')}\n`;
}

async function time<T>(label: string, fn: () => Promise<T> | T): Promise<T> {
  const start = performance.now();
  const result = await fn();
  console.log(`${label.padEnd(44)} ${(performance.now() - start).toFixed(0).padStart(6)} ms`);
  return result;
}

const dir = mkdtempSync(join(tmpdir(), 'chartship-bench-plan-'));
try {
  await time(`build repo (${CHARTS} charts, ${COMMITS} commits)`, () => {
    execFileSync('git', ['init', '-q', '-b', 'main', dir]);
    execFileSync('git', ['fast-import', '--quiet'], { cwd: dir, input: stream() });
    execFileSync('git', ['reset', '-q', '--hard', 'main'], { cwd: dir });
  });
  const root = execFileSync('git', ['rev-list', '--max-parents=0', 'HEAD'], { cwd: dir, encoding: 'utf8' }).trim();

  const againstBase = await time('createPlan --base <root> (10k commits)', () => createPlan({ cwd: dir, base: root }));
  console.log(`  ${againstBase.charts.filter((c) => c.action === 'release').length} charts to release`);
  const sinceTags = await time('createPlan since tags (1,000 range starts)', () => createPlan({ cwd: dir }));
  console.log(`  ${sinceTags.charts.filter((c) => c.action === 'release').length} charts to release`);
  await time('createPlan since tags, second run (warm)', () => createPlan({ cwd: dir }));

  // What users run is the bundle; the tsx line shows what the TypeScript loader adds on top in development.
  const cli = {
    'chartship plan --json (dist/cli.js)': [join(import.meta.dirname, '..', 'dist', 'cli.js')],
    'chartship plan --json (src via tsx)': ['--import', 'tsx', join(import.meta.dirname, '..', 'src', 'cli', 'main.ts')],
  };
  for (const [label, entry] of Object.entries(cli)) {
    const cliRun = await time(label, () =>
      spawnSync(process.execPath, [...entry, 'plan', '--json', '--cwd', dir], { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 }),
    );
    if (cliRun.status !== 0) console.log(`  CLI failed: ${cliRun.stderr}`);
    else console.log(`  ${(JSON.parse(cliRun.stdout) as { charts: unknown[] }).charts.length} charts in the JSON plan`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
