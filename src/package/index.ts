import { createHash, randomBytes } from 'node:crypto';
import { mkdir, rename, rm, utimes, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ChartshipError } from '../model/errors.js';
import { parseChartFiles } from '../charts/chartfile.js';
import { canonicalVersion, isStrictSemver, parseHelmVersion } from '../model/helm-semver.js';
import { archivedMetadata, helmChartLock, helmChartYaml, sanitize } from '../charts/helm-yaml.js';
import type { LoadedChart } from '../charts/load.js';
import { goTime, hashRequirements, type ChartLock, type LockedDependency } from '../charts/lockfile.js';
import type { ChartDependency, ChartMetadata } from '../model/metadata.js';
import { compareWalkOrder } from '../charts/walk.js';
import { rememberWrittenArchive } from '../charts/written-archives.js';
import { writeChartArchive } from './archive.js';
import type { SourceDate, SourceDateOrigin } from './source-date.js';

/**
 * A loaded chart whose dependencies are resolved (see resolve/): every declared dependency is among its subcharts,
 * and the locks to (re)write are known, to be dated with the archive's time.
 */
export interface ResolvedChart {
  chart: LoadedChart;
  /** `requested`: the dependencies as hashed into the digest (helm hashes `@name` repositories as their URLs). */
  pendingLocks: ReadonlyMap<LoadedChart, { requested: ChartDependency[]; locked: LockedDependency[] }>;
  /** What resolving found that is packaged as helm packages it but looks unintended. */
  warnings: ChartshipError[];
}

export interface PackageOptions {
  /** Time of every archive entry, and where it came from. */
  sourceDate: SourceDate;
  /** Directory to write `<name>-<version>.tgz` into (created if missing); nothing is written without it. */
  destination?: string;
  /** Warnings found before resolving (e.g. by `applyOverrides`), reported first. */
  warnings?: ChartshipError[];
}

export interface PackagedChart {
  name: string;
  version: string;
  fileName: string;
  /** Where the archive was written, when a destination was given. */
  path?: string;
  archive: Buffer;
  /** Hex sha256 of the archive. */
  sha256: string;
  /** The metadata of the archive's Chart.yaml: what helm reads back from it to sign it or describe it in OCI. */
  metadata: ChartMetadata;
  sourceDate: Date;
  sourceDateOrigin: SourceDateOrigin;
  /** What helm accepts and packages, but reads differently from how it is written or looks unintended. */
  warnings: ChartshipError[];
}

/**
 * `helm package`, reproducibly, for a chart whose dependencies are resolved: the same chart content (and dependency
 * versions) and source date give the same bytes on any machine, in any time zone. Every check runs before anything
 * is written, so a bad chart leaves no archive behind.
 */
export async function packageResolved(resolved: ResolvedChart, options: PackageOptions): Promise<PackagedChart> {
  const { chart } = resolved;
  const { date, origin } = options.sourceDate;
  for (const [owner, { requested, locked }] of resolved.pendingLocks) {
    writeLock(owner, { dependencies: locked, digest: hashRequirements(requested, locked), generated: goTime(date) });
  }
  const warnings = [...chartWarnings(chart), ...(options.warnings ?? []), ...resolved.warnings];

  const { archive, loadable } = await writeChartArchive(chart, date);
  const { name, version } = chart.metadata;
  const fileName = `${name}-${version}.tgz`;
  const result: PackagedChart = {
    name,
    version,
    fileName,
    archive,
    sha256: createHash('sha256').update(archive).digest('hex'),
    metadata: metadataInArchive(chart),
    sourceDate: date,
    sourceDateOrigin: origin,
    warnings,
  };
  // Every entry carries the date, in whole seconds as tar stores it. An archive over helm's loading limits is not
  // recorded: a push reads it, as any other, and refuses it.
  if (loadable) rememberWrittenArchive(result.sha256, { metadata: result.metadata, top: name, newestMtime: new Date(Math.floor(date.getTime() / 1000) * 1000) });
  if (options.destination !== undefined) result.path = await writeAtomically(resolve(options.destination), fileName, archive, date);
  return result;
}

/**
 * `--version` / `--app-version`, set on the chart's metadata as helm sets them; the archive's Chart.yaml is written
 * from the metadata, so nothing else needs editing. helm's Save sanitises again afterwards, which reaches a new
 * appVersion. Returns what helm accepts but reads its own way.
 */
export function applyOverrides(chart: LoadedChart, options: { version?: string; appVersion?: string }): ChartshipError[] {
  const warnings: ChartshipError[] = [];
  chart.metadata = withOverrides(chart.metadata, options, warnings);
  return warnings;
}

function withOverrides(metadata: ChartMetadata, options: { version?: string; appVersion?: string }, warnings: ChartshipError[]): ChartMetadata {
  const { version, appVersion } = options;
  if (version === undefined && appVersion === undefined) return metadata;
  if (version !== undefined) {
    const parsed = parseHelmVersion(version);
    if (!parsed) throw new ChartshipError(`${JSON.stringify(version)} is not a valid version`, { field: '--version', hint: 'use MAJOR.MINOR.PATCH, e.g. 1.0.0', code: 'VERSION_INVALID' });
    // The chart's own version is warned of at its Chart.yaml line already (a publish passes it as the override).
    if (!isStrictSemver(version) && version !== metadata.version) {
      warnings.push(new ChartshipError(`${JSON.stringify(version)} is not SemVer 2; helm accepts it as ${canonicalVersion(parsed)} and keeps the text as written`, { field: '--version', code: 'VERSION_NOT_STRICT' }));
    }
  }
  const cleanAppVersion = sanitize(appVersion);
  if (cleanAppVersion !== undefined && cleanAppVersion.trim() === '') {
    throw new ChartshipError('must not be empty', { field: '--app-version', code: 'VERSION_INVALID' });
  }
  return { ...metadata, ...(version !== undefined && { version }), ...(cleanAppVersion !== undefined && { appVersion: cleanAppVersion }) };
}

/**
 * Puts a lock where `helm dependency build` writes it before `helm package` reads the directory: Chart.lock for v2,
 * requirements.lock (a plain file of the archive, in walk order) for v1. A lock file .helmignore leaves out stays out,
 * and a v2 chart that also has a requirements.lock keeps that one, which helm's loader reads last.
 */
function writeLock(chart: LoadedChart, lock: ChartLock): void {
  const v1 = chart.metadata.apiVersion === 'v1';
  const name = v1 ? 'requirements.lock' : 'Chart.lock';
  if (chart.ignores?.(name) || (!v1 && chart.lockFile === 'requirements.lock')) return;
  chart.lock = lock;
  chart.lockFile = name;
  if (!v1) return;
  const data = Buffer.from(helmChartLock(lock), 'utf8');
  const files = chart.files.filter((f) => f.name !== name);
  const at = files.findIndex((f) => compareWalkOrder(f.name, name) > 0);
  files.splice(at === -1 ? files.length : at, 0, { name, data });
  chart.files = files;
}

/**
 * The metadata helm reads back from the archive, which is what it signs and puts in the OCI config: the archive's
 * Chart.yaml (a v1 chart's without dependencies) with requirements.yaml, when the archive has one, read over it.
 */
function metadataInArchive(chart: LoadedChart): ChartMetadata {
  if (chart.metadata.apiVersion !== 'v1') return chart.metadata;
  const requirements = chart.files.find((f) => f.name === 'requirements.yaml');
  return parseChartFiles(
    { text: helmChartYaml(archivedMetadata(chart.metadata)), file: chart.chartFile.file },
    requirements && { text: requirements.data.toString('utf8'), file: `${chart.source}/requirements.yaml` },
  ).metadata;
}

/** Warnings about the chart's own Chart.yaml and those of the subcharts packaged with it. */
function chartWarnings(chart: LoadedChart): ChartshipError[] {
  return [...chart.chartFile.warnings, ...chart.subcharts.flatMap(chartWarnings)];
}

/** Written aside and renamed, so a failed or concurrent run never leaves half an archive under the real name. */
export async function writeAtomically(directory: string, fileName: string, data: Buffer | string, mtime?: Date): Promise<string> {
  try {
    await mkdir(directory, { recursive: true });
  } catch (error) {
    throw new ChartshipError(`cannot create the destination directory: ${(error as Error).message}`, { file: directory, code: 'DESTINATION_INVALID', cause: error });
  }
  const path = join(directory, fileName);
  const temp = join(directory, `.${fileName}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFile(temp, data);
    if (mtime) await utimes(temp, mtime, mtime);
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw new ChartshipError(`cannot write ${fileName}: ${(error as Error).message}`, { file: path, code: 'DESTINATION_INVALID', cause: error });
  }
  return path;
}
