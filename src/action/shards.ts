import * as core from '@actions/core';
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { ChartResult, Plan } from '../model/plan.js';
import type { PolicyReport } from '../model/policy.js';
import { planShards, shardOutcomeText, type ShardSpec } from '../pipeline/shards.js';

/** The `shards` and `waves` outputs: one strategy matrix per dependency wave. */
export function setShardOutputs(plan: Plan, count: number): void {
  const waves = planShards(plan, count);
  core.setOutput('shards', JSON.stringify(waves.map((include) => ({ include }))));
  core.setOutput('waves', String(waves.length));
}

/** A shard job's outcome, written for upload-artifact; its path is the `outcome-file` output. */
export async function writeShardOutcome(
  spec: ShardSpec,
  outcome: { plan: Plan; results: ChartResult[]; policy?: PolicyReport },
  started: Date,
  file: string | undefined,
  env: NodeJS.ProcessEnv,
): Promise<void> {
  const path = resolve(file ?? join(env['RUNNER_TEMP'] || '.', `chartship-outcome-${spec.wave}-${spec.index}-of-${spec.count}.json`));
  await writeFile(path, shardOutcomeText(spec, outcome, started, Number(env['GITHUB_RUN_ATTEMPT']) || undefined));
  core.setOutput('outcome-file', path);
  core.info(`wrote the outcome of wave ${spec.wave} shard ${spec.index}/${spec.count} to ${path}`);
}
