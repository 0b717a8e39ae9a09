import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseChartFiles } from '../charts/chartfile.js';
import { loadChart, type LoadedChart } from '../charts/load.js';
import { loadChartArchive } from '../charts/tree.js';
import { workTree, type SourceTree } from '../charts/source-tree.js';
import { checkAllowedRegistry, type ChartshipConfig, type PolicyConfig } from '../config/index.js';
import { ChartshipError } from '../model/errors.js';
import { failsPolicy, notCheckedByReason, type ChartPolicyResult, type PolicyMode, type PolicyReport } from '../model/policy.js';
import { inRepository } from './error-location.js';
import { packageChart } from './package.js';
import { writeChartArchive } from '../package/archive.js';
import { batchRenders, compilePolicy, renderCopy, evaluateChart, findHelm, type PolicyChart, type PolicyContext, type PackagedRender, type PublishedContent, type Renderer } from '../policy/index.js';
import type { Log } from './log.js';
import { runGraph } from './schedule.js';
import type { DependencyAccess } from './targets.js';
import type { ChartPlan, Plan } from '../model/plan.js';

/** The policy a run applies: the mode (input/flag), the configuration, and what renders charts (injected). */
export interface PolicyRun {
  mode: PolicyMode;
  /** The `policy:` section of .chartship.yaml; the defaults without one. */
  config?: PolicyConfig;
  /** The `policy-allowed-registries` input, over the configured allow-list. */
  allowedRegistries?: string[];
  /**
   * helm on PATH, undefined when there is none: looked for (`helm version`, a Go program's start) while the run
   * plans, and waited for where the policy starts.
   */
  renderer?: Renderer | Promise<Renderer | undefined>;
}

export interface PolicyAccess {
  dependencies?: DependencyAccess;
  dependencyCacheDir?: string;
  published?: PublishedContent;
}

/**
 * Charts checked at once. helm processes are limited by the renderer (render-batch.ts), which renders the charts
 * being checked in one process once each has asked: the more at once, the fewer processes (64 small charts cost
 * about what one does). Bounded still, since a check may package a chart's dependencies or ask the registries about
 * a version.
 */
const CONCURRENCY = 64;

/**
 * Checks `charts` against the policy and logs each finding as an annotation on its file and line (an error when
 * enforced, a warning otherwise) and, once per reason, the rules that could not be checked.
 */
export async function checkPolicy(root: string, charts: PolicyChart[], run: PolicyRun & { mode: PolicyReport['mode'] }, access: PolicyAccess, log: Log): Promise<PolicyReport> {
  return startPolicy(root, charts, run, access, log).report;
}

/** A policy check under way: each chart's result as soon as it is known, and the whole report once all are. */
export interface PolicyCheck {
  /** The result for `chart`; undefined for a chart the check does not cover. Rejects when the check broke. */
  verdict(chart: string): Promise<ChartPolicyResult> | undefined;
  /** Every chart's result, logged; rejects when a check broke (a bug: it must never pass a chart). */
  report: Promise<PolicyReport>;
}

/**
 * Starts checking `charts` (in their order, a few helm processes at once) without waiting for the result, so a
 * publish can package and push while helm renders: each chart waits only for its own verdict, and only when the
 * verdict can stop it (an enforced policy).
 */
export function startPolicy(
  root: string,
  charts: PolicyChart[],
  run: PolicyRun & { mode: PolicyReport['mode'] },
  access: PolicyAccess,
  log: Log,
  /** Charts a refusal only leaves for a later run (a first publication): their error findings fail nothing, so warn. */
  deferred: (chart: string) => boolean = () => false,
): PolicyCheck {
  const verdicts = new Map(charts.map((chart) => [chart.name, settlement<ChartPolicyResult>()]));
  const report = (async (): Promise<PolicyReport> => {
    const helm = await run.renderer;
    const policyOf = compilePolicy({ config: run.config ?? { rules: {}, charts: [] }, allowedRegistries: run.allowedRegistries });
    const scratch = await mkdtemp(join(tmpdir(), 'chartship-policy-'));
    try {
      const ctx: PolicyContext = { tree: workTree(root), renderable: renderable(root, scratch, access), published: access.published };
      const batched = helm && batchRenders(helm);
      const outcomes = await runGraph(
        charts.map((chart) => ({
          id: chart.name,
          dependsOn: [],
          run: async () => {
            const verdict = verdicts.get(chart.name)!;
            // Each check has a renderer of its own, so a batch waits for it to ask rather than for a quiet moment.
            const renderer = batched?.open();
            try {
              const result = await evaluateChart(chart, policyOf(chart), { ...ctx, ...(renderer ? { renderer } : {}) });
              verdict.resolve(result);
              return result;
            } catch (error) {
              verdict.reject(error);
              throw error;
            } finally {
              renderer?.done();
            }
          },
        })),
        { limit: CONCURRENCY },
      );
      const results = charts.map((chart): ChartPolicyResult => {
        const outcome = outcomes.get(chart.name);
        if (outcome?.state === 'done') return outcome.value;
        // evaluateChart reports a broken check as not checked; anything else is a bug, and must not pass a chart.
        throw outcome?.state === 'failed' ? outcome.error : new Error(`the policy check of ${chart.name} did not run`);
      });
      const report: PolicyReport = { mode: run.mode, charts: results, ...(helm ? { renderer: helm.name } : {}) };
      logPolicy(report, log, deferred);
      return report;
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  })();
  // Whoever waits gets the failure; a check nobody waits for (warn mode, a chart that failed first) must not end the
  // process as an unhandled rejection. A chart left unsettled by a failure before its turn is rejected with it.
  report.catch((error: unknown) => {
    for (const verdict of verdicts.values()) verdict.reject(error);
  });
  for (const verdict of verdicts.values()) verdict.promise.catch(() => undefined);
  return { verdict: (chart) => verdicts.get(chart)?.promise, report };
}

/** A promise with its settling functions (Promise.withResolvers is Node 22+). */
function settlement<T>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (error: unknown) => void } {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/**
 * What helm renders: the archive packaging makes of the chart (of the chart directory as loaded, when it has no
 * dependencies), as the policy's copy (policy/render-copy.ts). Loading refuses a link out of the repository and a
 * .git directory, as packaging does.
 */
function renderable(root: string, scratch: string, access: PolicyAccess): (chart: PolicyChart) => Promise<string | PackagedRender> {
  return async (chart) => {
    const dir = join(root, chart.path);
    const file = join(scratch, `${chart.name}.tgz`);
    let loaded: LoadedChart;
    if ((chart.file.metadata.dependencies ?? []).length === 0) loaded = await loadChart(dir);
    else {
      const packaged = await packageChart(dir, {
        // Only rendered, never published: any fixed time will do, and no git history is read for it.
        sourceDate: new Date(0),
        dependencies: { oci: access.dependencies?.oci, download: access.dependencies?.download, indexes: access.dependencies?.indexes, cacheDir: access.dependencyCacheDir },
      }).catch((error: unknown) => {
        throw inRepository(error, root);
      });
      loaded = await loadChartArchive(packaged.archive, file);
    }
    renderCopy(loaded);
    const { archive, loadable } = await writeChartArchive(loaded, new Date(0));
    await writeFile(file, archive);
    // An archive helm's loader would refuse (a file over its limits) goes by path: it is then rendered alone, and
    // refused with helm's own words.
    return loadable ? { path: file, archive, chart: loaded } : file;
  };
}

function logPolicy(report: PolicyReport, log: Log, deferred: (chart: string) => boolean): void {
  for (const chart of report.charts) {
    for (const f of chart.findings) {
      const where = { file: f.file, line: f.line, column: f.column, field: f.rule };
      if (report.mode === 'enforce' && f.severity === 'error' && !deferred(chart.chart)) log.error(f.message, where);
      else log.warning(f.message, where);
    }
  }
  for (const s of notCheckedByReason(report)) log.warning(`policy: ${s.rules.join(', ')} not checked for ${s.charts.join(', ')}: ${s.reason}`);
}

/**
 * The charts of a plan that would be released (and that `include` accepts), as the policy reads them (Chart.yaml
 * from the work tree). A chart the registries already hold with the same content is not: nothing of it is released.
 */
export async function plannedPolicyCharts(plan: Plan, include: (chart: ChartPlan) => boolean = () => true, tree: SourceTree = workTree(plan.root)): Promise<PolicyChart[]> {
  const charts = plan.charts.filter((c) => c.action === 'release' && include(c));
  const requirements = (path: string) => (path === '' ? 'requirements.yaml' : `${path}/requirements.yaml`);
  const texts = await tree.read(charts.flatMap((c) => [c.chartYaml, requirements(c.path)]));
  return charts.map((chart, i) => {
    const text = texts[2 * i];
    const req = texts[2 * i + 1];
    if (text === undefined) throw new ChartshipError('Chart.yaml disappeared during the run', { file: chart.chartYaml });
    const file = parseChartFiles({ text, file: chart.chartYaml }, req === undefined ? undefined : { text: req, file: requirements(chart.path) });
    return { name: chart.name, path: chart.path, chartYaml: chart.chartYaml, file };
  });
}

/** The charts the policy keeps from being published, with the one line that says why. */
export function policyBlocks(report: PolicyReport | undefined): Map<string, string> {
  const blocked = new Map<string, string>();
  for (const chart of report?.charts ?? []) {
    const refused = report && refusal(chart, report.mode);
    if (refused) blocked.set(chart.chart, refused);
  }
  return blocked;
}

/** Why `chart` may not be published under `mode`; undefined when it may. */
export function refusal(chart: ChartPolicyResult, mode: PolicyMode): string | undefined {
  if (!failsPolicy(chart, mode)) return undefined;
  const errors = chart.findings.filter((f) => f.severity === 'error');
  const rules = [...new Set(errors.map((f) => f.rule))].join(', ');
  return `not published: fails the chart policy (${errors.length} error${errors.length === 1 ? '' : 's'}: ${rules})`;
}

/** The policy check of the charts a plan releases (those `include` accepts), started; undefined when none applies. */
export async function startPolicyOfPlan(plan: Plan, run: PolicyRun | undefined, include: (chart: ChartPlan) => boolean, access: PolicyAccess, log: Log): Promise<PolicyCheck | undefined> {
  if (!run || run.mode === 'off') return undefined;
  const first = new Set(plan.charts.filter((c) => c.firstPublication).map((c) => c.name));
  // A helm that is there but broken fails the run here, before anything is pushed.
  const renderer = await run.renderer;
  return startPolicy(plan.root, await plannedPolicyCharts(plan, include), { ...run, mode: run.mode, ...(renderer && { renderer }) }, access, log, (chart) => first.has(chart));
}

/**
 * The run's policy completed by the front end: the configuration file's section and, unless the policy is off, helm
 * from the PATH of `env`. The `charts:` globs are checked here, so a bad one fails the run before anything else.
 */
export function preparePolicy(run: PolicyRun | undefined, config: ChartshipConfig, env: NodeJS.ProcessEnv): PolicyRun | undefined {
  // Checked even when the policy is off: a typo in the configuration fails whatever the mode.
  compilePolicy({ config: config.policy });
  for (const entry of run?.allowedRegistries ?? []) checkAllowedRegistry(entry, { field: 'policy-allowed-registries' });
  if (!run || run.mode === 'off') return run;
  const renderer = findHelm(env);
  // Waited for where the policy starts; a run that ends before (a plan that fails) must not die of it unhandled.
  renderer.catch(() => undefined);
  return { ...run, config: config.policy, renderer };
}
