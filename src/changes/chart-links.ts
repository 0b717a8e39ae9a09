import { posix } from 'node:path';
import { readBlobs, type Git } from './git.js';
import { filesUnder } from './tree-files.js';

/** A symbolic link of a chart to a file or directory elsewhere in the repository: a change there changes the chart. */
export interface ChartLink {
  chart: string;
  /** The link, relative to the chart's directory (which its .helmignore may leave out). */
  link: string;
  /** The link's target, relative to the repository root (a file, or a directory and all below it). */
  target: string;
}

/**
 * The links the charts hold at `head` that point out of their own directory and stay in the repository (packaging
 * stores the target's bytes, and refuses a link out of the repository). Read from git: one `ls-tree` of the
 * directories holding charts (filesUnder), and a `cat-file` of the links' targets when there are any.
 */
export async function chartLinks(git: Git, head: string, charts: { name: string; path: string }[]): Promise<ChartLink[]> {
  if (charts.length === 0) return [];
  const links = (await filesUnder(git, head, charts.map((c) => c.path))).filter((f) => f.mode === '120000');
  if (links.length === 0) return [];
  const byDepth = [...charts].sort((a, b) => b.path.length - a.path.length);
  const targets = await readBlobs(git, links.map((l) => l.object));
  const found: ChartLink[] = [];
  links.forEach((link, i) => {
    // The innermost chart holding the link (a vendored subchart's link belongs to the chart that vendors it).
    const chart = byDepth.find((c) => c.path === '' || link.path.startsWith(`${c.path}/`));
    const written = targets[i];
    if (!chart || written === undefined || posix.isAbsolute(written)) return;
    const inChart = chart.path === '' ? link.path : link.path.slice(chart.path.length + 1);
    const target = posix.normalize(posix.join(posix.dirname(link.path), written));
    if (target === '..' || target.startsWith('../')) return;
    if (chart.path === '' || target === chart.path || target.startsWith(`${chart.path}/`)) return;
    found.push({ chart: chart.name, link: inChart, target: target === '.' ? '' : target });
  });
  return found;
}

/** The charts a changed path reaches through their links. */
export function linkedCharts(links: ChartLink[], path: string): string[] {
  return links.filter((l) => l.target === '' || path === l.target || path.startsWith(`${l.target}/`)).map((l) => l.chart);
}
