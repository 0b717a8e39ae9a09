import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ChartResult } from '../model/plan.js';
import { changelogSection } from '../versioning/changelog-file.js';

/**
 * The release notes of charts published as a merged release pull request wrote them: each chart's CHANGELOG.md
 * section of its version, edits by hand included. A chart without one keeps the changelog from its commits.
 */
export async function attachChangelogNotes(results: ChartResult[], root: string): Promise<void> {
  for (const result of results) {
    const text = await readFile(join(root, result.path, 'CHANGELOG.md'), 'utf8').catch(() => undefined);
    const notes = changelogSection(text, result.version);
    if (notes !== undefined) result.notes = notes;
  }
}
