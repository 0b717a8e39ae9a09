import { createHash, randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ChartshipError } from '../errors.js';
import { resolveDependencies, type DependencyOptions } from '../charts/dependencies.js';
import { isStrictSemver } from '../charts/chartfile.js';
import { archivedMetadata, sanitize } from '../charts/helm-yaml.js';
import { loadChart } from '../charts/load.js';
import { goTime, hashRequirements } from '../charts/lockfile.js';
import type { ChartMetadata } from '../charts/metadata.js';
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
}

/**
 * `helm package`, reproducibly: the same chart content (and dependency versions) gives the same bytes on any machine,
 * in any time zone. Every check runs before anything is written, so a bad chart leaves no archive behind.
 */
export async function packageChart(dir: string, options: PackageOptions = {}): Promise<PackagedChart> {
  const chartDir = resolve(dir);
  const chart = await loadChart(chartDir);
  chart.metadata = withOverrides(chart.metadata, options);

  const resolved = await resolveDependencies(chart, chartDir, options.dependencies);
  const date = await sourceDate(resolved.directories, { date: options.sourceDate, env: options.env });
  for (const [owner, locked] of resolved.pendingLocks) {
    owner.lock = { dependencies: locked, digest: hashRequirements(owner.metadata.dependencies ?? [], locked), generated: goTime(date.date) };
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
    metadata: archivedMetadata(chart.metadata),
    sourceDate: date.date,
    sourceDateOrigin: date.origin,
  };
  if (options.destination !== undefined) result.path = await writeAtomically(resolve(options.destination), fileName, archive);
  return result;
}

/**
 * `--version` / `--app-version`, set on the metadata as helm sets them; the archive's Chart.yaml is written from the
 * metadata, so nothing else needs editing. helm's Save sanitises again afterwards, which reaches a new appVersion.
 */
function withOverrides(metadata: ChartMetadata, options: { version?: string; appVersion?: string }): ChartMetadata {
  const { version, appVersion } = options;
  if (version === undefined && appVersion === undefined) return metadata;
  if (version !== undefined && !isStrictSemver(version)) {
    const hint = /^v\d/.test(version) ? `drop the "v": ${version.slice(1)}` : 'use MAJOR.MINOR.PATCH, e.g. 1.0.0';
    throw new ChartshipError(`${JSON.stringify(version)} is not a valid SemVer 2 version`, { field: '--version', hint, code: 'VERSION_INVALID' });
  }
  const cleanAppVersion = sanitize(appVersion);
  if (cleanAppVersion !== undefined && cleanAppVersion.trim() === '') {
    throw new ChartshipError('must not be empty', { field: '--app-version', code: 'VERSION_INVALID' });
  }
  return { ...metadata, ...(version !== undefined && { version }), ...(cleanAppVersion !== undefined && { appVersion: cleanAppVersion }) };
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
