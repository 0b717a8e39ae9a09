import { createHash } from 'node:crypto';
import type { ChartMetadata } from '../model/metadata.js';
import { readChartArchive } from './archive.js';

/** What a push needs of a chart archive: what helm reads back from its Chart.yaml, its top directory, its time. */
export interface ArchiveSummary {
  metadata: ChartMetadata;
  top: string;
  /** Newest entry time, as the tar stores it (whole seconds). */
  newestMtime: Date;
}

/** Enough for any run's charts; the oldest go first beyond it. */
const KEPT = 4096;
const written = new Map<string, ArchiveSummary>();

/**
 * Records an archive this process has just written (packaging knows its metadata without reading it back), keyed by
 * the sha256 of its bytes, so pushing the same bytes does not gunzip, untar and parse them again. Keyed by content,
 * an archive changed since, or one from elsewhere, is never mistaken for it.
 */
export function rememberWrittenArchive(sha256Hex: string, summary: ArchiveSummary): void {
  written.delete(sha256Hex);
  written.set(sha256Hex, structuredClone(summary));
  if (written.size > KEPT) written.delete(written.keys().next().value!);
}

/** The summary recorded for these bytes, if this process wrote them. */
export function writtenArchive(bytes: Buffer): ArchiveSummary | undefined {
  const known = written.get(createHash('sha256').update(bytes).digest('hex'));
  return known && structuredClone(known);
}

/**
 * The summary of a chart archive: recorded when this process wrote it, otherwise read and validated as
 * `readChartArchive` does (an archive from outside: a file, a download). `label` names it in errors.
 */
export async function summarizeChartArchive(bytes: Buffer, label: string): Promise<ArchiveSummary> {
  const known = writtenArchive(bytes);
  if (known) return known;
  const { metadata, top, newestMtime } = await readChartArchive(bytes, label);
  return { metadata, top, newestMtime };
}
