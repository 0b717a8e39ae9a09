import type { ChildProcess } from 'node:child_process';

// What a run ended by SIGINT or SIGTERM leaves behind besides the files it bumped (bumped-files.ts): the processes it
// started, which a signal sent to chartship alone (a runner's, `kill`) does not reach, and which would go on after it
// said it stopped (a bump commit's `git push` landing later); and what it pushed before the stop, which the user needs
// to hear, as no report follows. Node built-ins only: the CLI reads this module at every start.

const children = new Set<ChildProcess>();

/** A process the run started: ended (SIGTERM, by its PID) if a signal ends the run before it exits. */
export function ownChild<T extends ChildProcess>(child: T): T {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

/** A chart's pushes that went through before the stop, of `targets`. */
export interface Shipped {
  name: string;
  version: string;
  targets: number;
  registries: { registry: string; ref: string; digest: string }[];
}

const shipped = new Map<string, Shipped>();
let report: ((charts: Shipped[]) => void) | undefined;

/** One registry took a chart (of `targets` to take it). */
export function notePushed(chart: { name: string; version: string }, targets: number, registry: Shipped['registries'][number]): void {
  const key = `${chart.name}@${chart.version}`;
  const entry = shipped.get(key) ?? shipped.set(key, { ...chart, targets, registries: [] }).get(key)!;
  entry.registries.push(registry);
}

/** For a front end: what else to write of the charts pushed when a signal ends the run (outputs, a summary). Synchronous. */
export function reportWhenStopped(write: (charts: Shipped[]) => void): void {
  report = write;
}

/** Ends the processes the run started, writes the report, and gives the lines saying what was pushed before the stop. */
export function stopRun(): string[] {
  for (const child of children) child.kill('SIGTERM');
  const charts = [...shipped.values()];
  try {
    report?.(charts);
  } catch {
    // The lines below still say what was pushed.
  }
  if (charts.length === 0) return ['nothing was pushed before the stop'];
  return charts.map(({ name, version, targets, registries }) => {
    const where = registries.map((r) => `${r.ref}@${r.digest}`).join(', ');
    return `${registries.length === targets ? 'pushed' : `partly pushed (${registries.length} of ${targets} registries; a later run completes it)`} before the stop: ${name} ${version} → ${where}`;
  });
}
