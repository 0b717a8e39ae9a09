import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ChartshipError } from '../model/errors.js';
import { defaultHelmignore, parseHelmignore, type HelmIgnore } from './helmignore.js';
import { assembleChart, type LoadedChart } from './tree.js';
import { openChartDirectory, walkChart } from './walk.js';

export type { LoadedChart } from './tree.js';

/** A chart directory as `helm package` reads it (its .helmignore applied, subcharts in charts/ loaded). */
export async function loadChart(dir: string): Promise<LoadedChart> {
  const opened = openChartDirectory(dir);
  if (!opened) throw new ChartshipError('chart directory not found', { file: dir, code: 'CHART_NOT_FOUND' });
  // The listing tells whether there is a .helmignore: most charts have none, and a failed open costs an error.
  const rules = opened.names.includes('.helmignore') ? await readHelmignore(dir) : defaultHelmignore();
  if (opened.names.includes('Chart.yaml')) refuseIgnoredChartYaml(rules, join(dir, '.helmignore'));
  const linked = new Set<string>();
  const entries = walkChart(dir, rules, opened, linked);
  const chart = await assembleChart(entries, dir, (name) => join(dir, name), (name) => rules.matches(name, false));
  if (linked.size > 0) chart.linked = [...linked].sort();
  return chart;
}

/**
 * helm, told by .helmignore to leave Chart.yaml out, says that the chart has none: name the rule instead. helm's `!pat`
 * is no gitignore re-inclusion, it leaves out every path that does not match `pat`, Chart.yaml included.
 */
function refuseIgnoredChartYaml(rules: HelmIgnore, file: string): void {
  const rule = rules.ruleFor('Chart.yaml', false);
  if (!rule) return;
  throw new ChartshipError(`${JSON.stringify(rule.text)} leaves out Chart.yaml, so helm finds no chart here`, {
    file,
    line: rule.line,
    code: 'CHART_INVALID',
    hint: rule.negate ? `helm's ${rule.text} leaves out every file that does not match ${rule.text.slice(1)}: remove the line` : 'narrow or remove the pattern',
  });
}

/** The chart's .helmignore rules (helm's defaults when it has none). Only the top chart's file counts, as in helm. */
export async function readHelmignore(dir: string): Promise<HelmIgnore> {
  const file = join(dir, '.helmignore');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return defaultHelmignore();
    throw error;
  }
  return parseHelmignore(text, file);
}
