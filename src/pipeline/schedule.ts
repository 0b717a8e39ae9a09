/**
 * Runs tasks that depend on each other with at most `limit` running at once. A task starts only after all of its
 * dependencies succeeded; if one failed, the task is not run and is reported as blocked by it. With `failFast`,
 * the first failure stops everything not yet started. The graph must be acyclic (the planner rejects cycles).
 */
export interface GraphTask<T> {
  id: string;
  dependsOn: string[];
  run(): Promise<T>;
}

export type GraphOutcome<T> =
  | { id: string; state: 'done'; value: T }
  | { id: string; state: 'failed'; error: unknown }
  | { id: string; state: 'blocked'; by: string }
  | { id: string; state: 'cancelled' };

export async function runGraph<T>(tasks: GraphTask<T>[], options: { limit: number; failFast?: boolean }): Promise<Map<string, GraphOutcome<T>>> {
  const known = new Set(tasks.map((t) => t.id));
  const outcomes = new Map<string, GraphOutcome<T>>();
  const settled = new Map<string, Promise<GraphOutcome<T>>>();
  let running = 0;
  let stop = false;
  const waiting: (() => void)[] = [];

  const slot = async (): Promise<void> => {
    if (running < options.limit) {
      running++;
      return;
    }
    await new Promise<void>((resolve) => waiting.push(resolve));
  };
  const release = (): void => {
    const next = waiting.shift();
    if (next) next();
    else running--;
  };

  const byId = new Map(tasks.map((t) => [t.id, t]));
  const start = (task: GraphTask<T>): Promise<GraphOutcome<T>> => {
    const existing = settled.get(task.id);
    if (existing) return existing;
    const promise = (async (): Promise<GraphOutcome<T>> => {
      // Dependencies outside the task set (e.g. charts not being released) are already satisfied.
      const deps = task.dependsOn.filter((d) => known.has(d) && d !== task.id);
      for (const dep of deps) {
        const outcome = await start(byId.get(dep)!);
        if (outcome.state !== 'done') return { id: task.id, state: 'blocked', by: dep };
      }
      await slot();
      try {
        if (stop) return { id: task.id, state: 'cancelled' };
        return { id: task.id, state: 'done', value: await task.run() };
      } catch (error) {
        if (options.failFast) stop = true;
        return { id: task.id, state: 'failed', error };
      } finally {
        release();
      }
    })();
    settled.set(task.id, promise);
    return promise;
  };

  for (const outcome of await Promise.all(tasks.map(start))) outcomes.set(outcome.id, outcome);
  return outcomes;
}
