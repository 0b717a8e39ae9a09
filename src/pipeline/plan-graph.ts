import { posix } from 'node:path';
import type { DiscoveredChart } from '../charts/discover.js';
import { toRange } from '../charts/version-range.js';
import { ChartshipError } from '../errors.js';

export interface LocalDependency {
  /** Index in the dependent's `dependencies` list. */
  index: number;
  /** Name of the local chart it resolves to. */
  chart: string;
  /** The version constraint written in Chart.yaml, if any. */
  version?: string;
}

/** `oci://host/ns/` and `host/ns` name the same target. */
export function normalizeNamespace(target: string): string {
  return target.replace(/^oci:\/\//, '').replace(/\/+$/, '').toLowerCase();
}

/**
 * Dependencies that are charts of this repository: `file://` paths, vendored `charts/<name>` directories that are
 * themselves discovered charts, and `oci://<target>` entries naming a chart this repository publishes there.
 */
export function localDependencies(chart: DiscoveredChart, byPath: Map<string, DiscoveredChart>, byName: Map<string, DiscoveredChart>, namespaces: Set<string>): LocalDependency[] {
  const out: LocalDependency[] = [];
  (chart.file.metadata.dependencies ?? []).forEach((dep, index) => {
    const repository = dep.repository ?? '';
    let target: DiscoveredChart | undefined;
    if (repository.startsWith('file://')) {
      target = byPath.get(posix.normalize(posix.join(chart.path, repository.slice('file://'.length))).replace(/\/$/, '').replace(/^\.$/, ''));
    } else if (repository === '') {
      target = byPath.get(posix.join(chart.path, 'charts', dep.name));
    } else if (repository.startsWith('oci://') && namespaces.has(normalizeNamespace(repository))) {
      target = byName.get(dep.name);
    }
    if (!target || target === chart) return;
    const local: LocalDependency = { index, chart: target.name };
    if (dep.version !== undefined) local.version = dep.version;
    out.push(local);
  });
  return out;
}

/** Charts ordered dependencies first; ties keep the given order. A cycle is an error that spells it out. */
export function topologicalOrder(names: string[], dependsOn: Map<string, string[]>): string[] {
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (name: string): void => {
    const seen = state.get(name);
    if (seen === 'done') return;
    if (seen === 'visiting') {
      const cycle = [...stack.slice(stack.indexOf(name)), name];
      throw new ChartshipError(`dependency cycle: ${cycle.join(' → ')}`, {
        code: 'DEPENDENCY_CYCLE',
        hint: 'local charts cannot depend on each other in a circle',
      });
    }
    state.set(name, 'visiting');
    stack.push(name);
    for (const dep of dependsOn.get(name) ?? []) visit(dep);
    stack.pop();
    state.set(name, 'done');
    order.push(name);
  };
  for (const name of names) visit(name);
  return order;
}

/**
 * The constraint a dependent must carry for `version`: unchanged when it already matches, otherwise the same operator
 * moved to the new version (`^1.2.0` → `^2.0.0`), or the exact version for anything more complex.
 */
export function raisedConstraint(constraint: string | undefined, version: string): string | undefined {
  if (constraint === undefined || constraint.trim() === '') return undefined;
  // Kept when helm would still resolve the new version with it (helm's reading: `=>1.0`, and a prerelease only when
  // the constraint names one).
  if (toRange(constraint)?.test(version)) return undefined;
  const simple = /^\s*(\^|~|>=|=|v)?\s*\d+(\.\d+|\.x|\.\*)*(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?\s*$/.exec(constraint);
  const operator = simple?.[1] === 'v' ? '' : (simple?.[1] ?? '');
  return `${operator}${version}`;
}
