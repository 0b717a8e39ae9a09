import { posix } from 'node:path';
import type { SourceTree } from '../charts/source-tree.js';
import { rel, type PolicyChart } from './types.js';

/**
 * Where in a template a rendered value came from. helm's `# Source:` line names the template file, but rendering
 * keeps no line numbers, so the line is found again by searching the template — an approximation:
 * - an image written literally in the template (a hard-coded `image: busybox:latest`) is found where it is written;
 * - the copy helm renders marks each `image:`, `imagePullSecrets:` and `containers:` line of a template with its line
 *   number (a YAML comment, which rendering keeps on the line): a marked image or pod spec is put on that line;
 * - otherwise the n-th rendered image of a template is put on its n-th `image:` line (the last one when a loop
 *   renders more images than the template has lines), and the n-th pod spec on its n-th `imagePullSecrets:` line,
 *   else its n-th `containers:` line;
 * - failing that, line 1 of the template.
 * A template that is not in the repository (a dependency fetched at packaging) is reported on the chart's Chart.yaml.
 */
export interface TemplateText {
  /** Repository-relative file to put findings on. */
  file: string;
  /** Its text, when the file is the template itself. */
  text?: string;
  /** Said after the message when the finding could not be put on the template itself. */
  note: string;
}

export async function templateText(chart: PolicyChart, source: string, tree: SourceTree): Promise<TemplateText> {
  // `mychart/templates/x.yaml`: the first segment is the chart's name, the rest a path inside the chart directory.
  const inside = source.split('/').slice(1).join('/');
  // A subchart in the chart's charts/ directory, else a file:// dependency packaging copied in from elsewhere.
  const candidates = inside ? [rel(chart, inside), localDependencyFile(chart, inside)].filter((f): f is string => f !== undefined) : [];
  const texts = await tree.read(candidates);
  const found = texts.findIndex((t) => t !== undefined);
  if (found >= 0) return { file: candidates[found]!, text: texts[found], note: '' };
  return { file: chart.chartYaml, note: ` (rendered from ${source || 'an unnamed template'})` };
}

/**
 * `charts/<dep>/templates/x.yaml` of a `file://` dependency packaging copied in: the file in the dependency's own
 * directory, relative to the repository root (undefined for anything else).
 */
function localDependencyFile(chart: PolicyChart, inside: string): string | undefined {
  const match = /^charts\/([^/]+)\/(.+)$/.exec(inside);
  if (!match) return undefined;
  const dep = chart.file.metadata.dependencies?.find((d) => (d.alias ?? d.name) === match[1] || d.name === match[1]);
  if (!dep?.repository?.startsWith('file://')) return undefined;
  const dir = posix.normalize(posix.join(chart.path || '.', dep.repository.slice('file://'.length)));
  return dir.startsWith('../') || posix.isAbsolute(dir) ? undefined : posix.join(dir, match[2]!);
}

interface LineColumn {
  line: number;
  column: number;
}

/** The comment that carries a template's line number through rendering (`#chartship-line:12`). */
export const LINE_MARK = /chartship-line:(\d+)/;
const MARKED = /^\s*(?:-\s+)?(?:image|imagePullSecrets|containers):/;
const IMAGE = /^(\s*(?:-\s+)?)image:/;

/**
 * A template with its marked lines: those whose actions all close on the line and none trims the space after it
 * (`-}}` would join the comment to the value), so the comment ends up on the line the line renders to.
 */
export function markLines(text: string): string {
  return text
    .split('\n')
    .map((line, i) => (MARKED.test(line) && !line.includes('-}}') && line.split('{{').length === line.split('}}').length ? line.replace(/\r?$/, ` #chartship-line:${i + 1}$&`) : line))
    .join('\n');
}

function hit(line: string, pattern: RegExp, i: number): LineColumn | undefined {
  const match = pattern.exec(line);
  return match ? { line: i + 1, column: match.index + (match[1]?.length ?? 0) + 1 } : undefined;
}

function nth(text: string, pattern: RegExp, ordinal: number): LineColumn | undefined {
  const hits = text.split('\n').flatMap((line, i) => hit(line, pattern, i) ?? []);
  return hits[Math.min(ordinal, hits.length - 1)];
}

/** The marked line when the pattern finds it there (a mark from another file, a helper's, most often would not). */
function markedLine(lines: string[], pattern: RegExp, marked = 0): LineColumn | undefined {
  return hit(lines[marked - 1] ?? '', pattern, marked - 1);
}

export function imageLine(template: TemplateText, image: string, ordinal: number, marked?: number): Partial<LineColumn> {
  if (template.text === undefined) return {};
  const lines = template.text.split('\n');
  const exact = markedLine(lines, IMAGE, marked);
  // On the image itself where it is written literally: on the marked line, else the first that has it.
  const literal = exact ? exact.line - 1 : lines.findIndex((line) => line.includes(image));
  const column = lines[literal]?.indexOf(image) ?? -1;
  if (column >= 0) return { line: literal + 1, column: column + 1 };
  return exact ?? nth(template.text, IMAGE, ordinal) ?? { line: 1, column: 1 };
}

export function podSpecLine(template: TemplateText, ordinal: number, marked?: number): Partial<LineColumn> {
  if (template.text === undefined) return {};
  return markedLine(template.text.split('\n'), /^(\s*)(?:imagePullSecrets|containers):/, marked) ?? nth(template.text, /^(\s*)imagePullSecrets:/, ordinal) ?? nth(template.text, /^(\s*)containers:/, ordinal) ?? { line: 1, column: 1 };
}
