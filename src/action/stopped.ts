import * as core from '@actions/core';
import { appendFileSync } from 'node:fs';
import type { Shipped } from '../model/stopped-run.js';
import { releaseOutputs } from '../pipeline/outputs.js';

/**
 * A cancelled job's step (the runner's SIGINT) ends before any report: what it pushed goes to the outputs (the charts
 * every registry took, as a finished run gives them) and to the job summary (each chart, with how many registries
 * took it). Synchronous: it runs in the signal handler.
 */
export function writeStopped(charts: Shipped[], summaryFile: string | undefined): void {
  const done = charts.filter((c) => c.registries.length === c.targets);
  const results = done.map((c) => ({ ...c, path: '', status: 'pushed' as const, signed: false, changelog: [], registries: c.registries.map((r) => ({ ...r, status: 'pushed' as const })) }));
  for (const [name, value] of Object.entries(releaseOutputs(results))) core.setOutput(name, value);
  core.setOutput('pushed', String(done.length));
  if (!summaryFile) return;
  const rows = charts.map((c) => `| ${c.name} | ${c.version} | ${c.registries.length} of ${c.targets} | ${c.registries.map((r) => `\`${r.ref}@${r.digest}\``).join('<br>')} |`);
  const table = rows.length > 0 ? `| chart | version | registries | pushed |\n| --- | --- | --- | --- |\n${rows.join('\n')}\n` : 'Nothing was pushed.\n';
  appendFileSync(summaryFile, `### chartship was stopped before the end\n\nWhat it pushed before the stop; the next run publishes the rest.\n\n${table}`);
}
