import * as core from '@actions/core';
import { appendFileSync } from 'node:fs';
import type { Shipped } from '../model/stopped-run.js';
import { releaseOutputs } from '../pipeline/outputs.js';

/**
 * A cancelled job's step (the runner's SIGINT) ends before any report: the charts every registry took go to the
 * outputs, as a finished run gives them, and what was pushed to the job summary. Synchronous: it runs in the signal
 * handler.
 */
export function writeStopped(charts: Shipped[], lines: string[], summaryFile: string | undefined): void {
  const done = charts.filter((c) => c.registries.length === c.targets);
  const results = done.map((c) => ({ ...c, path: '', status: 'pushed' as const, signed: false, changelog: [], registries: c.registries.map((r) => ({ ...r, status: 'pushed' as const })) }));
  for (const [name, value] of Object.entries({ ...releaseOutputs(results), pushed: String(done.length) })) core.setOutput(name, value);
  if (summaryFile) appendFileSync(summaryFile, `### chartship was stopped\n\n${lines.map((line) => `- ${line}\n`).join('')}`);
}
