/**
 * Packaging parity over real chart trees: every chart directory under the given trees (a Chart.yaml not inside
 * another chart's charts/) is packaged by the real helm 3 and helm 4 and by the bundled CLI as users run it
 * (`node dist/cli.js package`), and classified: the same bytes as each helm (times aside, as archive-parity compares),
 * refused by all (with each reason), refused by one side only, or differing (the first differing entry). Where bytes
 * differ and helm's archive renders with `helm template`, chartship's must too. Dependencies missing from charts/
 * that are charts of the same tree (a file:// path, else a chart of that name) are packaged once by helm 3 and that
 * archive vendored into a copy of the chart, so every packager reads the same input; any other missing dependency
 * needs the network (none here), and the chart is counted apart. Give checkouts (a `.git` at or above each tree, as
 * in CI: `git init` an exported tree): chartship follows a link anywhere in the repository, and only to the chart's own
 * directory outside one. The copies are made inside the tree (`.parity-survey-*`, removed after), so such links still
 * resolve. Asserts nothing; prints a tally per tree and the charts that are not identical, one line each.
 *
 *   npx tsx bench/parity-survey.ts [--cli dist/cli.js] [--json out.json] [--only SUBSTRING] [--flags 'FLAGS'] DIR…
 */
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative, resolve } from 'node:path';
import { parse } from 'yaml';
import { enclosingWorkTree } from '../src/charts/walk.js';
import { entries, gzipHeader, type Entry } from '../test/helpers/archive-parity.js';
import { helmBinary, type HelmMajor } from '../test/helpers/helm.js';

const args = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const at = args.indexOf(name);
  return at >= 0 ? args.splice(at, 2)[1] : undefined;
};
const CLI = resolve(option('--cli') ?? join(import.meta.dirname, '..', 'dist', 'cli.js'));
const JSON_OUT = option('--json');
const ONLY = option('--only');
/** Flags given to every packager alike, e.g. `--flags '--version 9.9.9-rc.1 --app-version 2.0'`. */
const FLAGS = option('--flags')?.split(' ').filter(Boolean) ?? [];
const TREES = args.map((a) => resolve(a));
const CONCURRENCY = 2;
const TIMEOUT_MS = 60_000;
const EPOCH = '1717200000';

interface Run {
  ok: boolean;
  archive?: Buffer;
  fileName?: string;
  error?: string;
}
type Verdict = 'identical' | 'identical-helm3-only' | 'identical-helm4-only' | 'bytes-differ' | 'all-refuse' | 'helm-accepts-chartship-refuses' | 'chartship-accepts-helm-refuses' | 'helms-disagree' | 'needs-network';
interface Result {
  tree: string;
  chart: string;
  verdict: Verdict;
  why: string;
}

const scratch = mkdtempSync(join(tmpdir(), 'parity-survey-'));
const workDirs = [scratch];
const homes = new Map<HelmMajor, string>();
const envFor = (major: HelmMajor) => {
  const home = homes.get(major) ?? mkdtempSync(join(scratch, `home${major}-`));
  homes.set(major, home);
  return { PATH: process.env['PATH'], HOME: home, HELM_CONFIG_HOME: join(home, 'config'), HELM_CACHE_HOME: join(home, 'cache'), HELM_DATA_HOME: join(home, 'data'), GOMAXPROCS: '1' };
};

function exec(file: string, argv: string[], env: NodeJS.ProcessEnv): Promise<{ ok: boolean; out: string }> {
  return new Promise((done) => {
    execFile(file, argv, { env, timeout: TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024, killSignal: 'SIGKILL' }, (error, stdout, stderr) => {
      done({ ok: !error, out: error?.killed ? `timed out after ${TIMEOUT_MS / 1000}s` : `${stderr || stdout || error?.message || ''}`.trim() });
    });
  });
}
const helm = (major: HelmMajor, argv: string[]) => exec(helmBinary(major), argv, envFor(major));

/** Packages `dir` into a fresh directory; the archive it wrote, or why not. */
async function pack(who: HelmMajor | 'chartship', dir: string, out: string): Promise<Run> {
  mkdirSync(out, { recursive: true });
  const { ok, out: text } =
    who === 'chartship'
      ? await exec(process.execPath, [CLI, 'package', dir, '-d', out, ...FLAGS], { PATH: process.env['PATH'], HOME: scratch, SOURCE_DATE_EPOCH: EPOCH })
      : await helm(who, ['package', dir, '-d', out, ...FLAGS]);
  const written = readdirSync(out).filter((f) => f.endsWith('.tgz'));
  if (!ok || written.length !== 1) return { ok: false, error: firstLine(text) || 'no archive written' };
  return { ok: true, fileName: written[0]!, archive: readFileSync(join(out, written[0]!)) };
}

const firstLine = (text: string) => text.split('\n').find((l) => l.trim() && !/^walk\.go|^coalesce\.go/.test(l))?.trim().slice(0, 240) ?? '';

/** Chart directories under `tree`, not inside another chart's charts/. */
function chartDirs(tree: string): string[] {
  const found: string[] = [];
  const walk = (dir: string, depth: number) => {
    if (depth > 12) return;
    const names = readdirSync(dir);
    const isChart = names.includes('Chart.yaml');
    if (isChart) found.push(dir);
    for (const name of names) {
      if (name === '.git' || name.startsWith('.parity-survey-') || (isChart && name === 'charts')) continue;
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
      return parse(readFileSync(join(dir, file), 'utf8'), { uniqueKeys: false });
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
    return (parse(readFileSync(join(dir, 'Chart.yaml'), 'utf8'), { uniqueKeys: false }) as { name?: unknown })?.name?.toString();
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

class NeedsNetwork extends Error {}

/** One corpus: its charts by name, and helm 3's archive of each dependency it serves (made once). */
class Corpus {
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
    this.work = mkdtempSync(join(tree, '.parity-survey-'));
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

/** The first difference between two archives, or undefined when they agree (times aside). */
function difference(ours: Run, theirs: Run): string | undefined {
  if (ours.fileName !== theirs.fileName) return `file name ${ours.fileName} vs ${theirs.fileName}`;
  if (!gzipHeader(ours.archive!).equals(gzipHeader(theirs.archive!))) return `gzip header ${gzipHeader(ours.archive!).toString('hex')} vs ${gzipHeader(theirs.archive!).toString('hex')}`;
  const mine = entries(ours.archive!);
  const other = entries(theirs.archive!);
  for (let i = 0; i < Math.max(mine.length, other.length); i++) {
    const a = mine[i];
    const b = other[i];
    if (!a || !b || a.name !== b.name) {
      const extra = mine.filter((e) => !other.some((o) => o.name === e.name)).map((e) => e.name);
      const lacking = other.filter((o) => !mine.some((e) => e.name === o.name)).map((e) => e.name);
      return `entry #${i}: ${a?.name ?? '(none)'} vs ${b?.name ?? '(none)'}; only ours: ${extra.slice(0, 3).join(', ') || '-'}; only helm's: ${lacking.slice(0, 3).join(', ') || '-'}`;
    }
    if (a.header !== b.header) return `${a.name}: tar header ${headerDiff(a, b)}`;
    if (a.data !== b.data) return `${a.name}: content ${contentDiff(a, b)}`;
  }
  return undefined;
}
const TAR_FIELDS: [string, number, number][] = [['name', 0, 100], ['mode', 100, 8], ['uid', 108, 8], ['gid', 116, 8], ['size', 124, 12], ['type', 156, 1], ['linkname', 157, 100], ['magic', 257, 8], ['uname', 265, 32], ['gname', 297, 32], ['devmajor', 329, 8], ['devminor', 337, 8], ['prefix', 345, 155]];
function headerDiff(a: Entry, b: Entry): string {
  const x = Buffer.from(a.header, 'base64');
  const y = Buffer.from(b.header, 'base64');
  const field = (block: Buffer, start: number, length: number) => JSON.stringify(block.subarray(start, start + length).toString('latin1').replace(/\0+$/, ''));
  const [name, start, length] = TAR_FIELDS.find(([, start, length]) => !x.subarray(start, start + length).equals(y.subarray(start, start + length))) ?? ['padding', 500, 12];
  return `${name} ${field(x, start, length)} vs ${field(y, start, length)}`;
}
function contentDiff(a: Entry, b: Entry): string {
  const text = (e: Entry) => (e.name.endsWith('.lock') ? e.data : Buffer.from(e.data, 'base64').toString('utf8'));
  const x = text(a).split('\n');
  const y = text(b).split('\n');
  const line = x.findIndex((l, i) => l !== y[i]);
  const at = line < 0 ? x.length : line;
  return `line ${at + 1}: ${JSON.stringify(x[at]?.slice(0, 100))} vs ${JSON.stringify(y[at]?.slice(0, 100))}`;
}

/** Whether chartship's archive renders as helm's does, with each major (only asked where bytes differ). */
async function renders(ours: string, theirs: string): Promise<string> {
  const notes: string[] = [];
  for (const major of [3, 4] as HelmMajor[]) {
    const h = await helm(major, ['template', 'survey', theirs]);
    if (!h.ok) continue;
    const c = await helm(major, ['template', 'survey', ours]);
    if (!c.ok) notes.push(`helm ${major} template refuses ours: ${firstLine(c.out)}`);
    else if (c.out !== h.out) notes.push(`helm ${major} renders ours differently`);
  }
  return notes.length ? `; ${notes.join('; ')}` : '; renders as helm\'s';
}

async function survey(corpus: Corpus, dir: string): Promise<Result> {
  const chart = relative(corpus.tree, dir) || '.';
  const result = (verdict: Verdict, why: string): Result => ({ tree: basename(corpus.tree), chart, verdict, why });
  const work = mkdtempSync(join(corpus.work, 'chart-'));
  try {
    let input: string;
    try {
      input = await corpus.prepared(dir, work);
    } catch (error) {
      if (error instanceof NeedsNetwork) return result('needs-network', error.message);
      throw error;
    }
    const [h3, h4, ours] = [await pack(3, input, join(work, 'h3')), await pack(4, input, join(work, 'h4')), await pack('chartship', input, join(work, 'ours'))];
    if (!h3.ok && !h4.ok && !ours.ok) {
      // chartship's refusal must point at the file (and the line, where one is to blame): flagged when it names neither.
      const pointed = ours.error!.includes(input) ? '' : ' [chartship names no file]';
      return result('all-refuse', `helm 3: ${h3.error} | helm 4: ${h4.error} | chartship: ${ours.error}${pointed}`);
    }
    if (h3.ok !== h4.ok) return result('helms-disagree', `helm 3 ${h3.ok ? 'packages' : `refuses: ${h3.error}`} | helm 4 ${h4.ok ? 'packages' : `refuses: ${h4.error}`} | chartship ${ours.ok ? 'packages' : `refuses: ${ours.error}`}`);
    if (!ours.ok) return result('helm-accepts-chartship-refuses', ours.error!);
    if (!h3.ok) return result('chartship-accepts-helm-refuses', `helm 3: ${h3.error} | helm 4: ${h4.error}`);
    const d3 = difference(ours, h3);
    const d4 = difference(ours, h4);
    if (!d3 && !d4) return result('identical', '');
    const why = async (d: string, theirs: Run) => `${d}${await renders(join(work, 'ours', ours.fileName!), join(work, theirs === h3 ? 'h3' : 'h4', theirs.fileName!))}`;
    if (!d3) return result('identical-helm3-only', `vs helm 4: ${await why(d4!, h4)}`);
    if (!d4) return result('identical-helm4-only', `vs helm 3: ${await why(d3, h3)}`);
    return result('bytes-differ', d3 === d4 ? await why(d3, h3) : `vs helm 3: ${await why(d3, h3)} | vs helm 4: ${d4}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  if (TREES.length === 0) throw new Error('usage: npx tsx bench/parity-survey.ts [--cli dist/cli.js] [--json out.json] [--only SUBSTRING] [--flags FLAGS] DIR…');
  const results: Result[] = [];
  const started = Date.now();
  const corpora = TREES.map((tree) => new Corpus(tree, chartDirs(tree)));
  for (const corpus of corpora) {
    for (const other of corpora) for (const [name, dir] of other.byName) if (!corpus.byName.has(name)) corpus.elsewhere.set(name, dir);
    const { tree, charts: all } = corpus;
    const queue = all.filter((d) => !ONLY || relative(tree, d).includes(ONLY));
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < queue.length) {
          const dir = queue[next++]!;
          const r = await survey(corpus, dir).catch((error: unknown) => ({ tree: basename(tree), chart: relative(tree, dir), verdict: 'bytes-differ' as const, why: `survey failed: ${String(error)}` }));
          results.push(r);
          process.stderr.write(`[${results.length}] ${r.tree}/${r.chart}: ${r.verdict}\n`);
        }
      }),
    );
  }
  for (const tree of TREES.map((t) => basename(t))) {
    const mine = results.filter((r) => r.tree === tree);
    const tally = new Map<string, number>();
    for (const r of mine) tally.set(r.verdict, (tally.get(r.verdict) ?? 0) + 1);
    console.log(`\n${tree}: ${mine.length} charts`);
    for (const [verdict, n] of [...tally].sort((a, b) => b[1] - a[1])) console.log(`  ${String(n).padStart(4)}  ${verdict}`);
  }
  console.log('\nnot identical:');
  for (const r of results.sort((a, b) => (a.tree + a.chart < b.tree + b.chart ? -1 : 1))) {
    if (r.verdict !== 'identical') console.log(`  ${r.tree}/${r.chart} [${r.verdict}] ${r.why}`);
  }
  console.log(`\n${results.length} charts in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  if (JSON_OUT) writeFileSync(JSON_OUT, JSON.stringify(results, null, 1));
}

try {
  await main();
} finally {
  for (const dir of workDirs) rmSync(dir, { recursive: true, force: true });
}
