import { readFile, stat } from 'node:fs/promises';
import { localRfc3339, openTarget, type PushResult } from '../helm-oci/index.js';
import { ChartshipError } from '../model/errors.js';
import type { TargetOptions } from '../oci/index.js';

/**
 * `helm push` of an archive file: its sibling `<file>.prov`, when there is one, goes with it as the provenance layer.
 * `label` names the archive in messages as the user gave it.
 */
export async function pushChartFile(file: string, label: string, spec: string, options: { target: TargetOptions; overwrite?: boolean }): Promise<PushResult> {
  const archive = await readFile(file).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'EISDIR') {
      throw new ChartshipError('is a directory, not a chart archive', { file: label, code: 'CHART_ARCHIVE_MISSING', hint: `package it first: chartship package ${label}, then push the .tgz it writes` });
    }
    throw new ChartshipError(error.code === 'ENOENT' ? 'no such file' : error.message, { file: label, code: 'CHART_ARCHIVE_MISSING' });
  });
  const prov = await readFile(`${file}.prov`).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw new ChartshipError(error.message, { file: `${label}.prov` });
  });
  // helm push stamps the manifest with the file's modification time, so that the same file gives the same digest.
  const created = localRfc3339((await stat(file)).mtime);
  const target = openTarget(spec, options.target);
  try {
    return await target.pushChart({ archive, ...(prov ? { prov } : {}), label, created }, { overwrite: options.overwrite });
  } finally {
    await target.close();
  }
}
