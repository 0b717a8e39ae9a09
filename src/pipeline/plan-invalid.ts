import type { DiscoveredChart } from '../charts/discover.js';
import { ChartshipError } from '../model/errors.js';
import type { InvalidChart } from '../model/plan.js';
import { dependencyCycles, type LocalDependency } from './plan-graph.js';

/**
 * Charts left out of the plan and reported as failed: those whose .helmignore cannot be read (change detection found
 * its pattern error), the members of a dependency cycle, and every chart that depends on one. Returns their names.
 */
export function unplannable(charts: DiscoveredChart[], deps: Map<string, LocalDependency[]>, broken: { name: string; error: ChartshipError }[], invalid: InvalidChart[]): Set<string> {
  const byName = new Map(charts.map((c) => [c.name, c]));
  const failed = new Set<string>();
  const add = (chart: DiscoveredChart, entry: Omit<InvalidChart, 'path' | 'chartYaml' | 'name' | 'version'>) => {
    failed.add(chart.name);
    invalid.push({ path: chart.path, chartYaml: chart.chartYaml, name: chart.name, version: chart.file.metadata.version, ...entry });
  };
  for (const { name, error } of broken) {
    const chart = byName.get(name);
    if (chart) add(chart, { ...locationOf(error), message: error.hint ? `${error.message} (${error.hint})` : error.message });
  }
  const dependsOn = new Map([...deps].map(([name, list]) => [name, list.map((d) => d.chart)]));
  const { cycles, blocked } = dependencyCycles(charts.map((c) => c.name).filter((n) => !failed.has(n)), dependsOn);
  // A dependency entry's place in Chart.yaml, so the annotation lands on the line to change.
  const entryOf = (chart: DiscoveredChart, dep: string) => {
    const index = deps.get(chart.name)?.find((d) => d.chart === dep)?.index;
    const at = index === undefined ? undefined : chart.file.locate(['dependencies', index]);
    return { field: `dependencies[${index}]`, ...(at ? { line: at.line, column: at.column } : {}) };
  };
  for (const cycle of cycles) {
    const path = cycle.join(' → ');
    cycle.slice(0, -1).forEach((name, i) => add(byName.get(name)!, { ...entryOf(byName.get(name)!, cycle[i + 1]!), message: `dependency cycle: ${path}` }));
  }
  for (const [name, via] of blocked) {
    const chart = byName.get(name)!;
    add(chart, { ...entryOf(chart, via), message: `depends on ${via}, which is part of a dependency cycle or depends on one` });
  }
  return failed;
}

function locationOf(error: ChartshipError): Pick<InvalidChart, 'file' | 'field' | 'line' | 'column'> {
  return {
    ...(error.file !== undefined ? { file: error.file } : {}),
    ...(error.field !== undefined ? { field: error.field } : {}),
    ...(error.line !== undefined ? { line: error.line } : {}),
    ...(error.column !== undefined ? { column: error.column } : {}),
  };
}

export function invalidChart(chartYaml: string, error: ChartshipError, read?: DiscoveredChart): InvalidChart {
  const chart: InvalidChart = { path: chartYaml.replace(/\/?Chart\.yaml$/, ''), chartYaml, message: error.message };
  if (read) {
    chart.name = read.name;
    chart.version = read.file.metadata.version;
  }
  if (error.field !== undefined) chart.field = error.field;
  if (error.line !== undefined) chart.line = error.line;
  if (error.column !== undefined) chart.column = error.column;
  return chart;
}

/** The charts whose name the targets refuse, each with an error on Chart.yaml's `name:` line. */
export function refusedNames(charts: DiscoveredChart[], unpublishable: ((chart: string) => string | undefined) | undefined): { name: string; error: ChartshipError }[] {
  if (!unpublishable) return [];
  return charts.flatMap((chart) => {
    const problem = unpublishable(chart.name);
    if (problem === undefined) return [];
    const at = chart.file.locate(['name']);
    return [{ name: chart.name, error: new ChartshipError(problem, { file: chart.chartYaml, field: 'name', ...(at ? { line: at.line, column: at.column } : {}), code: 'REPOSITORY_INVALID' }) }];
  });
}
