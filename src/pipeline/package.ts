import { join, resolve } from 'node:path';
import { loadChart, type LoadedChart } from '../charts/load.js';
import { isInside } from '../charts/walk.js';
import { ChartshipError } from '../model/errors.js';
import { historyCommitTimes, lastCommitTime, type CommitTimeOf } from '../changes/commit-time.js';
import type { Git } from '../changes/git.js';
import { HttpDownloader } from '../oci/index.js';
import { applyOverrides, packageResolved, writeAtomically, type PackagedChart } from '../package/index.js';
import { sourceDate } from '../package/source-date.js';
import { resolveDependencies, type DependencyOptions } from '../resolve/dependencies.js';
import { signChart } from '../sign/index.js';
import { loadSigner, type SigningKey } from './signing.js';

export type { DependencyOptions } from '../resolve/dependencies.js';

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
  /** A directory's last commit time (default: asked of git in that directory); see `historyCommitTimes` for many charts. */
  commitTime?: CommitTimeOf;
  /** The repository the chart is published from: a file:// dependency outside it is warned of. */
  repository?: string;
}

/**
 * `helm package` of a chart directory: load it, set `--version`/`--app-version`, resolve its dependencies
 * (`helm dependency build` for what is missing), date it, and write the archive. The date is the newest commit
 * touching the chart or its file:// dependencies unless fixed, so the archive depends on the content only.
 */
export async function packageChart(dir: string, options: PackageOptions = {}): Promise<PackagedChart> {
  const chartDir = resolve(dir);
  const chart = await loadChart(chartDir);
  const warnings = applyOverrides(chart, options);
  const resolved = await resolveDependencies(chart, chartDir, options.dependencies);
  if (options.repository !== undefined) warnings.push(...outsideRepository(chart, resolved.directories, options.repository));
  const date = await sourceDate({
    date: options.sourceDate,
    env: options.env,
    // A change to a file the chart links to (elsewhere in the repository) is a change to the chart: it dates it too.
    committed: () => lastCommitTime([...resolved.directories, ...(chart.linked ?? [])], options.commitTime),
  });
  return packageResolved(resolved, { sourceDate: date, warnings, destination: options.destination });
}

/**
 * A file:// dependency outside the repository is packaged as helm packages it, but no plan sees its changes (they are
 * not in the repository's history) and a fresh clone, as CI makes, has no such directory.
 */
function outsideRepository(chart: LoadedChart, directories: string[], repository: string): ChartshipError[] {
  return directories
    .filter((dir) => !isInside(repository, dir))
    .map(
      (dir) =>
        new ChartshipError(`a file:// dependency is outside the repository (${dir}): changes to it are not seen by the plan, and a fresh clone (CI) lacks it`, {
          file: chart.chartFile.file,
          field: 'dependencies',
          code: 'DEPENDENCY_OUTSIDE',
          hint: 'move the chart into the repository, or publish it and depend on it by oci:// or https://',
        }),
    );
}

/**
 * The last commit times of a run's charts (paths relative to the repository root) and of anything else packaging asks
 * about: one git history pass for all of them, run when the first chart needs its date, instead of one git per chart.
 */
export function chartCommitTimes(root: string, paths: string[], git?: Git): CommitTimeOf {
  return historyCommitTimes(root, paths.map((path) => join(root, path)), git);
}

export interface PackageToDirectoryOptions {
  destination: string;
  version?: string;
  appVersion?: string;
  /** Sign with this key: `<archive>.prov` is written beside the archive. */
  signKey?: SigningKey;
  /** Fetch oci:// dependencies over plain HTTP (loopback registries). */
  plainHttp?: boolean;
  env: NodeJS.ProcessEnv;
  /** Told each warning as one line: the key's, then the chart's. */
  warn: (message: string) => void;
}

/**
 * `helm package [--sign]` into a directory: the key is loaded first, so a wrong passphrase fails before anything is
 * written; dependencies are fetched through the registries' transport; the archive and its .prov are written aside
 * and renamed into place.
 */
export async function packageToDirectory(dir: string, options: PackageToDirectoryOptions): Promise<{ packaged: PackagedChart; path: string; provPath?: string }> {
  const signer = options.signKey ? await loadSigner(options.signKey, options.warn) : undefined;
  const downloader = new HttpDownloader({ env: options.env });
  const packaged = await packageChart(dir, {
    version: options.version,
    appVersion: options.appVersion,
    env: options.env,
    dependencies: { oci: { plainHttp: options.plainHttp, env: options.env }, download: downloader.download },
  }).finally(() => downloader.close());
  for (const warning of packaged.warnings) options.warn(warning.describe());
  const prov = signer ? await signChart(signer, packaged) : undefined;
  // The file carries the archive's date too: helm push stamps the manifest with the file's time, so the same chart
  // pushed from this file (by helm or chartship) gets the same digest on every run.
  const path = await writeAtomically(options.destination, packaged.fileName, packaged.archive, packaged.sourceDate);
  const provPath = prov === undefined ? undefined : await writeAtomically(options.destination, `${packaged.fileName}.prov`, prov);
  return { packaged, path, ...(provPath ? { provPath } : {}) };
}
