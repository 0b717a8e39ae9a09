import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { readChartYaml } from '../charts/chartfile.js';
import { describeError } from '../model/errors.js';
import { actionLog } from './log.js';

/**
 * Keeps downloaded chart dependencies between workflow runs. The cache service exists only on GitHub's runners;
 * elsewhere (and in tests) this does nothing, and any failure only warns: a cold cache costs downloads, not a release.
 * Nothing is cached when no chart has a dependency to download: then the cache client (@actions/cache and the
 * Azure storage SDK, a fifth of the action's code) is not even read.
 */
export async function withDependencyCache<T>(dir: string, root: string, body: () => Promise<T>): Promise<T> {
  const files = await chartFiles(root);
  if (!(await downloadsDependencies(files))) return body();
  const cache = await import('@actions/cache');
  if (!cache.isFeatureAvailable()) return body();
  const key = await dependencyCacheKey(root, files);
  const prefix = 'chartship-deps-';
  let hit: string | undefined;
  try {
    hit = await cache.restoreCache([dir], `${prefix}${key}`, [prefix]);
  } catch (error) {
    actionLog.warning(`dependency cache not restored: ${describeError(error)}`);
  }
  const result = await body();
  if (hit !== `${prefix}${key}`) {
    try {
      await cache.saveCache([dir], `${prefix}${key}`);
    } catch (error) {
      actionLog.warning(`dependency cache not saved: ${describeError(error)}`);
    }
  }
  return result;
}

/** Every Chart.yaml, requirements.yaml and their lock files in the repository, sorted. */
async function chartFiles(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && /^(Chart|requirements)\.(yaml|lock)$/.test(e.name))
    .map((e) => `${e.parentPath ?? e.path}/${e.name}`)
    .filter((f) => !/[/\\](node_modules|\.git)[/\\]/.test(f))
    .sort();
}

/**
 * Whether some chart names a dependency from a repository (https://, oci://, a repository alias): one that only
 * has `file://` dependencies or charts/ subdirectories downloads nothing. A file that cannot be read counts as one
 * that may: the cache is then used as before.
 */
async function downloadsDependencies(files: string[]): Promise<boolean> {
  for (const file of files.filter((f) => /[/\\](Chart|requirements)\.yaml$/.test(f))) {
    let dependencies: unknown;
    try {
      dependencies = readChartYaml(await readFile(file, 'utf8'), file).raw['dependencies'];
    } catch {
      return true;
    }
    if (!Array.isArray(dependencies)) continue;
    for (const dependency of dependencies as unknown[]) {
      const repository = (dependency as { repository?: unknown } | null)?.repository;
      if (typeof repository === 'string' && repository !== '' && !repository.startsWith('file://')) return true;
    }
  }
  return false;
}

/** The cache key follows what decides the downloads: every Chart.yaml and Chart.lock in the repository. */
async function dependencyCacheKey(root: string, files: string[]): Promise<string> {
  const hash = createHash('sha256');
  for (const file of files.filter((f) => /[/\\]Chart\.(yaml|lock)$/.test(f))) hash.update(file.slice(root.length)).update('\0').update(await readFile(file)).update('\0');
  return hash.digest('hex').slice(0, 32);
}
