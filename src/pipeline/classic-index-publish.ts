import { summarizeChartArchive } from '../charts/written-archives.js';
import { describeError } from '../model/errors.js';
import type { ChartResult } from '../model/plan.js';
import type { TargetOptions } from '../oci/index.js';
import { updateClassicIndex, type ClassicIndexOptions, type ClassicIndexOutcome, type IndexedChart } from './classic-index.js';
import type { GitHubClient } from './github.js';
import type { Log } from './log.js';
import { isPublished } from './outputs.js';
import { runGraph } from './schedule.js';
import { openTargets } from './targets.js';

// The classic index.yaml kept beside the OCI registries: from a run's own archives, or, for the merge of sharded runs
// (whose shards leave it alone, as they leave the bump commits), from the archives read back from a registry.

/** What keeping the index needs of a publish's options. */
export interface IndexRun {
  cwd: string;
  classicIndex?: ClassicIndexOptions;
  releases?: { client: GitHubClient };
  targets: string[];
  target?: TargetOptions;
}

/** How the index fared; its failure is reported, not thrown. */
export type IndexOutcome = (ClassicIndexOutcome & { error?: string }) | undefined;

/**
 * The classic index gets every chart that reached all its registries (and, for release-asset urls, its release).
 * Its failure is reported, not thrown: the charts are published, and a rerun completes the index.
 */
export async function publishClassicIndex(
  results: ChartResult[],
  archives: Map<string, IndexedChart>,
  options: IndexRun,
  log: Log,
): Promise<IndexOutcome> {
  const index = options.classicIndex!;
  const charts = results.flatMap((r) => {
    const archive = archives.get(r.name);
    if (!archive || !isPublished(r) || (index.releaseAssets && !r.release)) return [];
    return [{ ...archive, ...(r.release ? { releaseTag: r.release.tag } : {}) }];
  });
  if (charts.length === 0) return undefined;
  try {
    const outcome = await updateClassicIndex(charts, index, { cwd: options.cwd, github: options.releases?.client, log });
    log.info(outcome.changed.length > 0 ? `classic index ${outcome.location}: added ${outcome.changed.join(', ')}${outcome.commit ? ` (${outcome.commit})` : ''}` : `classic index ${outcome.location}: up to date`);
    return outcome;
  } catch (error) {
    return indexFailed(index, `classic index: ${describeError(error)}`, error, log);
  }
}

/** An index left as it was: the failure logged and reported, not thrown (the charts are published either way). */
function indexFailed(index: ClassicIndexOptions, message: string, error: unknown, log: Log): IndexOutcome {
  log.error(message);
  return { location: index.location.kind === 'branch' ? index.location.branch : index.location.path, changed: [], error: describeError(error) };
}

/** Charts read back at once, as a publish pushes them. */
const PULLS_AT_ONCE = 16;

/**
 * The merge of sharded runs updates the classic index as one run would: each chart that every registry holds
 * (pushed or unchanged) is read back from the first registry, checked against its digest, and indexed. A chart that
 * cannot be read back leaves the index as it was, reported like any failure of the index.
 */
export async function mergedClassicIndex(results: ChartResult[], options: IndexRun, log: Log): Promise<IndexOutcome> {
  const index = options.classicIndex;
  if (!index) return undefined;
  const published = results.filter(isPublished);
  const [target] = openTargets(options.targets.slice(0, 1), options.target);
  if (!target || published.length === 0) return undefined;
  const archives = new Map<string, IndexedChart>();
  try {
    const pulled = await runGraph(
      published.map((r) => ({
        id: r.name,
        dependsOn: [],
        run: async () => {
          const chart = await target.pullChart(r.name, r.version);
          const fileName = `${r.name}-${r.version}.tgz`;
          const read = await summarizeChartArchive(chart.archive, fileName);
          archives.set(r.name, { metadata: read.metadata, fileName, archive: chart.archive, ...(chart.prov ? { prov: chart.prov } : {}) });
        },
      })),
      { limit: PULLS_AT_ONCE },
    );
    const failed = [...pulled.values()].find((o) => o.state === 'failed');
    if (failed?.state === 'failed') throw failed.error;
  } catch (error) {
    return indexFailed(index, `classic index: cannot read the published charts back from ${target.spec}: ${describeError(error)}`, error, log);
  } finally {
    await target.close();
  }
  return publishClassicIndex(published, archives, options, log);
}
