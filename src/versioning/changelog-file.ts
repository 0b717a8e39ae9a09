/**
 * A chart's CHANGELOG.md, one `## VERSION` section per release, newest first: the release pull request adds a
 * section, the publish after its merge reads it back as the release notes. Text in, text out; everything else in
 * the file is kept byte for byte.
 */

const HEADING = /^##[ \t]+/;

/** Whether `line` is the heading of `version`'s section: `## 1.2.0`, `## [1.2.0](…)`, `## v1.2.0 (2024-01-01)`. */
function headsVersion(line: string, version: string): boolean {
  if (!HEADING.test(line)) return false;
  const rest = line.replace(HEADING, '').replace(/^\[/, '').replace(/^v/, '');
  return rest.startsWith(version) && /^($|[\s\]()])/.test(rest.slice(version.length));
}

function lines(text: string): string[] {
  return text.split('\n');
}

/**
 * The file with `section` (a `## VERSION …` heading and its body) added above the newest section, under whatever
 * title and preamble the file starts with. A file that has a section of that version already is left alone: it
 * was written by hand.
 */
export function addChangelogSection(text: string | undefined, version: string, section: string): string {
  const body = section.replace(/\s+$/, '');
  if (text === undefined || text.trim() === '') return `# Changelog\n\n${body}\n`;
  const all = lines(text);
  if (all.some((line) => headsVersion(line, version))) return text;
  const first = all.findIndex((line) => HEADING.test(line));
  if (first === -1) return `${text.replace(/\s+$/, '')}\n\n${body}\n`;
  return [...all.slice(0, first), ...lines(body), '', ...all.slice(first)].join('\n');
}

/** The body of `version`'s section (without its heading), or undefined when the file has none or it is empty. */
export function changelogSection(text: string | undefined, version: string): string | undefined {
  if (text === undefined) return undefined;
  const all = lines(text.replace(/\r\n/g, '\n'));
  const start = all.findIndex((line) => headsVersion(line, version));
  if (start === -1) return undefined;
  const end = all.findIndex((line, i) => i > start && (HEADING.test(line) || /^#[ \t]/.test(line)));
  const body = all.slice(start + 1, end === -1 ? undefined : end).join('\n').trim();
  return body === '' ? undefined : body;
}
