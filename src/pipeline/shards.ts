import { ChartshipError } from '../model/errors.js';
import type { ChartPlan, ChartResult, Plan } from '../model/plan.js';
import type { PolicyReport } from '../model/policy.js';

/** One job of a sharded publish: shard `index` of `count` (1-based) of dependency wave `wave` (1-based). */
export interface ShardSpec {
  wave: number;
  index: number;
  count: number;
}

/** A matrix entry: what a job passes back as `--wave`/`--shard`, and the charts it will publish (for the job's name). */
export interface ShardEntry {
  wave: number;
  shard: string;
  charts: string[];
}

/**
 * The charts to publish in dependency waves, each wave split into at most `count` shards. A chart's wave is one
 * after the latest wave of the charts it depends on, so jobs that run wave after wave never push a chart before a
 * chart it depends on; inside a wave the charts are dealt round-robin in plan order. The same plan gives the same
 * shards in every job, which is how a shard job finds its charts again.
 */
export function planShards(plan: Plan, count: number): ShardEntry[][] {
  const waves: ShardEntry[][] = [];
  const dealt: number[] = [];
  for (const [chart, wave] of waveOf(plan)) {
    const entries = (waves[wave - 1] ??= []);
    const slot = (dealt[wave - 1] = (dealt[wave - 1] ?? -1) + 1) % count;
    (entries[slot] ??= { wave, shard: `${slot + 1}/${count}`, charts: [] }).charts.push(chart.name);
  }
  return waves;
}

/** The names of the charts one shard publishes. */
export function chartsOfShard(plan: Plan, spec: ShardSpec): Set<string> {
  const entry = planShards(plan, spec.count)[spec.wave - 1]?.find((e) => e.shard === `${spec.index}/${spec.count}`);
  return new Set(entry?.charts ?? []);
}

/** Every chart to publish (released, or already published and pushed again) with its wave, in plan order. */
function waveOf(plan: Plan): Map<ChartPlan, number> {
  const byName = new Map(plan.charts.map((c) => [c.name, c]));
  const waves = new Map<ChartPlan, number>();
  // The plan lists dependencies first, so every dependency's wave is known when its dependents come.
  for (const chart of plan.charts) {
    if (chart.action === 'skipped' && !chart.missing) continue;
    const after = chart.dependencies.map((d) => waves.get(byName.get(d)!) ?? 0);
    waves.set(chart, Math.max(0, ...after) + 1);
  }
  return waves;
}

/** `--shards N` (or the action's input): a whole number from 1. */
export function shardCount(text: string, field = 'shards'): number {
  const count = Number(text.trim());
  if (!/^\d+$/.test(text.trim()) || count < 1) throw new ChartshipError(`must be a whole number from 1, got ${JSON.stringify(text)}`, { field, code: 'CONFIG_INVALID' });
  return count;
}

/** `--shard I/N` and `--wave W` (or the action's inputs) read as a shard. */
export function parseShard(shard: string, wave: string | undefined, field = 'shard'): ShardSpec {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(shard);
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || index < 1 || index > count) {
    throw new ChartshipError(`must be I/N with 1 ≤ I ≤ N, got ${JSON.stringify(shard)}`, { field, code: 'CONFIG_INVALID', hint: 'pass the matrix entry of the plan\'s shards output: shard: ${{ matrix.shard }}' });
  }
  const waveNumber = Number(wave ?? '1');
  if (!Number.isInteger(waveNumber) || waveNumber < 1) {
    throw new ChartshipError(`must be a whole number from 1, got ${JSON.stringify(wave)}`, { field: 'wave', code: 'CONFIG_INVALID' });
  }
  return { wave: waveNumber, index, count };
}

/** What one shard job leaves for the merge job: its plan, the charts it owned, their results, in one JSON file. */
export interface ShardOutcome {
  kind: 'chartship-shard-outcome';
  version: 1;
  shard: ShardSpec;
  /** The charts this shard published (their results here are the ones that count). */
  owned: string[];
  plan: Plan;
  results: ChartResult[];
  policy?: PolicyReport;
  /** The run's attempt (GITHUB_RUN_ATTEMPT): "Re-run failed jobs" runs a shard again in the same run. */
  attempt?: number;
  startedAt: string;
  finishedAt: string;
}

/** The outcome file's text for one shard's publish outcome. */
export function shardOutcomeText(spec: ShardSpec, outcome: { plan: Plan; results: ChartResult[]; policy?: PolicyReport }, startedAt: Date, attempt?: number, finishedAt = new Date()): string {
  const file: ShardOutcome = {
    kind: 'chartship-shard-outcome',
    version: 1,
    shard: spec,
    owned: [...chartsOfShard(outcome.plan, spec)],
    plan: outcome.plan,
    results: outcome.results,
    ...(outcome.policy ? { policy: outcome.policy } : {}),
    attempt,
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
  };
  return `${JSON.stringify(file, null, 2)}\n`;
}

/** Reads an outcome file's JSON text; `file` names it in errors. */
export function readShardOutcome(text: string, file: string): ShardOutcome {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ChartshipError(`${file} is not JSON: ${(error as Error).message}`, { file, code: 'OUTCOME_INVALID' });
  }
  const outcome = value as Partial<ShardOutcome> | null;
  if (outcome?.kind !== 'chartship-shard-outcome' || outcome.version !== 1 || !outcome.plan || !Array.isArray(outcome.results) || !Array.isArray(outcome.owned)) {
    throw new ChartshipError(`${file} is not a chartship shard outcome (publish --outcome-file writes one)`, { file, code: 'OUTCOME_INVALID' });
  }
  return outcome as ShardOutcome;
}

/**
 * The shards' outcomes as one publish outcome: each chart's result from the shard that owned it, the others (charts
 * with nothing to publish, invalid ones) once. Every outcome must come from the same plan (head and shard count), and
 * every shard of it must be there (a missing one would leave charts out of the report without a word), unless its
 * wave came after a chart failed: then its job did not run, and its charts are reported failed for that reason.
 */
export function mergeShardOutcomes(outcomes: ShardOutcome[]): { plan: Plan; results: ChartResult[]; policy?: PolicyReport } {
  const first = outcomes[0];
  if (!first) throw new ChartshipError('no shard outcome to merge', { code: 'OUTCOME_INVALID', hint: 'pass the files publish --outcome-file wrote' });
  const odd = outcomes.find((o) => o.plan.head !== first.plan.head || o.shard.count !== first.shard.count);
  if (odd) {
    throw new ChartshipError(`the outcomes come from different runs: ${first.plan.head} in ${first.shard.count} shards and ${odd.plan.head} in ${odd.shard.count}`, { code: 'OUTCOME_INVALID' });
  }
  const expected = planShards(first.plan, first.shard.count).flat();
  const have = new Set(outcomes.map((o) => `${o.shard.wave}:${o.shard.index}/${o.shard.count}`));
  const missing = expected.filter((e) => !have.has(`${e.wave}:${e.shard}`));
  // A wave's jobs need the previous wave's (README's workflow): when a chart fails, the later waves' jobs do not run.
  const failedIn = (wave: number) =>
    outcomes.filter((o) => o.shard.wave < wave).flatMap((o) => o.results.filter((r) => r.status === 'failed' && o.owned.includes(r.name)).map((r) => r.name));
  const notRun = new Map<string, string>();
  for (const entry of missing) {
    const failed = failedIn(entry.wave);
    if (failed.length === 0) continue;
    for (const chart of entry.charts) notRun.set(chart, `not published: wave ${entry.wave} shard ${entry.shard} did not run after ${[...new Set(failed)].join(', ')} failed in an earlier wave; rerun the failed jobs`);
  }
  const unexplained = missing.filter((e) => !e.charts.every((chart) => notRun.has(chart)));
  if (unexplained.length > 0) {
    throw new ChartshipError(`missing the outcome of ${unexplained.map((e) => `wave ${e.wave} shard ${e.shard} (${e.charts.join(', ')})`).join('; ')}`, {
      code: 'OUTCOME_MISSING',
      hint: 'merge every shard of every wave (a failed job still writes its outcome: run the merge job with if: always())',
    });
  }
  const owner = new Map<string, ChartResult>();
  // A shard's later attempt wins, but what it found in place (the same head's content) an earlier attempt of this run
  // pushed: then the earlier attempt's result says what this run did.
  for (const outcome of [...outcomes].sort((a, b) => (a.attempt ?? 0) - (b.attempt ?? 0))) {
    const owned = new Set(outcome.owned);
    for (const result of outcome.results) {
      const earlier = owner.get(result.name);
      if (owned.has(result.name) && !(earlier?.status === 'pushed' && result.status === 'unchanged')) owner.set(result.name, result);
    }
  }
  const seen = new Set<string>();
  const results: ChartResult[] = [];
  for (const result of first.results) {
    const key = `${result.name}\0${result.path}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const reason = notRun.get(result.name);
    results.push(reason ? { ...result, status: 'failed', error: reason, registries: [] } : (owner.get(result.name) ?? result));
  }
  const policies = outcomes.flatMap((o) => (o.policy ? [o.policy] : []));
  const policy = policies[0] ? { ...policies[0], charts: policies.flatMap((p) => p.charts.filter((c) => owner.has(c.chart))) } : undefined;
  return { plan: first.plan, results, ...(policy ? { policy } : {}) };
}
