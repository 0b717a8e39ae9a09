import { createHash, randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ChartshipError } from '../errors.js';
import { resolveDependencies, type DependencyOptions } from '../charts/dependencies.js';
import { loadChart } from '../charts/load.js';
import { goTime, hashRequirements, renderChartLock, type ChartLock } from '../charts/lockfile.js';
import type { ChartMetadata } from '../charts/metadata.js';
import { writeChartArchive } from './archive.js';
import { overrideChartYaml } from './chart-yaml-edit.js';
import { sourceDate, type SourceDateOrigin } from './source-date.js';

export type { DependencyOptions } from '../charts/dependencies.js';

export interface PackageOptions {
  /** Directory to write `<name>-<version>.tgz` into (created if missing); nothing is written without it. */
  destination?: string;
  /** Replaces Chart.yaml `version` inside the archive (the chart directory is not touched). */
  version?: string;
  /** Replaces Chart.yaml `appVersion` inside the archive. */
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
  metadata: ChartMetadata;
  sourceDate: Date;
  sourceDateOrigin: SourceDateOrigin;
}

/**
 * `helm package`, reproducibly: the same chart content (and dependency versions) gives the same bytes on any machine,
 * in any time zone. Every check runs before anything is written, so a bad chart leaves no archive behind.
 */
export async function packageChart(dir: string, options: PackageOptions = {}): Promise<PackagedChart> {
  const chartDir = resolve(dir);
  const chart = await loadChart(chartDir);
  if (options.version !== undefined || options.appVersion !== undefined) {
    const edited = overrideChartYaml(chart.chartYaml.toString('utf8'), chart.chartFile.file, { version: options.version, appVersion: options.appVersion });
    chart.chartYaml = Buffer.from(edited.text, 'utf8');
    chart.chartFile = edited.chartFile;
    chart.metadata = edited.chartFile.metadata;
  }

  const resolved = await resolveDependencies(chart, chartDir, options.dependencies);
  const date = await sourceDate(resolved.directories, { date: options.sourceDate, env: options.env });
  for (const [owner, locked] of resolved.pendingLocks) {
    const lock: ChartLock = { dependencies: locked, digest: hashRequirements(owner.metadata.dependencies ?? [], locked), generated: goTime(date.date) };
    owner.lock = { data: Buffer.from(renderChartLock(lock), 'utf8'), lock };
  }

  const archive = await writeChartArchive(chart, date.date);
  const { name, version } = chart.metadata;
  const fileName = `${name}-${version}.tgz`;
  const result: PackagedChart = {
    name,
    version,
    fileName,
    archive,
    sha256: createHash('sha256').update(archive).digest('hex'),
    metadata: chart.metadata,
    sourceDate: date.date,
    sourceDateOrigin: date.origin,
  };
  if (options.destination !== undefined) result.path = await writeAtomically(resolve(options.destination), fileName, archive);
  return result;
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
