import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseChartFiles } from '../charts/chartfile.js';
import { workTree, type SourceTree } from '../charts/source-tree.js';
import type { ChartshipConfig, PolicyConfig } from '../config/index.js';
import { ChartshipError } from '../model/errors.js';
import { failsPolicy, notCheckedByReason, type ChartPolicyResult, type PolicyMode, type PolicyReport } from '../model/policy.js';
import { packageChart } from './package.js';
import { compilePolicy, evaluateChart, findHelm, type PolicyChart, type PolicyContext, type PublishedContent, type Renderer } from '../policy/index.js';
import type { Log } from './log.js';
import { runGraph } from './schedule.js';
import type { DependencyAccess } from './targets.js';
import type { Plan } from '../model/plan.js';

/** The policy a run applies: the mode (input/flag), the configuration, and what renders charts (injected). */
export interface PolicyRun {
  mode: PolicyMode;
  /** The `policy:` section of .chartship.yaml; the defaults without one. */
  config?: PolicyConfig;
  /** The `policy-allowed-registries` input, over the configured allow-list. */
  allowedRegistries?: string[];
  /** helm on PATH; undefined when there is none. */
  renderer?: Renderer;
}

export interface PolicyAccess {
  dependencies?: DependencyAccess;
  dependencyCacheDir?: string;
  published?: PublishedContent;
}

/** Charts rendered at once: each is a helm process. */
const CONCURRENCY = 4;

/**
 * Checks `charts` against the policy and logs each finding as an annotation on its file and line (an error when
 * enforced, a warning otherwise) and, once per reason, the rules that could not be checked.
 */
export async function checkPolicy(root: string, charts: PolicyChart[], run: PolicyRun & { mode: PolicyReport['mode'] }, access: PolicyAccess, log: Log): Promise<PolicyReport> {
  const policyOf = compilePolicy({ config: run.config ?? { rules: {}, charts: [] }, allowedRegistries: run.allowedRegistries });
  const scratch = await mkdtemp(join(tmpdir(), 'chartship-policy-'));
  try {
    const ctx: PolicyContext = { tree: workTree(root), renderer: run.renderer, renderable: renderable(root, scratch, access), published: access.published };
    const outcomes = await runGraph(
      charts.map((chart) => ({ id: chart.name, dependsOn: [], run: () => evaluateChart(chart, policyOf(chart), ctx) })),
      { limit: CONCURRENCY },
    );
    const results = charts.map((chart): ChartPolicyResult => {
      const outcome = outcomes.get(chart.name);
      if (outcome?.state === 'done') return outcome.value;
      // evaluateChart reports a broken check as not checked; anything else is a bug, and must not pass a chart.
      throw outcome?.state === 'failed' ? outcome.error : new Error(`the policy check of ${chart.name} did not run`);
    });
    const report: PolicyReport = { mode: run.mode, charts: results, ...(run.renderer ? { renderer: run.renderer.name } : {}) };
    logPolicy(report, log);
    return report;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** What helm renders: the chart directory, or for a chart with dependencies the archive packaging makes of it. */
function renderable(root: string, scratch: string, access: PolicyAccess): (chart: PolicyChart) => Promise<string> {
  return async (chart) => {
    const dir = join(root, chart.path);
    if ((chart.file.metadata.dependencies ?? []).length === 0) return dir;
    const packaged = await packageChart(dir, {
      // Only rendered, never published: any fixed time will do, and no git history is read for it.
      sourceDate: new Date(0),
      dependencies: { oci: access.dependencies?.oci, download: access.dependencies?.download, cacheDir: access.dependencyCacheDir },
    });
    const file = join(scratch, `${chart.name}-${packaged.version}.tgz`);
    await writeFile(file, packaged.archive);
    return file;
  };
}

function logPolicy(report: PolicyReport, log: Log): void {
  for (const chart of report.charts) {
    for (const f of chart.findings) {
      const where = { file: f.file, line: f.line, column: f.column, field: f.rule };
      if (report.mode === 'enforce' && f.severity === 'error') log.error(f.message, where);
      else log.warning(f.message, where);
    }
  }
  for (const s of notCheckedByReason(report)) log.warning(`policy: ${s.rules.join(', ')} not checked for ${s.charts.join(', ')}: ${s.reason}`);
}

/** The charts of a plan that would be released, as the policy reads them (Chart.yaml from the work tree). */
export async function plannedPolicyCharts(plan: Plan, tree: SourceTree = workTree(plan.root)): Promise<PolicyChart[]> {
  const charts = plan.charts.filter((c) => c.action !== 'skipped');
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
    if (!report || !failsPolicy(chart, report.mode)) continue;
    const errors = chart.findings.filter((f) => f.severity === 'error');
    const rules = [...new Set(errors.map((f) => f.rule))].join(', ');
    blocked.set(chart.chart, `not published: fails the chart policy (${errors.length} error${errors.length === 1 ? '' : 's'}: ${rules})`);
  }
  return blocked;
}

/** The policy on the charts a plan releases; undefined when no policy applies. */
export async function policyOfPlan(plan: Plan, run: PolicyRun | undefined, access: PolicyAccess, log: Log): Promise<PolicyReport | undefined> {
  if (!run || run.mode === 'off') return undefined;
  return checkPolicy(plan.root, await plannedPolicyCharts(plan), { ...run, mode: run.mode }, access, log);
}

/**
 * The run's policy completed by the front end: the configuration file's section and, unless the policy is off, helm
 * from the PATH of `env`. The `charts:` globs are checked here, so a bad one fails the run before anything else.
 */
export async function preparePolicy(run: PolicyRun | undefined, config: ChartshipConfig, env: NodeJS.ProcessEnv): Promise<PolicyRun | undefined> {
  // Checked even when the policy is off: a typo in the configuration fails whatever the mode.
  compilePolicy({ config: config.policy });
  if (!run || run.mode === 'off') return run;
  const renderer = await findHelm(env);
  return { ...run, config: config.policy, ...(renderer ? { renderer } : {}) };
}
