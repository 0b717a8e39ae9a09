import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { branchToPush, recordMergedBumps } from '../../pipeline/commit-bump.js';
import { chartsOutput, pushedCount } from '../../pipeline/outputs.js';
import { mergeOutcomeFiles } from '../../pipeline/outcome-files.js';
import { renderSummary } from '../../report/index.js';
import { parseCommand } from '../args.js';
import type { CliIO } from '../io.js';
import { stderrLog } from '../log.js';
import { REGISTRY_ACCESS_FLAGS } from '../registry-flags.js';
import { namedBranch, readRawSettings, registriesReached } from '../settings.js';
import { mergedClassicIndex } from '../../pipeline/classic-index-publish.js';
import { classicIndexOf, settingsReader } from '../../pipeline/settings.js';

const HELP = `usage: chartship merge OUTCOME… [options]

Combines the outcome files of sharded publish jobs (publish --wave W --shard I/N --outcome-file FILE), or the
directories holding them, into one report: the summary, or with --json the same JSON publish prints. Fails when a shard is missing or a chart failed.

  --commit-bump         commit the Chart.yaml bumps of every released chart and push them to the branch, once
                        every shard published everything (the shards commit nothing); needs the commit the
                        shards published checked out in --cwd
  --cwd DIR             repository to commit in (default: .)
  --summary-file FILE   write the markdown summary there too
  --json                print the merged outcome as JSON

The classic index the shards leave to the merge (publish --classic-index, which a shard does not write) is written
here, from the charts read back from the first registry:
  --classic-index DIR|gh-pages, --classic-index-url URL
  --registry oci://…    the registries the shards published to (the first is read)
  --username USER --password-stdin, --registry-auth-file FILE, --registry-tls HOST=OPTION,…, --plain-http,
  --ca-file FILE, --insecure-skip-tls-verify
Each also comes from its CHARTSHIP_<NAME> variable, as for publish (a flag wins).
`;

/** The publish settings merge takes: where the classic index goes, and how to read the charts back for it. */
const INDEX_FLAGS = {
  'classic-index': { type: 'string' },
  'classic-index-url': { type: 'string' },
  registry: { type: 'string', multiple: true },
  ...REGISTRY_ACCESS_FLAGS,
} as const;

export async function run(argv: string[], io: CliIO): Promise<number> {
  const parsed = await parseCommand(
    {
      name: 'merge',
      help: HELP,
      positionals: { min: 1, max: Infinity, what: 'the outcome files or directories' },
      options: { 'commit-bump': { type: 'boolean' }, cwd: { type: 'string' }, 'summary-file': { type: 'string' }, json: { type: 'boolean' }, ...INDEX_FLAGS },
    },
    argv,
    io,
  );
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  const log = stderrLog(io);
  // Read before anything else is done: a mistyped setting fails the merge before it commits bumps.
  const index = await indexSettings(values, io);
  const merged = await mergeOutcomeFiles(positionals, io.cwd);
  const cwd = resolve(io.cwd, values.cwd ?? '.');
  const classicIndex = index ? await mergedClassicIndex(merged.results, { cwd, ...index }, log) : undefined;
  const summary = renderSummary(merged.results, { serverUrl: '', repository: '' }, merged.policy);
  if (values['summary-file']) await writeFile(resolve(io.cwd, values['summary-file']), summary);
  if (values.json) {
    io.stdout(`${JSON.stringify({ dryRun: false, charts: chartsOutput(merged.results), pushed: pushedCount(merged.results), ...(merged.policy ? { policy: merged.policy } : {}) }, null, 2)}\n`);
  } else {
    io.stdout(`${summary}\n`);
  }
  // After the report: a bump commit that cannot be pushed fails the merge, but what the shards published is reported.
  await recordMergedBumps(merged, {
    commitBump: values['commit-bump'] ?? false,
    cwd,
    branch: () => branchToPush(namedBranch(io.env), cwd),
    tagged: false,
    remedy: 'pass --commit-bump, or tag each release',
    log,
  });
  return merged.results.some((r) => r.status === 'failed') || classicIndex?.error ? 1 : 0;
}

/** Where the classic index goes and how the registry is read for it, as publish reads them; undefined for no index. */
async function indexSettings(values: Record<string, unknown>, io: CliIO) {
  const read = settingsReader(await readRawSettings(values as Record<string, string | string[] | boolean | undefined>, io));
  const classicIndex = classicIndexOf(read.optional('classic-index'), read.optional('classic-index-url'), false);
  if (!classicIndex) return undefined;
  return { classicIndex, ...registriesReached(read, read.list('registry'), io) };
}
