import type { MigratedVersion } from '../model/plan.js';
import { textTable } from './text-table.js';

const SHOWN = { copied: 'copied', unchanged: 'already there', failed: 'failed' } as const;

/** The table `chartship migrate` ends with: every chart version, what happened to it, its digest or why it failed. */
export function renderMigration(results: MigratedVersion[], skipped = 0): string {
  const rows = [['CHART', 'VERSION', 'RESULT', 'DIGEST / WHY'], ...results.map((r) => [r.name, r.version, SHOWN[r.status], r.status === 'failed' ? (r.error ?? '') : `${r.digest ?? ''}${r.provDigest ? ' (signed)' : ''}`])];
  const count = (status: MigratedVersion['status']) => results.filter((r) => r.status === status).length;
  const left = skipped > 0 ? `; ${skipped} other version(s) not selected` : '';
  const total = `copied ${count('copied')}, already there ${count('unchanged')}, failed ${count('failed')} (of ${results.length}${left})`;
  return `${[...(results.length > 0 ? textTable(rows) : ['nothing to copy']), '', total].join('\n')}\n`;
}
