import { readdir, readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ChartshipError } from '../model/errors.js';
import { mergeShardOutcomes, readShardOutcome } from './shards.js';

/** A path of outcomes that cannot be read is named, with why: a raw EISDIR or ENOENT says neither which nor what to do. */
function unreadable(path: string, error: unknown): ChartshipError {
  return new ChartshipError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, {
    file: path,
    code: 'OUTCOME_INVALID',
    hint: 'pass the files publish --outcome-file wrote, or directories holding them',
  });
}

/**
 * The outcomes the merge is given, as one: files, or directories whose .json files are taken (what
 * download-artifact or a CI's artifact step leaves). The action's merge-outcomes and `chartship merge` read them alike.
 */
export async function mergeOutcomeFiles(paths: string[], cwd: string): Promise<ReturnType<typeof mergeShardOutcomes>> {
  const files: string[] = [];
  for (const path of paths.map((p) => resolve(cwd, p))) {
    const isDirectory = (await stat(path).catch((error: unknown) => Promise.reject(unreadable(path, error)))).isDirectory();
    if (!isDirectory) {
      files.push(path);
      continue;
    }
    const names = (await readdir(path, { recursive: true })).filter((n) => n.endsWith('.json')).sort();
    files.push(...names.map((n) => join(path, n)));
  }
  const texts = await Promise.all(files.map((file) => readFile(file, 'utf8').catch((error: unknown) => Promise.reject(unreadable(file, error)))));
  return mergeShardOutcomes(texts.map((text, i) => readShardOutcome(text, files[i]!)));
}
