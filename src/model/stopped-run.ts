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
let report: ((charts: Shipped[], lines: string[]) => void) | undefined;

/** One registry took a chart (of `targets` to take it). */
export function notePushed(chart: { name: string; version: string }, targets: number, registry: Shipped['registries'][number]): void {
  const key = `${chart.name}@${chart.version}`;
  const entry = shipped.get(key) ?? shipped.set(key, { ...chart, targets, registries: [] }).get(key)!;
  entry.registries.push(registry);
}

/** For a front end: what else to write of the charts pushed when a signal ends the run (outputs, a summary). Synchronous. */
export function reportWhenStopped(write: typeof report): void {
  report = write;
}

/** Ends the processes the run started, and gives the lines saying what was pushed before the stop (and reports them). */
export function stopRun(): string[] {
  for (const child of children) child.kill('SIGTERM');
  const charts = [...shipped.values()];
  const lines = charts.map(({ name, version, targets, registries }) => {
    const partly = registries.length < targets ? `partly pushed (${registries.length} of ${targets} registries)` : 'pushed';
    return `${partly} before the stop: ${name} ${version} → ${registries.map((r) => `${r.ref}@${r.digest}`).join(', ')}`;
  });
  if (lines.length === 0) lines.push('nothing was pushed before the stop');
  try {
    report?.(charts, lines);
  } catch {
    // The lines are said all the same.
  }
  return lines;
}
