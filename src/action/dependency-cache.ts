import * as cache from '@actions/cache';
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import * as core from '@actions/core';
import { describeError } from '../model/errors.js';

/**
 * Keeps downloaded chart dependencies between workflow runs. The cache service exists only on GitHub's runners;
 * elsewhere (and in tests) this does nothing, and any failure only warns: a cold cache costs downloads, not a release.
 */
export async function withDependencyCache<T>(dir: string, root: string, body: () => Promise<T>): Promise<T> {
  if (!cache.isFeatureAvailable()) return body();
  const key = await dependencyCacheKey(root);
  const prefix = 'chartship-deps-';
  let hit: string | undefined;
  try {
    hit = await cache.restoreCache([dir], `${prefix}${key}`, [prefix]);
  } catch (error) {
    core.warning(`dependency cache not restored: ${describeError(error)}`);
  }
  const result = await body();
  if (hit !== `${prefix}${key}`) {
    try {
      await cache.saveCache([dir], `${prefix}${key}`);
    } catch (error) {
      core.warning(`dependency cache not saved: ${describeError(error)}`);
    }
  }
  return result;
}

/** The cache key follows what decides the downloads: every Chart.yaml and Chart.lock in the repository. */
async function dependencyCacheKey(root: string): Promise<string> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  const files = entries
    .filter((e) => e.isFile() && (e.name === 'Chart.yaml' || e.name === 'Chart.lock'))
    .map((e) => `${e.parentPath ?? e.path}/${e.name}`)
    .filter((f) => !/[/\\](node_modules|\.git)[/\\]/.test(f))
    .sort();
  const hash = createHash('sha256');
  for (const file of files) hash.update(file.slice(root.length)).update('\0').update(await readFile(file)).update('\0');
  return hash.digest('hex').slice(0, 32);
}
