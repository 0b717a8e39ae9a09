import { createHash, randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ChartshipError } from '../model/errors.js';
import { resolveDependencies, type DependencyOptions } from '../charts/dependencies.js';
import { parseChartFiles } from '../charts/chartfile.js';
import { canonicalVersion, isStrictSemver, parseHelmVersion } from '../model/helm-semver.js';
import { archivedMetadata, helmChartLock, helmChartYaml, sanitize } from '../charts/helm-yaml.js';
import { loadChart, type LoadedChart } from '../charts/load.js';
import { goTime, hashRequirements, type ChartLock } from '../charts/lockfile.js';
import type { ChartMetadata } from '../model/metadata.js';
import { compareWalkOrder } from '../charts/walk.js';
import { writeChartArchive } from './archive.js';
import { sourceDate, type SourceDateOrigin } from './source-date.js';

export type { DependencyOptions } from '../charts/dependencies.js';

export interface PackageOptions {
  /** Directory to write `<name>-<version>.tgz` into (created if missing); nothing is written without it. */
  destination?: string;
  /** Sets `version` in the archive's Chart.yaml (the chart directory is not touched). */
  version?: string;
  /** Sets `appVersion` in the archive's Chart.yaml. */
  appVersion?: string;
  /** Time of every archive entry; default SOURCE_DATE_EPOCH, else the last commit touching the chart, else 1980-01-01. */
  sourceDate?: Date;
  dependencies?: DependencyOptions;
  /** Where SOURCE_DATE_EPOCH is read from (default process.env). */
  env?: NodeJS.ProcessEnv;
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
 * `helm package`, reproducibly: the same chart content (and dependency versions) gives the same bytes on any machine,
 * in any time zone. Every check runs before anything is written, so a bad chart leaves no archive behind.
 */
export async function packageChart(dir: string, options: PackageOptions = {}): Promise<PackagedChart> {
  const chartDir = resolve(dir);
  const chart = await loadChart(chartDir);
  const warnings: ChartshipError[] = [];
  chart.metadata = withOverrides(chart.metadata, options, warnings);

  const resolved = await resolveDependencies(chart, chartDir, options.dependencies);
  const date = await sourceDate(resolved.directories, { date: options.sourceDate, env: options.env });
  for (const [owner, locked] of resolved.pendingLocks) {
    writeLock(owner, { dependencies: locked, digest: hashRequirements(owner.metadata.dependencies ?? [], locked), generated: goTime(date.date) });
  }
  warnings.unshift(...chartWarnings(chart));
  warnings.push(...resolved.warnings);

  const archive = await writeChartArchive(chart, date.date);
  const { name, version } = chart.metadata;
  const fileName = `${name}-${version}.tgz`;
  const result: PackagedChart = {
    name,
    version,
    fileName,
    archive,
    sha256: createHash('sha256').update(archive).digest('hex'),
    metadata: metadataInArchive(chart),
    sourceDate: date.date,
    sourceDateOrigin: date.origin,
    warnings,
  };
  if (options.destination !== undefined) result.path = await writeAtomically(resolve(options.destination), fileName, archive);
  return result;
}

/**
 * `--version` / `--app-version`, set on the metadata as helm sets them; the archive's Chart.yaml is written from the
 * metadata, so nothing else needs editing. helm's Save sanitises again afterwards, which reaches a new appVersion.
 */
function withOverrides(metadata: ChartMetadata, options: { version?: string; appVersion?: string }, warnings: ChartshipError[]): ChartMetadata {
  const { version, appVersion } = options;
  if (version === undefined && appVersion === undefined) return metadata;
  if (version !== undefined) {
    const parsed = parseHelmVersion(version);
    if (!parsed) throw new ChartshipError(`${JSON.stringify(version)} is not a valid version`, { field: '--version', hint: 'use MAJOR.MINOR.PATCH, e.g. 1.0.0', code: 'VERSION_INVALID' });
    if (!isStrictSemver(version)) {
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
export async function writeAtomically(directory: string, fileName: string, data: Buffer | string): Promise<string> {
  try {
    await mkdir(directory, { recursive: true });
  } catch (error) {
    throw new ChartshipError(`cannot create the destination directory: ${(error as Error).message}`, { file: directory, code: 'DESTINATION_INVALID', cause: error });
  }
  const path = join(directory, fileName);
  const temp = join(directory, `.${fileName}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFile(temp, data);
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw new ChartshipError(`cannot write ${fileName}: ${(error as Error).message}`, { file: path, code: 'DESTINATION_INVALID', cause: error });
  }
  return path;
}
