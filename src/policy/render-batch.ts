import { mkdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadChartArchive, type LoadedChart } from '../charts/tree.js';
import type { ChartMetadata } from '../model/metadata.js';
import type { ChartEntry } from '../charts/walk.js';
import { renderPath, type PackagedRender, type Renderer, type SetValue } from './render.js';

/**
 * Renders many charts with few helm processes. A `helm template` costs ≈ 75 ms of CPU however small the chart, nearly
 * all of it helm starting; rendered as the subcharts of one umbrella chart, sixty-four small charts cost about as much.
 *
 * A chart is rendered together with others only where helm renders a subchart exactly as it renders the chart on its
 * own; any other chart, and any batch helm refuses, is rendered alone (so its error is its own):
 * - an archive, as the policy has each chart packaged (a directory is rendered alone), whose dependencies have no
 *   `alias`, `condition`, `tags` or `import-values`, which helm applies only for the top chart's dependencies;
 * - no template name it defines is defined differently by another chart of the batch (helm's template names are
 *   shared by the whole release, and the last definition loaded wins);
 * - its name can be a value path other than `global`, and no other chart of the batch has it (values are scoped by
 *   chart name);
 * - not a library (helm refuses to render one on its own), and the same kubeVersion as the rest of the batch, which
 *   the umbrella then declares (helm checks only the top chart's);
 * - no values.schema.json that forbids a `global` key (a subchart's values always have one);
 * - no `.Chart.IsRoot`, and `global` read only when its values.yaml has one (a subchart always has `.Values.global`).
 * Values are set under the chart's name, `global` too: helm 3 and 4 give a subchart's own globals to it alone.
 * What still differs is `.Template.Name` and `.Template.BasePath` (they name the umbrella's path), which the policy's
 * rules do not read: images and pod specs. Each chart's output keeps helm's `# Source:` lines as the chart alone has them.
 */
export function batchRenders(inner: Renderer, options: { processes?: number; maxBatch?: number; maxWaitMs?: number } = {}): BatchRenderer {
  const processes = options.processes ?? 4;
  const maxBatch = options.maxBatch ?? 64;
  const maxWaitMs = options.maxWaitMs ?? 250;
  const analysed = new Map<string, Promise<Batchable | undefined>>();
  const queue: Job[] = [];
  /** Each open caller's renderings not yet answered. */
  const callers = new Set<{ asked: number }>();
  let analysing = 0;
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
   * Starts batches while helm slots are free and the queue is ripe: every open caller waits for a rendering (nothing
   * more joins until one is answered), or the oldest has waited `maxWaitMs` (a caller busy elsewhere, packaging
   * dependencies, holds up the others no longer than that).
   */
  const pump = (): void => {
    ripe ||= analysing === 0 && [...callers].every((c) => c.asked > 0);
    while (ripe && queue.length > 0 && running < processes) {
      const batch = takeBatch(queue, maxBatch);
      void slot(() => renderBatch(batch));
    }
    clearTimeout(timer);
    timer = undefined;
    if (queue.length === 0) {
      ripe = false;
      oldest = undefined;
      return;
    }
    if (ripe) return;
    oldest ??= Date.now();
    timer = setTimeout(() => {
      ripe = true;
      pump();
    }, Math.max(0, oldest + maxWaitMs - Date.now()));
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

  const render = async (caller: { asked: number }, source: string | PackagedRender, values: SetValue[]): Promise<string> => {
    caller.asked++;
    analysing++;
    const chart = renderPath(source);
    try {
      if (!analysed.has(chart)) analysed.set(chart, batchable(source));
      let info: Batchable | undefined;
      try {
        info = await analysed.get(chart)!;
      } finally {
        // In the same step as the job joins the queue: a batch must not leave between the two.
        analysing--;
      }
      const found = info;
      const answer = found ? new Promise<string>((resolve, reject) => queue.push({ dir: chart, values, chart: found, resolve, reject })) : slot(() => inner.render(chart, values));
      pump();
      return await answer;
    } finally {
      caller.asked--;
    }
  };

  const open = (): Renderer & { done(): void } => {
    const caller = { asked: 0 };
    callers.add(caller);
    return {
      name: inner.name,
      render: (chart, values) => render(caller, chart, values),
      done() {
        callers.delete(caller);
        pump();
      },
    };
  };

  return {
    name: inner.name,
    open,
    async render(chart, values) {
      const once = open();
      try {
        return await once.render(chart, values);
      } finally {
        once.done();
      }
    },
  };
}

/**
 * A Renderer for many callers at once. A caller that will ask for renderings (a chart's policy check) opens its own
 * renderer first and says when it is done: a batch then leaves as soon as every open caller waits for a rendering,
 * and no sooner (callers ask as their other checks finish, one after another). `render` is a caller of its own.
 */
export interface BatchRenderer extends Renderer {
  open(): Renderer & { done(): void };
}

/** What the batch check needs of a chart: its files as helm loads them and the template names it defines. */
interface Batchable {
  name: string;
  /** Chart.yaml's kubeVersion constraint, '' for none: one batch, one constraint. */
  kubeVersion: string;
  /** The archive, which goes into the umbrella's charts/. */
  archive: Buffer;
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

/**
 * The chart archive as a batch member, or undefined when it must be rendered alone (helm will say what it cannot
 * read). Handed over packaged, it is taken as it is; a path alone is read and loaded.
 */
async function batchable(source: string | PackagedRender): Promise<Batchable | undefined> {
  const path = renderPath(source);
  if (!path.endsWith('.tgz')) return undefined;
  try {
    const { archive, chart } = typeof source === 'string' ? await readArchive(path) : source;
    const tree = [chart];
    for (let i = 0; i < tree.length; i++) tree.push(...tree[i]!.subcharts);
    // helm applies a dependency's `alias`, `condition`, `tags` and `import-values` from the top chart's values, before
    // it coalesces a subchart's own: one level down, the subchart keeps its name and is never disabled.
    const special = tree.some((c) =>
      (c.metadata.dependencies ?? []).some((d) => d.alias || d.condition || (d.tags ?? []).length > 0 || (d['import-values'] ?? []).length > 0),
    );
    if (special) return undefined;
    const all = tree.flatMap((c) => c.templates);
    return member(chart.metadata, chart.values?.toString('utf8'), chart.schema?.toString('utf8'), chart.templates, all, archive);
  } catch {
    return undefined;
  }
}

async function readArchive(path: string): Promise<{ archive: Buffer; chart: LoadedChart }> {
  const archive = await readFile(path);
  return { archive, chart: await loadChartArchive(archive, path) };
}

/**
 * The checks every member passes. `own` are the chart's templates, `all` its subcharts' too: the template names
 * the whole tree defines go into one namespace with the batch's.
 */
function member(metadata: ChartMetadata, values: string | undefined, schema: string | undefined, own: ChartEntry[], all: ChartEntry[], archive: Buffer): Batchable | undefined {
  // A subchart named `global` would get the umbrella's globals as its values, and give its own to the whole batch.
  if (!VALUE_KEY.test(metadata.name) || metadata.name === UMBRELLA || metadata.name === 'global' || metadata.type === 'library') return undefined;
  if (schema !== undefined && refusesGlobal(schema)) return undefined;
  const hasGlobal = /^global\s*:/m.test(values ?? '');
  for (const file of own) {
    const source = file.data.toString('utf8');
    if (source.includes('IsRoot') || (!hasGlobal && source.includes('global'))) return undefined;
  }
  const defines = new Map<string, string>();
  for (const file of all) {
    const source = file.data.toString('utf8');
    for (const match of source.matchAll(DEFINES)) defines.set(match[1]!, source);
  }
  return { name: metadata.name, kubeVersion: metadata.kubeVersion ?? '', archive, defines };
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
    for (const job of batch) writeFileSync(join(umbrella, 'charts', `${job.chart.name}.tgz`), job.chart.archive);
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
function splitUmbrella(text: string): Map<string, string> {
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
