import type { LoadedChart } from '../charts/tree.js';
import { markLines } from './template-lines.js';

/**
 * The chart as the policy has helm render it, with its subcharts: no NOTES.txt, which `helm template` renders but
 * never prints (a `fail` in it, such as a guard against changed images, would hide every manifest from the check),
 * and the lines of its templates marked (template-lines.ts). Partials (`_*`) are not marked: their lines would be
 * taken for those of the template that includes them.
 */
export function renderCopy(chart: LoadedChart): void {
  chart.templates = chart.templates
    .filter((t) => t.name !== 'templates/NOTES.txt')
    .map((t) => (/(^|\/)_[^/]*$/.test(t.name) ? t : { ...t, data: Buffer.from(markLines(t.data.toString('utf8'))) }));
  chart.subcharts.forEach(renderCopy);
}
