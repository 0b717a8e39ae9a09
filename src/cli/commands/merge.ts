import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { branchToPush, recordMergedBumps } from '../../pipeline/commit-bump.js';
import { chartsOutput, pushedCount } from '../../pipeline/outputs.js';
import { mergeShardOutcomes, readShardOutcome } from '../../pipeline/shards.js';
import { renderSummary } from '../../report/index.js';
import { parseCommand } from '../args.js';
import type { CliIO } from '../io.js';
import { stderrLog } from '../log.js';
import { namedBranch } from '../settings.js';

const HELP = `usage: chartship merge OUTCOME… [options]

Combines the outcome files of sharded publish jobs (publish --wave W --shard I/N --outcome-file FILE) into one
report: the summary, or with --json the same JSON publish prints. Fails when a shard is missing or a chart failed.

  --commit-bump         commit the Chart.yaml bumps of every released chart and push them to the branch, once
                        every shard published everything (the shards commit nothing); needs the commit the
                        shards published checked out in --cwd
  --cwd DIR             repository to commit in (default: .)
  --summary-file FILE   write the markdown summary there too
  --json                print the merged outcome as JSON
`;

export async function run(argv: string[], io: CliIO): Promise<number> {
  const parsed = await parseCommand(
    {
      name: 'merge',
      help: HELP,
      positionals: { min: 1, max: Infinity, what: 'the outcome files' },
      options: { 'commit-bump': { type: 'boolean' }, cwd: { type: 'string' }, 'summary-file': { type: 'string' }, json: { type: 'boolean' } },
    },
    argv,
    io,
  );
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  const outcomes = await Promise.all(positionals.map(async (file) => readShardOutcome(await readFile(resolve(io.cwd, file), 'utf8'), file)));
  const merged = mergeShardOutcomes(outcomes);
  const cwd = resolve(io.cwd, values.cwd ?? '.');
  await recordMergedBumps(merged, {
    commitBump: values['commit-bump'] ?? false,
    cwd,
    branch: () => branchToPush(namedBranch(io.env), cwd),
    tagged: false,
    remedy: 'pass --commit-bump, or tag each release',
    log: stderrLog(io),
  });
  const summary = renderSummary(merged.results, { serverUrl: '', repository: '' }, merged.policy);
  if (values['summary-file']) await writeFile(resolve(io.cwd, values['summary-file']), summary);
  if (values.json) {
    io.stdout(`${JSON.stringify({ dryRun: false, charts: chartsOutput(merged.results), pushed: pushedCount(merged.results), ...(merged.policy ? { policy: merged.policy } : {}) }, null, 2)}\n`);
  } else {
    io.stdout(`${summary}\n`);
  }
  return merged.results.some((r) => r.status === 'failed') ? 1 : 0;
}
