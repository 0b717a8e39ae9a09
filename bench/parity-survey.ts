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
 * directory outside one. The copies are made inside the tree (`.chart-survey-*`, removed after), so such links still
 * resolve. Asserts nothing; prints a tally per tree and the charts that are not identical, one line each.
 *
 *   npx tsx bench/parity-survey.ts [--cli dist/cli.js] [--json out.json] [--only SUBSTRING] [--flags 'FLAGS'] DIR…
 */
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { entries, gzipHeader, type Entry } from '../test/helpers/archive-parity.js';
import type { HelmMajor } from '../test/helpers/helm.js';
import { CLI as BUNDLED_CLI, firstLine, helm, onReadyChart, option, pack as packWith, printTally, removeWorkDirs, surveyTrees, trees, type Corpus, type Run } from './survey-corpus.js';

const CLI = resolve(option('--cli') ?? BUNDLED_CLI);
const JSON_OUT = option('--json');
const ONLY = option('--only');
/** Flags given to every packager alike, e.g. `--flags '--version 9.9.9-rc.1 --app-version 2.0'`. */
const FLAGS = option('--flags')?.split(' ').filter(Boolean) ?? [];
const TREES = trees();
const pack = (who: HelmMajor | 'chartship', dir: string, out: string) => packWith(who, dir, out, FLAGS, CLI);
type Verdict = 'identical' | 'identical-helm3-only' | 'identical-helm4-only' | 'bytes-differ' | 'all-refuse' | 'helm-accepts-chartship-refuses' | 'chartship-accepts-helm-refuses' | 'helms-disagree' | 'needs-network';
interface Result {
  tree: string;
  chart: string;
  verdict: Verdict;
  why: string;
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

function survey(corpus: Corpus, dir: string): Promise<Result> {
  return onReadyChart<Result>(corpus, dir, async (input, work, result) => {
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
  });
}

async function main(): Promise<void> {
  if (TREES.length === 0) throw new Error('usage: npx tsx bench/parity-survey.ts [--cli dist/cli.js] [--json out.json] [--only SUBSTRING] [--flags FLAGS] DIR…');
  const started = Date.now();
  const results = await surveyTrees(TREES, ONLY, survey, (tree, chart, why): Result => ({ tree, chart, verdict: 'bytes-differ', why }));
  printTally(TREES, results, 'identical');
  console.log(`\n${results.length} charts in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  if (JSON_OUT) writeFileSync(JSON_OUT, JSON.stringify(results, null, 1));
}

try {
  await main();
} finally {
  removeWorkDirs();
}
