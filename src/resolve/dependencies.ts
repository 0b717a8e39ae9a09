import { realpath } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { ChartshipError, describeError } from '../model/errors.js';
import { isRefusal, parseOciTarget, type TargetOptions } from '../oci/index.js';
import { openTarget } from '../helm-oci/index.js';
import { loadChart } from '../charts/load.js';
import { lockInSync, type LockedDependency } from '../charts/lockfile.js';
import type { ChartDependency } from '../model/metadata.js';
import { pinGone, pullFromRepository, type RepositoryOptions } from './repository.js';
import { credentialHint, RepositoryAccess } from './repository-access.js';
import { loadChartArchive, type LoadedChart } from '../charts/tree.js';
import { parseHelmVersion } from '../model/helm-semver.js';
import { highestMatch, satisfies, toRange, type VersionConstraint } from '../charts/version-range.js';

export interface DependencyOptions extends RepositoryOptions {
  /** Options for oci:// dependencies (credentials, plain HTTP for loopback registries…). */
  oci?: TargetOptions;
}

/** A chart whose declared dependencies are all among its subcharts. */
export interface ResolvedChart {
  chart: LoadedChart;
  /**
   * Set when Chart.lock must be (re)written: the pinned dependencies. The caller renders it with the archive's time
   * so the lock stays reproducible. Nested file:// charts carry their own.
   */
  pendingLocks: Map<LoadedChart, { requested: ChartDependency[]; locked: LockedDependency[] }>;
  /** Directories whose content ends up in the package (the chart and its file:// dependencies). */
  directories: string[];
  /** What is packaged as helm packages it but looks unintended (a vendored subchart outside its constraint). */
  warnings: ChartshipError[];
}

/**
 * `helm package`'s dependency check plus `helm dependency build` for what is missing: a dependency with a subchart of
 * its name in charts/ is satisfied by it, whatever its version (helm packages it; a version outside the constraint is
 * a warning); any other is fetched from its repository (`file://`, `oci://`, `https://`) with the constraint read as
 * helm reads it. A lock (Chart.lock, or a v1 chart's requirements.lock) in sync with the dependencies pins the
 * versions it lists.
 */
export async function resolveDependencies(chart: LoadedChart, dir: string, options: DependencyOptions = {}): Promise<ResolvedChart> {
  const pendingLocks: Context['pendingLocks'] = new Map();
  const directories: string[] = [];
  const warnings: ChartshipError[] = [];
  const access = new RepositoryAccess({ ...options.oci, env: options.oci?.env ?? process.env });
  try {
    await resolveInto(chart, dir, { ...options, indexes: options.indexes ?? new Map() }, { pendingLocks, directories, warnings, visiting: [], access });
  } finally {
    await access.close();
  }
  return { chart, pendingLocks, directories, warnings };
}

interface Context {
  pendingLocks: Map<LoadedChart, { requested: ChartDependency[]; locked: LockedDependency[] }>;
  directories: string[];
  warnings: ChartshipError[];
  /** Real paths of the file:// charts being resolved, outermost first, to report cycles. */
  visiting: string[];
  /** Credentials and TLS settings `helm repo add` gave https:// repositories. */
  access: RepositoryAccess;
}

async function resolveInto(chart: LoadedChart, dir: string, options: DependencyOptions, context: Context): Promise<void> {
  const real = await realpath(dir);
  if (context.visiting.includes(real)) {
    throw new ChartshipError(`file:// dependencies form a cycle: ${[...context.visiting, real].join(' -> ')}`, { file: chart.chartFile.file, code: 'DEPENDENCY_CYCLE' });
  }
  context.directories.push(dir);
  const declared = chart.metadata.dependencies ?? [];
  if (declared.length === 0) return;
  const whereOf = (i: number) => {
    const at = chart.chartFile.locate(['dependencies', i]);
    return { file: at?.file ?? chart.chartFile.file, field: `dependencies[${i}]`, line: at?.line, column: at?.column };
  };
  // What charts/ held before anything was fetched: a chart fetched for one dependency vendors no other of its name.
  const inChartsDir = [...chart.subcharts];
  const vendored = (dep: ChartDependency) => inChartsDir.find((s) => s.metadata.name === dep.name);
  /** The dependency each fetched chart was fetched for, to say which two collide. */
  const fetchedFor = new Map<LoadedChart, number>();
  // helm dependency build reads `@name` and `alias:name` as the URL `helm repo add` gave the name, then hashes and
  // locks that URL; Chart.yaml keeps the name.
  const deps = await Promise.all(
    declared.map(async (dep, i) =>
      /^(@|alias:)/.test(dep.repository ?? '') && !vendored(dep) ? { ...dep, repository: await context.access.named(dep.repository!, whereOf(i)) } : dep,
    ),
  );

  const existing = chart.lock;
  const inSync = existing !== undefined && lockInSync(chart.metadata.apiVersion, deps, existing);
  const locked: LockedDependency[] = [];
  let fetched = false;

  for (const [i, dep] of deps.entries()) {
    const where = whereOf(i);
    const field = where.field;
    const range = toRange(dep.version);
    const repository = dep.repository ?? '';
    const constraint = JSON.stringify(dep.version ?? '');
    // `helm package` only asks that a subchart of that name be in charts/; it packages whichever version is there.
    const present = vendored(dep);
    if (present) {
      if (!range || !satisfies(present.metadata.version, range)) {
        context.warnings.push(
          new ChartshipError(
            `${dep.name} in charts/ is version ${present.metadata.version}, ${range ? 'outside' : 'and the constraint is not valid:'} ${constraint}; packaged as helm packages it`,
            { ...where, code: 'DEPENDENCY_VERSION_MISMATCH', hint: `update charts/${dep.name} or the constraint` },
          ),
        );
      }
      // helm locks a charts/-only dependency at its constraint, and a fetched one at the version it fetched.
      locked.push({ name: dep.name, repository, version: repository === '' ? (dep.version ?? '') : present.metadata.version });
      continue;
    }
    if (repository === '') {
      throw new ChartshipError(`${dep.name} is missing from charts/ and has no repository to fetch it from`, {
        ...where,
        code: 'DEPENDENCY_MISSING',
        hint: 'add the chart to charts/, or set repository: to file://, oci:// or https://',
      });
    }
    if (!range) {
      const pos = chart.chartFile.locate(['dependencies', i, 'version']);
      throw new ChartshipError(`${constraint} is not a valid version constraint`, { ...where, ...pos, field: `${field}.version`, code: 'DEPENDENCY_INVALID' });
    }
    const pin = inSync ? existing.dependencies[i] : undefined;
    const pinned = pin && pin.name === dep.name && pin.repository === repository ? pin.version : undefined;
    const sub = await fetchDependency(dep, repository, range, pinned, dir, options, context, where).catch((error: unknown) => {
      throw located(error, dep.name, repository, where);
    });
    if (sub.metadata.name !== dep.name) {
      throw new ChartshipError(`${repository} provides a chart named ${JSON.stringify(sub.metadata.name)}, not ${JSON.stringify(dep.name)}`, { ...where, code: 'DEPENDENCY_INVALID' });
    }
    if (!satisfies(sub.metadata.version, range)) {
      throw new ChartshipError(`${dep.name} at ${repository} is version ${sub.metadata.version}, outside ${constraint}`, { ...where, code: 'DEPENDENCY_MISSING' });
    }
    // helm downloads a chart two aliases share once; two versions of it would both unpack to charts/<name>/.
    const twin = [...fetchedFor.keys()].find((s) => s.metadata.name === sub.metadata.name);
    if (!twin) {
      chart.subcharts.push(sub);
      fetchedFor.set(sub, i);
    } else if (twin.metadata.version !== sub.metadata.version) {
      throw new ChartshipError(
        `${dep.name} resolves to ${twin.metadata.version} for dependencies[${fetchedFor.get(twin)}] and to ${sub.metadata.version} here: helm packages both as charts/${dep.name}/, one over the other`,
        { ...where, code: 'SUBCHART_DUPLICATE', hint: 'give the aliases of one chart constraints that pick the same version' },
      );
    }
    locked.push({ name: dep.name, repository, version: sub.metadata.version });
    fetched = true;
  }

  if (fetched && existing !== undefined && !inSync) {
    // helm dependency build refuses such a lock; helm package --dependency-update, as here, resolves again.
    context.warnings.push(
      new ChartshipError(`${chart.lockFile ?? 'Chart.lock'} is out of sync with the dependencies of ${basename(chart.chartFile.locate(['dependencies'])?.file ?? chart.chartFile.file)}: its pins were not used, the versions were resolved again`, {
        file: join(dirname(chart.chartFile.file), chart.lockFile ?? 'Chart.lock'),
        code: 'LOCK_OUT_OF_SYNC',
        hint: 'run helm dependency update and commit the lock',
      }),
    );
  }
  const unchanged = existing !== undefined && inSync && sameLocks(existing.dependencies, locked);
  // Like `helm package`, a chart whose dependencies were all vendored keeps whatever Chart.lock it has (or none).
  if (fetched && !unchanged) context.pendingLocks.set(chart, { requested: deps, locked });
}

async function fetchDependency(
  dep: ChartDependency,
  repository: string,
  range: VersionConstraint,
  pinned: string | undefined,
  dir: string,
  options: DependencyOptions,
  context: Context,
  where: { file: string; field: string },
): Promise<LoadedChart> {
  if (repository.startsWith('file://')) return fileDependency(repository, dir, options, context, where);
  if (repository.startsWith('oci://')) return ociDependency(dep, repository, range, pinned, options, where);
  if (repository.startsWith('https://') || repository.startsWith('http://')) {
    const { entry, client } = await context.access.of(repository);
    try {
      const { archive, url } = await pullFromRepository(repository, dep.name, range, pinned, client ? { ...options, client } : options, where);
      return await loadChartArchive(archive, url);
    } catch (error) {
      if (!(error instanceof ChartshipError) || error.code !== 'UNAUTHORIZED' || error.hint) throw error;
      throw new ChartshipError(error.message, { ...where, code: error.code, hint: credentialHint(repository, entry, options.oci?.env ?? process.env), cause: error });
    }
  }
  throw new ChartshipError(`unsupported repository ${JSON.stringify(repository)}`, {
    ...where,
    code: 'DEPENDENCY_INVALID',
    hint: 'use file://PATH, oci://HOST/NAMESPACE, an https:// chart repository URL, or @NAME of a helm repo add',
  });
}

/** A `file://` dependency: the chart directory it names, with its own dependencies resolved (a cycle fails). */
async function fileDependency(repository: string, dir: string, options: DependencyOptions, context: Context, where: { file: string; field: string }): Promise<LoadedChart> {
  const path = repository.slice('file://'.length);
  const depDir = isAbsolute(path) ? path : resolve(dir, path);
  const sub = await loadChart(depDir).catch((error: unknown) => {
    if (error instanceof ChartshipError && error.code === 'CHART_NOT_FOUND') {
      throw new ChartshipError(`${repository}: no chart directory at ${depDir}`, { ...where, code: 'DEPENDENCY_MISSING' });
    }
    throw error;
  });
  context.visiting.push(await realpath(dir));
  try {
    await resolveInto(sub, depDir, options, context);
  } finally {
    context.visiting.pop();
  }
  return sub;
}

/** An `oci://` dependency: the version the constraint picks among the registry's tags (or the lock pins), pulled. */
async function ociDependency(
  dep: ChartDependency,
  repository: string,
  range: VersionConstraint,
  pinned: string | undefined,
  options: DependencyOptions,
  where: { file: string; field: string },
): Promise<LoadedChart> {
  const target = openTarget(repository, options.oci);
  try {
    // helm pulls a constraint that reads as a plain version (`1.2.3`, even `1.2`) as that tag, without listing tags.
    const exact = dep.version !== undefined && parseHelmVersion(dep.version) ? dep.version : undefined;
    const tags = exact ? [exact] : await target.listVersions(dep.name);
    if (!exact && pinned && !tags.includes(pinned)) throw pinGone(dep.name, pinned, `${repository}/${dep.name}`, tags, where);
    const version = exact ?? pinned ?? highestMatch(tags, range);
    if (!version) {
      throw new ChartshipError(`no version of ${repository}/${dep.name} matches ${JSON.stringify(dep.version ?? '*')}`, {
        ...where,
        code: 'DEPENDENCY_NOT_FOUND',
        hint: tags.length > 0 ? `available: ${tags.slice(0, 10).join(', ')}` : 'the registry has no versions of it',
      });
    }
    const pulled = await target.pullChart(dep.name, version);
    return await loadChartArchive(pulled.archive, `${repository}/${dep.name}:${version}`);
  } finally {
    await target.close();
  }
}

/**
 * A registry's or a server's error, told as the dependency's: the user reads which Chart.yaml line asked for the
 * download, and how to give that host credentials (a dependency's host may not be the one chartship pushes to).
 */
function located(error: unknown, name: string, repository: string, where: { file: string; field: string; line?: number; column?: number }): unknown {
  if (error instanceof ChartshipError && error.file !== undefined) return error;
  const host = repository.startsWith('oci://') ? parseOciTarget(repository).host : undefined;
  const hint = host && isRefusal(error) ? `log in to ${host} (helm registry login ${host}, or docker login ${host}: chartship reads their credential files), or give chartship credentials for ${host} (publish: a registry-auth line; --username is for the first registry's host only)` : error instanceof ChartshipError ? error.hint : undefined;
  const message = error instanceof ChartshipError ? error.message : describeError(error);
  return new ChartshipError(`${name} from ${repository}: ${message}`, { ...where, code: error instanceof ChartshipError ? error.code : 'DOWNLOAD_FAILED', hint, cause: error });
}

function sameLocks(a: LockedDependency[], b: LockedDependency[]): boolean {
  return a.length === b.length && a.every((x, i) => x.name === b[i]!.name && x.version === b[i]!.version && x.repository === b[i]!.repository);
}
