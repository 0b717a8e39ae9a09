import type { IndexChartVersion, RepositoryIndex } from '../charts/repo-index.js';
import { compareHelmVersions, parseHelmVersion } from '../model/helm-semver.js';
import { ConstraintError, parseConstraint, type VersionConstraint } from '../charts/version-range.js';
import { ChartshipError, describeError } from '../model/errors.js';
import { openTarget, tagForVersion, type ChartTarget } from '../helm-oci/index.js';
import { type TargetOptions } from '../oci/index.js';
import { redactUrl } from '../model/redact.js';
import { readChartArchive } from '../charts/archive.js';
import { ClassicRepository, type ClassicRepositoryOptions } from '../resolve/classic-repository.js';
import type { Log } from './log.js';
import { runGraph } from './schedule.js';
import { checkTargets } from './targets.js';
import type { MigratedVersion } from '../model/plan.js';
import { checkProvenance } from '../sign/index.js';

export interface MigrateOptions {
  /** `https://…/index.yaml`, or the repository URL that serves it (ChartMuseum's root, a GitHub Pages site). */
  source: string;
  sourceOptions?: ClassicRepositoryOptions;
  /** `oci://HOST[:PORT]/NAMESPACE` (or `oci-layout:DIR`). */
  target: string;
  targetOptions?: TargetOptions;
  /** Chart names to copy (default: every chart in the index). */
  charts?: string[];
  /** `all` (default), `latest` (each chart's highest release) or a range in helm's reading. */
  versions?: string;
  /** Chart versions copied at once. */
  concurrency?: number;
}

export interface MigrateOutcome {
  results: MigratedVersion[];
  /** Chart versions the index lists that the selection left out. */
  skipped: number;
}

/**
 * Copies a classic repository into an OCI registry: every selected chart version's archive as published (never
 * repackaged: the digest users pinned stays the digest), its .prov as the provenance layer when the repository has
 * one, the config derived from the archive's Chart.yaml as `helm push` derives it.
 *
 * The registry is the state: a version whose tag already holds the same chart layer is "already there" without
 * downloading anything, so a rerun copies nothing, and a run that was interrupted resumes where it stopped (a push
 * cut short left at most blobs behind, which the next push finds). One failing version is reported and the others go on.
 */
export async function migrate(options: MigrateOptions, log: Log): Promise<MigrateOutcome> {
  const versions = selector(options.versions);
  const source = new ClassicRepository(options.source, options.sourceOptions);
  // Every version read here is copied: its reads ask for the push token the copy needs too.
  const target = openTarget(options.target, { ...options.targetOptions, pushing: true });
  try {
    const index = await source.index();
    const { selected, skipped } = select(index, options.charts, versions, log);
    log.info(`${selected.length} chart version(s) of ${index.entries.size} chart(s) in ${redactUrl(source.indexUrl)} to copy to ${target.display}`);
    // Credentials the registry refuses fail once here, by a read (a rerun, with every version there, writes nothing):
    // every version asking again would send a wrong password hundreds of times (a registry may lock the account for
    // it) and print the same refusal each time.
    const names = [...new Set(selected.map((entry) => entry.name))];
    if (names.length > 0) await checkTargets([target], names.slice(0, 2), (t, name) => t.listVersions(name), { nothing: 'nothing was copied', would: 'be read' });
    const progress = progressLine(selected.length);
    const outcomes = await runGraph(
      selected.map((entry, at) => ({
        id: String(at),
        dependsOn: [],
        run: async () => {
          const result = await copyVersion(entry, source, target).catch((error: unknown): MigratedVersion => ({ name: entry.name, version: entry.version, status: 'failed', error: describeError(error) }));
          log.info(progress(result));
          return result;
        },
      })),
      { limit: Math.max(1, options.concurrency ?? 4) },
    );
    const results = selected.map((entry, at) => {
      const outcome = outcomes.get(String(at));
      return outcome?.state === 'done' ? outcome.value : { name: entry.name, version: entry.version, status: 'failed' as const, error: 'not run' };
    });
    warnUnsignedAmongSigned(results, log);
    return { results, skipped };
  } finally {
    await Promise.all([source.close(), target.close()]);
  }
}

/**
 * A chart whose other versions are signed, but some have no .prov in the repository: those are copied as they are,
 * unsigned, which `helm pull --verify` refuses. Said once a chart, naming them, rather than left for users to find.
 */
function warnUnsignedAmongSigned(results: MigratedVersion[], log: Log): void {
  const byChart = new Map<string, MigratedVersion[]>();
  for (const result of results.filter((r) => r.status !== 'failed')) {
    const versions = byChart.get(result.name);
    if (versions) versions.push(result);
    else byChart.set(result.name, [result]);
  }
  for (const [name, versions] of byChart) {
    const unsigned = versions.filter((v) => v.provDigest === undefined).map((v) => v.version);
    if (unsigned.length === 0 || unsigned.length === versions.length) continue;
    const them = unsigned.length === 1 ? 'it' : 'them';
    log.warning(`${name} ${unsigned.join(', ')}: no .prov in the repository, while the other versions copied are signed; copied unsigned (helm pull --verify refuses ${them})`);
  }
}

type Selector = { kind: 'all' } | { kind: 'range'; constraint: VersionConstraint };

function selector(text: string | undefined): Selector {
  const value = (text ?? 'all').trim();
  if (value === 'all' || value === '') return { kind: 'all' };
  // helm's "latest" is the highest version `*` accepts: releases only.
  try {
    return { kind: 'range', constraint: parseConstraint(value === 'latest' ? '*' : value) };
  } catch (error) {
    if (error instanceof ConstraintError) {
      throw new ChartshipError(`${JSON.stringify(value)} is neither all, latest nor a version range: ${error.message}`, { field: 'versions', code: 'USAGE', hint: 'e.g. --versions ">=1.0.0"' });
    }
    throw error;
  }
}

function select(index: RepositoryIndex, charts: string[] | undefined, versions: Selector, log: Log): { selected: IndexChartVersion[]; skipped: number } {
  const names = charts && charts.length > 0 ? charts : [...index.entries.keys()].sort();
  const unknown = names.filter((n) => !index.entries.has(n));
  if (unknown.length > 0) {
    const known = [...index.entries.keys()].sort();
    throw new ChartshipError(`not in the repository: ${unknown.join(', ')}`, {
      field: 'charts',
      code: 'CHART_NOT_FOUND',
      hint: `it has ${known.slice(0, 20).join(', ')}${known.length > 20 ? `, … (${known.length} charts)` : ''}`,
    });
  }
  const selected: IndexChartVersion[] = [];
  let total = 0;
  for (const name of names) {
    const all = firstOfEachVersion(name, index.entries.get(name) ?? [], log);
    total += all.length;
    if (versions.kind === 'all') {
      selected.push(...oldestFirst(all));
      continue;
    }
    const matching = all.filter((v) => versions.constraint.test(v.version));
    const chosen = versions.constraint.raw === '*' ? oldestFirst(matching).slice(-1) : oldestFirst(matching);
    if (chosen.length === 0) log.warning(`${name}: no version matches ${JSON.stringify(versions.constraint.raw === '*' ? 'latest' : versions.constraint.raw)}`);
    selected.push(...chosen);
  }
  return { selected, skipped: total - selected.length };
}

/**
 * One entry per version, the first listed (the one helm resolves `--version` to): a second one (`helm repo index
 * --merge` history, a re-upload) would be copied to the same tag, or fail against it when its archive differs.
 */
function firstOfEachVersion(name: string, list: IndexChartVersion[], log: Log): IndexChartVersion[] {
  const first = new Map<string, IndexChartVersion>();
  return list.filter((entry) => {
    const kept = first.get(entry.version);
    if (!kept) return first.set(entry.version, entry);
    log.warning(`${name} ${entry.version} is listed more than once in the index: copying the first (${kept.urls[0] ?? 'no url'}), as helm resolves it`);
    return false;
  });
}

/** Old versions first, so an interrupted run leaves a history without holes behind. */
function oldestFirst(list: IndexChartVersion[]): IndexChartVersion[] {
  return [...list].sort((a, b) => {
    const x = parseHelmVersion(a.version);
    const y = parseHelmVersion(b.version);
    if (x && y) return compareHelmVersions(x, y);
    return x ? -1 : y ? 1 : 0;
  });
}

async function copyVersion(entry: IndexChartVersion, source: ClassicRepository, target: ChartTarget): Promise<MigratedVersion> {
  const base = { name: entry.name, version: entry.version };
  // Same chart layer as the index lists: there already, nothing to download.
  const published = await target.inspectChart(entry.name, entry.version);
  const digest = entry.digest ? `sha256:${entry.digest.replace(/^sha256:/, '').toLowerCase()}` : undefined;
  if (published && digest && published.chartDigest === digest) {
    return { ...base, status: 'unchanged', ref: `${target.display}/${entry.name}:${tagForVersion(entry.version)}`, digest: published.digest, chartDigest: published.chartDigest, ...(published.provDigest ? { provDigest: published.provDigest } : {}) };
  }
  // Printed in errors and labels: a token in the query (a signed release-asset URL) stays out of them.
  const url = redactUrl(source.chartUrl(entry));
  const [archive, prov] = await Promise.all([source.archive(entry), source.provenance(entry)]);
  const { metadata } = await readChartArchive(archive, url);
  if (metadata.name !== entry.name || metadata.version !== entry.version) {
    throw new ChartshipError(`the archive is chart ${metadata.name} ${metadata.version}, the index lists ${entry.name} ${entry.version}`, { file: url, code: 'REPO_INDEX_INVALID' });
  }
  // A server can answer 200 with anything (an error page, the archive itself): pushed as the provenance layer, it
  // would make `helm pull --verify` fail on a chart the repository served well. helm pull saves NAME-VERSION.tgz.
  if (prov) await checkProvenance({ archive, fileName: `${entry.name}-${entry.version}.tgz`, prov: prov.toString('utf8'), provFile: redactUrl(source.provenanceUrl(entry)) });
  const pushed = await target.pushChart({ archive, ...(prov ? { prov } : {}), label: url }).catch((error: unknown) => {
    // The push's hint (bump the version, --overwrite) names what migrate has not: the version is the repository's.
    if (!(error instanceof ChartshipError) || error.code !== 'TAG_EXISTS') throw error;
    throw new ChartshipError(`${error.message}, not the repository's archive: left as it is`, {
      code: 'TAG_EXISTS',
      hint: "migrate never replaces a version the registry holds: delete that tag in the registry if the repository's archive is the one users should get",
    });
  });
  return {
    ...base,
    status: pushed.status === 'unchanged' ? 'unchanged' : 'copied',
    ref: pushed.ref,
    digest: pushed.digest,
    chartDigest: pushed.chartDigest,
    ...(pushed.provDigest ? { provDigest: pushed.provDigest } : {}),
  };
}

/** `[ 3/40] web 1.2.0: copied sha256:…`, one line per version as it finishes. */
function progressLine(total: number): (result: MigratedVersion) => string {
  let done = 0;
  const width = String(total).length;
  return (result) => {
    const head = `[${String(++done).padStart(width)}/${total}] ${result.name} ${result.version}`;
    if (result.status === 'failed') return `${head}: failed: ${result.error}`;
    return `${head}: ${result.status === 'copied' ? 'copied' : 'already there'} ${result.digest}${result.provDigest ? ' (signed)' : ''}`;
  };
}
