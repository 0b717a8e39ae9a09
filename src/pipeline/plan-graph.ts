import { posix } from 'node:path';
import type { DiscoveredChart } from '../charts/discover.js';
import { toRange } from '../charts/version-range.js';
import { ChartshipError } from '../model/errors.js';

export interface LocalDependency {
  /** Index in the dependent's `dependencies` list. */
  index: number;
  /** Name of the local chart it resolves to. */
  chart: string;
  /** The version constraint written in Chart.yaml, if any. */
  version?: string;
  /** A `file://` path: helm packages the chart as the repository has it, whether released or not. */
  file?: true;
}

/** `oci://host/ns/`, `host/ns` and `oci://HOST:443/ns` name the same target (443: the port of https, helm's default). */
export function normalizeNamespace(target: string): string {
  return target.replace(/^oci:\/\//, '').replace(/\/+$/, '').replace(/^([^/]+):443(?=\/|$)/, '$1').toLowerCase();
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
    if (repository.startsWith('file://')) local.file = true;
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
 * The dependency cycles among `names`, each as a closed path (`a → b → a`, starting from its first member in `names`
 * order), and every chart that reaches a cycle through its dependencies. Strongly connected components (Tarjan),
 * iteratively, so a deep chain cannot overflow the stack.
 */
export function dependencyCycles(names: string[], dependsOn: Map<string, string[]>): { cycles: string[][]; blocked: Map<string, string> } {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  let counter = 0;
  for (const root of names) {
    if (index.has(root)) continue;
    const work: { name: string; next: number }[] = [{ name: root, next: 0 }];
    index.set(root, counter);
    low.set(root, counter++);
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      const deps = dependsOn.get(frame.name) ?? [];
      if (frame.next < deps.length) {
        const dep = deps[frame.next++]!;
        if (!index.has(dep)) {
          index.set(dep, counter);
          low.set(dep, counter++);
          stack.push(dep);
          onStack.add(dep);
          work.push({ name: dep, next: 0 });
        } else if (onStack.has(dep)) {
          low.set(frame.name, Math.min(low.get(frame.name)!, index.get(dep)!));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.name, Math.min(low.get(parent.name)!, low.get(frame.name)!));
      if (low.get(frame.name) === index.get(frame.name)) {
        const component: string[] = [];
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.name);
        if (component.length > 1) components.push(component);
      }
    }
  }
  const order = new Map(names.map((n, i) => [n, i]));
  const cycles = components.map((component) => closedPath(component.sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0)), dependsOn));
  cycles.sort((a, b) => (order.get(a[0]!) ?? 0) - (order.get(b[0]!) ?? 0));

  // Everything that depends, directly or not, on a member of a cycle: name → the chart it depends on that leads there.
  const inCycle = new Set(cycles.flat());
  const blocked = new Map<string, string>();
  for (let changed = true; changed; ) {
    changed = false;
    for (const name of names) {
      if (inCycle.has(name) || blocked.has(name)) continue;
      const via = (dependsOn.get(name) ?? []).find((dep) => inCycle.has(dep) || blocked.has(dep));
      if (via !== undefined) {
        blocked.set(name, via);
        changed = true;
      }
    }
  }
  return { cycles, blocked };
}

/** A shortest path from the component's first member back to itself, inside the component (breadth first). */
function closedPath(component: string[], dependsOn: Map<string, string[]>): string[] {
  const start = component[0]!;
  const members = new Set(component);
  const from = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const name = queue.shift()!;
    for (const dep of dependsOn.get(name) ?? []) {
      if (!members.has(dep)) continue;
      if (dep === start) {
        const path = [name];
        while (path[0] !== start) path.unshift(from.get(path[0]!)!);
        return [...path, start];
      }
      if (!from.has(dep)) {
        from.set(dep, name);
        queue.push(dep);
      }
    }
  }
  return [...component, start];
}

/**
 * The constraint a dependent must carry for `version`: unchanged when it already matches, otherwise the same operator
 * moved to the new version (`^1.2.0` → `^2.0.0`), a wildcard kept where it stood (`2.x.x` → `3.x.x`, `1.2.*` →
 * `2.0.*`), or the exact version for anything more complex.
 */
export function raisedConstraint(constraint: string | undefined, version: string): string | undefined {
  if (constraint === undefined || constraint.trim() === '') return undefined;
  // Kept when helm would still resolve the new version with it (helm's reading: `=>1.0`, and a prerelease only when
  // the constraint names one).
  if (toRange(constraint)?.test(version)) return undefined;
  // A wildcard admits no prerelease in helm's reading, so a prerelease is pinned exactly (below).
  const wildcard = /^\s*(\d+)((?:\.(?:\d+|[xX*]))*)\s*$/.exec(constraint);
  const release = /^(\d+)\.(\d+)\.(\d+)$/.exec(version);
  if (wildcard?.[2] && /[xX*]/.test(wildcard[2]) && release) {
    const parts = [wildcard[1]!, ...wildcard[2].slice(1).split('.')];
    return parts.map((part, i) => (/^[xX*]$/.test(part) ? part : release[i + 1])).join('.');
  }
  const simple = /^\s*(\^|~|>=|=|v)?\s*\d+(\.\d+|\.x|\.\*)*(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?\s*$/.exec(constraint);
  const operator = simple?.[1] === 'v' ? '' : (simple?.[1] ?? '');
  return `${operator}${version}`;
}
