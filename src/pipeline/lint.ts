import { DEFAULT_CHART_GLOBS, discoverCharts } from '../charts/discover.js';
import { ChartshipError } from '../model/errors.js';
import type { PolicyReport } from '../model/policy.js';
import type { TargetOptions } from '../oci/index.js';
import type { PolicyChart, PublishedContent } from '../policy/index.js';
import type { Log } from './log.js';
import { publishedStateOf } from './plan-registry.js';
import { packagedDigests } from './packer.js';
import { checkPolicy, type PolicyRun } from './policy.js';
import { dependencyAccess, openTargets } from './targets.js';

export interface LintOptions {
  /** The repository (or any directory) the chart globs are relative to. */
  cwd: string;
  /** Globs of chart directories; default charts/*. */
  charts?: string[];
  /** Charts left out by name or directory glob (plan's `exclude`). */
  exclude?: string[];
  policy: Omit<PolicyRun, 'mode'>;
  /** Registries to compare each chart's version with (`chart-metadata`). */
  targets?: string[];
  target?: TargetOptions;
  dependencyCacheDir?: string;
}

export interface LintOutcome {
  report: PolicyReport;
  /** Charts whose Chart.yaml cannot be read: each fails the lint. */
  invalid: ChartshipError[];
}

/** `chartship lint`: every selected chart against the policy, as `publish` would check it with `policy: enforce`. */
export async function lint(options: LintOptions, log: Log): Promise<LintOutcome> {
  const patterns = options.charts?.length ? options.charts : DEFAULT_CHART_GLOBS;
  const invalid: ChartshipError[] = [];
  const found = await discoverCharts(options.cwd, { charts: patterns, exclude: options.exclude, onInvalid: (_file, error) => invalid.push(error) });
  if (found.length === 0 && invalid.length === 0) {
    throw new ChartshipError(`no chart directory matches ${patterns.map((p) => JSON.stringify(p)).join(', ')}`, {
      code: 'CONFIG_INVALID',
      hint: `a chart directory holds a Chart.yaml; globs are relative to ${options.cwd}`,
    });
  }
  const charts: PolicyChart[] = found.map((c) => ({ name: c.name, path: c.path, chartYaml: c.chartYaml, file: c.file }));
  const targets = openTargets(options.targets ?? [], options.target);
  const dependencies = dependencyAccess(options.targets ?? [], options.target);
  try {
    const published = targets.length > 0 ? publishedContent(options.cwd, charts.map((c) => c.path), targets) : undefined;
    const report = await checkPolicy(options.cwd, charts, { ...options.policy, mode: 'enforce' }, { dependencies, dependencyCacheDir: options.dependencyCacheDir, published }, log);
    return { report, invalid };
  } finally {
    await Promise.all([...targets.map((t) => t.close()), dependencies.close()]);
  }
}

/** The plan's published-state check, for a chart's version as written: does any target hold other content there? */
function publishedContent(root: string, paths: string[], targets: ReturnType<typeof openTargets>): PublishedContent {
  const digestsOf = packagedDigests(root, paths);
  return {
    where: targets.map((t) => t.spec).join(', '),
    async compare(chart, version) {
      let state: 'absent' | 'same' | 'differs' = 'absent';
      for (const target of targets) {
        const published = await publishedStateOf(target).inspect(chart.name, version);
        if (!published) continue;
        const local = await digestsOf({ path: chart.path, nextVersion: version, nextAppVersion: undefined });
        if (local.configDigest !== published.configDigest || local.chartDigest !== published.chartDigest) return 'differs';
        state = 'same';
      }
      return state;
    },
  };
}
