import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseChartYaml } from '../charts/chartfile.js';
import { readHelmignore } from '../charts/load.js';
import { defaultHelmignore, type HelmIgnore } from '../charts/helmignore.js';
import { openChartDirectory, walkChart, type ChartEntry } from '../charts/walk.js';
import type { Renderer, SetValue } from './render.js';

/**
 * Renders many charts with few helm processes. A `helm template` costs ≈ 75 ms of CPU however small the chart, nearly
 * all of it helm starting; rendered as the subcharts of one umbrella chart, forty charts cost less than two of those.
 *
 * A chart is rendered together with others only where helm renders a subchart exactly as it renders the chart on its
 * own; any other chart, and any batch helm refuses, is rendered alone (so its error is its own):
 * - a directory without dependencies or charts/ (a packaged archive's subcharts could not be read for the next check);
 * - no template name it defines is defined differently by another chart of the batch (helm's template names are
 *   shared by the whole release, and the last definition loaded wins);
 * - its name can be a value path, and no other chart of the batch has it (values are scoped by chart name);
 * - not a library (helm refuses to render one on its own), and the same kubeVersion as the rest of the batch, which
 *   the umbrella then declares (helm checks only the top chart's);
 * - no values.schema.json that forbids a `global` key (a subchart's values always have one);
 * - no `.Chart.IsRoot`, and `global` read only when its values.yaml has one (a subchart always has `.Values.global`).
 * Values are set under the chart's name, `global` too: helm 3 and 4 give a subchart's own globals to it alone.
 * What still differs is `.Template.Name` and `.Template.BasePath` (they name the umbrella's path), which the policy's
 * rules do not read: images and pod specs. Each chart's output keeps helm's `# Source:` lines as the chart alone has them.
 */
export function batchRenders(inner: Renderer, options: { processes?: number; maxBatch?: number; windowMs?: number; maxWaitMs?: number } = {}): Renderer {
  const processes = options.processes ?? 4;
  const maxBatch = options.maxBatch ?? 40;
  const windowMs = options.windowMs ?? 10;
  const maxWaitMs = Math.max(windowMs, options.maxWaitMs ?? 100);
  const analysed = new Map<string, Promise<Batchable | undefined>>();
  const queue: Job[] = [];
  let running = 0;
  let ripe = false;
  let timer: NodeJS.Timeout | undefined;
  let oldest: number | undefined;
  const waiting: (() => void)[] = [];

  /** At most `processes` helm processes: a finished one hands its slot straight to the next waiting. */
  const slot = async <T>(work: () => Promise<T>): Promise<T> => {
    if (running < processes) running++;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      return await work();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else running--;
      pump();
    }
  };

  /**
   * Starts batches while helm slots are free and the queue is ripe: full, or quiet for `windowMs` since the last
   * chart joined it (charts ask one after another as their other checks finish), or waiting `maxWaitMs` in all.
   */
  const pump = (arrived = false): void => {
    while (queue.length > 0 && running < processes && (ripe || queue.length >= maxBatch)) {
      const batch = takeBatch(queue, maxBatch);
      void slot(() => renderBatch(batch));
    }
    if (queue.length === 0) {
      ripe = false;
      oldest = undefined;
      return;
    }
    if (ripe || (timer && !arrived)) return;
    oldest ??= Date.now();
    clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      ripe = true;
      pump();
    }, Math.max(0, Math.min(windowMs, oldest + maxWaitMs - Date.now())));
  };

  const renderBatch = async (batch: Job[]): Promise<void> => {
    if (batch.length === 1) return settle(batch[0]!, () => inner.render(batch[0]!.dir, batch[0]!.values));
    let outputs: Map<string, string>;
    try {
      outputs = await renderUmbrella(inner, batch);
    } catch {
      // One chart helm refuses fails the whole umbrella: its halves are tried again, down to that chart alone, which
      // then gets helm's own answer for it.
      const half = Math.ceil(batch.length / 2);
      for (const part of [batch.slice(0, half), batch.slice(half)]) void slot(() => renderBatch(part));
      return;
    }
    for (const job of batch) job.resolve(outputs.get(job.chart.name) ?? '');
  };

  return {
    name: inner.name,
    async render(chart: string, values: SetValue[]): Promise<string> {
      if (!analysed.has(chart)) analysed.set(chart, batchable(chart));
      const info = await analysed.get(chart)!;
      if (!info) return slot(() => inner.render(chart, values));
      return new Promise<string>((resolve, reject) => {
        queue.push({ dir: chart, values, chart: info, resolve, reject });
        pump(true);
      });
    },
  };
}

/** What the batch check needs of a chart: its files as helm loads them and the template names it defines. */
interface Batchable {
  name: string;
  /** Chart.yaml's kubeVersion constraint, '' for none: one batch, one constraint. */
  kubeVersion: string;
  /** The chart directory's real path. */
  root: string;
  /** The files helm loads from it, when its .helmignore (or helm's own rule) leaves some out; undefined: all of them. */
  files?: ChartEntry[];
  /** Each template name defined, with the text of the file that defines it. */
  defines: Map<string, string>;
}

interface Job {
  dir: string;
  values: SetValue[];
  chart: Batchable;
  resolve(text: string): void;
  reject(error: unknown): void;
}

async function settle(job: Job, render: () => Promise<string>): Promise<void> {
  try {
    job.resolve(await render());
  } catch (error) {
    job.reject(error);
  }
}

const UMBRELLA = 'chartship-render';
/** A chart name that is also a plain key of a `--set` path. */
const VALUE_KEY = /^[A-Za-z0-9_-]+$/;
/** `{{ define "name" }}` and `{{ block "name" . }}` both add a template name (Go's text/template). */
const DEFINES = /\{\{-?\s*(?:define|block)\s+("(?:[^"\\\n]|\\.)*"|`[^`]*`)/g;

/** The chart at `dir` as a batch member, or undefined when it must be rendered alone. */
async function batchable(dir: string): Promise<Batchable | undefined> {
  try {
    const opened = openChartDirectory(dir);
    if (!opened?.names.includes('Chart.yaml')) return undefined;
    const rules = opened.names.includes('.helmignore') ? await readHelmignore(dir) : defaultHelmignore();
    let ignoresSome = false;
    const noted: HelmIgnore = {
      ignores: (path, isDir) => rules.ignores(path, isDir),
      matches(path, isDir) {
        const ignored = rules.matches(path, isDir);
        ignoresSome ||= ignored;
        return ignored;
      },
    };
    const files = walkChart(dir, noted, opened);
    const text = (name: string): string | undefined => files.find((f) => f.name === name)?.data.toString('utf8');
    const { metadata } = parseChartYaml(text('Chart.yaml') ?? '', join(dir, 'Chart.yaml'));
    if (!VALUE_KEY.test(metadata.name) || metadata.name === UMBRELLA) return undefined;
    if (metadata.type === 'library' || (metadata.dependencies ?? []).length > 0) return undefined;
    if (files.some((f) => f.name.startsWith('charts/') || f.name === 'requirements.yaml')) return undefined;
    const schema = text('values.schema.json');
    if (schema !== undefined && refusesGlobal(schema)) return undefined;
    const hasGlobal = /^global\s*:/m.test(text('values.yaml') ?? '');
    const defines = new Map<string, string>();
    for (const file of files) {
      if (!file.name.startsWith('templates/')) continue;
      const source = file.data.toString('utf8');
      if (source.includes('IsRoot') || (!hasGlobal && source.includes('global'))) return undefined;
      for (const match of source.matchAll(DEFINES)) defines.set(match[1]!, source);
    }
    return { name: metadata.name, kubeVersion: metadata.kubeVersion ?? '', root: opened.root, files: ignoresSome ? files : undefined, defines };
  } catch {
    // Whatever keeps it from being read here, helm will say when it renders the chart alone.
    return undefined;
  }
}

/** Whether a values schema rejects the `global` key helm gives every subchart's values (unparseable: helm will say). */
function refusesGlobal(schema: string): boolean {
  try {
    const root = JSON.parse(schema) as { additionalProperties?: unknown; unevaluatedProperties?: unknown; properties?: Record<string, unknown> };
    return (root.additionalProperties === false || root.unevaluatedProperties === false) && !root.properties?.['global'];
  } catch {
    return true;
  }
}

/** Takes from `queue` the charts that can share one umbrella, in queue order, at most `max`. */
function takeBatch(queue: Job[], max: number): Job[] {
  const batch: Job[] = [];
  const names = new Set<string>();
  const defines = new Map<string, string>();
  for (let i = 0; i < queue.length && batch.length < max; ) {
    const job = queue[i]!;
    const clash =
      names.has(job.chart.name) ||
      (batch.length > 0 && job.chart.kubeVersion !== batch[0]!.chart.kubeVersion) ||
      [...job.chart.defines].some(([name, source]) => defines.has(name) && defines.get(name) !== source);
    if (clash) {
      i++;
      continue;
    }
    batch.push(job);
    names.add(job.chart.name);
    for (const [name, source] of job.chart.defines) defines.set(name, source);
    queue.splice(i, 1);
  }
  return batch;
}

/** Renders `batch` as the subcharts of one umbrella chart: each chart's manifests, keyed by chart name. */
async function renderUmbrella(inner: Renderer, batch: Job[]): Promise<Map<string, string>> {
  const scratch = await mkdtemp(join(tmpdir(), 'chartship-render-'));
  try {
    const umbrella = join(scratch, UMBRELLA);
    mkdirSync(join(umbrella, 'charts'), { recursive: true });
    const kubeVersion = batch[0]!.chart.kubeVersion;
    writeFileSync(join(umbrella, 'Chart.yaml'), `apiVersion: v2\nname: ${UMBRELLA}\nversion: 0.0.0\n${kubeVersion ? `kubeVersion: ${JSON.stringify(kubeVersion)}\n` : ''}`);
    for (const job of batch) {
      const at = join(umbrella, 'charts', job.chart.name);
      // A link to the chart directory serves unless helm would leave a file of it out: helm applies only the top
      // chart's .helmignore to a directory it loads, so the others get a copy of the files it would load.
      if (!job.chart.files) symlinkSync(job.chart.root, at);
      else for (const file of job.chart.files) {
        mkdirSync(dirname(join(at, file.name)), { recursive: true });
        writeFileSync(join(at, file.name), file.data);
      }
    }
    const sets = batch.flatMap((job) => job.values.map((v) => ({ path: `${job.chart.name}.${v.path}`, value: v.value })));
    return splitUmbrella(await inner.render(umbrella, sets));
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/**
 * helm's output for the umbrella, cut into each subchart's documents with the `# Source:` lines the chart alone
 * would have. A document without a Source line (a template printing `---` itself) belongs to the one before it.
 */
export function splitUmbrella(text: string): Map<string, string> {
  const prefix = `# Source: ${UMBRELLA}/charts/`;
  const out = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const doc of text.split(/^---[ \t]*$/m)) {
    const line = doc.split('\n').find((l) => l.startsWith('# Source: '));
    if (line?.startsWith(prefix)) {
      const name = line.slice(prefix.length).split('/')[0]!;
      current = out.get(name) ?? [];
      out.set(name, current);
    }
    if (!current) continue;
    current.push(doc.replace(prefix, '# Source: '));
  }
  return new Map([...out].map(([name, docs]) => [name, docs.map((d) => `---${d}`).join('')]));
}
