import { readFile } from 'node:fs/promises';
import { openTarget, type PushResult } from '../helm-oci/index.js';
import { ChartshipError } from '../model/errors.js';
import type { TargetOptions } from '../oci/index.js';

/**
 * `helm push` of an archive file: its sibling `<file>.prov`, when there is one, goes with it as the provenance layer.
 * `label` names the archive in messages as the user gave it.
 */
export async function pushChartFile(file: string, label: string, spec: string, options: { target: TargetOptions; overwrite?: boolean }): Promise<PushResult> {
  const archive = await readFile(file).catch((error: NodeJS.ErrnoException) => {
    throw new ChartshipError(error.code === 'ENOENT' ? 'no such file' : error.message, { file: label, code: 'CHART_ARCHIVE_MISSING' });
  });
  const prov = await readFile(`${file}.prov`).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw new ChartshipError(error.message, { file: `${label}.prov` });
  });
  const target = openTarget(spec, options.target);
  try {
    return await target.pushChart({ archive, ...(prov ? { prov } : {}), label }, { overwrite: options.overwrite });
  } finally {
    await target.close();
  }
}
