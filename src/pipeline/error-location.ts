import { isAbsolute, relative, sep } from 'node:path';
import { isInside } from '../charts/walk.js';
import { ChartshipError, describeError, relocated } from '../model/errors.js';

/**
 * An error location inside another file (e.g. a dependency's Chart.yaml) wins over the chart's own Chart.yaml. Packaging
 * names files by their full path, and GitHub places an annotation only by the path in the repository.
 */
export function located(error: ChartshipError, root: string): { file?: string; line?: number; column?: number } {
  if (!error.file) return {};
  const file = isAbsolute(error.file) && isInside(root, error.file) ? relative(root, error.file).split(sep).join('/') || '.' : error.file;
  return { file, line: error.line, column: error.column };
}

/** `error` with its file named within the repository, as its annotation has it (other errors as they are). */
export function inRepository(error: unknown, root: string): unknown {
  return error instanceof ChartshipError && error.file ? relocated(error, located(error, root)) : error;
}

/** An error as the outcome and the reports give it: its file named within the repository. */
export function describeIn(error: unknown, root: string): string {
  return describeError(inRepository(error, root));
}
