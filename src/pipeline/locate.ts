import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseChartYaml } from '../charts/chartfile.js';
import { fieldPath } from '../charts/go-decode.js';
import { ChartshipError } from '../model/errors.js';

/**
 * Errors found after planning (a taken version, say) know the Chart.yaml and the field but not the line; annotations
 * are only useful on the line, so look it up. Anything unreadable leaves the error as it was.
 */
export async function withLine(root: string, error: ChartshipError): Promise<ChartshipError> {
  if (!error.file?.endsWith('Chart.yaml') || !error.field || error.line !== undefined) return error;
  try {
    const position = parseChartYaml(await readFile(join(root, error.file), 'utf8'), error.file).locate(fieldPath(error.field));
    if (!position) return error;
    return new ChartshipError(error.message, { file: error.file, field: error.field, hint: error.hint, code: error.code, cause: error.cause, line: position.line, column: position.column });
  } catch {
    return error;
  }
}
