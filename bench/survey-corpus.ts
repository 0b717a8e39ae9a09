/**
 * What the chart surveys share (parity-survey.ts: packaging, push-survey.ts: pushing): the chart directories of real
 * trees, each made ready to package offline (dependencies the trees serve vendored into a copy inside the tree, so
 * links out of a chart still resolve), the real helm binaries and the bundled CLI run with a deadline, and the run
 * over every chart at a concurrency of 2 with its tally.
 */
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative, resolve } from 'node:path';
import { parse } from 'yaml';
import { enclosingWorkTree } from '../src/charts/walk.js';
import { helmBinary, type HelmMajor } from '../test/helpers/helm.js';

const args = process.argv.slice(2);
/** Takes a flag and its value off the command line; what is left are the trees (`trees()`). */
export const option = (name: string): string | undefined => {
  const at = args.indexOf(name);
  return at >= 0 ? args.splice(at, 2)[1] : undefined;
};
export const trees = (): string[] => args.map((a) => resolve(a));

export const CLI = join(import.meta.dirname, '..', 'dist', 'cli.js');
const CONCURRENCY = 2;
export const TIMEOUT_MS = 60_000;
const EPOCH = '1717200000';
const WORK_PREFIX = '.chart-survey-';

export interface Run {
  ok: boolean;
  archive?: Buffer;
  fileName?: string;
  error?: string;
}
export interface Surveyed {
  tree: string;
  chart: string;
  verdict: string;
  why: string;
}

export const scratch = mkdtempSync(join(tmpdir(), 'chart-survey-'));
const workDirs = [scratch];
const homes = new Map<HelmMajor, string>();
const envFor = (major: HelmMajor) => {
  const home = homes.get(major) ?? mkdtempSync(join(scratch, `home${major}-`));
  homes.set(major, home);
  return { PATH: process.env['PATH'], TZ: process.env['TZ'], HOME: home, HELM_CONFIG_HOME: join(home, 'config'), HELM_CACHE_HOME: join(home, 'cache'), HELM_DATA_HOME: join(home, 'data'), GOMAXPROCS: '1' };
};

export function exec(file: string, argv: string[], env: NodeJS.ProcessEnv): Promise<{ ok: boolean; out: string }> {
  return new Promise((done) => {
    execFile(file, argv, { env, timeout: TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024, killSignal: 'SIGKILL' }, (error, stdout, stderr) => {
      done({ ok: !error, out: error?.killed ? `timed out after ${TIMEOUT_MS / 1000}s` : `${stderr || stdout || error?.message || ''}`.trim() });
    });
  });
}
export const helm = (major: HelmMajor, argv: string[]) => exec(helmBinary(major), argv, envFor(major));

/** Packages `dir` into a fresh directory (chartship: the bundled CLI as users run it); the archive it wrote, or why not. */
export async function pack(who: HelmMajor | 'chartship', dir: string, out: string, flags: string[] = [], cli = CLI): Promise<Run> {
  mkdirSync(out, { recursive: true });
  const { ok, out: text } =
    who === 'chartship'
      ? await exec(process.execPath, [cli, 'package', dir, '-d', out, ...flags], { PATH: process.env['PATH'], TZ: process.env['TZ'], HOME: scratch, SOURCE_DATE_EPOCH: EPOCH })
      : await helm(who, ['package', dir, '-d', out, ...flags]);
  const written = readdirSync(out).filter((f) => f.endsWith('.tgz'));
  if (!ok || written.length !== 1) return { ok: false, error: firstLine(text) || 'no archive written' };
  return { ok: true, fileName: written[0]!, archive: readFileSync(join(out, written[0]!)) };
}

export const firstLine = (text: string) => text.split('\n').find((l) => l.trim() && !/^walk\.go|^coalesce\.go/.test(l))?.trim().slice(0, 240) ?? '';

/** Chart directories under `tree`, not inside another chart's charts/. */
function chartDirs(tree: string): string[] {
  const found: string[] = [];
  const walk = (dir: string, depth: number) => {
    if (depth > 12) return;
    const names = readdirSync(dir);
    const isChart = names.includes('Chart.yaml');
    if (isChart) found.push(dir);
    for (const name of names) {
      if (name === '.git' || name.startsWith(WORK_PREFIX) || (isChart && name === 'charts')) continue;
      const path = join(dir, name);
      if (statSync(path, { throwIfNoEntry: false })?.isDirectory()) walk(path, depth + 1);
    }
  };
  walk(tree, 0);
  return found;
}

interface Dependency {
  name: string;
  repository?: string;
}
function dependencies(dir: string): Dependency[] {
  const read = (file: string): unknown => {
    try {
      return parse(readFileSync(join(dir, file), 'utf8'), { uniqueKeys: false, logLevel: 'error' });
    } catch {
      return undefined;
    }
  };
  const chart = read('Chart.yaml') as { dependencies?: Dependency[] } | undefined;
  const requirements = existsSync(join(dir, 'requirements.yaml')) ? (read('requirements.yaml') as { dependencies?: Dependency[] } | undefined) : undefined;
  const list = [...(Array.isArray(chart?.dependencies) ? chart.dependencies : []), ...(Array.isArray(requirements?.dependencies) ? requirements.dependencies : [])];
  return list.filter((d) => d && typeof d.name === 'string');
}
const chartName = (dir: string): string | undefined => {
  try {
    return (parse(readFileSync(join(dir, 'Chart.yaml'), 'utf8'), { uniqueKeys: false, logLevel: 'error' }) as { name?: unknown })?.name?.toString();
  } catch {
    return undefined;
  }
};

/** Whether charts/ holds the dependency already (a directory or archive of that name), as helm looks for it. */
function vendored(dir: string, name: string): boolean {
  const charts = join(dir, 'charts');
  if (!existsSync(charts)) return false;
  return readdirSync(charts).some((f) => f === name || (f.startsWith(`${name}-`) && /^\d/.test(f.slice(name.length + 1)) && f.endsWith('.tgz')) || chartName(join(charts, f)) === name);
}

export class NeedsNetwork extends Error {}

/** One corpus: its charts by name, and helm 3's archive of each dependency it serves (made once). */
export class Corpus {
  readonly byName = new Map<string, string>();
  private readonly made = new Map<string, Promise<string>>();
  /** Where the chart copies go: inside the tree, so links to the rest of the repository resolve from them too. */
  readonly work: string;
  constructor(
    readonly tree: string,
    readonly charts: string[],
    /** The other trees' charts by name: a monorepo often depends on another's chart (sapcc on kube-state-metrics). */
    readonly elsewhere: Map<string, string> = new Map(),
  ) {
    for (const dir of charts) {
      const name = chartName(dir);
      if (name && !this.byName.has(name)) this.byName.set(name, dir);
    }
    if (enclosingWorkTree(tree) === undefined) process.stderr.write(`warning: ${tree} is in no git work tree: links out of a chart are refused\n`);
    this.work = mkdtempSync(join(tree, WORK_PREFIX));
    workDirs.push(this.work);
  }

  /** A copy of `dir` whose charts/ holds every dependency, or throws NeedsNetwork naming those none can serve. */
  async prepared(dir: string, into: string, seen: string[] = []): Promise<string> {
    const missing = dependencies(dir).filter((d) => !vendored(dir, d.name));
    if (missing.length === 0) return dir;
    const sources = missing.map((d) => {
      const local = d.repository?.startsWith('file://') ? resolve(dir, d.repository.slice('file://'.length)) : (this.byName.get(d.name) ?? this.elsewhere.get(d.name));
      if (!local || !existsSync(join(local, 'Chart.yaml')) || seen.includes(local)) throw new NeedsNetwork(`${d.name} (${d.repository ?? 'no repository'})`);
      return local;
    });
    const copy = join(into, basename(dir));
    // Relative links are made absolute, so a link out of the chart (to a sibling's templates) still resolves.
    cpSync(dir, copy, { recursive: true });
    mkdirSync(join(copy, 'charts'), { recursive: true });
    for (const source of new Set(sources)) {
      const archive = await this.archiveOf(source, [...seen, dir]);
      cpSync(archive, join(copy, 'charts', basename(archive)));
    }
    return copy;
  }

  private archiveOf(dir: string, seen: string[]): Promise<string> {
    let made = this.made.get(dir);
    if (!made) {
      made = (async () => {
        const work = mkdtempSync(join(this.work, 'dep-'));
        const ready = await this.prepared(dir, work, seen);
        const run = await pack(3, ready, join(work, 'out'));
        if (!run.ok) throw new NeedsNetwork(`dependency ${relative(this.tree, dir)} does not package: ${run.error}`);
        return join(work, 'out', run.fileName!);
      })();
      this.made.set(dir, made);
    }
    return made;
  }
}


/**
 * Runs `each` on the chart made ready to package (a copy, where dependencies had to be vendored) with a work directory
 * removed after; a chart whose dependencies the trees cannot serve is `needs-network`.
 */
export async function onReadyChart<R extends Surveyed>(corpus: Corpus, dir: string, each: (input: string, work: string, result: (verdict: R['verdict'], why: string) => R) => Promise<R>): Promise<R> {
  const chart = relative(corpus.tree, dir) || '.';
  const result = (verdict: R['verdict'], why: string) => ({ tree: basename(corpus.tree), chart, verdict, why }) as R;
  const work = mkdtempSync(join(corpus.work, 'chart-'));
  try {
    let input: string;
    try {
      input = await corpus.prepared(dir, work);
    } catch (error) {
      if (error instanceof NeedsNetwork) return result('needs-network', error.message);
      throw error;
    }
    return await each(input, work, result);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Surveys every chart of the trees (those whose path holds `only`), two at a time; a survey that throws is `failed`. */
export async function surveyTrees<R extends Surveyed>(trees: string[], only: string | undefined, each: (corpus: Corpus, dir: string) => Promise<R>, failed: (tree: string, chart: string, why: string) => R): Promise<R[]> {
  const results: R[] = [];
  const corpora = trees.map((tree) => new Corpus(tree, chartDirs(tree)));
  for (const corpus of corpora) {
    for (const other of corpora) for (const [name, dir] of other.byName) if (!corpus.byName.has(name)) corpus.elsewhere.set(name, dir);
    const { tree, charts: all } = corpus;
    const queue = all.filter((d) => !only || relative(tree, d).includes(only));
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < queue.length) {
          const dir = queue[next++]!;
          const r = await each(corpus, dir).catch((error: unknown) => failed(basename(tree), relative(tree, dir), `survey failed: ${String(error)}`));
          results.push(r);
          process.stderr.write(`[${results.length}] ${r.tree}/${r.chart}: ${r.verdict}\n`);
        }
      }),
    );
  }
  return results;
}

/** The tally per tree, then every chart whose verdict is not `good`, one line each. */
export function printTally(trees: string[], results: Surveyed[], good: string): void {
  for (const tree of trees.map((t) => basename(t))) {
    const mine = results.filter((r) => r.tree === tree);
    const tally = new Map<string, number>();
    for (const r of mine) tally.set(r.verdict, (tally.get(r.verdict) ?? 0) + 1);
    console.log(`\n${tree}: ${mine.length} charts`);
    for (const [verdict, n] of [...tally].sort((a, b) => b[1] - a[1])) console.log(`  ${String(n).padStart(4)}  ${verdict}`);
  }
  console.log(`\nnot ${good}:`);
  for (const r of results.sort((a, b) => (a.tree + a.chart < b.tree + b.chart ? -1 : 1))) {
    if (r.verdict !== good) console.log(`  ${r.tree}/${r.chart} [${r.verdict}] ${r.why}`);
  }
}

/** Removes the scratch directory and every copy made inside the trees. */
export function removeWorkDirs(): void {
  for (const dir of workDirs) rmSync(dir, { recursive: true, force: true });
}
